#!/usr/bin/env bash
# Diagram oracle: the bit position of every cell of wirepeel's header
# diagrams (wirepeel diagram --format tsv) against tshark's field positions
# (tshark -T json -x raw arrays) on every frame of every capture in captures/.
# See tests/oracle/diagram_oracle.py for the rules and the known differences.
set -u
BUILD=${BUILD:-build}
if ! command -v tshark >/dev/null; then
    echo "not ok diagram-oracle: tshark is not installed (run tools/deps.sh)"
    exit 1
fi
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
# pcapng-sections.pcapng is left out: tshark 4.0 numbers its two unknown
# blocks as frames, so its frame numbers are not wirepeel's (files.sh
# compares its packets with tshark's by IP id instead)
python3 tests/oracle/diagram_oracle.py "$BUILD/wirepeel" captures/*.pcap \
    $(ls captures/*.pcapng | grep -v '/pcapng-sections\.pcapng$')
