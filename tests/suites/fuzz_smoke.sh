#!/usr/bin/env bash
# CI's short libFuzzer runs of every harness in tests/fuzz/ (ASan+UBSan):
# deterministic and bounded. Each harness runs a fixed number of inputs
# (FUZZ_SMOKE_RUNS, default per harness below) with a fixed -seed
# (FUZZ_SMOKE_SEED, default 1) from a fresh corpus holding only the seeds
# (captures/, ../shared/corpus, tests/fuzz/regress/): the same code gives the
# same run, so a green CI stays green until the code changes. Real fuzzing is
# `make fuzz FUZZ_SECONDS=N` (time-based, random seeds, a growing corpus).
# The seeds are made once into build/fuzz/seeds and remade only when the
# sweep tool, the seed script, the captures or the regression inputs change.
# Prints "ok fuzz_NAME" per harness, "not ok" with the crash on a finding.
# Needs clang with libFuzzer.
set -u
cd "$(git rev-parse --show-toplevel)" || exit 1
SEED=${FUZZ_SMOKE_SEED:-1}
declare -A RUNS=([fuzz_decode]=12000 [fuzz_layout]=6000 [fuzz_unpack]=40000 [fuzz_flow]=6000
                [fuzz_reasm]=4000 [fuzz_quiz]=600 [fuzz_dns]=2000)
SAFETY=${FUZZ_SMOKE_MAX_SECONDS:-60}   # per harness; never reached on a sane machine
if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
    echo "ok fuzz_smoke # skip: no clang"
    exit 0
fi
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT
if make -j2 fuzz-build build/tools/sweep >"$log" 2>&1; then
    echo "ok fuzz_build"
else
    echo "not ok fuzz_build"; tail -20 "$log" | sed 's/^/    /'
    exit 1
fi

seeds=build/fuzz/seeds
corpus=${WP_CORPUS:-$(cd "$(git rev-parse --git-common-dir)/.." && pwd)/../shared/corpus/tcpdump}
stamp=$( { sha1sum build/tools/sweep tests/fuzz/seeds.sh tests/fuzz/regress/* captures/*.pcap*
           ls -l "$corpus" 2>/dev/null; } | sha1sum | cut -c1-40)
if [ "$(cat "$seeds/.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$seeds"
    FUZZ_DIR=$seeds bash tests/fuzz/seeds.sh | sed 's/^/# /'
    echo "$stamp" >"$seeds/.stamp"
else
    echo "# seeds: up to date in $seeds"
fi

status=0
for f in tests/fuzz/fuzz_*.c; do
    n=$(basename "$f" .c)
    runs=${FUZZ_SMOKE_RUNS:-${RUNS[$n]:-10000}}
    FUZZ_DIR=$work FUZZ_SEEDS=$seeds FUZZ_RUNS=$runs FUZZ_SEED=$SEED \
        bash tests/fuzz/run.sh "$SAFETY" "$n" || status=1
    # keep what a failure left, for a look and a regression fixture
    if ls "$work"/artifacts/* >/dev/null 2>&1; then
        mkdir -p build/fuzz/artifacts
        cp "$work"/artifacts/* build/fuzz/artifacts/
        echo "# saved: $(ls "$work"/artifacts | sed 's|^|build/fuzz/artifacts/|' | tr '\n' ' ')"
        rm -f "$work"/artifacts/*
    fi
done
exit $status
