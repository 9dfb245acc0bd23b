#!/usr/bin/env bash
# Oracle: wirepeel's decoded fields against tshark's, on every capture in
# captures/ and the well-formed part of the tcpdump corpus (../shared/corpus).
set -u
BUILD=${BUILD:-build}
if ! command -v tshark >/dev/null; then
    echo "not ok oracle: tshark is not installed (run tools/deps.sh)"
    exit 1
fi
corpus=${WP_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/corpus/tcpdump}
if [ ! -d "$corpus" ]; then
    echo "# no corpus at $corpus: checking captures/ only"
    corpus=""
fi
WP_CORPUS="$corpus" python3 tests/oracle/oracle.py "$BUILD/wirepeel" captures/*.pcap captures/*.pcapng
