# Shared by tests/suites/golden.sh and tests/golden/update.sh: the goldens
# are what the command line prints, `$BUILD/wirepeel show -r FILE -o FORMAT`,
# and nothing else: a broken CLI fails them.
# check_runner says why the CLI cannot run (and returns 1) when it cannot;
# run_render FILE FORMAT [ARGS...] renders, with show's exit status.
check_runner() {
    if [ ! -x "$BUILD/wirepeel" ]; then
        echo "no $BUILD/wirepeel: build it first (make -j2 all)"
        return 1
    fi
}

run_render() {
    local f=$1 fmt=$2
    shift 2
    "$BUILD/wirepeel" show -r "$f" -o "$fmt" "$@"
}
