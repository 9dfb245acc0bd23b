#!/usr/bin/env bash
# Run every fuzz harness (build/fuzz/fuzz_*) one after the other (never in
# parallel: the machine is shared), from seeded corpora.
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]
# Time-based (the default, `make fuzz`): each harness runs SECONDS, with a
# random seed, and what it finds stays in the corpus for the next run.
# Count-based (CI, tests/suites/fuzz_smoke.sh): FUZZ_RUNS=N runs exactly N
# inputs per harness with -seed=$FUZZ_SEED (default 1); with the same code
# and corpus it does the same thing every time. SECONDS is then only a
# safety bound (a stop there is not a failure).
# FUZZ_BIN: where the harnesses are (default build/fuzz); FUZZ_DIR: where
# the corpora, logs and artifacts go (default the same); FUZZ_SEEDS: a
# directory of seed corpora (corpus-decode, ...) read but never written.
# Prints libFuzzer's final stats per harness (executions, cov:, ft:) and one
# "ok fuzz_NAME" / "not ok fuzz_NAME" line each; crashes are saved as
# $FUZZ_DIR/artifacts/NAME-crash-*. Exit 1 if any harness failed.
set -u
cd "$(git rev-parse --show-toplevel)"
SECS=${1:-60}; shift || true
BIN=${FUZZ_BIN:-build/fuzz}
OUT=${FUZZ_DIR:-$BIN}
RUNS=${FUZZ_RUNS:-}
names=("$@")
[ ${#names[@]} -eq 0 ] && for f in tests/fuzz/fuzz_*.c; do names+=("$(basename "$f" .c)"); done
[ -n "${FUZZ_SEEDS:-}" ] || [ -d "$OUT/corpus-decode" ] || FUZZ_DIR=$OUT bash tests/fuzz/seeds.sh
mkdir -p "$OUT/artifacts" "$OUT/logs"
export ASAN_OPTIONS=abort_on_error=1:halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for n in "${names[@]}"; do
    bin=$BIN/$n
    corpus=$OUT/corpus-${n#fuzz_}
    mkdir -p "$corpus"
    maxlen=4096; [ "$n" = fuzz_unpack ] && maxlen=1024
    log=$OUT/logs/$n.log
    mode=(-max_total_time="$SECS")
    pre=()
    if [ -n "$RUNS" ]; then
        # Determinism needs more than -seed: no periodic corpus re-reads
        # (time-based), and fixed addresses (comparisons of pointers feed
        # the mutator's tables, so ASLR would change the inputs tried).
        mode+=(-runs="$RUNS" -seed="${FUZZ_SEED:-1}" -reload=0)
        setarch "$(uname -m)" -R true 2>/dev/null && pre=(setarch "$(uname -m)" -R)
    fi
    "${pre[@]}" "$bin" "${mode[@]}" -timeout=10 -rss_limit_mb=1536 -max_len=$maxlen \
        -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$n-" "$corpus" \
        ${FUZZ_SEEDS:+"$FUZZ_SEEDS/corpus-${n#fuzz_}"} >"$log" 2>&1
    rc=$?
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    secs=$(grep -m1 'stat::.*time\|Done [0-9]* runs in' "$log" | grep -oE '[0-9]+ second' | awk '{print $1}')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    echo "# $n ${RUNS:+runs=$RUNS seed=${FUZZ_SEED:-1} }${secs:-?}s: ${execs:-?} executions; ${last:-no stats}"
    if [ $rc -eq 0 ]; then
        echo "ok $n"
    else
        echo "not ok $n (exit $rc; log $log)"
        grep -E -A25 'ERROR: |runtime error|broken promise|deadly signal' "$log" | head -60 | sed 's/^/    /'
        status=1
    fi
done
exit $status
