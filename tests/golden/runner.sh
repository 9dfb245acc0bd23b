# Shared by tests/suites/golden.sh and tests/golden/update.sh: choose how to
# render a capture. `wirepeel show` is used once it works (it prints the same
# wp_render output); until then tools/wprender.
# pick_runner CAPTURES_DIR sets RUNNER_NAME; run_render FILE FORMAT renders.
pick_runner() {
    local probe
    probe=$(ls "$1"/*.pcap 2>/dev/null | head -1)
    if [ -n "${GOLDEN_RUNNER:-}" ]; then
        RUNNER_NAME=$GOLDEN_RUNNER
    elif [ -n "$probe" ] && [ -x "$BUILD/wirepeel" ] &&
        "$BUILD/wirepeel" show -r "$probe" -o fields >/dev/null 2>&1; then
        RUNNER_NAME=show
    elif [ -x "$BUILD/tools/wprender" ]; then
        RUNNER_NAME=wprender
    else
        return 1
    fi
}

run_render() {
    if [ "$RUNNER_NAME" = show ]; then
        "$BUILD/wirepeel" show -r "$1" -o "$2"
    else
        "$BUILD/tools/wprender" -o "$2" "$1"
    fi
}
