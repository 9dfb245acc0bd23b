#!/usr/bin/env bash
# The fixture captures are made by code: regenerate them into a temporary
# directory and check that each equals the committed file, that nothing is
# missing on either side, and that captures/README.md lists every file.
set -u
BUILD=${BUILD:-build}
CAPTURES=${WP_CAPTURES:-captures}
tool="$BUILD/tools/mkfixtures"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$tool" ]; then
    echo "not ok fixtures_tool_built ($tool missing: run make tools)"
    exit 1
fi
if "$tool" "$tmp" 2>"$tmp.err"; then
    echo "ok fixtures_regenerate"
else
    echo "not ok fixtures_regenerate ($(head -1 "$tmp.err"))"
fi
rm -f "$tmp.err"

n=0
for f in "$tmp"/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    n=$((n + 1))
    if [ ! -f "$CAPTURES/$name" ]; then
        echo "not ok fixture_committed_$name (made by mkfixtures but not in $CAPTURES/: run make fixtures and commit)"
    elif cmp -s "$f" "$CAPTURES/$name"; then
        echo "ok fixture_unchanged_$name"
    else
        echo "not ok fixture_unchanged_$name (differs from a fresh run: $(cmp "$f" "$CAPTURES/$name" 2>&1 | head -1))"
    fi
done
[ "$n" -ge 30 ] && echo "ok fixtures_count_$n" || echo "not ok fixtures_count ($n files, expected at least 30)"

for f in "$CAPTURES"/*.pcap "$CAPTURES"/*.pcapng; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    if [ ! -f "$tmp/$name" ]; then
        echo "not ok fixture_generated_$name (in $CAPTURES/ but mkfixtures does not make it)"
    fi
    if grep -q "^### $name " "$CAPTURES/README.md"; then
        echo "ok fixture_documented_$name"
    else
        echo "not ok fixture_documented_$name (no '### $name' section in $CAPTURES/README.md)"
    fi
done
