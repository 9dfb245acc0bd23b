#!/usr/bin/env bash
# Follow oracle: `wirepeel follow` against `tshark -z follow,tcp,raw,N`, each
# direction of every TCP stream of captures/ and of the corpus's TCP files,
# byte for byte (tshark's gap markers removed; where wirepeel keeps data after
# an unacknowledged gap that tshark drops, tests/oracle/follow_oracle.py says
# so and checks that tshark's bytes are a prefix of ours).
set -u
BUILD=${BUILD:-build}
if ! command -v tshark >/dev/null; then
    echo "not ok follow_oracle: tshark is not installed (run tools/deps.sh)"
    exit 1
fi
corpus=${WP_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/corpus/tcpdump}
[ -d "$corpus" ] || { echo "# no corpus at $corpus: checking captures/ only"; corpus=""; }
WP_CORPUS="$corpus" python3 tests/oracle/follow_oracle.py "$BUILD/wirepeel" captures/*.pcap \
    captures/*.pcapng
