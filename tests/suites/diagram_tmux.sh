#!/usr/bin/env bash
# The view's diagram mode in a real terminal (tmux): key d switches the
# layered pane to the RFC bit diagram of the selected field's layer and back;
# the selected field's own bits are lit (IHL: bits 4-7 of the row at byte 14,
# in the cell and in the ruler, not the whole byte) and its bytes in the hex
# pane; an 80x24 terminal works too. Reverse video is read back from
# `tmux capture-pane -e`. Prints one "ok NAME" / "not ok NAME" line a check;
# every wait is bounded.
set -u
BUILD=${BUILD:-build}
WP=$(cd "$(dirname "$BUILD/wirepeel")" && pwd)/wirepeel
CAPS=${WP_CAPTURES:-captures}
here=$(cd "$(dirname "$0")/../.." && pwd)
SOCK=wp-diag-$$
T="tmux -u -L $SOCK"
export LC_ALL=C.UTF-8 LANG=C.UTF-8
TMP=$(mktemp -d)
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
if ! command -v tmux >/dev/null; then echo "not ok diagram_tmux: tmux is not installed"; exit 1; fi

screen() { $T capture-pane -p -t wp 2>/dev/null; }
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok diagram_tmux $name"
    else
        echo "not ok diagram_tmux $name"
        screen | sed 's/^/# /'
    fi
}
wait_for() { # PATTERN [tries of 50 ms]
    local n=${2:-60}
    for ((i = 0; i < n; i++)); do
        screen | grep -qE -- "$1" && return 0
        sleep 0.05
    done
    return 1
}
# steady: two reads 50 ms apart agree
steady() {
    local a b
    a=$(screen)
    for ((k = 0; k < 20; k++)); do
        sleep 0.05
        b=$(screen)
        [ "$a" = "$b" ] && return 0
        a=$b
    done
}
start() { # cols rows command...
    local x=$1 y=$2
    shift 2
    $T kill-session -t wp 2>/dev/null
    $T new-session -d -s wp -x "$x" -y "$y" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen $* ; echo; echo WP-EXITED; sleep 20"
}
# press KEY until the detail line starts with PATTERN (at most 40 presses)
walk_to() {
    local key=$1 pat=$2
    for ((i = 0; i < 40; i++)); do
        screen | grep -qE -- "^$pat" && return 0
        $T send-keys -t wp "$key"
        sleep 0.05
    done
    screen | grep -qE -- "^$pat"
}
# lit LINE-REGEX: the reverse-video columns of the first screen line matching
# LINE-REGEX, as "first-last:text" (text: the lit characters)
lit() {
    $T capture-pane -e -p -t wp | python3 "$here/tests/support/sgr_lit.py" "$1"
}

$T new-session -d -s keep -x 80 -y 24 "sleep 120"

# ---- UDP ping at 100x45: d shows the diagram of the selected field's layer
start 100 45 "$WP view -r $CAPS/course-udp-ping.pcap"
check starts wait_for '^q quit'
$T send-keys -t wp Tab
$T send-keys -t wp d
check d_switches_to_diagram wait_for '^─\[\*\] diagram ─'
check diagram_of_udp wait_for '^UDP \(User Datagram Protocol\) at 34, 8 bytes$'
check diagram_ruler wait_for '^       0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1$'
check udp_ports_in_cells wait_for '^   34 \|          Source port          \|       Destination port        \|$'
steady
check sport_cell_lit test "$(lit '^   34 \|')" = "7-37:          Source port          "

# ---- IHL: bits 4-7 of the row at byte 14, in the cell and the ruler
check walk_to_ihl walk_to h 'ipv4\.ihl @14'
check diagram_of_ipv4 wait_for '^IPv4 \(Internet Protocol version 4\) at 14, 20 bytes$'
steady
check ihl_name_bits_4_to_7 test "$(lit '^   14 \|Version\|')" = "15-21:  IHL  "
check ihl_value_bits_4_to_7 test "$(lit '^      \|   4   \|')" = "15-21:5 ×4=20"
check ihl_ruler_bits_4_to_7 test "$(lit '^       0 1 2 3 4 5 6 7 8 9 0 1')" = "15-21:4 5 6 7"
check ihl_hex_byte_14 test "$(lit '^0000 ')" = "48-49:45,69-69:E"
# DF: bit 17 of the row at byte 18 (the 2nd bit of byte 20), one column
check walk_to_df walk_to l 'ipv4\.df @20'
steady
check df_one_column test "$(lit '^   18 \|')" = "41-41: "
check df_letters_lit test "$(lit '^      \|        Identification ')" = "41-41:F"
check df_ruler test "$(lit '^       0 1 2 3 4 5 6 7 8 9 0 1')" = "41-41:7"

# ---- d again: the boxes
$T send-keys -t wp d
check d_back_to_boxes wait_for '^─\[\*\] layers ─'
$T send-keys -t wp q
wait_for WP-EXITED >/dev/null

# ---- TCP flags lit as twelve bits; 80x24 still draws the selected row
start 80 24 "$WP view -r $CAPS/tcp-handshake.pcap"
check starts_80x24 wait_for '^q quit'
$T send-keys -t wp Tab
$T send-keys -t wp d
check diagram_80x24 wait_for '^─\[\*\] diagram ─'
check walk_to_tcp_flags walk_to l 'tcp\.flags @46'
steady
check tcp_flags_row_in_sight wait_for '^      \|offset \| Rsv \|E\|R\|E\|G\|K\|H\|T\|N\|N\|'
check tcp_flags_twelve_bits test "$(lit '^      \|offset \| Rsv ')" = "15-37: Rsv |E|R|E|G|K|H|T|N|N"
$T send-keys -t wp q
check quits wait_for WP-EXITED
