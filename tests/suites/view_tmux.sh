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
# snap: read the screen once a whole frame is on it: its last line (the key
# help or the filter prompt) is there and two reads 30 ms apart agree
snap() {
    wait_for '^(q quit|filter \(BPF)' 20 >/dev/null
    local prev
    S=$(screen)
    for ((k = 0; k < 20; k++)); do
        sleep 0.03
        prev=$S
        S=$(screen)
        [ "$S" = "$prev" ] && break
    done
}

if ! command -v tmux >/dev/null; then echo "ok view_tmux # skip: no tmux"; exit 0; fi

# A capture made here with packets one second apart, for the replay pace:
# eth/ipv4/udp 192.0.2.1:40000 -> 192.0.2.2:54321 "hello, mercy", 6 frames.
for i in 0 1 2 3 4 5; do
    echo "$((1700000000 + i)).000000"
    echo "0000 02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00"
    echo "0010 00 28 00 01 40 00 40 11 b6 c0 c0 00 02 01 c0 00"
    echo "0020 02 02 9c 40 d4 31 00 14 00 00 68 65 6c 6c 6f 2c"
    echo "0030 20 6d 65 72 63 79"
    echo
done >"$TMP/slow.txt"
SLOW=$TMP/slow.pcap
text2pcap -q -t "%s." "$TMP/slow.txt" "$SLOW" >/dev/null 2>&1
for f in udp-tcp-pair.pcap tcp-handshake.pcap icmp-port-unreachable.pcap ipv4-options.pcap \
    vlan-qinq.pcap ipv6-ext.pcap udp-tcp-pair.pcapng; do
    [ -f "$CAPS/$f" ] || { echo "not ok fixture_$f # missing: run make fixtures"; exit 1; }
done
PAIR=$CAPS/udp-tcp-pair.pcap

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
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=${VT:-screen} $* ; rc=\$?; echo; echo WP-EXITED rc=\$rc; sleep 20"
}

# quit_view: q, and wait until the view is gone
quit_view() {
    $T send-keys -t wp q
    wait_for WP-EXITED >/dev/null
}
# open_view FILE CHECK PATTERN: view FILE at 100x30, check PATTERN shows, snap
open_view() {
    start 100 30 "$WP view -r $1"
    check "$2" wait_for "$3"
    snap
}

# ---- the layered pane at 100x30: Ethernet > IPv4 > UDP > payload ----------
start 100 30 "$WP view -r $PAIR"
check starts_and_lists_two wait_for '^ wirepeel file .*udp-tcp-pair\.pcap \| 2 packets'
snap
check list_row_1 has '^  1 22:13:20\.000000 192\.0\.2\.1:40000 -> 192\.0\.2\.2:54321 UDP len 12, 54 bytes'
check list_row_2 has '^  2 22:13:20\.001000 192\.0\.2\.1:40001 -> 192\.0\.2\.2:54321 TCP \[SYN\] seq 1000'
check ethernet_box_outermost has '^┌─ Ethernet @0\.\.13 hdr 14 B ─+┐$'
check eth_fields_flowed has '^│ dst 02:00:00:00:00:02   src 02:00:00:00:00:01   type 0x0800 \(IPv4\) +│$'
check ipv4_box_nested has '^│ ┌─ IPv4 @14\.\.33 hdr 20 B, csum good ─+┐ │$'
check ipv4_ttl_proto has '^│ │ .*ttl 64   proto 17 \(UDP\)'
check ipv4_addresses has '^│ │ .*src 192\.0\.2\.1   dst 192\.0\.2\.2'
check udp_box_nested has '^│ │ ┌─ UDP @34\.\.41 hdr 8 B, csum good ─+┐ │ │$'
check udp_ports_two_columns has '^│ │ │ Source port +40000 +@34\.\.35   Destination port +54321 +@36\.\.37  │ │ │$'
check udp_checksum has 'Checksum +0xddf8 \[good\]'
check payload_innermost has '^│ │ │ ┌─ Payload @42\.\.53 12 B ─+┐ │ │ │$'
check payload_text has '^│ │ │ │ "hello, mercy" +│ │ │ │$'
check boxes_close_in_order test "$(grep -A3 '^│ │ │ │ "hello, mercy"' <<<"$S" | tail -3 | sed 's/─*//g')" = "$(printf '│ │ │ └┘ │ │ │\n│ │ └┘ │ │\n│ └┘ │')" 
check hex_legend_on_separator has '^─\[ \] hex ─ Ethernet  IPv4  UDP  Payload ─'
check hex_pane_bytes has '^0000 02 00 00 00 00 02 02 00  00 00 00 01 08 00 45 00'
check detail_starts_on_udp has "^udp\.sport @34\.\.35  9c 40  ntohs -> 40000  \| struct '!HHHH'$"
check key_help_line has '^q quit  \? help'

# ---- fields: Left/Right walk them; the header in focus opens up ------------
$T send-keys -t wp Tab
$T send-keys -t wp l
check right_selects_dport wait_for "^udp\.dport @36\.\.37  d4 31  ntohs -> 54321"
$T send-keys -t wp h h
check left_into_ipv4 wait_for "^ipv4\.dst @30\.\.33  c0 00 02 02  bytes -> 192\.0\.2\.2  \| struct '!BBHHHBBH4s4s'"
snap
check ipv4_opens_with_titles has '^│ │ Time to live +64 +@22   Protocol +17 \(UDP\) +@23  │ │$'
check udp_flows_when_not_in_focus has '^│ │ │ sport 40000   dport 54321   length 20   checksum 0xddf8 \[good\]'
for _ in 1 2 3 4; do $T send-keys -t wp h; done
check detail_ttl wait_for "^ipv4\.ttl @22  40  byte -> 64"
$T send-keys -t wp Enter
check enter_opens_detail wait_for 'field detail'
snap
check detail_popup_names_field has 'Time to live \(ttl\)'
$T send-keys -t wp x
check popup_closes wait_for '^q quit'
$T send-keys -t wp s
check struct_recipe wait_for "ipv4  struct\.unpack\('!BBHHHBBH4s4s', frame\[14:34\]\)"
snap
check struct_recipe_ihl has 'ihl +@14  45  \(b0 & 0x0f\) = 5  \* 4 = 20 bytes'
$T send-keys -t wp x '?'
check help_popup wait_for 'Home/End g/G'
$T send-keys -t wp x

# ---- the TCP SYN: options, each selectable ----------------------------------
$T send-keys -t wp Tab Tab j   # back to the list, next packet
check tcp_box wait_for '^│ │ ┌─ TCP @34\.\.73 hdr 40 B, csum good ─'
snap
check tcp_flags_value has 'Flags +0x002 \(\[SYN\]\)'
check tcp_options_listed has 'mss \(kind 2, len 4\) 1460 +@54\.\.57'
check tcp_timestamp_listed has 'timestamp \(kind 8, len 10\) tsval 123456 tsecr 0 +@60\.\.69'
check hex_legend_tcp has '^─\[ \] hex ─ Ethernet  IPv4  TCP ─'
$T send-keys -t wp Tab
for _ in 1 2 3 4 5 6 7 8 9 10; do $T send-keys -t wp l; done
check detail_mss_option wait_for '^tcp\.options option @54\.\.57  02 04 05 b4  -> mss \(kind 2, len 4\) 1460'
$T send-keys -t wp Tab Tab

# ---- navigation ---------------------------------------------------------------
$T send-keys -t wp G
wait_for '^ wirepeel.*following' >/dev/null
snap
check end_follows has '^ wirepeel.*\| following'
check end_selects_last has '^0020 02 02 9c 41 d4 31 00 00  03 e8'
$T send-keys -t wp k
# waits for the key's effect, not a fixed time: CI runs suites side by side
check up_selects_first wait_for '^0020 02 02 9c 40 d4 31 00 14'
snap
check up_stops_following not_has '^ wirepeel.*following'

# ---- the filter on a file -----------------------------------------------------
$T send-keys -t wp / C-u
$T send-keys -t wp -l "tcp"
$T send-keys -t wp Enter
check filter_applies wait_for '1 packets \| filter: tcp$'
snap
check filter_keeps_numbering has '^  2 22:13:20\.001000 .* TCP \[SYN\]'
$T send-keys -t wp / BSpace BSpace BSpace Enter
check filter_clears wait_for '\| 2 packets *$'
$T send-keys -t wp /
$T send-keys -t wp -l "udp and ("
$T send-keys -t wp Enter
check bad_filter_says_why wait_for "bad filter 'udp and \('"
$T send-keys -t wp g

# ---- resize: 80x24 reflows and still shows the four boxes ------------------------
$T resize-window -t wp -x 80 -y 24
# the box at 80 columns: 28 of title, 51 of rule, the corner
wait_for '^┌─ Ethernet @0\.\.13 hdr 14 B ─{51}┐$' 40 >/dev/null
snap
check resize_ethernet has '^┌─ Ethernet @0\.\.13 hdr 14 B ─+┐$'
check resize_width_80 test "$(grep -m1 '^┌─ Ethernet' <<<"$S" | wc -m)" -eq 81
check resize_ipv4 has '^│ ┌─ IPv4 @14\.\.33'
check resize_udp has '^│ │ ┌─ UDP @34\.\.41'
check resize_payload has '^│ │ │ ┌─ Payload @42\.\.53'
check resize_payload_text has '^│ │ │ │ "hello, mercy"'

# A resize that lands while the view is busy after a key (drawing, between
# its last read of the keyboard and its wait) must not wait for the next key.
# The old loop lost about one such resize in 40; each round here is one try.
lost=0
for r in 1 2 3 4 5 6 7 8 9 10 11 12; do
    if ((r % 2)); then w=100; else w=80; fi
    $T send-keys -t wp j
    $T send-keys -t wp k
    $T resize-window -t wp -x $w -y 24
    # the box drawn for this width: 28 columns of title, the rule, the corner
    wait_for "^┌─ Ethernet @0\.\.13 hdr 14 B ─{$((w - 29))}┐$" 40 || { lost=$r; break; }
done
check resize_after_key_never_lost test "$lost" -eq 0

# ---- q restores the terminal ------------------------------------------------------
$T send-keys -t wp q
check q_exits_zero wait_for 'WP-EXITED rc=0'
S=$(screen)
check q_leaves_alternate_screen not_has 'Ethernet @0'

# ---- 80x24: nesting in sight, pinned titles when scrolled -----------------------
start 80 24 "$WP view -r $PAIR"
check at80_starts wait_for '^│ │ ┌─ UDP @34\.\.41'
snap
check at80_nesting has '^│ │ │ ┌─ Payload @42\.\.53 12 B'
check at80_ipv4_ttl has '^│ │ ttl 64   proto 17 \(UDP\)'
$T send-keys -t wp j Tab
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do $T send-keys -t wp l; done
check at80_last_option wait_for '^tcp\.options option @71\.\.73  03 03 07  -> wscale'
snap
# the pane scrolled: the titles of the enclosing boxes stay on its first rows
check at80_pinned_titles test "$(grep -A3 '^─\[\*\] layers' <<<"$S" | sed -n '2p;3p;4p' |
    sed 's/ @.*//')" = "$(printf '┌─ Ethernet\n│ ┌─ IPv4\n│ │ ┌─ TCP')"
check at80_scroll_position has '^─\[\*\] layers ─+ rows [0-9]+-[0-9]+ of [0-9]+ ─'
check at80_option_in_sight has 'wscale \(kind 3, len 3\) shift 7'
quit_view

# ---- more fixtures: quoted layers, IPv4 options, QinQ, IPv6 extension headers ---
start 100 30 "$WP view -r $CAPS/icmp-port-unreachable.pcap"
wait_for '2 packets' >/dev/null
$T send-keys -t wp j
check icmp_box wait_for '^│ │ ┌─ ICMP @34\.\.41 hdr 8 B, csum good'
snap
check icmp_type_value has 'Type +3 \(Destination unreachable\)'
check icmp_quoted_ipv4 has '^│ │ │ ┌─ IPv4 @42\.\.61 hdr 20 B, csum good, quoted'
check icmp_quoted_udp has '^│ │ │ │ ┌─ UDP @62\.\.69 hdr 8 B.*quoted'
check icmp_detail has "^icmp\.type @34  03  byte -> 3  Destination unreachable"
quit_view

open_view $CAPS/ipv4-options.pcap ipv4opt_box '^│ ┌─ IPv4 @14\.\.49 hdr 36 B, csum good'
check ipv4opt_ihl has 'ihl 9 \(× 4 = 36 bytes\)'
check ipv4opt_rr has 'rr \(kind 7, len 11\) pointer 8 route 192\.0\.2\.1 0\.0\.0\.0'
check ipv4opt_udp_after has '^│ │ ┌─ UDP @50\.\.57'
quit_view

open_view $CAPS/vlan-qinq.pcap qinq_outer_vlan '^│ ┌─ VLAN @14\.\.17 hdr 4 B'
check qinq_inner_vlan has '^│ │ ┌─ VLAN @18\.\.21 hdr 4 B'
check qinq_vids has 'vid 200 .*type 0x8100'
check qinq_inner_vid has 'pcp 3   dei 0   vid 100   type 0x0800 \(IPv4\)'
check qinq_ipv4_inside has '^│ │ │ ┌─ IPv4 @22\.\.41'
quit_view

open_view $CAPS/ipv6-ext.pcap ipv6_box '^│ ┌─ IPv6 @14\.\.53 hdr 40 B'
check ipv6_addresses has 'hop_limit 64   src 2001:db8::1   dst 2001:db8::2'
check ipv6_hbh_nested has '^│ │ ┌─ IPv6 HBH @54\.\.61 hdr 8 B'
check ipv6_udp_in_hbh has '^│ │ │ ┌─ UDP @62\.\.69'
quit_view

# ---- TERM=vt100 without colours in a UTF-8 locale: line drawing, not letters
VT=vt100 start 80 24 "NO_COLOR=1 $WP view -r $PAIR"
check vt100_utf8_boxes wait_for '^│ │ ┌─ UDP @34\.\.41'
snap
check vt100_no_acs_letters not_has '^(lq|x )'
quit_view

# ---- without colours or UTF-8: ASCII boxes, still readable -----------------------
VT=vt100 start 80 24 "NO_COLOR=1 LC_ALL=C LANG=C $WP view -r $PAIR"
check ascii_boxes_80x24 wait_for '^\+- Ethernet @0\.\.13 hdr 14 B -+\+$'
snap
check ascii_nesting has '^\| \| \+- UDP @34\.\.41 hdr 8 B, csum good -+\+ \| \|$'
check ascii_no_utf8 not_has '[─│┌┐└┘×]'
check ascii_detail has '^udp\.sport @34\.\.35'
check ascii_payload has '"hello, mercy"'
$T send-keys -t wp C-c
check ctrl_c_restores wait_for 'WP-EXITED rc=130'

# ---- the terminal goes away: the view leaves, it does not spin ---------------------
# A server of its own, killed while the view is busy with a key: the view gets
# SIGHUP and its terminal hangs up. Five tries, as the bug this guards against
# (a pending SIGHUP never let in while the dead terminal kept ppoll() ready)
# hit four times in five.
T2="tmux -u -L $SOCK-hup"
cp "$PAIR" "$TMP/hup.pcap"
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null); [ -n "$st" ] && [ "${st#Z}" = "$st" ]; }
left=0
for _ in 1 2 3 4 5; do
    $T2 new-session -d -s h -x 100 -y 30 \
        "env LANG=C.UTF-8 TERM=${VT:-screen} $WP view -r $TMP/hup.pcap; sleep 20"
    vp=
    for _ in $(seq 40); do
        vp=$(pgrep -f "^$WP view -r $TMP/hup.pcap" | head -1)
        [ -n "$vp" ] && break
        sleep 0.05
    done
    sleep 0.3
    $T2 send-keys -t h j
    $T2 kill-server
    for _ in $(seq 40); do alive "$vp" || break; sleep 0.05; done
    if [ -n "$vp" ] && alive "$vp"; then
        left=$((left + 1))
        kill -9 "$vp" 2>/dev/null
    fi
done
check hangup_ends_view test "$left" -eq 0

# ---- replay at its recorded pace: space pauses, n steps ----------------------------
start 100 30 "$WP view -r $SLOW --replay --speed 1"
check replay_paced wait_for '^ wirepeel replay .* \| 1 packets of 6 \| following'
$T send-keys -t wp Space
check replay_pause wait_for '\| PAUSED'
n0=$(screen | sed -n 's/^ wirepeel replay [^|]*| \([0-9]*\) packets.*/\1/p')
sleep 1.3
n1=$(screen | sed -n 's/^ wirepeel replay [^|]*| \([0-9]*\) packets.*/\1/p')
check replay_pause_holds test "$n0" = "$n1"
$T send-keys -t wp n
check replay_n_steps_one wait_for "^ wirepeel replay [^|]*\| $((n0 + 1)) packets of 6 \| PAUSED"
$T send-keys -t wp Space
check replay_resumes_to_end wait_for '6 packets of 6 \| following' 120
quit_view
start 100 30 "$WP view -r $PAIR --replay --speed 0"
check replay_speed_0_at_once wait_for '2 packets of 2 \| following'
quit_view

# ---- a pcapng file is indexed and re-read the same way ------------------------------
start 100 30 "$WP view -r $CAPS/udp-tcp-pair.pcapng"
check pcapng_lists_two wait_for '^ wirepeel file .*udp-tcp-pair\.pcapng \| 2 packets'
$T send-keys -t wp j
check pcapng_second_frame_reread wait_for '^0010 00 3c '
quit_view

# ---- the command line -------------------------------------------------------------------
"$WP" view --help >"$TMP/h" 2>&1
check help_exit_0 grep -q 'usage: wirepeel view' "$TMP/h"
"$WP" view -r "$PAIR" --bogus >/dev/null 2>"$TMP/e"; rc=$?
check unknown_option_exit_2 test "$rc:$(wc -l <"$TMP/e")" = "2:1"
"$WP" view >/dev/null 2>&1; rc=$?
check no_source_exit_2 test "$rc" -eq 2
"$WP" view -r "$PAIR" </dev/null >"$TMP/o" 2>"$TMP/e"; rc=$?
check refuses_without_tty_exit_1 test "$rc" -eq 1
check refuses_without_tty_says_why grep -q 'needs a terminal' "$TMP/e"
start 100 30 "$WP view -r $TMP/missing.pcap"
check missing_file_exit_1 wait_for 'WP-EXITED rc=1'
S=$(screen)
check missing_file_one_line has '^wirepeel view: cannot open .*missing\.pcap: No such file'

# ---- a fatal signal still restores the terminal ----------------------------------------
start 80 24 "$WP view -r $PAIR"
wait_for '2 packets' >/dev/null
# the pane's shell runs env, which became wirepeel: its only child
vpid=$(pgrep -P "$($T list-panes -t wp -F '#{pane_pid}')" | head -1)
[ -n "$vpid" ] && kill -SEGV "$vpid"
check fatal_signal_restores wait_for 'rc=139'
S=$(screen)
check fatal_signal_leaves_alternate_screen not_has 'Ethernet @0'

# ---- live on lo, with the course's endpoints --------------------------------------------
if [ "$(id -u)" != 0 ]; then
    echo "ok live_lo # skip: not root"
else
    PORT=54321
    start 100 30 "$WP view -i lo -f 'udp port $PORT'"
    check live_starts wait_for '^ wirepeel live lo \| 0 packets \| captured 0 dropped 0 \| following \| filter: udp port 54321'
    "$WP" udp-server --port $PORT --drop 0 --count 10 >"$TMP/srv" 2>&1 &
    SRV=$!
    sleep 0.3
    "$WP" udp-client --port $PORT --count 5 --timeout 0.5 >"$TMP/cli" 2>&1
    # 5 pings and 5 replies; libpcap's ps_recv on lo counts 20 (both copies)
    check live_shows_ten wait_for '^ wirepeel live lo \| 10 packets \| captured 10 dropped 0 \| following'
    snap
    check live_list_rows has '^ +10 [0-9:.]+ 127\.0\.0\.1:54321 -> 127\.0\.0\.1:[0-9]+ UDP len 12, 54 bytes'
    check live_follows_newest has '"HELLO, MERCY"'
    check live_udp_box has '^│ │ ┌─ UDP @34\.\.41 hdr 8 B, csum offloaded'
    $T send-keys -t wp Space
    check live_pause wait_for '\| 10 packets \| captured 10 dropped 0 \| PAUSED'
    "$WP" udp-client --port $PORT --count 1 --timeout 0.5 >/dev/null 2>&1
    check live_paused_still_counts wait_for '\| 10 packets \| captured 12 dropped 0 \| PAUSED'
    $T send-keys -t wp Space
    check live_resume_shows_all wait_for '\| 12 packets \| captured 12 dropped 0 \| following'
    $T send-keys -t wp / C-u
    $T send-keys -t wp -l "udp dst port $PORT"
    $T send-keys -t wp Enter
    check live_filter_applies wait_for 'filter: udp dst port 54321'
    "$WP" udp-client --port $PORT --count 2 --timeout 0.5 >/dev/null 2>&1
    check live_filter_only_requests wait_for '\| 14 packets \| captured 14 '
    kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null
    $T send-keys -t wp q
    check live_q_exits wait_for 'WP-EXITED rc=0'
    S=$(screen)
    check live_q_restores not_has 'wirepeel live'

    # the demo: its endpoints keep making traffic while the view is up
    start 80 24 "$WP demo --interval 1"
    check demo_view_up wait_for '^ wirepeel live demo \| [1-9][0-9]* packets \| captured [1-9]'
    n0=$(screen | sed -n 's/^ wirepeel live demo | \([0-9]*\) packets.*/\1/p')
    sleep 2.5
    n1=$(screen | sed -n 's/^ wirepeel live demo | \([0-9]*\) packets.*/\1/p')
    check demo_traffic_keeps_coming test "${n1:-0}" -gt "${n0:-0}"
    check demo_shows_layers wait_for '^│ ┌─ IPv4 @14\.\.33'
    $T send-keys -t wp C-c
    check demo_ctrl_c_exits wait_for 'WP-EXITED rc=(0|130)'
    S=$(screen)
    check demo_restores not_has 'wirepeel live'
fi
