#!/usr/bin/env bash
# Quiz oracle: every answer `wirepeel quiz --key` generates (two seeds, 100
# questions each) on the fixtures and a set of corpus captures, recomputed
# from tshark's fields by tests/oracle/quiz_oracle.py; a disagreement fails.
set -u
BUILD=${BUILD:-build}
if ! command -v tshark >/dev/null; then
    echo "not ok quiz_oracle: tshark is not installed (run tools/deps.sh)"
    exit 1
fi
corpus=${WP_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/corpus/tcpdump}
extra=()
if [ -d "$corpus" ]; then
    # well-formed captures with TCP handshakes, ICMP, tunnels and AccECN
    for f in dns_tcp.pcap accecn_handshake.pcap bgp-4byte-asn.pcap mptcp-v0.pcap \
             icmp-rfc8335.pcap edns-opts.pcap geneve.pcap erspan-type-i-4.pcap; do
        [ -f "$corpus/$f" ] && extra+=("$corpus/$f")
    done
else
    echo "# no corpus at $corpus: checking captures/ only"
fi
# pcapng-sections.pcapng is left out: tshark 4.0 numbers its two blocks of
# unknown type as frames, so its frame numbers are not wirepeel's (files.sh
# compares that file's packets with tshark's by IP id instead).
python3 tests/oracle/quiz_oracle.py "$BUILD/wirepeel" 1,7 captures/*.pcap \
    $(ls captures/*.pcapng | grep -v '/pcapng-sections\.pcapng$') "${extra[@]}"
