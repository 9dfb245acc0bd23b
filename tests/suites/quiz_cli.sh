#!/usr/bin/env bash
# wirepeel quiz as a student and a grader run it: scripted sessions through
# standard input (a perfect run from --answers scores full marks, a run of
# the classic mistakes gets their explanations), reproducible by seed, --exam,
# the shipped lesson pack, usage errors.
set -u
BUILD=${BUILD:-build}
W=$BUILD/wirepeel
pass() { echo "ok quiz_cli_$1"; }
fail() { echo "not ok quiz_cli_$1: $2"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# a perfect run, fed from --answers, on several captures and seeds
for cap in course-tcp course-udp-ping ipv4-fragments flow-tcp-out-of-order flow-icmp-missing \
           tcp-handshake flow-udp-ping udp-tcp-pair ipv6-udp flow-tcp-rst-reuse; do
    for seed in 1 2 3; do
        "$W" quiz -r captures/$cap.pcap --seed $seed --answers "$tmp/a" </dev/null >/dev/null
        n=$(wc -l <"$tmp/a")
        last=$("$W" quiz -r captures/$cap.pcap --seed $seed <"$tmp/a" | tail -1)
        if [ "$last" = "score: $n/$n" ]; then pass "perfect_${cap}_$seed"
        else fail "perfect_${cap}_$seed" "$last (of $n)"; fi
    done
done

# the same seed gives the same quiz; another seed another
a=$("$W" quiz -r captures/course-tcp.pcap --seed 11 --key -)
b=$("$W" quiz -r captures/course-tcp.pcap --seed 11 --key -)
c=$("$W" quiz -r captures/course-tcp.pcap --seed 12 --key -)
if [ "$a" = "$b" ] && [ "$a" != "$c" ] && [ "$(wc -l <<<"$a")" = 10 ]; then pass seed
else fail seed "seed 11 twice differs, or equals seed 12, or not 10 questions"; fi

# the done criterion: ten questions on the course handshake
s=$("$W" quiz -r captures/course-tcp.pcap </dev/null)
q=$(grep -c '^Q[0-9]*/10 ' <<<"$s")
[ "$q" = 10 ] && [ "$(tail -1 <<<"$s")" = "score: 0/10" ] && pass ten_questions \
    || fail ten_questions "$q questions, last line '$(tail -1 <<<"$s")'"

# ten questions on the handshake alone (frames 1-3), a perfect run of them
"$W" quiz -r captures/course-tcp.pcap --frames 1-3 --key "$tmp/k" </dev/null
if [ "$(wc -l <"$tmp/k")" = 10 ] && ! cut -f1 "$tmp/k" | grep -qv '^[123]$'; then pass handshake_frames
else fail handshake_frames "not 10 questions on frames 1-3: $(cut -f1 "$tmp/k" | tr '\n' ' ')"; fi
"$W" quiz -r captures/course-tcp.pcap --frames 1-3 --answers "$tmp/a" </dev/null >/dev/null
last=$("$W" quiz -r captures/course-tcp.pcap --frames 1-3 <"$tmp/a" | tail -1)
[ "$last" = "score: 10/10" ] && pass handshake_perfect || fail handshake_perfect "$last"
"$W" quiz -r captures/course-tcp.pcap --frames 3-1 >/dev/null 2>&1; [ $? = 2 ] && pass bad_frames || fail bad_frames "exit not 2"
err=$("$W" quiz -r captures/course-tcp.pcap --frames 20-30 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && grep -q 'frames 20-30 of .* (8 frames) give no question' <<<"$err" && pass frames_past_end \
    || fail frames_past_end "$rc $err"

# classic mistakes: each wrong answer gets its reason and the arithmetic
mistakes() { # types, seed, then the expected text in the transcript
    local types=$1 seed=$2 want=$3 name=$4
    "$W" quiz -r captures/$5 --types "$types" --seed "$seed" --count 100 --key "$tmp/k" </dev/null
    : >"$tmp/in"
    while IFS=$'\t' read -r frame type ref ans; do
        case $ref in
        ipv4.hdr_bytes) echo $((ans / 4)) ;;                 # IHL not x4
        ipv4.frag_bytes) echo $((ans / 8)) ;;                # fragment offset not x8
        tcp.hdr_bytes) echo $((ans / 4)) ;;                  # data offset not x4
        ipv4.payload_bytes) echo $((ans + 20)) ;;            # total length for payload length
        bitpos:ipv4:ihl) echo "bits 0-3" ;;                  # bits counted from the low end
        tcp.flags@2) echo "ACK" ;;                           # the SYN-ACK without its SYN
        tcp.close_step) [ "$ans" = "second FIN" ] && echo "first FIN" || echo "$ans" ;;
        udp.csum_sum) echo "0x$(printf %04x $((0xffff - ans)))" ;; # the checksum for the sum
        *) echo "$ans" ;;
        esac >>"$tmp/in"
    done <"$tmp/k"
    out=$("$W" quiz -r captures/$5 --types "$types" --seed "$seed" --count 100 <"$tmp/in")
    if grep -q -- "$want" <<<"$out"; then pass "$name"; else fail "$name" "no '$want' in the transcript"; fi
}
mistakes derive 1 "why: 5 is IHL itself, in 32-bit words; the header is 5 x 4 = 20 bytes" ihl_not_x4 course-tcp.pcap
mistakes derive 1 "why: 185 is the field, in 8-byte units: 185 x 8 = 1480 bytes" frag_not_x8 ipv4-fragments.pcap
mistakes derive 1 "why: 68 is Total length, header included; subtract the 20-byte header" total_for_payload course-tcp.pcap
mistakes derive 1 "how: Data offset is the high nibble of byte 46" data_offset_not_x4 course-tcp.pcap
mistakes locate 1 "why: that counts from the least significant bit" ihl_bits_from_the_low_end course-tcp.pcap
mistakes predict 1 "why: the server must also open its own direction" synack_without_syn course-tcp.pcap
mistakes classify 1 "why: frame 6 sent a FIN before this one" second_fin_for_first course-tcp.pcap
mistakes checksum 1 "why: that is the checksum itself" checksum_for_sum udp-tcp-pair.pcap
# relative seq given for the raw field
"$W" quiz -r captures/course-tcp.pcap --types value --count 100 --seed 3 --key "$tmp/k" </dev/null
line=$(grep -n $'\ttcp.seq\t' "$tmp/k" | head -1)
if [ -n "$line" ]; then
    n=${line%%:*}
    frame=$(cut -f1 <<<"${line#*:}")
    rel=$("$W" show -r captures/course-tcp.pcap -o json | sed -n "${frame}p" |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["flow"]["seq"])' 2>/dev/null)
    { head -n $((n - 1)) "$tmp/k" | cut -f4; echo "$rel"; } >"$tmp/in"
    out=$("$W" quiz -r captures/course-tcp.pcap --types value --count 100 --seed 3 <"$tmp/in")
    grep -q "is the relative number Wireshark shows" <<<"$out" && pass relative_for_raw \
        || fail relative_for_raw "rel '$rel': no reason given"
else
    fail relative_for_raw "seed 3 drew no tcp.seq question"
fi

# a blanked-field question draws the header diagram, the cell to name marked
out=$("$W" quiz -r captures/course-tcp.pcap --types blank --count 3 </dev/null)
if grep -qE '^ +[0-9]+ \|.*(\?\?\?|\|\?\|)' <<<"$out" && grep -q '^       0 1 2 3 4 5 6 7 8 9 0 1' <<<"$out"; then
    pass blank_draws_diagram
else
    fail blank_draws_diagram "no diagram with a marked cell"
fi

# exam: no feedback until the end, then every question's result
"$W" quiz -r captures/course-tcp.pcap --exam --answers "$tmp/a" </dev/null >/dev/null
out=$("$W" quiz -r captures/course-tcp.pcap --exam <"$tmp/a")
first_right=$(grep -n 'right\.' <<<"$out" | head -1 | cut -d: -f1)
results=$(grep -n '^results:' <<<"$out" | cut -d: -f1)
if [ -n "$results" ] && [ "$first_right" -gt "$results" ] && [ "$(tail -1 <<<"$out")" = "score: 10/10" ]; then
    pass exam
else
    fail exam "feedback before the results line, or not 10/10"
fi

# the shipped lesson pack: a perfect run, and its hand-written feedback
"$W" quiz --pack lessons/course.quiz --answers "$tmp/a" </dev/null >/dev/null
n=$(wc -l <"$tmp/a")
last=$("$W" quiz --pack lessons/course.quiz <"$tmp/a" | tail -1)
[ "$last" = "score: $n/$n" ] && pass pack_perfect || fail pack_perfect "$last of $n"
sed '$d' "$tmp/a" >"$tmp/in"; echo 68 >>"$tmp/in"
out=$("$W" quiz --pack lessons/course.quiz <"$tmp/in")
grep -q "why: 68 is the IPv4 Total length" <<<"$out" && grep -q "Total length includes every header" <<<"$out" \
    && pass pack_feedback || fail pack_feedback "$(tail -4 <<<"$out" | tr '\n' '|')"

# the pack's feedback for words and phrases: flags, yes/no, a closing step
"$W" quiz --pack lessons/course.quiz --answers - </dev/null >"$tmp/a"
sed -e 's/^SYN, ACK$/syn/' -e 's/^no$/YES/' -e 's/^second FIN$/first fin/' "$tmp/a" >"$tmp/in"
out=$("$W" quiz --pack lessons/course.quiz <"$tmp/in")
grep -q "why: the server also acknowledges the client's SYN" <<<"$out" &&
    grep -q "why: its TCP payload is 0 bytes" <<<"$out" &&
    grep -q "why: the client's FIN in frame 6 came first" <<<"$out" &&
    pass pack_word_feedback || fail pack_word_feedback "a word answer got no feedback line"

# usage errors exit 2, unreadable files 1
"$W" quiz >/dev/null 2>&1; [ $? = 2 ] && pass no_file || fail no_file "exit not 2"
"$W" quiz -r captures/course-tcp.pcap --types bogus >/dev/null 2>&1; [ $? = 2 ] && pass bad_types || fail bad_types "exit not 2"
"$W" quiz -r captures/course-tcp.pcap --count 0 >/dev/null 2>&1; [ $? = 2 ] && pass bad_count || fail bad_count "exit not 2"
"$W" quiz -r "$tmp/none.pcap" >/dev/null 2>&1; [ $? = 1 ] && pass missing_file || fail missing_file "exit not 1"
printf 'capture x\nfoo\n' >"$tmp/bad.quiz"
err=$("$W" quiz --pack "$tmp/bad.quiz" 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && grep -q 'bad.quiz:2: unknown directive' <<<"$err" && pass bad_pack || fail bad_pack "$rc $err"
"$W" quiz -r captures/arp.pcap --types relate >/dev/null 2>&1; [ $? = 1 ] && pass no_question || fail no_question "exit not 1"
