#!/usr/bin/env bash
# Display filters against tshark 4.0:
#  - every expression of tests/oracle/filter-expressions.tsv (wirepeel's <TAB>
#    tshark's) over the fixtures and the well-formed part of the tcpdump
#    corpus, merged per link type (tests/oracle/filter_oracle.py: tshark
#    evaluates all of them in one io,stat pass a file; frames both tools
#    decode alike are compared);
#  - the conversation fields of tests/oracle/filter-flow-expressions.tsv on
#    each conversation fixture by itself;
#  - show -f keeps the capture's frame numbers in every output format.
# Each expression must select the same frames as tshark, and some frame.
# One line per check: "ok NAME" / "not ok NAME".
set -u
BUILD=${BUILD:-build}
W=$(realpath "$BUILD/wirepeel")
LIST=tests/oracle/filter-expressions.tsv
for t in tshark mergecap capinfos; do
    if ! command -v $t >/dev/null; then
        echo "not ok filter_oracle: $t is not installed (run tools/deps.sh)"
        exit 1
    fi
done
corpus=${WP_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/corpus/tcpdump}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok $1"; }
nok() { echo "not ok $1"; shift; for l in "$@"; do echo "    $l"; done; }

files=(captures/*.pcap captures/*.pcapng)
if [ -f "$corpus/INDEX.tsv" ]; then
    mapfile -t good < <(awk -F'\t' -v d="$corpus" 'NR > 1 && $8 == 0 && $9 == 0 && $11 == "ok" &&
        ($3 == "ether" || $3 == "linux-sll" || $3 == "null" || $3 == "rawip" || $3 == "rawip6") {
        print d "/" $1 }' "$corpus/INDEX.tsv")
    files+=("${good[@]}")
else
    echo "# no corpus at $corpus: fixtures only"
fi
python3 tests/oracle/filter_oracle.py "$W" "$LIST" "${files[@]}"

# Conversation fields, file by file (a merge would join conversations).
python3 tests/oracle/filter_oracle.py --each "$W" tests/oracle/filter-flow-expressions.tsv \
    captures/flow-*.pcap captures/tcp-handshake.pcap

# Frame numbers after -f and -Y are the capture's own, as tshark's.
F=captures/tcp-handshake.pcap
"$W" show -r "$F" -f 'tcp[13] & 8 != 0' | awk '{ print $1 }' >"$tmp/w"
tshark -r "$F" -Y 'tcp.flags.push == 1' -T fields -e frame.number 2>/dev/null >"$tmp/t"
if [ -s "$tmp/t" ] && cmp -s "$tmp/w" "$tmp/t"; then
    ok "show -f keeps the capture's frame numbers ($(tr '\n' ' ' <"$tmp/t"))"
else
    nok "show -f keeps the capture's frame numbers" "wirepeel: $(tr '\n' ' ' <"$tmp/w")" \
        "tshark: $(tr '\n' ' ' <"$tmp/t")"
fi
for fmt in summary layers hex json struct fields; do
    "$W" show -r "$F" -f 'tcp[13] & 8 != 0' -o $fmt >"$tmp/out"
    first=$(tr '\n' ' ' <"$tmp/t" | awk '{ print $1 }')
    if grep -Eq "(^|[^0-9])$first([^0-9]|$)" "$tmp/out" && ! grep -Eq '"frame":1[,}]|^Frame 1[^0-9]|^1 ' "$tmp/out"; then
        ok "show -f -o $fmt prints frame $first, not 1"
    else
        nok "show -f -o $fmt prints frame $first, not 1" "$(head -3 "$tmp/out")"
    fi
done
