#!/usr/bin/env bash
# Hostile input under AddressSanitizer + UBSan (issue 7), using `make sanitize`:
#   - build/asan/tools/sweep over every file in captures/ and in
#     ../shared/corpus/tcpdump (every frame decoded, every field read, laid
#     out and rendered with every renderer; promises checked);
#   - the snap-length sweep: every frame of captures/ at every caplen 0..full;
#   - build/asan/wirepeel show -r F -o FMT for every FMT over captures/
#     (skipped while src/cli/show.c is still a stub).
# Any sanitizer report fails (abort_on_error). Exit codes checked: sweep 0
# clean / 1 broken promise or time bound / 2 usage; show 0 on every fixture.
# One line per check: "ok NAME" / "not ok NAME". Takes about a minute on
# 2 cores after a clean build (see the "# took" lines).
set -u
cd "$(git rev-parse --show-toplevel)" || exit 1
ASAN=build/asan
SWEEP=$ASAN/tools/sweep
# shared/ sits beside the clone (CI); from a worktree, beside the main clone.
CORPUS=${WP_CORPUS:-$(git rev-parse --show-toplevel)/../shared/corpus/tcpdump}
common=$(cd "$(git rev-parse --git-common-dir)/.." && pwd)
[ -d "$CORPUS" ] || [ -n "${WP_CORPUS:-}" ] || CORPUS=$common/../shared/corpus/tcpdump
PER_FILE=10   # seconds a single file may take
export ASAN_OPTIONS=abort_on_error=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s)

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "    $l"; done; }
san_report() { grep -E -m3 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$1"; }

if make -j2 sanitize >"$tmp/build.log" 2>&1 && [ -x "$SWEEP" ] && [ -x $ASAN/wirepeel ]; then
    ok sanitize_build
else
    notok sanitize_build "$(tail -5 "$tmp/build.log")"
    exit 1
fi
echo "# took $(( $(date +%s) - t0 )) s to build"

# run_sweep NAME ARGS...: expects exit 0, no sanitizer report, 0 violations.
run_sweep() {
    local name=$1; shift
    local s=$(date +%s)
    "$SWEEP" -q --time-limit $PER_FILE "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    local rc=$?
    local rep; rep=$(san_report "$tmp/$name.err")
    if [ $rc -eq 0 ] && [ -z "$rep" ] && grep -q ' 0 violations, 0 over the time bound' "$tmp/$name.out"; then
        ok "$name"
    else
        notok "$name" "exit $rc" $rep "$(grep -E '^(VIOLATION|TIMEOUT)' "$tmp/$name.out" | head -20)" \
            "$(tail -3 "$tmp/$name.out")" "$(tail -30 "$tmp/$name.err")"
    fi
    echo "# $(tail -1 "$tmp/$name.out") [$(( $(date +%s) - s )) s]"
}

captures=(captures/*.pcap captures/*.pcapng)
run_sweep sweep_captures "${captures[@]}"
# the fixtures are all readable captures: none may be skipped
if grep -q 'skipped' "$tmp/sweep_captures.err"; then
    notok sweep_captures_all_read "$(grep skipped "$tmp/sweep_captures.err")"
else
    ok sweep_captures_all_read
fi
run_sweep snaplen_sweep_captures --snaplen-sweep "${captures[@]}"

if [ -d "$CORPUS" ]; then
    run_sweep sweep_corpus_tcpdump "$CORPUS"/*
else
    echo "ok sweep_corpus_tcpdump # skip: $CORPUS is absent"
fi

# Documented exit codes of the sweep itself.
"$SWEEP" -q >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok sweep_usage_exit_2 || notok sweep_usage_exit_2 "exit $rc"
printf 'not a capture\n' >"$tmp/text.pcap"
"$SWEEP" -q "$tmp/text.pcap" "$tmp/missing.pcap" captures/arp.pcap >"$tmp/bad.out" 2>"$tmp/bad.err"; rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c 'skipped' "$tmp/bad.err")" -eq 2 ] &&
    grep -q '3 files (2 unreadable' "$tmp/bad.out"; then
    ok sweep_unreadable_files_reported_not_fatal
else
    notok sweep_unreadable_files_reported_not_fatal "exit $rc" "$(cat "$tmp/bad.out" "$tmp/bad.err")"
fi

# The CLI itself under the sanitizers.
if grep -q 'STUB' src/cli/show.c; then
    echo "ok show_asan_every_format # skip: wirepeel show is not on this branch yet"
else
    fmts=(summary layers hex json struct)
    $ASAN/wirepeel show -r captures/arp.pcap -o fields >/dev/null 2>&1 && fmts+=(fields)
    for fmt in "${fmts[@]}"; do
        s=$(date +%s); fails=()
        for f in "${captures[@]}"; do
            timeout $PER_FILE $ASAN/wirepeel show -r "$f" -o "$fmt" >"$tmp/show.out" 2>"$tmp/show.err"
            rc=$?
            rep=$(san_report "$tmp/show.err")
            if [ $rc -ne 0 ] || [ -n "$rep" ]; then
                fails+=("$f: exit $rc $rep $(head -3 "$tmp/show.err")")
            elif [ ! -s "$tmp/show.out" ]; then
                fails+=("$f: nothing on stdout")
            fi
        done
        if [ ${#fails[@]} -eq 0 ]; then ok "show_asan_$fmt"; else notok "show_asan_$fmt" "${fails[@]:0:10}"; fi
        echo "# show -o $fmt over ${#captures[@]} files [$(( $(date +%s) - s )) s]"
    done
fi
echo "# took $(( $(date +%s) - t0 )) s in all"
