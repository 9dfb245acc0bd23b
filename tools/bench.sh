#!/usr/bin/env bash
# make bench: wirepeel against tcpdump, tshark and the bare libpcap floor on
# the same generated capture, side by side in one run.
#
# Environment:
#   BUILD           build directory (default build)
#   BENCH_PACKETS   frames in the generated capture (default 1000000)
#   BENCH_RUNS      runs per command; the median is reported (default 3)
#   BENCH_JSON_PACKETS  frames for the tshark -T json row (default 100000,
#                   capped at BENCH_PACKETS)
#   BENCH_LIVE=0    skip the live loopback flood
#   BENCH_VIEW=0    skip the view timing in tmux
#   BENCH_TERMSHARK=0  skip termshark (when installed) in the view timing
#   BENCH_FLOOD_SECONDS  length of the flood (default 10)
#   BENCH_FLOOD_SENDERS  flood processes, each to its own port (default: one
#                   per core, so that the senders compete with the capture
#                   for the CPU as a real flood would; one sender alone
#                   cannot make either tool drop on 2 cores)
#
# Every command writes to /dev/null. Times are CPU seconds (user+sys) from
# /usr/bin/time, the median of BENCH_RUNS runs, taken in rounds (one run of
# every command per round); memory is the peak RSS (max over the runs).
# Missing peers are reported as missing, never estimated.
set -u
BUILD=${BUILD:-build}
N=${BENCH_PACKETS:-1000000}
RUNS=${BENCH_RUNS:-3}
JN=${BENCH_JSON_PACKETS:-100000}
[ "$JN" -gt "$N" ] && JN=$N
LIVE=${BENCH_LIVE:-1}
VIEW=${BENCH_VIEW:-1}
TSHARKVIEW=${BENCH_TERMSHARK:-1}
FLOOD_SECS=${BENCH_FLOOD_SECONDS:-10}
SENDERS=${BENCH_FLOOD_SENDERS:-$(nproc 2>/dev/null || echo 1)}
export LC_ALL=C
# The peers run as a Debian shell runs them, with TZ unset: glibc then stats
# /etc/localtime at every localtime() call, once a packet for tcpdump (the
# issue's calibration, tcpdump -nn at about 4 s, is that). With TZ=UTC
# tcpdump skips the stat and takes about half the time, so every tcpdump row
# is measured that way too and both ratios are printed. wirepeel prints UTC
# and never asks for the local time.
unset TZ

OUT=$BUILD/bench
mkdir -p "$OUT"
WP=$BUILD/wirepeel
MKBENCH=$BUILD/tools/mkbench
FLOOR=$BUILD/tools/pcapfloor
FLOOD=$OUT/udpflood
TMP=$(mktemp -d)
TM=""
cleanup() {
    [ -n "$TM" ] && $TM kill-server 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

for f in "$WP" "$MKBENCH" "$FLOOR"; do
    [ -x "$f" ] || { echo "bench: $f is missing: run make bench (it builds it)" >&2; exit 1; }
done
if [ ! -x /usr/bin/time ]; then
    echo "bench: /usr/bin/time is missing: apt-get install time" >&2
    exit 1
fi

# ---- the captures -----------------------------------------------------------
FILE=$OUT/bench-$N.pcap
JFILE=$OUT/bench-$JN.pcap
for pair in "$N:$FILE" "$JN:$JFILE"; do
    n=${pair%%:*} f=${pair#*:}
    if [ ! -s "$f" ] || [ "$MKBENCH" -nt "$f" ]; then
        echo "bench: writing $f ($n frames)" >&2
        "$MKBENCH" -n "$n" "$f" || { echo "bench: mkbench failed" >&2; exit 1; }
    fi
done

# ---- measuring ----------------------------------------------------------------
# Every command runs RUNS times, in rounds: one run of each command, then the
# next round, so that a change in the machine's load over the minutes the
# bench takes falls on every command alike (a ratio's two sides are never
# measured minutes apart).
# R_CPU[key] R_WALL[key] R_RSS[key] (KiB) R_ERR[key]: filled by finish.
declare -A R_CPU R_WALL R_RSS R_ERR R_CMD R_ARGV R_CPUS R_WALLS
KEYS=()

median() { sort -g | awk '{a[NR]=$1} END{ if (NR==0) print ""; else print a[int((NR+1)/2)] }'; }
# mid "T1 T2 ...": the median of space-separated times.
mid() { tr ' ' '\n' <<<"$1" | grep . | median; }

# plan KEY CMD...: a command to time (its words kept apart by \x1f).
plan() {
    local key=$1
    shift
    KEYS+=("$key")
    R_CMD[$key]="$*"
    local IFS=$'\x1f'
    R_ARGV[$key]="$*"
    if ! command -v "$1" >/dev/null 2>&1; then
        R_ERR[$key]="missing: $1 not installed"
    fi
}

# run_once KEY: one run of KEY's command with stdout to /dev/null, unless
# it is missing or failed before.
run_once() {
    local key=$1 argv u s m e rc
    [ -n "${R_ERR[$key]:-}" ] && return
    IFS=$'\x1f' read -r -a argv <<<"${R_ARGV[$key]}"
    if ! /usr/bin/time -f '%U %S %M %e %x' -o "$TMP/time" "${argv[@]}" >/dev/null 2>"$TMP/err"; then
        rc=$(awk 'END{print $5}' "$TMP/time" 2>/dev/null)
        R_ERR[$key]="failed (exit ${rc:-?}): $(grep -v '^Command exited' "$TMP/err" | head -1)"
        return
    fi
    read -r u s m e _ < <(tail -1 "$TMP/time")
    R_CPUS[$key]="${R_CPUS[$key]:-} $(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.3f", u+s}')"
    R_WALLS[$key]="${R_WALLS[$key]:-} $e"
    [ "$m" -gt "${R_RSS[$key]:-0}" ] && R_RSS[$key]=$m
}

# finish KEY: the medians of KEY's runs.
finish() {
    local key=$1
    [ -n "${R_ERR[$key]:-}" ] && return
    R_CPU[$key]=$(mid "${R_CPUS[$key]}")
    R_WALL[$key]=$(mid "${R_WALLS[$key]}")
    echo "bench: $key: ${R_CPU[$key]} s CPU (runs:${R_CPUS[$key]}), peak RSS $((R_RSS[$key] / 1024)) MiB" >&2
}

plan floor "$FLOOR" "$FILE"
plan wp_summary "$WP" show -r "$FILE" -o summary
# the summary without the conversation tracker (what it cost
# before), and tshark's two passes with TCP analysis on the json row's file
plan wp_summary_noflow "$WP" show -r "$FILE" -o summary --no-flows
[ "$JN" -ne "$N" ] && plan wp_summary_small "$WP" show -r "$JFILE" -o summary
plan ts_two tshark -2 -r "$JFILE"
plan td_summary tcpdump -nn -r "$FILE"
plan wp_layers "$WP" show -r "$FILE" -o layers
plan td_layers tcpdump -nn -vv -r "$FILE"
plan wp_hex "$WP" show -r "$FILE" -o hex
plan td_hex tcpdump -nn -X -r "$FILE"
plan wp_json "$WP" show -r "$FILE" -o json
plan td_json tcpdump -nn -v -r "$FILE"
[ "$JN" -ne "$N" ] && plan wp_json_small "$WP" show -r "$JFILE" -o json
plan ts_json tshark -T json -r "$JFILE"
for k in summary layers hex json; do
    case $k in summary) fl=() ;; layers) fl=(-vv) ;; hex) fl=(-X) ;; json) fl=(-v) ;; esac
    if command -v tcpdump >/dev/null 2>&1; then
        plan td_${k}_utc env TZ=UTC tcpdump -nn "${fl[@]}" -r "$FILE"
    else
        R_CMD[td_${k}_utc]="env TZ=UTC tcpdump -nn ${fl[*]} -r $FILE"
        R_ERR[td_${k}_utc]="missing: tcpdump not installed"
    fi
done

echo "bench: $N frames, ${#KEYS[@]} commands, $RUNS rounds of one run each; this takes a few minutes at 1M" >&2
for ((r = 1; r <= RUNS; r++)); do
    echo "bench: round $r of $RUNS" >&2
    for k in "${KEYS[@]}"; do run_once "$k"; done
done
for k in "${KEYS[@]}"; do finish "$k"; done
if [ "$JN" -eq "$N" ]; then
    R_CMD[wp_json_small]=${R_CMD[wp_json]}
    R_CMD[wp_summary_small]=${R_CMD[wp_summary]}
    for a in R_CPU R_WALL R_RSS R_ERR; do
        declare -n ref=$a
        [ -n "${ref[wp_json]:-}" ] && ref[wp_json_small]=${ref[wp_json]}
        [ -n "${ref[wp_summary]:-}" ] && ref[wp_summary_small]=${ref[wp_summary]}
        unset -n ref
    done
fi

# ---- the view in tmux ---------------------------------------------------------
# View: first screen (the list's row 1 drawn) and End (the last row drawn),
# wall seconds from tmux's start / the key, polled every 10 ms with
# capture-pane. The same measure for wirepeel view on the 1M file and, side
# by side on a 50,000-frame cut of it, for wirepeel view and termshark.
now_ms() { date +%s%3N; }
# tui_once KEY FIRST_RE END_RE CMD: one run; appends to T_FIRST_KEY and
# T_END_KEY (seconds), raises T_RSS_KEY (KiB: the peak RSS of the program
# and its children, such as termshark's tshark), sets T_NOTE_KEY on failure.
declare -A T_FIRST T_END T_RSS T_NOTE
tui_once() {
    local key=$1 first=$2 last=$3 cmd=$4 sess=s$RANDOM
    local t0 t1 t2 pid i screen hwm p
    $TM kill-session -t "$sess" 2>/dev/null
    t0=$(now_ms)
    $TM new-session -d -s "$sess" -x 120 -y 40 "exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 $cmd"
    pid=$($TM display -p -t "$sess" '#{pane_pid}')
    for ((i = 0; i < 6000; i++)); do
        screen=$($TM capture-pane -p -t "$sess" 2>/dev/null)
        grep -qE "$first" <<<"$screen" && break
        if ! kill -0 "$pid" 2>/dev/null; then T_NOTE[$key]="exited early"; return 1; fi
        sleep 0.01
    done
    t1=$(now_ms)
    [ "$i" -ge 6000 ] && { T_NOTE[$key]="no first screen within 60 s"; $TM kill-session -t "$sess"; return 1; }
    $TM send-keys -t "$sess" End
    for ((i = 0; i < 12000; i++)); do
        screen=$($TM capture-pane -p -t "$sess" 2>/dev/null)
        grep -qE "$last" <<<"$screen" && break
        sleep 0.01
    done
    t2=$(now_ms)
    [ "$i" -ge 12000 ] && { T_NOTE[$key]="End did not show the last frame within 120 s"; $TM kill-session -t "$sess"; return 1; }
    hwm=0
    for p in $pid $(pgrep -P "$pid" 2>/dev/null); do
        hwm=$((hwm + $(awk '/^VmHWM/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    done
    [ "$hwm" -gt "${T_RSS[$key]:-0}" ] && T_RSS[$key]=$hwm
    T_FIRST[$key]="${T_FIRST[$key]:-} $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1000}')"
    T_END[$key]="${T_END[$key]:-} $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.3f", (b-a)/1000}')"
    $TM send-keys -t "$sess" q
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.01; done
    $TM kill-session -t "$sess" 2>/dev/null
    for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.01; done
    return 0
}
# The 50,000-frame cut (fewer when the capture is smaller).
TN=$((N < 50000 ? N : 50000))
TFILE=$OUT/bench-$TN.pcap
if [ "$VIEW" = 0 ]; then
    V_NOTE="skipped (BENCH_VIEW=0)"
elif ! command -v tmux >/dev/null; then
    V_NOTE="skipped: tmux not installed"
else
    V_NOTE=""
    TM="tmux -L wpbench-$$"
    $TM new-session -d -s keep -x 80 -y 24 "sleep 600"
    # wirepeel: its list shows "  N hh:mm:ss.ffffff ..." rows
    for ((r = 0; r < RUNS; r++)); do
        tui_once view '^ +1 [0-9:.]+ ' "^ *$N [0-9:.]+ " "TERM=screen $WP view -r $FILE" || break
    done
    if [ "$TN" -lt "$N" ] && [ ! -s "$TFILE" ]; then
        "$WP" show -r "$FILE" -c "$TN" -w "$TFILE" || rm -f "$TFILE"
    fi
    [ "$TN" -eq "$N" ] && TFILE=$FILE
    if [ "$TSHARKVIEW" = 0 ]; then
        TERMSHARK="skipped (BENCH_TERMSHARK=0)"
    elif ! command -v termshark >/dev/null; then
        TERMSHARK="not installed (apt-get install termshark)"
    elif ! command -v tshark >/dev/null; then
        TERMSHARK="tshark missing"
    elif [ ! -s "$TFILE" ]; then
        TERMSHARK="no $TN-frame capture"
    else
        TERMSHARK=""
        for ((r = 0; r < RUNS; r++)); do
            tui_once view_small '^ +1 [0-9:.]+ ' "^ *$TN [0-9:.]+ " "TERM=screen $WP view -r $TFILE" || break
        done
        # termshark's list: "No. Time ..." with the time since the first
        # frame, cut to the column's width (8 decimals or fewer); its No.
        # column is too narrow for 5 digits, so the last row is found by
        # its time (tshark's own figure, trailing zeros dropped), which the
        # shown digits must begin with
        tlast=$(tshark -r "$TFILE" -T fields -e frame.time_relative -Y "frame.number == $TN" 2>/dev/null |
            awk 'NR == 1 { t = sprintf("%.8f", $1); sub(/0+$/, "", t); sub(/\.$/, "", t); print t }')
        if [ -z "$tlast" ]; then
            TERMSHARK="tshark could not read $TFILE"
        else
            for ((r = 0; r < RUNS; r++)); do
                tui_once termshark '^ 1 +0\.0+ ' "^ [0-9]+ +${tlast//./\\.}[0-9]* " "termshark -r $TFILE" || break
            done
        fi
    fi
    $TM kill-server 2>/dev/null
    TM=""
fi

# ---- live: a bounded loopback UDP flood ---------------------------------------
# Both captures run at once on the same flood (the same packets, the same
# competition for the CPU with the senders and with each other), are stopped
# with SIGINT, and their stats lines give the kernel drops.
declare -A L_SENT L_DROP L_GOT L_NOTE L_PID
# SENDERS consecutive ports nothing holds, chosen now (tools/freeport.sh;
# without python3 a range picked from the pid, as before).
PORT=$(bash "$(dirname "$0")/freeport.sh" "$SENDERS" 2>/dev/null) || PORT=$((47000 + $$ % 1000))
# live_start KEY CMD...: start a capture; ready when it says it is
# listening, or after 1.5 s.
live_start() {
    local key=$1 i
    shift
    "$@" >/dev/null 2>"$TMP/$key.err" &
    L_PID[$key]=$!
    for ((i = 0; i < 150; i++)); do
        grep -qi 'listening' "$TMP/$key.err" && break
        kill -0 "${L_PID[$key]}" 2>/dev/null || break
        sleep 0.01
    done
    if ! kill -0 "${L_PID[$key]}" 2>/dev/null; then
        L_NOTE[$key]="failed: $(head -1 "$TMP/$key.err")"
        wait "${L_PID[$key]}" 2>/dev/null
        unset "L_PID[$key]"
    fi
}
# live_stop KEY: SIGINT the capture and read its stats line.
live_stop() {
    local key=$1 pid=${L_PID[$1]:-} i
    [ -n "$pid" ] || return
    kill -INT "$pid" 2>/dev/null
    for ((i = 0; i < 500; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.01; done
    kill -0 "$pid" 2>/dev/null && { kill -TERM "$pid"; L_NOTE[$key]="did not stop on SIGINT"; }
    wait "$pid" 2>/dev/null
    local err
    err=$(cat "$TMP/$key.err")
    # tcpdump: "N packets captured / N packets received by filter / N packets
    # dropped by kernel"; wirepeel: "N packets captured, N received by
    # filter, N dropped by kernel, N dropped by interface"
    L_DROP[$key]=$(grep -oiE '[0-9]+ (packets )?dropped by kernel' <<<"$err" | head -1 | grep -oE '^[0-9]+')
    L_GOT[$key]=$(grep -oiE '[0-9]+ (packets )?received by filter' <<<"$err" | head -1 | grep -oE '^[0-9]+')
    [ -z "${L_DROP[$key]}" ] && L_NOTE[$key]="${L_NOTE[$key]:-}no drop count in its stats line: $(tail -2 "$TMP/$key.err" | tr '\n' ' ')"
}
LIVE_NOTE=""
if [ "$LIVE" = 0 ]; then
    LIVE_NOTE="skipped (BENCH_LIVE=0)"
elif [ "$(id -u)" != 0 ]; then
    LIVE_NOTE="skipped: not root (a live capture needs CAP_NET_RAW; run make bench as root)"
elif [ ! -x "$FLOOD" ]; then
    LIVE_NOTE="skipped: $FLOOD missing (make bench builds it)"
else
    BPF="udp portrange $PORT-$((PORT + SENDERS - 1))"
    # two rounds: tcpdump as a shell runs it (TZ unset), then with TZ=UTC
    for round in 1 2; do
        wk=wp$round tk=td$round
        live_start $wk "$WP" show -i lo -f "$BPF" -o summary
        if ! command -v tcpdump >/dev/null; then
            L_NOTE[$tk]="missing: tcpdump not installed"
        elif [ $round = 1 ]; then
            live_start $tk tcpdump -nn -i lo "$BPF"
        else
            live_start $tk env TZ=UTC tcpdump -nn -i lo "$BPF"
        fi
        sleep 0.2
        fpids=()
        for ((j = 0; j < SENDERS; j++)); do
            "$FLOOD" $((PORT + j)) "$FLOOD_SECS" 50000000 100 >"$TMP/sent.$j" &
            fpids+=($!)
        done
        wait "${fpids[@]}"
        sent=0
        for ((j = 0; j < SENDERS; j++)); do sent=$((sent + $(cat "$TMP/sent.$j" 2>/dev/null || echo 0))); done
        L_SENT[$round]=$sent
        sleep 0.5
        live_stop $wk
        live_stop $tk
    done
fi

# ---- the table ----------------------------------------------------------------
# a failed or missing command shows FAILED / missing in its cell and its
# reason below the table
cpu() {
    case "${R_ERR[$1]:-}" in
    "") echo "${R_CPU[$1]:-?}" ;;
    missing*) echo "missing" ;;
    *) echo "FAILED" ;;
    esac
}
mib() { [ -n "${R_RSS[$1]:-}" ] && awk -v k="${R_RSS[$1]}" 'BEGIN{printf "%.1f", k/1024}' || echo "-"; }
have() { [ -z "${R_ERR[$1]:-}" ] && [ -n "${R_CPU[$1]:-}" ]; }
# CPU times come in the kernel's 10 ms steps: below SHORT seconds a time is
# too coarse to divide by.
SHORT=0.05
short() { awk -v t="${R_CPU[$1]}" -v m="$SHORT" 'BEGIN{ exit !(t < m) }'; }
# ratio PEER WP: peer CPU / wirepeel CPU, per packet when the counts differ
ratio() {
    have "$1" && have "$2" || { echo "-"; return; }
    short "$2" && { echo "too short"; return; }
    awk -v p="${R_CPU[$1]}" -v w="${R_CPU[$2]}" -v pn="${3:-1}" -v wn="${4:-1}" \
        'BEGIN{ printf "%.1fx", (p/pn)/(w/wn) }'
}
# target TEXT PEER WP MIN [PEER2]: "met"/"MISSED" for peer/wp >= MIN, and
# the same against PEER2 (tcpdump with TZ=UTC) in parentheses
target() {
    have "$2" && have "$3" || { echo "$1: n/a"; return; }
    short "$3" && { echo "$1: n/a (wirepeel took under $SHORT s: too short to time; use a bigger BENCH_PACKETS)"; return; }
    local p2="" w=${R_CPU[$3]}
    if [ -n "${5:-}" ] && have "$5"; then
        p2=$(awk -v p="${R_CPU[$5]}" -v w="$w" -v m="$4" \
            'BEGIN{ if (w <= 0) w = 0.001; r = p/w; printf " (with TZ=UTC: %.1fx %s)", r, (r >= m ? "met" : "MISSED") }')
    fi
    awk -v t="$1" -v p="${R_CPU[$2]}" -v w="$w" -v m="$4" -v p2="$p2" \
        'BEGIN{ if (w <= 0) w = 0.001; r = p/w; printf "%s: %.1fx %s%s\n", t, r, (r >= m ? "met" : "MISSED"), p2 }'
}

row() { printf '| %-26s | %14s | %7s | %-30s | %14s | %8s | %9s |\n' "$@"; }
{
echo
echo "## wirepeel benchmark"
echo
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo), kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peers:   $(tcpdump --version 2>&1 | head -1 || echo 'tcpdump missing'); $(tshark --version 2>/dev/null | head -1 || echo 'tshark missing')"
echo "capture: $FILE ($N frames, $(($(stat -L -c %s "$FILE") / 1048576)) MiB); json row: $JFILE ($JN frames)"
echo "times:   CPU seconds (user+sys), median of $RUNS runs taken in rounds (one run of every"
echo "         command per round), output to /dev/null. The machine is shared, so CPU seconds"
echo "         are more robust than wall time; ratio = peer/wirepeel."
echo "         Peers run with TZ unset, as a shell runs them (tcpdump then stats /etc/localtime"
echo "         once a packet); the \"same, TZ=UTC\" rows spare it that."
echo
row "wirepeel" "CPU s" "RSS MiB" "peer" "CPU s" "RSS MiB" "ratio"
row "---" "---" "---" "---" "---" "---" "---"
row "show -o summary" "$(cpu wp_summary)" "$(mib wp_summary)" "tcpdump -nn -r" "$(cpu td_summary)" "$(mib td_summary)" "$(ratio td_summary wp_summary)"
row "" "" "" "  same, TZ=UTC" "$(cpu td_summary_utc)" "$(mib td_summary_utc)" "$(ratio td_summary_utc wp_summary)"
row "show -o layers" "$(cpu wp_layers)" "$(mib wp_layers)" "tcpdump -nn -vv -r" "$(cpu td_layers)" "$(mib td_layers)" "$(ratio td_layers wp_layers)"
row "" "" "" "  same, TZ=UTC" "$(cpu td_layers_utc)" "$(mib td_layers_utc)" "$(ratio td_layers_utc wp_layers)"
row "show -o hex" "$(cpu wp_hex)" "$(mib wp_hex)" "tcpdump -nn -X -r" "$(cpu td_hex)" "$(mib td_hex)" "$(ratio td_hex wp_hex)"
row "" "" "" "  same, TZ=UTC" "$(cpu td_hex_utc)" "$(mib td_hex_utc)" "$(ratio td_hex_utc wp_hex)"
row "show -o json" "$(cpu wp_json)" "$(mib wp_json)" "tcpdump -nn -v -r" "$(cpu td_json)" "$(mib td_json)" "$(ratio td_json wp_json)"
row "" "" "" "  same, TZ=UTC" "$(cpu td_json_utc)" "$(mib td_json_utc)" "$(ratio td_json_utc wp_json)"
row "show -o json ($JN)" "$(cpu wp_json_small)" "$(mib wp_json_small)" "tshark -T json -r ($JN)" "$(cpu ts_json)" "$(mib ts_json)" "$(ratio ts_json wp_json_small)"
row "show -o summary ($JN)" "$(cpu wp_summary_small)" "$(mib wp_summary_small)" "tshark -2 -r ($JN)" "$(cpu ts_two)" "$(mib ts_two)" "$(ratio ts_two wp_summary_small)"
row "summary --no-flows" "$(cpu wp_summary_noflow)" "$(mib wp_summary_noflow)" "" "" "" ""
row "floor (pcap_next_ex loop)" "$(cpu floor)" "$(mib floor)" "" "" "" ""
echo
for k in floor wp_summary td_summary td_summary_utc wp_layers td_layers td_layers_utc wp_hex td_hex td_hex_utc wp_json td_json td_json_utc wp_json_small ts_json; do
    [ -n "${R_ERR[$k]:-}" ] && echo "$k: ${R_ERR[$k]}"
done
if have ts_json && have wp_json; then
    awk -v t="${R_CPU[ts_json]}" -v tn="$JN" -v w="${R_CPU[wp_json]}" -v wn="$N" \
        'BEGIN{printf "json per packet: tshark %.1f us, wirepeel %.2f us (on the %d-frame file)\n", t/tn*1e6, w/wn*1e6, wn}'
fi
if have wp_summary && have floor && short floor; then
    echo "summary vs floor: n/a (the floor took under $SHORT s: too short to time)"
elif have wp_summary && have floor; then
    awk -v w="${R_CPU[wp_summary]}" -v f="${R_CPU[floor]}" \
        'BEGIN{ if (f <= 0) f = 0.001; r = w/f; printf "summary vs floor: %.1fx the floor CPU (target within 3x): %s\n", r, (r <= 3 ? "met" : "MISSED") }'
fi
if have wp_summary && have wp_summary_noflow; then
    awk -v w="${R_CPU[wp_summary]}" -v n="${R_CPU[wp_summary_noflow]}" -v m="${R_RSS[wp_summary]}" \
        'BEGIN{ if (n <= 0) n = 0.001; r = w/n; printf "summary with conversations vs --no-flows: %.2fx the CPU (target at most 1.5x): %s; peak RSS %.1f MiB (target under 64 MiB): %s\n", r, (r <= 1.5 ? "met" : "MISSED"), m/1024, (m < 65536 ? "met" : "MISSED") }'
fi
echo
echo "Targets:"
target "  summary >= 10x tcpdump -nn" td_summary wp_summary 10 td_summary_utc
target "  layers  >= 8x tcpdump -nn -vv" td_layers wp_layers 8 td_layers_utc
target "  hex     >= 10x tcpdump -nn -X" td_hex wp_hex 10 td_hex_utc
target "  json    >= 100x tshark -T json (same file)" ts_json wp_json_small 100
target "  json    >= 5x tcpdump -nn -v" td_json wp_json 5 td_json_utc
for k in wp_summary wp_layers wp_hex wp_json; do
    have "$k" && awk -v k="$k" -v m="${R_RSS[$k]}" \
        'BEGIN{ printf "  %-7s peak RSS %.1f MiB < 16 MiB: %s\n", substr(k,4), m/1024, (m < 16384 ? "met" : "MISSED") }'
done
echo
# tui_line KEY WHAT: the median first screen and End of KEY's runs.
tui_line() {
    local key=$1 what=$2
    if [ -z "${T_FIRST[$key]:-}" ]; then
        echo "  $what: ${T_NOTE[$key]:-not measured}"
        return
    fi
    printf '  %-34s first screen %7.3f s   End %7.3f s   peak RSS %5d MiB%s\n' "$what:" \
        "$(mid "${T_FIRST[$key]}")" "$(mid "${T_END[$key]}")" $(( ${T_RSS[$key]:-0} / 1024 )) \
        "${T_NOTE[$key]:+ ($(wc -w <<<"${T_FIRST[$key]}") runs; then: ${T_NOTE[$key]})}"
}
if [ -n "$V_NOTE" ]; then
    echo "view: $V_NOTE"
else
    echo "view (tmux 120x40, wall seconds from start to the list's first row and from the End key"
    echo "      to the last frame's row, median of up to $RUNS runs; RSS includes child processes):"
    tui_line view "wirepeel view ($N frames)"
    if [ -n "${T_FIRST[view]:-}" ]; then
        vf=$(mid "${T_FIRST[view]}")
        ve=$(mid "${T_END[view]}")
        echo "  targets: first screen < 0.3 s: $(awk -v v="$vf" 'BEGIN{print (v < 0.3 ? "met" : "MISSED")}'), End < 1 s: $(awk -v v="$ve" 'BEGIN{print (v < 1 ? "met" : "MISSED")}'), peak RSS < 100 MiB: $([ "${T_RSS[view]:-0}" -lt 102400 ] && echo met || echo MISSED)"
    fi
    if [ -n "$TERMSHARK" ]; then
        echo "  termshark ($TN frames): $TERMSHARK"
    else
        tui_line view_small "wirepeel view ($TN frames)"
        tui_line termshark "termshark -r ($TN frames)"
        if [ -n "${T_FIRST[termshark]:-}" ] && [ -n "${T_FIRST[view_small]:-}" ]; then
            awk -v a="$(mid "${T_FIRST[termshark]}")" -v b="$(mid "${T_FIRST[view_small]}")" \
                -v c="$(mid "${T_END[termshark]}")" -v d="$(mid "${T_END[view_small]}")" -v n="$TN" \
                'BEGIN{ if (b <= 0) b = 0.001; if (d <= 0) d = 0.001;
                printf "  termshark / wirepeel on the same %s frames: first screen %.0fx, End %.0fx\n", n, a/b, c/d }'
        fi
    fi
fi
echo
if [ -n "$LIVE_NOTE" ]; then
    echo "live: $LIVE_NOTE"
else
    echo "live: ${FLOOD_SECS} s loopback UDP flood from $SENDERS sender(s) (100-byte datagrams to 127.0.0.1:$PORT..$((PORT + SENDERS - 1))),"
    echo "      both captures running at once on it; round 1 tcpdump as a shell runs it, round 2 with TZ=UTC:"
    for round in 1 2; do
        echo "  round $round: ${L_SENT[$round]:-?} datagrams sent"
        for k in wp$round td$round; do
            case $k in wp*) name="wirepeel show -i lo -o summary" ;; td1) name="tcpdump -nn -i lo" ;; *) name="TZ=UTC tcpdump -nn -i lo" ;; esac
            echo "    $name: received by filter ${L_GOT[$k]:-?}, kernel drops ${L_DROP[$k]:-?}${L_NOTE[$k]:+ (${L_NOTE[$k]})}"
        done
        w=${L_DROP[wp$round]:-} t=${L_DROP[td$round]:-}
        if [ -n "$w" ] && [ -n "$t" ]; then
            echo "    fewer kernel drops than tcpdump: $([ "$w" -lt "$t" ] && echo met || { [ "$w" -eq 0 ] && [ "$t" -eq 0 ] && echo "equal (both 0)" || echo MISSED; })"
        fi
    done
fi
echo
echo "commands:"
for k in floor wp_summary td_summary td_summary_utc wp_layers td_layers td_layers_utc wp_hex td_hex td_hex_utc wp_json td_json td_json_utc wp_json_small ts_json wp_summary_noflow wp_summary_small ts_two; do
    echo "  $k: ${R_CMD[$k]:-}"
done
} | tee "$OUT/results.txt"
echo "bench: table saved to $OUT/results.txt" >&2
