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
    vlan-qinq.pcap ipv6-ext.pcap udp-tcp-pair.pcapng course-udp-ping.pcap course-tcp.pcap \
    flow-tcp-rto.pcap arp.pcap; do
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
# wait_gone PATTERN [tries]: poll until no line matches
wait_gone() {
    local n=${2:-60}
    for ((i = 0; i < n; i++)); do
        screen | grep -qE -- "$1" || return 0
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
check list_heading has '^No\. Rel time Source +-> Destination +Proto Info$'
# under 110 columns a row leaves out the frame's size; the tracker marks
# the lone UDP datagram, which nothing answered
check list_row_1 has '^  1 0\.000000 +192\.0\.2\.1:40000 -> 192\.0\.2\.2:54321 UDP +len 12  \*\* no reply \*\*$'
check list_row_2 has '^  2 0\.001000 +192\.0\.2\.1:40001 -> 192\.0\.2\.2:54321 TCP +\[SYN\] seq 0 win 64240 len 0$'
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
check detail_popup_names_field has 'Time to live \(ipv4\.ttl\) in the IPv4 header, byte 22'
check detail_popup_says_more has "the whole header: struct\.unpack\('!BBHHHBBH4s4s', frame\[14:34\]\)"
$T send-keys -t wp x
check popup_closes wait_for '^q quit'
$T send-keys -t wp s
check struct_recipe wait_for "ipv4  struct\.unpack\('!BBHHHBBH4s4s', frame\[14:34\]\)"
snap
check struct_recipe_ihl has 'ihl +@14  45  \(b0 & 0x0f\) = 5  \* 4 = 20 bytes'
$T send-keys -t wp x '?'
check help_popup wait_for 'Home/End g/G'
$T send-keys -t wp x

# ---- the TCP SYN: the selected field is kept by its path --------------------
$T send-keys -t wp Tab Tab j   # back to the list, next packet
check tcp_box wait_for '^│ │ ┌─ TCP @34\.\.73 hdr 40 B, csum good ─'
snap
# ipv4.ttl was selected in the UDP packet: it still is in the TCP one
check field_path_kept_across_j has '^ipv4\.ttl @22  40  byte -> 64'
check tcp_flags_value has 'flags 0x002 \(\[SYN\]\)'
check tcp_options_listed has 'mss \(kind 2, len 4\) 1460'
check tcp_timestamp_listed has 'timestamp \(kind 8, len 10\) tsval 123456 tsecr 0'
check hex_legend_tcp has '^─\[ \] hex ─ Ethernet  IPv4  TCP ─'
$T send-keys -t wp Tab
# l until the MSS option is selected (bounded)
for _ in $(seq 30); do
    screen | grep -q '^tcp\.options option @54' && break
    $T send-keys -t wp l
    sleep 0.05
done
check detail_mss_option wait_for '^tcp\.options option @54\.\.57  02 04 05 b4  -> mss \(kind 2, len 4\) 1460'
snap
check tcp_opens_with_titles has 'Flags +0x002 \(\[SYN\]\)'
$T send-keys -t wp Tab Tab

# ---- navigation ---------------------------------------------------------------
$T send-keys -t wp G
check end_selects_last wait_for '^0020 02 02 9c 41 d4 31 00 00  03 e8'
snap
# a file does not grow: G goes to its end without claiming to follow
check end_on_file_not_following not_has '^ wirepeel.*following'
$T send-keys -t wp k
# waits for the key's effect, not a fixed time: CI runs suites side by side
check up_selects_first wait_for '^0020 02 02 9c 40 d4 31 00 14'
snap
check up_not_following not_has '^ wirepeel.*following'

# ---- the filter on a file -----------------------------------------------------
$T send-keys -t wp b
check filter_prompt_starts_empty wait_for '^filter \(BPF, Enter applies, Esc cancels\):$'
$T send-keys -t wp -l "tcp"
$T send-keys -t wp Enter
check filter_applies wait_for '1 packets \| filter: tcp$'
snap
check filter_keeps_numbering has '^  2 0\.001000 .* TCP +\[SYN\]'
$T send-keys -t wp b
check filter_prompt_empty_again wait_for '^filter \(BPF, Enter applies, Esc cancels\):$'
$T send-keys -t wp Enter
check filter_clears wait_for '\| 2 packets *$'
$T send-keys -t wp b
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
# l until the last option is selected (bounded)
for _ in $(seq 30); do
    screen | grep -q '^tcp\.options option @71' && break
    $T send-keys -t wp l
    sleep 0.05
done
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
$T send-keys -t wp .
check replay_dot_steps_one wait_for "^ wirepeel replay [^|]*\| $((n0 + 1)) packets of 6 \| PAUSED"
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

# ---- the classroom view: the two course captures merged, at 80x24 and 132x43 --------
UDPC=$CAPS/course-udp-ping.pcap
TCPC=$CAPS/course-tcp.pcap
# rows_cut_marked: every list row as wide as the screen ends in a mark
rows_cut_marked() {
    local cols=$1 bad
    bad=$(sed -n '3,/^─/p' <<<"$S" | grep -E '^ *[0-9]+ ' | awk -v c="$cols" '
        { n = length($0) } n >= c && $0 !~ /(>|\*\*)$/ { print }')
    [ -z "$bad" ]
}
for size in 80x24 132x43; do
    cols=${size%x*} rows=${size#*x}
    start "$cols" "$rows" "$WP view -r $UDPC -r $TCPC"
    check "merged_${size}_both_files" wait_for '^ wirepeel file merged files \| 25 packets'
    snap
    nrows=$(sed -n '3,/^─/p' <<<"$S" | grep -cE '^ *[0-9]+ [0-9]')
    check "list_${size}_at_least_8_rows" test "$nrows" -ge 8
    check "list_${size}_heading" has '^No\. Rel time Source +-> Destination +Proto Info'
    check "reply_${size}_marked_with_request_and_rtt" has '^  2 0\.000111 .*UDP +len 12 reply to #1 0\.111'
    check "no_reply_${size}_marked" has '^  7 0\.003722 .*\*\* no reply \*\*$'
    check "no_cut_without_mark_${size}" rows_cut_marked "$cols"
    check "keys_${size}_whole_words" has '^q quit  \? help  Tab pane  j/k (pkt|packet)  h/l (fld|field)'
    # r: from the reply (frame 2) to its request (frame 1)
    $T send-keys -t wp j r
    check "r_${size}_jumps_to_request" wait_for '^udp\.sport @34\.\.35  [0-9a-f ]+ ntohs -> 35390'
    # :N goes to a frame; the selected field stays by its path
    $T send-keys -t wp : 
    check "goto_${size}_prompt" wait_for '^go to frame number:'
    $T send-keys -t wp -l 20
    $T send-keys -t wp Enter
    # frame 20's raw seq and ack (bd97b88a, 1059afac) and its flags (ACK)
    check "goto_${size}_frame_20" wait_for '^0020 00 01 d5 0e 29 22 bd 97  b8 8a 10 59 af ac 80 10'
    $T send-keys -t wp Tab
    for _ in $(seq 12); do
        screen | grep -q '^tcp\.flags ' && break
        $T send-keys -t wp l
        sleep 0.05
    done
    check "field_${size}_tcp_flags" wait_for '^tcp\.flags @46\.\.47'
    $T send-keys -t wp BTab j j
    check "field_${size}_kept_across_j" wait_for '^tcp\.flags @46\.\.47  80 10 .*\[ACK\]'
    $T send-keys -t wp k
    check "field_${size}_kept_across_k" wait_for '^tcp\.flags @46\.\.47  80 18  ntohs'
    # search: text, then next
    $T send-keys -t wp /
    check "search_${size}_prompt" wait_for '^search \(text or hex bytes'
    $T send-keys -t wp -l FIN
    $T send-keys -t wp Enter
    check "search_${size}_finds" wait_for "^'FIN' found in frame 23 \(n next, N previous\)"
    $T send-keys -t wp n
    check "search_${size}_next" wait_for "^'FIN' found in frame 24"
    # hex bytes
    $T send-keys -t wp / C-u
    $T send-keys -t wp -l "d5 0e 29 22"
    $T send-keys -t wp Enter
    check "search_${size}_hex_bytes" wait_for "^'d5 0e 29 22' found in frame"
    # the ladder of the TCP conversation: arrows both ways, frames numbered
    $T send-keys -t wp : 
    $T send-keys -t wp -l 19
    $T send-keys -t wp Enter L
    check "ladder_${size}_shown" wait_for '^─\[ \] ladder  tcp\.stream 0'
    snap
    check "ladder_${size}_endpoints" has '^time +127\.0\.0\.1:54542 +127\.0\.0\.1:10530'
    check "ladder_${size}_syn_right" has '^2\.893800 +│─+ \[SYN\] seq 0 win 65495 len 0 ─+▶│ #18'
    check "ladder_${size}_synack_left" has '^2\.893813 +│◀─+ \[SYN, ACK\] seq 0 ack 1 win 65483 len 0 ─+│ #19'
    # moving in the ladder moves the packet selection
    $T send-keys -t wp Tab j j
    check "ladder_${size}_moves_selection" wait_for '^tcp\.flags @46\.\.47  80 18  ntohs'
    $T send-keys -t wp L
    # zoom: the pane in focus alone, z again to come back
    $T send-keys -t wp Tab Tab z
    check "zoom_${size}_hex_gone" wait_gone '^─\[ \] hex'
    snap
    check "zoom_${size}_no_layers" not_has '^─\[ \] layers'
    want=$((rows - 4 < 25 ? rows - 4 : 25)) # the rows it has, or all 25 packets
    check "zoom_${size}_list_fills" test "$(grep -cE '^ *[0-9]+ [0-9]' <<<"$S")" -ge "$want"
    $T send-keys -t wp z
    check "unzoom_${size}_hex_back" wait_for '^─\[ \] hex'
    # a key in a popup closes it and never quits
    $T send-keys -t wp '?'
    check "help_${size}_popup" wait_for 'wirepeel view: keys'
    check "help_${size}_whole_list_in_sight" wait_for '│ +\?  q +this help; quit +│'
    $T send-keys -t wp q
    check "popup_${size}_q_only_closes" wait_for '^q quit'
    snap
    check "popup_${size}_view_still_up" not_has 'WP-EXITED'
    # Enter: the checksum explained, more than the detail line
    $T send-keys -t wp Tab
    for _ in $(seq 14); do
        screen | grep -q '^tcp\.checksum ' && break
        $T send-keys -t wp l
        sleep 0.05
    done
    $T send-keys -t wp Enter
    check "detail_${size}_checksum_offloaded" wait_for 'offloaded: the field holds 0x'
    $T send-keys -t wp x
    # t: the time column cycles relative, delta, absolute
    $T send-keys -t wp t
    check "time_${size}_delta" wait_for '^No\. Delta t '
    $T send-keys -t wp t
    check "time_${size}_utc" wait_for '^No\. UTC time '
    quit_view
done

# grow and shrink: + gives the list a row, - takes it back
start 80 24 "$WP view -r $UDPC -r $TCPC"
wait_for '25 packets' >/dev/null
snap
n0=$(sed -n '3,/^─/p' <<<"$S" | grep -cE '^ *[0-9]+ [0-9]')
$T send-keys -t wp + +
wait_for "^ *$((n0 + 2)) [0-9]" >/dev/null
snap
n1=$(sed -n '3,/^─/p' <<<"$S" | grep -cE '^ *[0-9]+ [0-9]')
check grow_list_two_rows test "$n1" -eq $((n0 + 2))
$T send-keys -t wp - -
wait_for "^─\[\*\] layers|^─\[ \] layers" >/dev/null
sleep 0.1
snap
n2=$(sed -n '3,/^─/p' <<<"$S" | grep -cE '^ *[0-9]+ [0-9]')
check shrink_list_back test "$n2" -eq "$n0"
# resize keeps the selection and the layout
$T send-keys -t wp : 
$T send-keys -t wp -l 21
$T send-keys -t wp Enter
$T resize-window -t wp -x 132 -y 43
check resize_keeps_selection wait_for '^ 21 2\.894018 .*\[PSH, ACK\].*, 82 bytes'
quit_view

# the colours of the view are those of show -o hex --color: IPv4 in yellow
start 100 30 "$WP view -r $PAIR"
wait_for '2 packets' >/dev/null
snap
esc=$($T capture-pane -e -p -t wp | grep -m1 ' hex ')
check hex_legend_ipv4_yellow grep -q $'\e\\[1m\e\\[33mIPv4\|\e\\[33m\e\\[1mIPv4\|\e\\[1;33mIPv4\|\e\\[33;1mIPv4' <<<"$esc"
"$WP" show -o hex --color -r "$PAIR" -c 1 >"$TMP/hexc"
check show_hex_ipv4_yellow grep -q $'\e\\[33mipv4' "$TMP/hexc"
quit_view

# columns: a class reads down them; addresses of any width line up
start 80 24 "$WP view -r $CAPS/flow-tcp-rto.pcap -r $CAPS/arp.pcap"
wait_for '8 packets' >/dev/null
snap
arrows=$(sed -n '2,/^─/p' <<<"$S" | grep -E '^ *([0-9]+|No\.) ' | awk '{ print index($0, " -> ") }' | sort -u)
check columns_arrows_line_up test "$(wc -l <<<"$arrows")" -eq 1
check columns_short_address_padded has '^  2 0\.000000 192\.0\.2\.1 +-> 192\.0\.2\.2 +ARP op 1'
quit_view

# the ladder marks a retransmission, in red
start 100 30 "$WP view -r $CAPS/flow-tcp-rto.pcap"
wait_for '6 packets' >/dev/null
$T send-keys -t wp G L
check ladder_rto_whole_conversation wait_for '^0\.000000 +│─+ \[SYN\] seq 0 win 8760 len 0 ─+▶│ #1'
snap
check ladder_rto_retransmission has '^0\.320100 +│─+ \[PSH, ACK\] seq 1 ack 1 win 8760 len 200 \[retransmission\] ─+▶│ #5'
esc=$($T capture-pane -e -p -t wp | grep -a '\[retransmission\] ─')
check ladder_rto_retransmission_red grep -q $'\e\\[31m' <<<"$esc"
quit_view

# -Y: frames keep their numbers; no reply is claimed for a request whose
# reply the filter hid
start 100 30 "$WP view -r $UDPC -Y 'udp.dstport == 54321'"
check display_filter_status wait_for '^ wirepeel file .*course-udp-ping\.pcap \| 10 packets \| display filter: udp\.dstport == 54321'
snap
check display_filter_numbers_kept has '^  3 0\.003399 127\.0\.0\.1:40613 +-> 127\.0\.0\.1:54321 +UDP len 12$'
check display_filter_no_false_no_reply not_has 'no reply'
quit_view
# -Y over merged files (kept in memory), then b on top of it
start 100 30 "$WP view -r $UDPC -r $TCPC -Y 'tcp.flags.syn == 1'"
check display_filter_merged wait_for '\| 2 packets \| display filter: tcp\.flags\.syn == 1'
$T send-keys -t wp b
$T send-keys -t wp -l "tcp[13] & 2 != 0 and src port 10530"
$T send-keys -t wp Enter
check display_filter_and_bpf wait_for '\| 1 packets \| filter: .* \| (display filter:|-Y) tcp'
quit_view

# replay, merged and looping: it starts again after the last packet
start 100 30 "$WP view -r $UDPC -r $TCPC --replay --loop --speed 0"
check loop_starts_again wait_for '\| round 2 \(loops until q\)' 120
quit_view

# a file cut short says so, as show does, and ends with 1
head -c 300 "$TCPC" >"$TMP/cut.pcap"
start 100 30 "$WP view -r $TMP/cut.pcap"
check cut_file_says_so wait_for '^file cut short: only 3 complete packets'
snap
check cut_file_status has '^ wirepeel file .*cut\.pcap \| 3 packets \| file cut short'
check cut_file_not_indexing not_has 'indexing'
$T send-keys -t wp q
check cut_file_exit_1 wait_for 'WP-EXITED rc=1'
S=$(screen)
check cut_file_reason has '^wirepeel view: .*cut\.pcap is cut short: only its first 3 packets'

# TERM=dumb: one line, not garbage; a terminal too small: one line
VT=dumb start 80 24 "$WP view -r $PAIR"
check dumb_exit_1 wait_for 'WP-EXITED rc=1'
S=$(screen)
check dumb_one_line has '^wirepeel view: the terminal TERM=dumb cannot place the cursor'
start 30 8 "$WP view -r $PAIR"
check too_small_one_line wait_for '^too small: 30x8, need 40x12$'
snap
check too_small_nothing_else test "$(grep -c . <<<"$S")" -eq 1
quit_view

# ---- IP reassembly at 80x24: the completing frame shows the datagram and its map --------
FRAGS=$CAPS/reasm-ipv4-frags.pcap
if [ -f "$FRAGS" ] && [ -f "$CAPS/reasm-ipv6-frags.pcap" ]; then
    start 80 24 "$WP view -r $FRAGS"
    check reasm_view_up wait_for '^ wirepeel file .*reasm-ipv4-frags\.pcap \| 17 packets'
    # frame 3 completes datagram 0x3001 (fragments 1, 2, 3 in order)
    $T send-keys -t wp : 
    $T send-keys -t wp -l 3
    $T send-keys -t wp Enter
    check reasm_map_title wait_for '^┌─ Reassembled: 1200 bytes from 3 fragments; below, the whole datagram ─+┐$'
    snap
    check reasm_map_key has '^│ IPv4 datagram 192\.0\.2\.1 -> 192\.0\.2\.2 id 0x3001 proto 17 +│$'
    check reasm_map_frame_1 has '^│ frame 1 +@0\.\.399  offset 0 \(0 × 8\)  400 bytes, more fragments +│$'
    check reasm_map_frame_2 has '^│ frame 2 +@400\.\.799  offset 400 \(50 × 8\)  400 bytes, more fragments +│$'
    check reasm_map_frame_3 has '^│ frame 3 +@800\.\.1199  offset 800 \(100 × 8\)  400 bytes, last +│$'
    # the map and the datagram's own IP header are in sight together
    check reasm_datagram_ip_header has '^┌─ IPv4 @0\.\.19 hdr 20 B, csum good ─+┐$'
    # the hex pane shows the datagram: total length 0x04c4 = 1220, no offset
    check reasm_hex_is_the_datagram has '^0000 45 00 04 c4 30 01 00 00  40 11 c2 24'
    check reasm_separator_says_so has '^─\[ \] layers ─ reassembled from 3 fragments '
    # the UDP header of the whole datagram, its checksum over all 1200 bytes
    $T send-keys -t wp Tab
    $T send-keys -t wp l l l l l l l l l l l l l l l l l
    check reasm_udp_of_the_datagram wait_for "^udp\.length @24\.\.25  04 b0  ntohs -> 1200"
    check reasm_udp_checksum_good wait_for 'Checksum +0x5317 \[good\]'
    $T send-keys -t wp Tab Tab
    # another fragment points at the completing frame; the separator says
    # so even when the remembered field (udp.length) scrolls the note away
    $T send-keys -t wp : 
    $T send-keys -t wp -l 1
    $T send-keys -t wp Enter
    check reasm_fragment_separator wait_for '^─\[ \] layers ─ fragment, reassembled in #3 '
    $T send-keys -t wp : 
    $T send-keys -t wp -l 2
    $T send-keys -t wp Enter
    check reasm_fragment_points_at_3 wait_for '^│ fragment data, reassembled in #3 +│$'
    # the datagram whose middle fragment never came
    $T send-keys -t wp : 
    $T send-keys -t wp -l 11
    $T send-keys -t wp Enter
    check reasm_incomplete_said wait_for '^┌─ IP fragment: its datagram never completed in this capture ─+┐$'
    snap
    check reasm_incomplete_holes has '^│ incomplete IPv4 datagram 192\.0\.2\.1 -> 192\.0\.2\.2 id 0x3004 proto 17: frames +│$'
    check reasm_incomplete_holes_2 has '^│   10, 11; 800 bytes held, missing 400\.\.799 +│$'
    check reasm_incomplete_separator wait_for '^─\[ \] layers ─ fragment, never completed '
    quit_view
    # the overlapping datagram: which copy was kept, wrapped to the box (at
    # 80x24 its map and the IP header do not fit the pane together: taller)
    start 80 40 "$WP view -r $FRAGS"
    check reasm_view_up_80x40 wait_for 'reasm-ipv4-frags\.pcap \| 17 packets'
    $T send-keys -t wp : 
    $T send-keys -t wp -l 9
    $T send-keys -t wp Enter
    check reasm_overlap_line wait_for '^│ frame 8 +@392\.\.799  offset 392 \(49 × 8\)  408 bytes, more fragments; 8 +│$'
    snap
    check reasm_overlap_wrapped has '^│   bytes overlap, 400 used \(the overlapping bytes differ: the first copy is +│$'
    check reasm_overlap_same_bytes has '^│   overlap, 400 used \(the same bytes\) +│$'
    check reasm_nothing_cut_in_map not_has '>│$'
    quit_view
    start 80 24 "$WP view -r $CAPS/reasm-ipv6-frags.pcap"
    check reasm_v6_up wait_for 'reasm-ipv6-frags\.pcap \| 5 packets'
    $T send-keys -t wp : 
    $T send-keys -t wp -l 3
    $T send-keys -t wp Enter
    check reasm_v6_map wait_for '^│ IPv6 datagram 2001:db8::1 -> 2001:db8::2 id 0x00c0ffee next header 17 +│$'
    snap
    check reasm_v6_datagram_ip_header has '^┌─ IPv6 @0\.\.39 hdr 40 B'
    quit_view
else
    echo "not ok reasm_fixtures # missing: run make fixtures"
fi

# ---- live on lo, with the course's endpoints --------------------------------------------
# a request's box says what became of it: the tracker's annotation was made
# before any reply, the view knows more once the file is read
start 80 24 "$WP view -r $UDPC"
check request_box_view_up wait_for '^ wirepeel file .*course-udp-ping\.pcap'
$T send-keys -t wp Tab z
$T send-keys -t wp : 
$T send-keys -t wp -l 7
$T send-keys -t wp Enter
check request_box_says_no_reply wait_for '│ request no reply in the capture +│'
$T send-keys -t wp : 
$T send-keys -t wp -l 1
$T send-keys -t wp Enter
check request_box_names_its_reply wait_for '│ request answered by #2 \(r jumps to it\) +│'
$T send-keys -t wp q
check request_box_q_exits wait_for 'WP-EXITED rc=0'

if [ "$(id -u)" != 0 ]; then
    echo "ok live_lo # skip: not root"
else
    # a port the kernel picks (tools/freeport.sh), never a fixed one
    PORT=$(bash tools/freeport.sh)
    start 100 30 "$WP view -i lo -f 'udp port $PORT'"
    check live_starts wait_for "^ wirepeel live lo \| 0 packets \| captured 0, kernel drops 0 \| following \| filter: udp port $PORT"
    "$WP" udp-server --port $PORT --drop 0 --count 10 >"$TMP/srv" 2>&1 &
    SRV=$!
    sleep 0.3
    "$WP" udp-client --port $PORT --count 5 --timeout 0.5 >"$TMP/cli" 2>&1
    # 5 pings and 5 replies; libpcap's ps_recv on lo counts 20 (both copies)
    check live_shows_ten wait_for '^ wirepeel live lo \| 10 packets \| captured 10, kernel drops 0 \| following'
    snap
    check live_list_rows has "^ +10 [0-9.]+ +127\.0\.0\.1:$PORT -> 127\.0\.0\.1:[0-9]+ UDP +len 12 reply to #9 [0-9.]+ ms$"
    check live_follows_newest has '^0020 .*HELLO,$'
    check live_udp_box has '^│ │ ┌─ UDP @34\.\.41 hdr 8 B, csum offloaded'
    $T send-keys -t wp Space
    check live_pause wait_for '\| 10 packets \| captured 10, kernel drops 0 \| PAUSED'
    "$WP" udp-client --port $PORT --count 1 --timeout 0.5 >/dev/null 2>&1
    check live_paused_still_counts wait_for '\| 10 packets \| captured 12, kernel drops 0 \| PAUSED'
    $T send-keys -t wp Space
    check live_resume_shows_all wait_for '\| 12 packets \| captured 12, kernel drops 0 \| following'
    # picking a field holds the view; f resumes, and the field stays selected
    # in the new packets
    $T send-keys -t wp Tab l
    check live_field_pick wait_for '^udp\.dport @36\.\.37'
    check live_field_holds wait_for '\| held(: field selected)? \(f'
    "$WP" udp-client --port $PORT --count 1 --timeout 0.5 >/dev/null 2>&1
    check live_held_still_counts wait_for '\| 14 packets \| (captured|cap) 14'
    $T send-keys -t wp f
    check live_f_resumes wait_for '\| 14 packets \| .*\| following'
    "$WP" udp-client --port $PORT --count 1 --timeout 0.5 >/dev/null 2>&1
    check live_new_packets_keep_field wait_for '\| 16 packets \| (captured|cap) 16.*\| following'
    snap
    check live_field_kept_in_new_packet has '^udp\.dport @36\.\.37'
    $T send-keys -t wp Tab Tab
    # the filter key: its prompt starts empty, and the packets already
    # buffered are filtered again, as a file's would be
    $T send-keys -t wp b
    check live_filter_prompt_empty wait_for '^filter \(BPF, Enter applies, Esc cancels\):$'
    $T send-keys -t wp -l "udp dst port $PORT"
    $T send-keys -t wp Enter
    # (at 100 columns the two filters make the bar use its short words)
    check live_filter_refilters_buffered wait_for "\| 8 packets \| cap 16 drop 0 \| .*filter: udp dst port $PORT"
    "$WP" udp-client --port $PORT --count 2 --timeout 0.5 >/dev/null 2>&1
    check live_filter_only_requests wait_for '\| 10 packets \| cap 20 drop 0 '
    $T send-keys -t wp b Enter
    check live_filter_cleared_shows_all wait_for '\| 20 packets \| captured 20, kernel drops 0 '
    kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null
    $T send-keys -t wp q
    check live_q_exits wait_for 'WP-EXITED rc=0'
    S=$(screen)
    check live_q_restores not_has 'wirepeel live'

    # the demo: its endpoints keep making traffic while the view is up
    start 80 24 "$WP demo --interval 1"
    # at 80 columns the demo's filter makes the status bar use its short words
    check demo_view_up wait_for '^ live demo \| [1-9][0-9]* packets \| cap [1-9]'
    n0=$(screen | sed -n 's/^ live demo | \([0-9]*\) packets.*/\1/p')
    sleep 2.5
    n1=$(screen | sed -n 's/^ live demo | \([0-9]*\) packets.*/\1/p')
    check demo_traffic_keeps_coming test "${n1:-0}" -gt "${n0:-0}"
    check demo_shows_layers wait_for '^│ ┌─ IPv4 @14\.\.33'
    # as root, the demo's view gives up root once its capture is open
    vp=$(pgrep -x wp-demo-view | head -1)
    if [ -z "$vp" ]; then
        echo "ok demo_view_runs_as_nobody # skip: this demo has no view process of its own"
    else
        check demo_view_runs_as_nobody test "$(awk '/^Uid:/ {print $2}' "/proc/$vp/status")" = "$(id -u nobody)"
    fi
    $T send-keys -t wp C-c
    check demo_ctrl_c_exits wait_for 'WP-EXITED rc=(0|130)'
    S=$(screen)
    check demo_restores not_has 'wirepeel live'
fi
