#!/usr/bin/env bash
# Reassembly oracle: wirepeel's IP reassembly (reassembled_in, the reassembled
# length, the UDP/TCP fields of the reassembled datagram) against `tshark -2`
# on captures/ and every corpus capture in which wirepeel sees a fragment.
set -u
BUILD=${BUILD:-build}
if ! command -v tshark >/dev/null; then
    echo "not ok reasm_oracle: tshark is not installed (run tools/deps.sh)"
    exit 1
fi
corpus=${WP_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/corpus/tcpdump}
[ -d "$corpus" ] || { echo "# no corpus at $corpus: checking captures/ only"; corpus=""; }
WP_CORPUS="$corpus" python3 tests/oracle/reasm_oracle.py "$BUILD/wirepeel" captures/*.pcap \
    captures/*.pcapng
