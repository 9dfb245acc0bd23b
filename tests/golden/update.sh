#!/usr/bin/env bash
# Regenerate the golden outputs ON PURPOSE, after a change in output was
# checked by eye: rewrites tests/golden/list (every capture in captures/ x
# every format) and every tests/golden/NAME.out. Review `git diff` after.
# Usage: tests/golden/update.sh   (BUILD=build)
set -eu
export TZ=UTC LC_ALL=C
BUILD=${BUILD:-build}
CAPS=${WP_CAPTURES:-captures}
GOLDEN=${GOLDEN_DIR:-tests/golden}
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
. tests/golden/runner.sh
FORMATS="summary layers hex json struct fields diagram"
why=$(check_runner) || { echo "update.sh: $why" >&2; exit 1; }
rm -f "$GOLDEN"/*.out
{
    echo "# NAME<TAB>CAPTURE<TAB>FORMAT; expected output in NAME.out (tests/golden/update.sh)"
    for f in "$CAPS"/*.pcap "$CAPS"/*.pcapng; do
        [ -f "$f" ] || continue
        b=$(basename "$f")
        for fmt in $FORMATS; do
            printf '%s.%s\t%s\t%s\n' "$b" "$fmt" "$b" "$fmt"
        done
    done
} >"$GOLDEN/list"
n=0
while IFS=$'\t' read -r name cap fmt; do
    case "$name" in \#*|"") continue ;; esac
    run_render "$CAPS/$cap" "$fmt" >"$GOLDEN/$name.out" ||
        { echo "update.sh: wirepeel show -r $CAPS/$cap -o $fmt failed" >&2; exit 1; }
    n=$((n + 1))
done <"$GOLDEN/list"
echo "wrote $n golden outputs" >&2
