#!/usr/bin/env bash
# Endurance: a live capture on lo with -w (and every packet decoded and
# printed as a summary into a pipe) under a bounded loopback UDP flood for
# ENDURANCE_SECONDS (default 15; the issue's full run is 60). Checks: no
# crash and a clean exit on Ctrl-C, resident memory flat once warm (VmRSS
# sampled every second from /proc), and the packets in the written file equal
# the count reported as captured and the lines printed.
# The flood is 127.0.0.1 only (build/bench/udpflood), at most ENDURANCE_PPS
# packets a second (default 20000), so the shared machine is not swamped.
# Needs root (live capture); skipped otherwise.
set -u
BUILD=${BUILD:-build}
SECS=${ENDURANCE_SECONDS:-15}
PPS=${ENDURANCE_PPS:-20000}
ROOT=$(git rev-parse --show-toplevel)
W=$(realpath "${WIREPEEL:-$BUILD/wirepeel}")
FLOOD=$ROOT/$BUILD/bench/udpflood
if [ "$(id -u)" -ne 0 ]; then
    echo "ok endurance # skip: live capture needs root"
    exit 0
fi
[ -x "$FLOOD" ] || make -s -C "$ROOT" "$BUILD/bench/udpflood" >/dev/null 2>&1
if [ ! -x "$FLOOD" ]; then
    echo "not ok endurance_flood_tool ($FLOOD missing)"
    exit 1
fi
T=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
# A port nothing holds, chosen when the test starts (tools/freeport.sh).
PORT=$(bash "$ROOT/tools/freeport.sh") || { echo "not ok endurance_free_port"; exit 1; }

# The capture: -w, and a summary line per packet counted by wc.
( "$W" show -i lo -f "udp port $PORT" -w "$T/flood.pcap" -o summary 2>"$T/err" \
      | wc -l >"$T/printed"; echo "${PIPESTATUS[0]}" >"$T/rc" ) &
sub=$!; PIDS+=("$sub")
wp=""
for _ in $(seq 50); do
    wp=$(pgrep -P "$sub" -x wirepeel | head -1)
    [ -n "$wp" ] && [ -e "$T/flood.pcap" ] && break
    sleep 0.1
done
if [ -z "$wp" ]; then
    echo "not ok endurance_started: $(cat "$T/err")"
    exit 1
fi
PIDS+=("$wp")

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
samples=()
sent=0
alive=1
for ((s = 0; s < SECS; s++)); do
    # one bounded burst a second: at most PPS packets within the second
    "$FLOOD" "$PORT" 1 "$PPS" 200 >"$T/sent" 2>/dev/null &
    fl=$!
    sleep 1
    wait "$fl"
    n=$(grep -oE '[0-9]+' "$T/sent" | head -1)
    sent=$((sent + ${n:-0}))
    r=$(rss "$wp")
    if [ -z "$r" ]; then alive=0; break; fi
    samples+=("$r")
done
sleep 0.5
kill -INT "$wp" 2>/dev/null
wait "$sub"
rc=$(cat "$T/rc" 2>/dev/null)
printed=$(cat "$T/printed" 2>/dev/null)
said=$(grep -oE '^[0-9]+ packets? captured' "$T/err" | awk '{print $1}')
in_file=$(tcpdump -r "$T/flood.pcap" 2>"$T/tcpdump.err" | wc -l)
dropped=$(grep -oE '[0-9]+ dropped by kernel' "$T/err" | awk '{print $1}')

echo "# ${SECS}s, $sent sent, ${said:-?} captured, $in_file in the file, ${printed:-?} printed, ${dropped:-?} dropped by kernel"
echo "# VmRSS kB per second: ${samples[*]}"

if [ "$alive" -eq 1 ] && [ "${rc:-x}" = 0 ] && [ -n "$said" ] && ! grep -qiE 'error|sanitizer|fault' "$T/err"; then
    echo "ok endurance_no_crash"
else
    echo "not ok endurance_no_crash: exit ${rc:-?}; $(head -c 300 "$T/err")"
fi
if [ -n "$said" ] && [ "$said" -gt 0 ] && [ "$in_file" -eq "$said" ] &&
    ! grep -qiE 'truncated|error' "$T/tcpdump.err"; then
    echo "ok endurance_file_holds_every_captured_packet"
else
    echo "not ok endurance_file_holds_every_captured_packet: captured ${said:-?}, file $in_file; $(cat "$T/tcpdump.err")"
fi
if [ -n "$said" ] && [ "${printed:-0}" -eq "$said" ]; then
    echo "ok endurance_printed_every_captured_packet"
else
    echo "not ok endurance_printed_every_captured_packet: captured ${said:-?}, printed ${printed:-?}"
fi
# Flat: after a warm-up (a third of the run, at least 3 s: the kernel ring's
# pages are touched as they first fill), the RSS may not grow by more than
# 1 MiB to the end.
n=${#samples[@]}
warm=$((n / 3)); [ "$warm" -lt 3 ] && warm=3
if [ "$n" -gt "$warm" ]; then
    base=${samples[$((warm - 1))]}
    max=$base
    for ((i = warm; i < n; i++)); do [ "${samples[$i]}" -gt "$max" ] && max=${samples[$i]}; done
    growth=$((max - base))
    if [ "$growth" -le 1024 ]; then
        echo "ok endurance_rss_flat # ${base} kB after warm-up, at most +${growth} kB after"
    else
        echo "not ok endurance_rss_flat: ${base} kB after warm-up grew by ${growth} kB (samples: ${samples[*]})"
    fi
else
    echo "not ok endurance_rss_flat: only $n samples"
fi
[ "$sent" -gt 0 ] && echo "ok endurance_flood_sent" || echo "not ok endurance_flood_sent"
