#!/usr/bin/env bash
# The view's quiz in a real terminal (tmux): key x on the selected packet
# shows its first question in the layered pane's place with the answer
# prompt; '?' gives a hint; a wrong answer (IHL not x4) gets the reason and
# the arithmetic, a right one counts; the score after the last question; x
# closes it and the layers come back; an 80x24 terminal works too. The
# expected answers come from `wirepeel quiz` itself (the same engine, the
# same seed: the frame number). Prints one "ok NAME" / "not ok NAME" line a
# check; every wait is bounded.
set -u
BUILD=${BUILD:-build}
WP=$(cd "$(dirname "$BUILD/wirepeel")" && pwd)/wirepeel
CAPS=${WP_CAPTURES:-captures}
SOCK=wp-quiz-$$
T="tmux -u -L $SOCK"
export LC_ALL=C.UTF-8 LANG=C.UTF-8
TMP=$(mktemp -d)
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
if ! command -v tmux >/dev/null; then echo "not ok quiz_tmux: tmux is not installed"; exit 1; fi

screen() { $T capture-pane -p -J -t wp 2>/dev/null; }
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok quiz_tmux $name"
    else
        echo "not ok quiz_tmux $name"
        screen | sed 's/^/# /'
    fi
}
wait_for() { # PATTERN [tries of 50 ms]
    local n=${2:-60} i
    for ((i = 0; i < n; i++)); do
        screen | grep -qE -- "$1" && return 0
        sleep 0.05
    done
    return 1
}
start() { # cols rows command...
    local x=$1 y=$2
    shift 2
    $T kill-session -t wp 2>/dev/null
    $T new-session -d -s wp -x "$x" -y "$y" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen $* ; echo; echo WP-EXITED; sleep 20"
}
$T new-session -d -s keep -x 80 -y 24 "sleep 120"

for size in 100x45 80x24; do
    start ${size%x*} ${size#*x} "$WP view -r $CAPS/course-tcp.pcap"
    check "${size}_starts" wait_for '^q quit'
    # frame 1 is selected: its quiz
    $T send-keys -t wp x
    check "${size}_question" wait_for '^Q1/5 \['
    check "${size}_prompt" wait_for '^answer \(Enter checks'
    check "${size}_pane_label" wait_for 'quiz'
    $T send-keys -t wp '?' Enter
    check "${size}_hint" wait_for 'hint 1: '
    # a wrong answer that is no known mistake: the expected one and the how
    $T send-keys -t wp 'nonsense' Enter
    check "${size}_wrong_explained" wait_for "Q1 wrong \('nonsense'\): the answer is"
    check "${size}_next_question" wait_for '^Q2/5 \['
    # a blanked-field question draws its header diagram, the cell to name
    # marked '?' (at 80x24 the rows around the marked cell)
    if screen | grep -q '^Q2/5 \[blank\]'; then
        check "${size}_blank_diagram" wait_for '^ +[0-9]+ \|.*(\?\?\?|\|\?\|)'
    fi
    $T send-keys -t wp Escape
    sleep 0.5
    check "${size}_esc_stops" wait_for '^\(a to answer, x to close\)'
    $T send-keys -t wp a
    check "${size}_a_answers" wait_for '^answer \(Enter checks'
    $T send-keys -t wp Escape
    sleep 0.5 # curses waits to tell a lone Esc from an Alt- key
    $T send-keys -t wp x
    check "${size}_x_closes" wait_for 'layers ─'
    $T send-keys -t wp q
    wait_for WP-EXITED >/dev/null
done

# the whole quiz of frame 1, answered from the engine's own answers:
# the CLI cannot ask about one frame alone, so build the answers from the
# pane's questions: right answers come from the expected answer each wrong
# one shows. First a run of wrong answers collects them.
start 100 45 "$WP view -r $CAPS/course-tcp.pcap"
wait_for '^q quit' >/dev/null
$T send-keys -t wp x
wait_for '^Q1/5' >/dev/null
: >"$TMP/ans"
for i in 1 2 3 4 5; do
    $T send-keys -t wp 'zzz' Enter
    wait_for "Q$i wrong" >/dev/null
    # answers may hold spaces ("bits 4-7"): up to the ". why:" or ". how:" after them
    printf '%s\n' "$(screen | tr '\n' ' ' | grep -oP "Q$i wrong \('zzz'\): the answer is \K.*?(?=\. (why|how): )" | head -1)" >>"$TMP/ans"
done
check score_zero wait_for 'score: 0/5'
$T send-keys -t wp x x
wait_for '^Q1/5' >/dev/null
n=0
while read -r a; do
    n=$((n + 1))
    $T send-keys -t wp -l "$a" # -l: tmux reads 0x601c as a key code otherwise
    $T send-keys -t wp Enter
    wait_for "Q$n right: " 20 >/dev/null
done <"$TMP/ans"
check perfect_score wait_for 'score: 5/5'
check five_answers [ "$(wc -l <"$TMP/ans")" = 5 ]
$T send-keys -t wp q
wait_for WP-EXITED >/dev/null
