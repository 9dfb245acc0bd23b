#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# Each unit binary is a cmocka suite; other suites (tests/suites/*.sh) print
# their own "ok NAME" / "not ok NAME" lines. Set TESTS=pattern to run some.
set -u
BUILD=${BUILD:-build}
export TZ=UTC LC_ALL=C WP_CAPTURES=${WP_CAPTURES:-captures} BUILD
passed=0 failed=0
failures=()
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

for bin in "$BUILD"/tests/test_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    [[ -n "${TESTS:-}" && "$name" != *${TESTS}* ]] && continue
    "$bin" >"$log/$name.out" 2>&1
    rc=$?
    p=$(grep -c '^\[       OK \]' "$log/$name.out")
    f=$(grep -c '^\[  FAILED  \] [a-z]' "$log/$name.out")
    [ "$f" -eq 0 ] && [ $rc -ne 0 ] && f=1   # crashed before cmocka could say
    passed=$((passed + p)); failed=$((failed + f))
    printf '%-28s %4d passed %4d failed\n' "$name" "$p" "$f"
    if [ "$f" -ne 0 ]; then
        failures+=("$name"); sed 's/^/    /' "$log/$name.out" | grep -v '^\s*\[ RUN' | tail -40
    fi
done

for suite in tests/suites/*.sh; do
    [ -f "$suite" ] || continue
    name=$(basename "$suite" .sh)
    [[ -n "${TESTS:-}" && "$name" != *${TESTS}* ]] && continue
    start=$(date +%s)
    bash "$suite" >"$log/$name.out" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$log/$name.out")
    f=$(grep -c '^not ok ' "$log/$name.out")
    [ "$f" -eq 0 ] && [ $rc -ne 0 ] && f=1
    passed=$((passed + p)); failed=$((failed + f))
    printf '%-28s %4d passed %4d failed  (%ds)\n' "$name" "$p" "$f" $(( $(date +%s) - start ))
    if [ "$f" -ne 0 ]; then
        failures+=("$name"); grep -v '^ok ' "$log/$name.out" | sed 's/^/    /' | tail -60
    fi
done

[ ${#failures[@]} -gt 0 ] && echo "failing suites: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
