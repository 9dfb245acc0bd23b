#!/usr/bin/env bash
# Installs what wirepeel needs on a Debian machine. `tools/deps.sh` (what
# `make` runs): only what building the tool needs. `tools/deps.sh test`
# (what `make test` runs): the test tools too (cmocka, tshark, tcpdump,
# tmux, python3, clang and its sanitizer runtimes for the fuzzers, xmllint
# and chromium for the diagram suites' SVG/HTML checks).
# `tools/deps.sh bench` adds make bench's peers and timer (termshark, time).
# Package names are the release-independent ones (libclang-rt-dev, not
# libclang-rt-14-dev). As root it runs apt-get; otherwise it prints the
# exact command to run.
set -u
build_pkgs="gcc make pkg-config libpcap-dev libncurses-dev zlib1g-dev"
test_pkgs=""
bench_pkgs=""
case "${1:-}" in
test) test_pkgs="libcmocka-dev tshark tcpdump tmux python3 iproute2 util-linux clang libclang-rt-dev libxml2-utils chromium" ;;
bench)
    test_pkgs="libcmocka-dev tshark tcpdump tmux python3 iproute2 util-linux clang libclang-rt-dev libxml2-utils chromium"
    bench_pkgs="time termshark"
    ;;
"") ;;
*) echo "usage: tools/deps.sh [test|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $build_pkgs $test_pkgs $bench_pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    if [ -n "$bench_pkgs" ]; then
        echo "wirepeel (with make bench's peers) needs these Debian packages:$missing" >&2
    elif [ -n "$test_pkgs" ]; then
        echo "wirepeel's tests (make test) need these Debian packages:$missing" >&2
    else
        echo "wirepeel needs these Debian packages:$missing" >&2
    fi
    echo "install them with:  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "tools/deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -qq >&2 || { echo "tools/deps.sh: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2 || {
    echo "tools/deps.sh: apt-get install failed for:$missing" >&2
    exit 1
}
