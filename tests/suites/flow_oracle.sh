#!/usr/bin/env bash
# Conversation oracle: wirepeel's per-frame flow annotations (stream numbers,
# relative seq/ack, next seq, length, scaled window, TCP analysis labels,
# duplicate ACKs, ICMP/DNS reply pairing) against tshark -2 on the flow
# fixtures, captures/ and the tcpdump corpus (../shared/corpus). Differences
# where wirepeel is right are in tests/oracle/flow-known-differences.tsv.
set -u
BUILD=${BUILD:-build}
if ! command -v tshark >/dev/null; then
    echo "not ok flow_oracle: tshark is not installed (run tools/deps.sh)"
    exit 1
fi
corpus=${WP_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/corpus/tcpdump}
if [ ! -d "$corpus" ]; then
    echo "# no corpus at $corpus: checking captures/ only"
    corpus=""
fi
# pcapng-sections.pcapng is left out: tshark 4.0 numbers its two blocks of
# unknown type as frames, so its frame numbers are not wirepeel's.
WP_CORPUS="$corpus" python3 tests/oracle/flow_oracle.py "$BUILD/wirepeel" captures/*.pcap \
    $(ls captures/*.pcapng | grep -v '/pcapng-sections\.pcapng$')
