#!/usr/bin/env bash
# tools/samecheck.sh REF_BINARY [NEW_BINARY]: does a change keep every output
# byte for byte? Runs both binaries over captures/ and ../shared/corpus/tcpdump
# in all six formats (plus summary and json on the bench file when it exists)
# and prints one line per difference, then "samecheck: N files x 6 formats,
# D differ". Exit 1 if anything differs. For speed work: the goldens cover
# captures/ only; this also covers the real and malformed corpus.
set -u
REF=${1:?usage: tools/samecheck.sh REF_BINARY [NEW_BINARY]}
NEW=${2:-build/wirepeel}
cd "$(git rev-parse --show-toplevel)"
files=(captures/*.pcap captures/*.pcapng)
# ../shared beside the checkout; from a git worktree, beside the main checkout
corpus=../shared/corpus/tcpdump
[ -d "$corpus" ] || corpus=$(dirname "$(git rev-parse --path-format=absolute --git-common-dir)")/../shared/corpus/tcpdump
[ -d "$corpus" ] && files+=("$corpus"/*)
[ -s build/bench/bench-20000.pcap ] && files+=(build/bench/bench-20000.pcap)
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
n=0 d=0
for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    for o in summary layers hex json struct fields; do
        "$REF" show -r "$f" -o "$o" >"$t/a" 2>"$t/ae"; ra=$?
        "$NEW" show -r "$f" -o "$o" >"$t/b" 2>"$t/be"; rb=$?
        if [ $ra -ne $rb ] || ! cmp -s "$t/a" "$t/b" || ! cmp -s "$t/ae" "$t/be"; then
            d=$((d + 1))
            echo "differs: $f -o $o (exit $ra vs $rb)"
            diff "$t/a" "$t/b" | head -4 | sed 's/^/    /'
        fi
    done
done
echo "samecheck: $n files x 6 formats, $d differ"
[ $d -eq 0 ]
