#!/usr/bin/env bash
# Short libFuzzer runs of every harness in tests/fuzz/ (ASan+UBSan), each for
# FUZZ_SMOKE_SECONDS (default 20), one after the other, from corpora seeded
# from captures/ and ../shared/corpus. Prints "ok fuzz_NAME" per harness,
# "not ok" with the crash on a finding. Needs clang with libFuzzer.
set -u
cd "$(git rev-parse --show-toplevel)" || exit 1
SECS=${FUZZ_SMOKE_SECONDS:-20}
if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
    echo "ok fuzz_smoke # skip: no clang"
    exit 0
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if make -j2 fuzz-build build/tools/sweep >"$log" 2>&1; then
    echo "ok fuzz_build"
else
    echo "not ok fuzz_build"; tail -20 "$log" | sed 's/^/    /'
    exit 1
fi
bash tests/fuzz/seeds.sh | sed 's/^/# /'
bash tests/fuzz/run.sh "$SECS"
