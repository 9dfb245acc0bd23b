#!/usr/bin/env bash
# wirepeel show: bad input (exit status, exactly one line on stderr, nothing
# on stdout), -c, -s, -f, -w (re-read by tcpdump), --replay pacing, and a live
# capture on lo (as root) through libpcap and the raw socket, with Ctrl-C.
# Prints "ok NAME" / "not ok NAME" per check.
set -u
BUILD=${BUILD:-build}
W=$(realpath "$BUILD/wirepeel")
FREEPORT=$(realpath "$(dirname "$0")/../../tools/freeport.sh")
CAPS=$(realpath "${WP_CAPTURES:-captures}")
T=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 1

ok() { echo "ok $1"; }
nok() { echo "not ok $1${2:+ ($2)}"; }
check() { if [ "$2" = 0 ]; then ok "$1"; else nok "$1" "${3:-}"; fi; }

# expect_fail NAME CODE CMD...: exit CODE, one stderr line, empty stdout.
expect_fail() {
    local name=$1 code=$2; shift 2
    "$@" >out 2>err
    local rc=$? lines
    lines=$(wc -l <err)
    if [ $rc -eq "$code" ] && [ "$lines" -eq 1 ] && [ ! -s out ]; then
        ok "$name"
    else
        nok "$name" "rc=$rc want $code, stderr lines=$lines, stdout bytes=$(wc -c <out): $(head -c 300 err)"
    fi
}

# ---- files made here for the bad-input matrix -------------------------------
python3 - <<'EOF'
import struct
def pcap(recs, snap=65535, lt=1, t0=1700000000):
    b = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snap, lt)
    for i, (cl, ln, data, ts) in enumerate(recs):
        b += struct.pack('<IIII', t0 + int(ts), int((ts % 1) * 1e6), cl, ln) + data
    return b
eth = bytes.fromhex('020000000002020000000001') + b'\x08\x00' + bytes(46)
three = [(60, 60, eth, 0), (60, 60, eth, 0.5), (60, 60, eth, 1.0)]
good = pcap(three)
open('three.pcap', 'wb').write(good)
open('cut-record.pcap', 'wb').write(good[:-25])          # inside packet 3's data
open('cut-rechdr.pcap', 'wb').write(good[:24 + 76 + 8])  # inside packet 2's record header
open('cut-filehdr.pcap', 'wb').write(good[:10])
open('header-only.pcap', 'wb').write(good[:24])
open('bad-magic.pcap', 'wb').write(b'\x12\x34\x56\x78' + good[4:])
open('huge-caplen.pcap', 'wb').write(pcap([(60, 60, eth, 0), (300000, 300000, bytes(300000), 1)]))
open('unknown-link.pcap', 'wb').write(pcap([(60, 60, eth, 0)], lt=4242))
def blk(t, body):
    body += bytes((-len(body)) % 4)
    n = 12 + len(body)
    return struct.pack('<II', t, n) + body + struct.pack('<I', n)
shb = blk(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))
idb = blk(1, struct.pack('<HHI', 1, 0, 65535))
unk = blk(0x0badbeef, b'a block nobody knows')
epb = blk(6, struct.pack('<IIIII', 0, 0, 0, 60, 60) + eth)
open('unknown-block.pcapng', 'wb').write(shb + idb + unk + epb + unk + epb)
EOF
echo "just some text, not a capture" >text.txt
: >empty.pcap
mkdir adir

# ---- usage errors: exit 2 ---------------------------------------------------
expect_fail usage_count_zero 2 "$W" show -r three.pcap -c 0
expect_fail usage_count_negative 2 "$W" show -r three.pcap -c -3
expect_fail usage_count_junk 2 "$W" show -r three.pcap -c 3x
expect_fail usage_snaplen_too_big 2 "$W" show -r three.pcap -s 262145
expect_fail usage_snaplen_negative 2 "$W" show -r three.pcap -s -1
expect_fail usage_unknown_output 2 "$W" show -r three.pcap -o bogus
expect_fail usage_both_r_and_i 2 "$W" show -r three.pcap -i lo
expect_fail usage_neither_r_nor_i 2 "$W" show
expect_fail usage_unknown_option 2 "$W" show -r three.pcap -Z
expect_fail usage_unknown_long_option 2 "$W" show -r three.pcap --frobnicate
expect_fail usage_missing_value 2 "$W" show -r
expect_fail usage_speed_without_replay 2 "$W" show -r three.pcap --speed 2
expect_fail usage_replay_live 2 "$W" show -i lo --replay
expect_fail usage_bad_speed 2 "$W" show -r three.pcap --replay --speed fast
expect_fail usage_bad_color 2 "$W" show -r three.pcap --color=sometimes
expect_fail usage_raw_socket_file 2 "$W" show -r three.pcap --raw-socket
expect_fail usage_filter_twice 2 "$W" show -r three.pcap -f udp tcp

# ---- runtime failures: exit 1 -----------------------------------------------
expect_fail missing_file 1 "$W" show -r no-such-file.pcap
expect_fail directory 1 "$W" show -r adir
expect_fail empty_file 1 "$W" show -r empty.pcap
expect_fail text_file 1 "$W" show -r text.txt
expect_fail bad_magic 1 "$W" show -r bad-magic.pcap
expect_fail cut_file_header 1 "$W" show -r cut-filehdr.pcap
expect_fail bad_bpf 1 "$W" show -r three.pcap -f 'tcp port nosuchport'
expect_fail bad_bpf_syntax 1 "$W" show -r three.pcap -f 'udp and and'
expect_fail unknown_interface 1 "$W" show -i nosuch0
expect_fail unknown_interface_raw 1 "$W" show -i nosuch0 --raw-socket
expect_fail unwritable_w_dir 1 "$W" show -r three.pcap -w /nonexistent-dir/out.pcap
expect_fail w_is_directory 1 "$W" show -r three.pcap -w adir
expect_fail w_dev_full 1 "$W" show -r three.pcap -w /dev/full
"$W" show -r three.pcap -f 'udp and and' 2>err >/dev/null
grep -q "'udp and and'" err
check bad_bpf_message_quotes_filter $?
"$W" show -i nosuch0 2>err
grep -q 'ip link' err
check unknown_interface_says_ip_link $?

"$W" show -r three.pcap -o json >/dev/full 2>err
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q 'writing to standard output failed' err
check stdout_dev_full $? "rc=$rc $(cat err)"

# Error text names the file and where it ends.
"$W" show -r cut-record.pcap -o json >out 2>err
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <out)" -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] &&
    grep -q 'cut-record.pcap ends early at byte 227, in the middle of packet 3' err
check cut_record_prints_complete_then_fails $? "rc=$rc out=$(wc -l <out) $(cat err)"
"$W" show -r cut-rechdr.pcap -o json >out 2>err
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <out)" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q 'packet 2' err
check cut_record_header $? "rc=$rc $(cat err)"
"$W" show -r huge-caplen.pcap -o json >out 2>err
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <out)" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q '300000' err
check caplen_over_256k $? "rc=$rc $(cat err)"

# ---- things that are not errors ---------------------------------------------
"$W" show -r header-only.pcap >out 2>err
rc=$?
[ $rc -eq 0 ] && [ ! -s out ] && [ ! -s err ]
check header_only_exit_0_silent $? "rc=$rc"
"$W" show -r unknown-block.pcapng -o json >out 2>err
rc=$?
[ $rc -eq 0 ] && [ "$(wc -l <out)" -eq 2 ] && [ ! -s err ]
check pcapng_unknown_block_skipped $? "rc=$rc lines=$(wc -l <out)"
"$W" show -r unknown-link.pcap -o json >out 2>err
rc=$?
[ $rc -eq 0 ] && [ "$(wc -l <out)" -eq 1 ] && [ ! -s err ]
check unknown_linktype_still_read $? "rc=$rc"
"$W" show --help >out 2>err
rc=$?
[ $rc -eq 0 ] && grep -q -- '-r FILE' out && grep -q -- '--raw-socket' out && [ ! -s err ]
check help $?

# ---- reading fixtures: -c, -s, -f, -w ---------------------------------------
HS=$CAPS/tcp-handshake.pcap
n=$("$W" show -r "$HS" -o json | wc -l)
[ "$n" -eq 9 ]
check read_all_json_lines $? "got $n"
n=$("$W" show -r "$HS" | wc -l)
[ "$n" -eq 9 ]
check read_default_summary_lines $? "got $n"
n=$("$W" show -r "$HS" -c 3 -o json | wc -l)
[ "$n" -eq 3 ]
check count_3 $? "got $n"
n=$("$W" show -r "$CAPS/udp-tcp-pair.pcap" -f tcp -o json | wc -l)
[ "$n" -eq 1 ]
check filter_tcp $? "got $n"
n=$("$W" show -r "$CAPS/udp-tcp-pair.pcap" -o json udp and port 54321 | wc -l)
[ "$n" -eq 1 ]
check filter_from_trailing_words $? "got $n"
n=$("$W" show -r "$CAPS/udp-tcp-pair.pcapng" -o json | wc -l)
[ "$n" -eq 2 ]
check read_pcapng $? "got $n"
"$W" show -r "$HS" -s 40 -o json | grep -q '"caplen":40,'
check snaplen_cuts_file_frames $?

"$W" show -r "$HS" -w w1.pcap >out 2>err
rc=$?
n=$(tcpdump -r w1.pcap -n 2>/dev/null | wc -l)
[ $rc -eq 0 ] && [ ! -s out ] && [ ! -s err ] && [ "$n" -eq 9 ]
check write_alone_silent_tcpdump_reads $? "rc=$rc n=$n"
[ "$(od -An -tx4 -N4 w1.pcap | tr -d ' ')" = a1b23c4d ]
check write_nanosecond_magic $?
diff <(tcpdump -r "$HS" -nn -x -tt 2>/dev/null) <(tcpdump -r w1.pcap -nn -x -tt 2>/dev/null) >/dev/null
check write_same_bytes_and_times $?
"$W" show -r "$HS" -w w2.pcap -o json -c 4 >out 2>err
rc=$?
n=$(tcpdump -r w2.pcap -n 2>/dev/null | wc -l)
[ $rc -eq 0 ] && [ "$(wc -l <out)" -eq 4 ] && [ "$n" -eq 4 ]
check write_and_print $? "rc=$rc n=$n"
n=$("$W" show -r w2.pcap -o json | wc -l)
[ "$n" -eq 4 ]
check write_reread_by_wirepeel $?
"$W" show -r "$CAPS/nanosecond.pcap" -w w3.pcap 2>/dev/null
diff <(tcpdump -r "$CAPS/nanosecond.pcap" --nano -tt -nn 2>/dev/null) \
     <(tcpdump -r w3.pcap --nano -tt -nn 2>/dev/null) >/dev/null
check write_keeps_nanoseconds $?

# ---- colour: never without a terminal unless asked ---------------------------
"$W" show -r "$HS" -o hex --color=auto | grep -q $'\x1b'
[ $? -ne 0 ]
check color_auto_not_a_terminal $?
NO_COLOR=1 "$W" show -r "$HS" -o hex --color=never | grep -q $'\x1b'
[ $? -ne 0 ]
check color_never $?

# ---- replay pacing -----------------------------------------------------------
ms() { date +%s%3N; }
t0=$(ms); "$W" show -r three.pcap --replay --speed 2 -o json >out; t1=$(ms)
d=$((t1 - t0))
[ "$d" -ge 450 ] && [ "$d" -lt 1500 ] && [ "$(wc -l <out)" -eq 3 ]
check replay_speed_2_takes_half_a_second $? "took ${d} ms"
t0=$(ms); "$W" show -r three.pcap --replay --speed 0 -o json >out; t1=$(ms)
d=$((t1 - t0))
[ "$d" -lt 400 ] && [ "$(wc -l <out)" -eq 3 ]
check replay_speed_0_is_fast $? "took ${d} ms"
# --replay alone paces at the recorded speed (three.pcap spans one second)
t0=$(ms); "$W" show -r three.pcap --replay -o json >out; t1=$(ms)
d=$((t1 - t0))
[ "$d" -ge 900 ] && [ "$d" -lt 2500 ] && [ "$(wc -l <out)" -eq 3 ]
check replay_alone_paces_at_recorded_speed $? "took ${d} ms"
"$W" show -r three.pcap --replay --speed 0.5 -o json >out 2>err & p=$!
sleep 0.5; kill -INT $p; wait $p
rc=$?
[ $rc -eq 0 ] && [ "$(wc -l <out)" -eq 1 ]
check replay_ctrl_c_stops $? "rc=$rc lines=$(wc -l <out)"

# ---- live capture on lo -------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
    expect_fail live_no_privilege 1 "$W" show -i lo -c 1
    grep -q CAP_NET_RAW err
    check live_no_privilege_names_cap_net_raw $?
    for c in live_libpcap_and_raw_socket_same_frames live_sigint_file_complete \
             live_count_ends live_output_flushed live_stats_line; do
        echo "ok $c # skip not root"
    done
    exit 0
fi

if command -v setpriv >/dev/null; then
    NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
    expect_fail live_no_privilege 1 "${NOBODY[@]}" "$W" show -i lo -c 1
    grep -q 'CAP_NET_RAW' err && grep -q 'setcap cap_net_raw,cap_net_admin=eip' err
    check live_no_privilege_names_cap_net_raw $?
    expect_fail live_no_privilege_raw_socket 1 "${NOBODY[@]}" "$W" show -i lo --raw-socket -c 1
else
    echo "ok live_no_privilege # skip no setpriv"
fi

# A port nothing holds, chosen now (tools/freeport.sh; this runs in $T).
PORT=$(bash "$FREEPORT") || echo "not ok live_free_port"
send_udp() { # N: N datagrams to 127.0.0.1:PORT, numbered
    local i
    for ((i = 1; i <= $1; i++)); do printf 'wirepeel %d\n' "$i" >/dev/udp/127.0.0.1/$PORT; done
}
"$W" show -i lo -f "udp port $PORT" -w live-pcap.pcap 2>live-pcap.err & p1=$!
"$W" show -i lo --raw-socket -f "udp port $PORT" -w live-raw.pcap 2>live-raw.err & p2=$!
"$W" show -i lo -f "udp port $PORT" -o json >live-print.out 2>/dev/null & p3=$!
pids=($p1 $p2 $p3)
sleep 0.6
send_udp 20
sleep 0.5
# the printing capture shows its packets while it is still running
n=$(wc -l <live-print.out)
[ "$n" -eq 20 ]
check live_output_flushed $? "printed $n of 20 before exit"
kill -INT $p1 $p2 $p3
wait $p1; r1=$?
wait $p2; r2=$?
wait $p3
pids=()
n1=$(tcpdump -r live-pcap.pcap -n 2>/dev/null | wc -l)
n2=$(tcpdump -r live-raw.pcap -n 2>/dev/null | wc -l)
[ $r1 -eq 0 ] && [ "$n1" -eq 20 ] && grep -q '^20 packets captured, ' live-pcap.err
check live_sigint_file_complete $? "rc=$r1 tcpdump counts $n1; $(cat live-pcap.err)"
[ $r2 -eq 0 ] && [ "$n2" -eq 20 ] && grep -q '^20 packets captured, ' live-raw.err
check live_raw_socket_sigterm_file_complete $? "rc=$r2 tcpdump counts $n2; $(cat live-raw.err)"
diff <(tcpdump -r live-pcap.pcap -nn -x -t 2>/dev/null) <(tcpdump -r live-raw.pcap -nn -x -t 2>/dev/null) >/dev/null
check live_libpcap_and_raw_socket_same_frames $?
grep -Eq '^20 packets captured, [0-9]+ received by filter, 0 dropped by kernel, 0 dropped by interface$' live-pcap.err
check live_stats_line $? "$(cat live-pcap.err)"
# on lo libpcap's counts include both copies of each packet: said once, and
# not by the raw socket (which counts one copy)
[ "$(grep -c 'loopback interface the kernel counts every packet twice' live-pcap.err)" -eq 1 ] &&
    ! grep -q 'counts every packet twice' live-raw.err
check live_stats_loopback_note $? "$(cat live-pcap.err live-raw.err)"
# a live capture with -c ends by itself
"$W" show -i lo --raw-socket -f "udp port $PORT" -c 3 -o json >live-c.out 2>live-c.err & p4=$!
pids=($p4)
sleep 0.5
send_udp 5
for _ in $(seq 20); do kill -0 $p4 2>/dev/null || break; sleep 0.1; done
if kill -0 $p4 2>/dev/null; then
    kill $p4; nok live_count_ends "still running"
else
    wait $p4; rc=$?
    [ $rc -eq 0 ] && [ "$(wc -l <live-c.out)" -eq 3 ]
    check live_count_ends $? "rc=$rc"
fi
pids=()
exit 0
