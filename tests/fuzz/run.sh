#!/usr/bin/env bash
# Run every fuzz harness (build/fuzz/fuzz_*) for SECONDS each, one after the
# other (never in parallel: the machine is shared), from seeded corpora.
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]
# Prints libFuzzer's final stats per harness (executions, cov:, ft:) and one
# "ok fuzz_NAME" / "not ok fuzz_NAME" line each; crashes are saved as
# build/fuzz/artifacts/NAME-crash-*. Exit 1 if any harness failed.
set -u
cd "$(git rev-parse --show-toplevel)"
SECS=${1:-60}; shift || true
OUT=${FUZZ_DIR:-build/fuzz}
names=("$@")
[ ${#names[@]} -eq 0 ] && for f in tests/fuzz/fuzz_*.c; do names+=("$(basename "$f" .c)"); done
[ -d "$OUT/corpus-decode" ] || bash tests/fuzz/seeds.sh
mkdir -p "$OUT/artifacts" "$OUT/logs"
export ASAN_OPTIONS=abort_on_error=1:halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for n in "${names[@]}"; do
    bin=$OUT/$n
    corpus=$OUT/corpus-${n#fuzz_}
    mkdir -p "$corpus"
    maxlen=4096; [ "$n" = fuzz_unpack ] && maxlen=1024
    log=$OUT/logs/$n.log
    "$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=1536 -max_len=$maxlen \
        -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$n-" "$corpus" >"$log" 2>&1
    rc=$?
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    echo "# $n ${SECS}s: ${execs:-?} executions; ${last:-no stats}"
    if [ $rc -eq 0 ]; then
        echo "ok $n"
    else
        echo "not ok $n (exit $rc; log $log)"
        grep -E -A25 'ERROR: |runtime error|broken promise|deadly signal' "$log" | head -60 | sed 's/^/    /'
        status=1
    fi
done
exit $status
