#!/usr/bin/env bash
# Golden tests: every renderer over every fixture capture, diffed against the
# expected output in tests/golden/. tests/golden/list has one case a line:
#   NAME <TAB> CAPTURE <TAB> FORMAT
# and the expected output is tests/golden/NAME.out. Runs with TZ=UTC LC_ALL=C.
# The output is `$BUILD/wirepeel show -r FILE -o FORMAT`'s: a case fails
# when show exits non-zero or prints anything else. Prints "ok NAME" /
# "not ok NAME" per case, plus checks that every capture in captures/ has
# cases and that every JSON line parses.
# Regenerate on purpose with tests/golden/update.sh.
set -u
export TZ=UTC LC_ALL=C
BUILD=${BUILD:-build}
CAPS=${WP_CAPTURES:-captures}
GOLDEN=${GOLDEN_DIR:-tests/golden}
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
# shellcheck source=tests/golden/runner.sh
. tests/golden/runner.sh

list="$GOLDEN/list"
if [ ! -f "$list" ]; then
    echo "not ok golden-list (no $list: run tests/golden/update.sh)"
    exit 1
fi
why=$(check_runner) || { echo "not ok golden-runner ($why)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A listed=()
while IFS=$'\t' read -r name cap fmt; do
    [ -z "${name:-}" ] && continue
    case "$name" in \#*) continue ;; esac
    listed[$cap]=1
    if [ ! -f "$CAPS/$cap" ]; then
        echo "not ok golden $name (capture $CAPS/$cap is missing)"
        continue
    fi
    run_render "$CAPS/$cap" "$fmt" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "not ok golden $name (wirepeel show exited $rc: $(head -1 "$tmp/err"))"
    elif [ ! -f "$GOLDEN/$name.out" ]; then
        echo "not ok golden $name (no $GOLDEN/$name.out: run tests/golden/update.sh)"
    elif cmp -s "$tmp/out" "$GOLDEN/$name.out"; then
        echo "ok golden $name"
    else
        echo "not ok golden $name"
        diff -u "$GOLDEN/$name.out" "$tmp/out" | head -20 | sed 's/^/    /'
    fi
    if [ "$fmt" = json ]; then
        if python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    try:
        json.loads(line)
    except ValueError as e:
        sys.exit("line %d: %s" % (n, e))
' "$tmp/out"; then
            echo "ok json-parses $name"
        else
            echo "not ok json-parses $name"
        fi
    fi
done <"$list"

# Colour changes nothing but the escapes: with them stripped, hex --color
# gives the plain hex lines (the plain output's ^marker lines aside).
# The escapes must be there: --color=always colours even into a pipe.
for f in "$CAPS"/*.pcap "$CAPS"/*.pcapng; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    run_render "$f" hex --color=always >"$tmp/color" 2>/dev/null
    rc=$?
    if [ $rc -eq 0 ] && grep -q $'\x1b\\[' "$tmp/color" &&
        diff <(sed 's/\x1b\[[0-9;]*m//g; s/ *$//' "$tmp/color") \
            <(run_render "$f" hex --color=never | grep -v '^ *\^' | sed 's/ *$//') >/dev/null; then
        echo "ok hex-color-aligned $b"
    else
        echo "not ok hex-color-aligned $b"
    fi
done

# Every fixture capture has golden cases.
missing=0
for f in "$CAPS"/*.pcap "$CAPS"/*.pcapng; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    if [ -z "${listed[$b]:-}" ]; then
        echo "not ok golden-coverage $b (no golden cases: run tests/golden/update.sh)"
        missing=1
    fi
done
[ $missing -eq 0 ] && echo "ok golden-coverage"
exit 0
