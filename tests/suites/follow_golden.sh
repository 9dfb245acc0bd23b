#!/usr/bin/env bash
# Golden tests of `wirepeel follow`: every case of tests/golden/follow.list
# (NAME, CAPTURE, the arguments after -r CAPTURE) diffed against
# tests/golden/follow/NAME.out; plus the properties that make follow worth
# having, checked on the outputs themselves: hex offsets never shift after a
# gap, -o raw --out-prefix writes exactly each side's bytes, and errors.
# FOLLOW_GOLDEN_UPDATE=1 rewrites the expected outputs (review git diff).
set -u
export TZ=UTC LC_ALL=C
BUILD=${BUILD:-build}
WP=$BUILD/wirepeel
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
dir=tests/golden/follow
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

while IFS=$'\t' read -r name cap args; do
    case "$name" in \#*|"") continue ;; esac
    # shellcheck disable=SC2086
    if [ "$args" != "${args#-f }" ]; then
        "$WP" follow -r "captures/$cap" -f "${args#-f }" >"$tmp/out" 2>&1
    else
        "$WP" follow -r "captures/$cap" $args >"$tmp/out" 2>&1
    fi
    if [ -n "${FOLLOW_GOLDEN_UPDATE:-}" ]; then
        cp "$tmp/out" "$dir/$name.out"
        echo "ok $name (written)"
    elif diff -u "$dir/$name.out" "$tmp/out" >"$tmp/diff"; then
        echo "ok $name"
    else
        echo "not ok $name"; head -30 "$tmp/diff"
    fi
done <tests/golden/follow.list

# A gap is a marker, never data: in hex, the data after the 10-byte gap of
# stream 0 starts at offset 0x14 (20), where it belongs.
if "$WP" follow -r captures/reasm-tcp-gaps.pcap 0 -o hex | grep -q '^00000014  74 68 69 72'; then
    echo "ok follow-hex-offsets-stay-after-gap"
else
    echo "not ok follow-hex-offsets-stay-after-gap"
fi

# Data after a gap nobody acknowledged is kept (tshark drops it).
if "$WP" follow -r captures/reasm-tcp-gaps.pcap 1 -o raw --out-prefix "$tmp/g" 2>/dev/null &&
   [ "$(cat "$tmp/g.client")" = "first ten.third ten.fourth ten" ]; then
    echo "ok follow-keeps-data-after-unacked-gap"
else
    echo "not ok follow-keeps-data-after-unacked-gap"
fi

# --out-prefix writes each direction exactly.
if "$WP" follow -r captures/reasm-tcp-exchange.pcap -o raw --out-prefix "$tmp/x" 2>/dev/null &&
   printf 'GET /notes HTTP/1.0\r\nHost: course\r\n\r\n' | cmp -s - "$tmp/x.client" &&
   printf 'HTTP/1.0 200 OK\r\n\r\nTCP is a stream, UDP is datagrams.\n' | cmp -s - "$tmp/x.server"; then
    echo "ok follow-out-prefix-exact-bytes"
else
    echo "not ok follow-out-prefix-exact-bytes"
fi

# A cap keeps the bytes up to the limit exactly: with --stream-cap 30 each
# side's file is the first 30 bytes of what it sent, no more, no less.
if "$WP" follow -r captures/reasm-tcp-exchange.pcap --stream-cap 30 -o raw --out-prefix "$tmp/c" 2>/dev/null &&
   printf 'GET /notes HTTP/1.0\r\nHost: cou' | cmp -s - "$tmp/c.client" &&
   printf 'HTTP/1.0 200 OK\r\n\r\nTCP is a st' | cmp -s - "$tmp/c.server"; then
    echo "ok follow-cap-cuts-at-the-byte"
else
    echo "not ok follow-cap-cuts-at-the-byte"
fi

# -Y picks the first conversation with a matching packet; streams keep the
# numbers the whole capture gives them (stream 2 stays 2).
if "$WP" follow -r captures/reasm-tcp-retrans.pcap -Y 'tcp.port == 41005' >"$tmp/y1" 2>&1 &&
   "$WP" follow -r captures/reasm-tcp-retrans.pcap 2 >"$tmp/y2" 2>&1 && cmp -s "$tmp/y1" "$tmp/y2" &&
   head -1 "$tmp/y1" | grep -q '^Follow: tcp stream 2 (ascii)$'; then
    echo "ok follow-Y-picks-the-stream-and-keeps-its-number"
else
    echo "not ok follow-Y-picks-the-stream-and-keeps-its-number"
fi
# conversation fields work too: the first retransmission is in stream 0
if "$WP" follow -r captures/reasm-tcp-retrans.pcap -Y 'tcp.analysis.retransmission && tcp.stream > 0' 2>&1 |
   head -1 | grep -q '^Follow: tcp stream 1 (ascii)$'; then
    echo "ok follow-Y-conversation-fields"
else
    echo "not ok follow-Y-conversation-fields"
fi
"$WP" follow -r captures/reasm-tcp-retrans.pcap -Y 'tcp.port == 9' >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && echo "ok follow-Y-no-match-exits-1" || echo "not ok follow-Y-no-match-exits-1 (rc $rc)"
"$WP" follow -r captures/reasm-tcp-retrans.pcap -Y 'tcp.prot == 9' >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && echo "ok follow-Y-bad-filter-exits-2" || echo "not ok follow-Y-bad-filter-exits-2 (rc $rc)"
"$WP" follow -r captures/reasm-tcp-retrans.pcap 1 -Y tcp >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && echo "ok follow-Y-and-STREAM-exits-2" || echo "not ok follow-Y-and-STREAM-exits-2 (rc $rc)"

# Errors: a stream that does not exist is a runtime failure (1), a bad
# option a usage error (2).
"$WP" follow -r captures/reasm-tcp-exchange.pcap 7 >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && echo "ok follow-no-such-stream-exits-1" || echo "not ok follow-no-such-stream-exits-1 (rc $rc)"
"$WP" follow -r captures/reasm-tcp-exchange.pcap -o pdf >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && echo "ok follow-bad-format-exits-2" || echo "not ok follow-bad-format-exits-2 (rc $rc)"
"$WP" follow -r captures/reasm-tcp-exchange.pcap --out-prefix "$tmp/y" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && echo "ok follow-out-prefix-needs-raw" || echo "not ok follow-out-prefix-needs-raw (rc $rc)"

# The datagram whose middle fragment never came is reported at the end of
# show (on stderr) and of flows, with the bytes missing.
for cmd in "show -r captures/reasm-ipv4-frags.pcap" "show -r captures/reasm-ipv4-frags.pcap -o layers" \
           "flows -r captures/reasm-ipv4-frags.pcap"; do
    # shellcheck disable=SC2086
    if "$WP" $cmd 2>&1 | grep -q 'incomplete IPv4 datagram 192.0.2.1 -> 192.0.2.2 id 0x3004 proto 17: frames 10, 11; 800 bytes held, missing 400..799'; then
        echo "ok incomplete-datagram-reported ($cmd)"
    else
        echo "not ok incomplete-datagram-reported ($cmd)"
    fi
done
