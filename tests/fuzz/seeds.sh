#!/usr/bin/env bash
# Seed the fuzz corpora (and corpus-pcapng with every pcapng file): every frame (the first 16 of each file) of every
# capture in captures/ and ../shared/corpus/tcpdump becomes a seed in
# build/fuzz/corpus-decode (first byte: the link type's index in
# tests/fuzz/exercise.h) and corpus-layout; every header's struct format, a
# NUL and its bytes a seed in corpus-unpack. Uses the sweep tool ($SWEEP,
# default build/tools/sweep). Seeds are named by content hash: reruns add
# nothing twice. Also copies tests/fuzz/regress/ into corpus-decode.
set -eu
cd "$(git rev-parse --show-toplevel)"
SWEEP=${SWEEP:-build/tools/sweep}
OUT=${FUZZ_DIR:-build/fuzz}
CORPUS=${WP_CORPUS:-$(git rev-parse --show-toplevel)/../shared/corpus/tcpdump}
common=$(cd "$(git rev-parse --git-common-dir)/.." && pwd)
[ -d "$CORPUS" ] || [ -n "${WP_CORPUS:-}" ] || CORPUS=$common/../shared/corpus/tcpdump
files=(captures/*.pcap captures/*.pcapng)
[ -d "$CORPUS" ] && files+=("$CORPUS"/*) || echo "seeds: $CORPUS absent: seeding from captures/ only"
mkdir -p "$OUT"
"$SWEEP" -q --time-limit 30 --seeds "$OUT" "${files[@]}" 2>/dev/null | grep '^sweep: .* seeds' || true
[ -d tests/fuzz/regress ] && find tests/fuzz/regress -type f -name '*.bin' -exec cp {} "$OUT/corpus-decode/" \;
mkdir -p "$OUT/corpus-layout"
cp -n "$OUT"/corpus-decode/* "$OUT/corpus-layout/" 2>/dev/null || true
# fuzz_quiz takes frames as fuzz_decode does; a quiz build costs thousands
# of decodes (its bounded tries), so 200 of them (by name: a fixed choice)
mkdir -p "$OUT/corpus-quiz"
q=$(cd "$OUT/corpus-quiz" && pwd)
(cd "$OUT/corpus-decode" && ls | sort | head -200 | xargs -r cp -n -t "$q") 2>/dev/null || true
# a few formats no capture header has: every code, counts, byte orders
u="$OUT/corpus-unpack"
printf '<bBhHiIqQ?x3s\0%032d' 0 >"$u/hand-all-codes"
printf '@BHBIBQ\0%024d' 0 >"$u/hand-native-align"
printf '=2H 0s 4x\0%08d' 0 >"$u/hand-spaces"
printf '!1000B\0' >"$u/hand-big-count"
# display filters: each expression of the oracle list, a NUL, then a frame
f="$OUT/corpus-filter"
mkdir -p "$f"
frames=("$OUT"/corpus-decode/*)
i=0
while IFS=$'\t' read -r e _; do
    [ -n "$e" ] && [ "${e:0:1}" != "#" ] || continue
    { printf '%s\0' "$e"; cat "${frames[$((i * 7 % ${#frames[@]}))]}"; } >"$f/expr-$i"
    i=$((i + 1))
done <tests/oracle/filter-expressions.tsv
# fuzz_flow's 13-byte frame records (tests/fuzz/fuzz_flow.c): a handshake,
# data and its ACK; DNS and ICMP echo requests and replies
f="$OUT/corpus-flow"
mkdir -p "$f"
printf '\x00\x02\x00\x00\x00\x64\x00\x00\x00\x00\x20\x00\x01\x01\x12\x00\x00\x00\xc8\x00\x00\x00\x65\x20\x00\x01\x00\x10\x00\x00\x00\x65\x00\x00\x00\xc9\x20\x00\x01\x00\x18\x00\x00\x00\x65\x00\x00\x00\xc9\x20\x10\x01\x01\x10\x00\x00\x00\xc9\x00\x00\x00\x75\x20\x00\x01' >"$f/hand-tcp"
printf '\x40\x00\x11\x11\x01\x00\x00\x00\x00\x00\x00\x0c\x01\x41\x00\x11\x11\x81\x80\x00\x00\x00\x00\x00\x0c\x02\x80\x07\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\xa1\x07\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01' >"$f/hand-udp-icmp"
# the pcapng reader's seeds: every pcapng file as it is (libFuzzer cuts the
# long ones at -max_len)
mkdir -p "$OUT/corpus-pcapng"
for f in captures/*.pcapng "$CORPUS"/*.pcapng; do
    [ -f "$f" ] && cp "$f" "$OUT/corpus-pcapng/$(sha1sum <"$f" | cut -c1-16)"
done
# fuzz_reasm starts from nothing (its input is a script of fragments and
# segments that libFuzzer grows by itself); its folder must exist all the same
mkdir -p "$OUT/corpus-reasm"
for d in decode layout unpack filter flow pcapng reasm quiz; do
    echo "seeds: $(ls "$OUT/corpus-$d" | wc -l) in $OUT/corpus-$d"
done
