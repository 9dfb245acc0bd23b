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
# a few formats no capture header has: every code, counts, byte orders
u="$OUT/corpus-unpack"
printf '<bBhHiIqQ?x3s\0%032d' 0 >"$u/hand-all-codes"
printf '@BHBIBQ\0%024d' 0 >"$u/hand-native-align"
printf '=2H 0s 4x\0%08d' 0 >"$u/hand-spaces"
printf '!1000B\0' >"$u/hand-big-count"
# the pcapng reader's seeds: every pcapng file as it is (libFuzzer cuts the
# long ones at -max_len)
mkdir -p "$OUT/corpus-pcapng"
for f in captures/*.pcapng "$CORPUS"/*.pcapng; do
    [ -f "$f" ] && cp "$f" "$OUT/corpus-pcapng/$(sha1sum <"$f" | cut -c1-16)"
done
for d in decode layout unpack pcapng; do
    echo "seeds: $(ls "$OUT/corpus-$d" | wc -l) in $OUT/corpus-$d"
done
