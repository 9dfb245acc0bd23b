#!/usr/bin/env bash
# Records the course captures from wirepeel's own endpoints, live on lo:
#   captures/course-udp-ping.pcap  10 UDP pings of "hello, mercy" to a server
#                                  seeded with 505 (so the same pings are dropped)
#   captures/course-tcp.pcap       one tcp-client exchange: handshake,
#                                  "Give me the data", both FINs
# Needs root (or CAP_NET_RAW) to capture. Captures with `wirepeel show -w` when
# this build has it, else with tcpdump. Usage: tools/record-course.sh [OUTDIR]
set -u
BUILD=${BUILD:-build}
W=$BUILD/wirepeel
OUT=${1:-captures}
SEED=505 PINGS=10 UPORT=54321 TPORT=10530
[ -x "$W" ] || { echo "record-course: build wirepeel first (make)" >&2; exit 1; }
mkdir -p "$OUT"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT

if "$W" show --help >/dev/null 2>&1; then
    tool=wirepeel
else
    command -v tcpdump >/dev/null || { echo "record-course: needs tcpdump or wirepeel show" >&2; exit 1; }
    tool=tcpdump
fi

# start_capture FILTER FILE: capture in the background until stop_capture.
start_capture() {
    if [ "$tool" = wirepeel ]; then
        "$W" show -i lo -f "$1" -w "$2" 2>"$tmp/cap.err" &
    else
        tcpdump -i lo -U -n --immediate-mode --time-stamp-precision nano -w "$2" "$1" 2>"$tmp/cap.err" &
    fi
    cap=$!
    pids+=("$cap")
    # tcpdump says "listening on"; give either one a bounded moment to be ready.
    for _ in $(seq 1 30); do
        grep -q listening "$tmp/cap.err" 2>/dev/null && break
        sleep 0.1
    done
    sleep 0.3
}
stop_capture() {
    sleep 0.5
    kill -INT "$cap"
    for _ in $(seq 1 50); do kill -0 "$cap" 2>/dev/null || break; sleep 0.1; done
    wait "$cap" 2>/dev/null
}

# listening OUT: wait (3 s at most) for a server's first line. The course
# captures keep the course's ports, so a port taken by something else is
# fatal here: say so rather than record someone else's traffic.
listening() {
    for _ in $(seq 1 30); do
        grep -q 'listening on' "$1" 2>/dev/null && return 0
        grep -q 'cannot' "$1" 2>/dev/null && break
        sleep 0.1
    done
    echo "record-course: the server did not start: $(cat "$1")" >&2
    exit 1
}

start_capture "udp port $UPORT" "$OUT/course-udp-ping.pcap"
"$W" udp-server --port $UPORT --seed $SEED --count $PINGS >"$tmp/udp-server.out" 2>&1 &
pids+=($!)
listening "$tmp/udp-server.out"
"$W" udp-client --port $UPORT --count $PINGS --timeout 0.5 | tee "$tmp/udp-client.out"
stop_capture

start_capture "tcp port $TPORT" "$OUT/course-tcp.pcap"
"$W" tcp-server --port $TPORT --count 1 >"$tmp/tcp-server.out" 2>&1 &
pids+=($!)
listening "$tmp/tcp-server.out"
"$W" tcp-client --port $TPORT
stop_capture

cat "$tmp/udp-server.out" "$tmp/tcp-server.out"
echo "record-course: wrote $OUT/course-udp-ping.pcap and $OUT/course-tcp.pcap (captured with $tool)"
