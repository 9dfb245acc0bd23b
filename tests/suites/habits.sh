#!/usr/bin/env bash
# A tcpdump or Wireshark user's first commands: tcpdump's flags on show
# (-v -x -X -A -e -q -t... -S -p -l -D), local time unless --utc (checked
# against tcpdump in another TZ), JSON in UTC, and the messages that answer
# habits (wirepeel -r f, shwo, --color always, -V, help COMMAND, -Z).
# Prints "ok NAME" / "not ok NAME" per check.
set -u
BUILD=${BUILD:-build}
W=$(realpath "$BUILD/wirepeel")
CAPS=$(realpath "${WP_CAPTURES:-captures}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export TZ=UTC
C=$CAPS/tcp-handshake.pcap

ok() { echo "ok $1"; }
nok() { echo "not ok $1${2:+ ($2)}"; }
check() { if [ "$2" = 0 ]; then ok "$1"; else nok "$1" "${3:-}"; fi; }
# usage NAME CODE PATTERN CMD...: exit CODE, one stderr line matching PATTERN, no stdout
usage() {
    local name=$1 code=$2 pat=$3; shift 3
    "$@" >out 2>err
    local rc=$?
    if [ $rc = "$code" ] && [ "$(wc -l <err)" = 1 ] && [ ! -s out ] && grep -q -- "$pat" err; then
        ok "$name"
    else
        nok "$name" "rc=$rc: $(head -c 300 err)"
    fi
}

# ---- format flags ---------------------------------------------------------------
for f in v vv vvv; do
    cmp -s <("$W" show -r "$C" -$f) <("$W" show -r "$C" -o layers); check "flag_${f}_is_layers" $?
done
for f in x X XX; do
    cmp -s <("$W" show -r "$C" -$f) <("$W" show -r "$C" -o hex); check "flag_${f}_is_hex" $?
done
usage flags_disagreeing_is_usage_error 2 "already chose" "$W" show -r "$C" -v -x
"$W" show -r "$C" -A | sed -n 5p | grep -qx 'Give me the data'; check flag_A_payload_as_text $?
"$W" show -r "$C" -e -c 1 | grep -q '^1 22:13:20.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, 192.0.2.1:40002'
check flag_e_link_addresses $?
"$W" show -r "$C" -q -c 2 | grep -q '^2 .* TCP len 0, 74 bytes$'; check flag_q_terse $?
"$W" show -r "$C" -c 1 -t | grep -q '^1 192.0.2.1:40002 -> '; check flag_t_no_time $?
"$W" show -r "$C" -c 1 -tt | grep -q '^1 1700000000.000000 '; check flag_tt_epoch $?
[ "$("$W" show -r "$C" -c 3 -ttt | cut -d' ' -f2 | tr '\n' ' ')" = "00:00:00.000000 00:00:00.001000 00:00:00.001000 " ]
check flag_ttt_delta_previous $?
[ "$("$W" show -r "$C" -c 3 -ttttt | cut -d' ' -f2 | tr '\n' ' ')" = "00:00:00.000000 00:00:00.001000 00:00:00.002000 " ]
check flag_ttttt_delta_first $?
usage flag_tttttt_too_many 2 "at most 5" "$W" show -r "$C" -tttttt
"$W" show -r "$C" -S -c 2 2>/dev/null | grep -q '^2 .* TCP \[SYN, ACK\] seq 5000 ack 1001 '
check flag_S_absolute_seq $?
for f in p l n; do
    cmp -s <("$W" show -r "$C" -$f) <("$W" show -r "$C"); check "flag_${f}_accepted" $?
done
"$W" show -D >out 2>err && grep -q '^1\.' out && grep -q '^[0-9]*\.lo .*Loopback' out
check flag_D_lists_interfaces $? "$(head -c 200 err)"

# ---- times: local like tcpdump, UTC on request, JSON always UTC ---------------------
for tz in Asia/Kolkata America/New_York; do
    want=$(TZ=$tz tcpdump -nn -tttt -r "$C" -c 1 2>/dev/null | cut -d' ' -f1-2)
    got=$(TZ=$tz "$W" show -r "$C" -c 1 -tttt | cut -d' ' -f2-3)
    [ -n "$want" ] && [ "$want" = "$got" ]; check "local_time_as_tcpdump_${tz%%/*}" $? "want '$want' got '$got'"
done
[ "$(TZ=Asia/Kolkata "$W" show -r "$C" -c 1 --utc | cut -d' ' -f2)" = 22:13:20.000000 ]; check utc_flag $?
TZ=Asia/Kolkata "$W" show -r "$C" -c 1 -o json | grep -q '"ts":"2023-11-14T22:13:20.000000Z"'; check json_stays_utc $?

# ---- messages ----------------------------------------------------------------------
usage tcpdump_style_r_points_to_show 2 'wirepeel show -r f.pcap' "$W" -r f.pcap
usage unknown_command_suggests 2 "did you mean 'show'" "$W" shwo
usage color_space_value_is_usage_error 2 "color=always" "$W" show -r "$C" --color always
for v in --version -V version; do
    "$W" $v | grep -q '^wirepeel [0-9]'; check "version_$v" $?
done
"$W" --help | grep -q 'help COMMAND'; check help_lists_help_command $?
"$W" --help | grep -q -- '--version, -V, version'; check help_lists_version $?
cmp -s <("$W" help show) <("$W" show --help); check help_command_is_command_help $?
usage z_unknown_user_with_r 1 "no user 'nosuchuser9'" "$W" show -r "$C" -Z nosuchuser9
# every subcommand's unknown option: one line in wirepeel's words, exit 2
for c in show view demo udp-server udp-client tcp-server tcp-client; do
    usage "unknown_long_option_$c" 2 "wirepeel $c: unknown option '--bogus" "$W" $c --bogus=3
    usage "unknown_short_option_$c" 2 "wirepeel $c: unknown option '-k'" "$W" $c -k
done
usage unknown_long_option_unpack 2 "wirepeel unpack: unknown option '--bogus'" "$W" unpack --bogus=3 00
usage unknown_short_option_unpack 2 "wirepeel unpack: unknown option '-k'" "$W" unpack -k 00
usage help_with_value_names_the_option 2 "option '--help' takes no value" "$W" show --help=foo
usage missing_value_long_option 2 "option '--port' needs a value" "$W" udp-server --port
# unpack: the bytes may be several words; the size is checked before any
# allocation; the new codes match Python
[ "$("$W" unpack '!BBH' 45 00 00 54)" = "(69, 0, 84)" ]; check unpack_joins_hex_words $?
usage unpack_huge_count_is_usage_error 2 "unpacks exactly 1000000000 bytes" "$W" unpack '!1000000000B' 00
for t in '!f 3dcccccd' '<d 000000000000f03f' '!e c000' '!3c 414243' '5p 03414243ff' '!lL ffffffff00000001' '@nN 01000000000000000200000000000000'; do
    set -- $t
    want=$(python3 -c 'import struct,sys; print(struct.unpack(sys.argv[1], bytes.fromhex(sys.argv[2])))' "$1" "$2")
    got=$("$W" unpack "$1" "$2")
    [ "$want" = "$got" ]; check "unpack_code_${1//[^a-zA-Z0-9]/_}" $? "want $want got $got"
done
# -s 60: a TCP header whose fixed 20 bytes were captured still shows its flags
"$W" show -r "$C" -s 60 -c 1 -S | grep -q 'TCP \[SYN\] seq 1000 win 64240 len 0, 60 of 74 bytes ! tcp.truncated$'
check snaplen_60_tcp_flags_shown $?
# plurals: one packet is "1 packet"
if [ "$(id -u)" = 0 ]; then
    "$W" show -i lo -c 1 -f 'udp port 9' >/dev/null 2>err & p=$!
    sleep 0.5; printf x | timeout 2 nc -u -w1 127.0.0.1 9 2>/dev/null || python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9))'
    wait $p
    grep -q '^1 packet captured, ' err; check plural_one_packet_captured $? "$(head -c 200 err)"
else
    echo "ok plural_one_packet_captured # skip not root"
fi
