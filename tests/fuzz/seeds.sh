#!/usr/bin/env bash
# Seed the fuzz corpora (and corpus-pcapng with every pcapng file): every frame (the first 16 of each file) of every
# capture in captures/ and ../shared/corpus/tcpdump becomes a seed in
# build/fuzz/corpus-decode (first byte: the link type's index in
# tests/fuzz/exercise.h) and corpus-layout; every header's struct format, a
# NUL and its bytes a seed in corpus-unpack. Uses the sweep tool ($SWEEP,
# default build/tools/sweep). Seeds are named by content hash: reruns add
# nothing twice. Also copies tests/fuzz/regress/ into corpus-decode.
set -eu
cd "$(git rev-parse --show-toplevel)"
SWEEP=${SWEEP:-build/tools/sweep}
OUT=${FUZZ_DIR:-build/fuzz}
CORPUS=${WP_CORPUS:-$(git rev-parse --show-toplevel)/../shared/corpus/tcpdump}
common=$(cd "$(git rev-parse --git-common-dir)/.." && pwd)
[ -d "$CORPUS" ] || [ -n "${WP_CORPUS:-}" ] || CORPUS=$common/../shared/corpus/tcpdump
files=(captures/*.pcap captures/*.pcapng)
[ -d "$CORPUS" ] && files+=("$CORPUS"/*) || echo "seeds: $CORPUS absent: seeding from captures/ only"
mkdir -p "$OUT"
"$SWEEP" -q --time-limit 30 --seeds "$OUT" "${files[@]}" 2>/dev/null | grep '^sweep: .* seeds' || true
[ -d tests/fuzz/regress ] && find tests/fuzz/regress -type f -name '*.bin' -exec cp {} "$OUT/corpus-decode/" \;
# DNS names (src/proto/dns.c): raw IPv4 (link index 3), UDP 53 without a
# checksum, and a message whose names the mutator can bend: a pointer chain
# one short of the cap, a pointer loop in a CNAME's data, a forward pointer,
# a label length 0x80, a name of exactly 255 bytes. The same messages bare,
# and those of the DNS fixtures, seed fuzz_dns (corpus-dns).
mkdir -p "$OUT/corpus-dns"
python3 - "$OUT/corpus-decode" "$OUT/corpus-dns" captures/dns-answers.pcap captures/bad-dns.pcap <<'PY'
import struct, sys
def frame(msg):
    udp = struct.pack("!HHHH", 40000, 53, 8 + len(msg), 0) + msg
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     bytes([192, 0, 2, 1]), bytes([192, 0, 2, 53]))
    s = sum(struct.unpack("!10H", ip))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xffff) + ip[12:]
    return b"\x03" + ip + udp
def hdr(qd, an, qr=0x8180):
    return struct.pack("!HHHHHH", 0x5eed, qr, qd, an, 0, 0)
q_root = b"\x00" + struct.pack("!HH", 1, 1)
chain = b"".join(struct.pack("!H", 0xc000 | (12 if i == 0 else 29 + 2 * (i - 1)))
                 for i in range(31))
seeds = {
    "dns-pointer-chain": hdr(1, 2) + q_root + b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 60, 62)
                         + chain + struct.pack("!H", 0xc000 | (29 + 60))
                         + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 53]),
    "dns-cname-loop": hdr(1, 1) + b"\x01a\x00" + struct.pack("!HH", 1, 1) + b"\xc0\x0c"
                      + struct.pack("!HHIH", 5, 1, 60, 4) + b"\x01b\xc0\x1f",
    "dns-forward": hdr(1, 0, 0x0100) + b"\xc0\x12" + struct.pack("!HH", 1, 1) + b"\x01x\x00",
    "dns-label-0x80": hdr(1, 0, 0x0100) + b"\x80" + b"y" * 20 + b"\x00" + struct.pack("!HH", 1, 1),
    "dns-name-255": hdr(1, 0, 0x0100) + b"".join(bytes([63]) + b"z" * 63 for _ in range(3))
                    + bytes([61]) + b"w" * 61 + b"\x00" + struct.pack("!HH", 28, 1),
}
for name, msg in seeds.items():
    open("%s/%s" % (sys.argv[1], name), "wb").write(frame(msg))
    open("%s/%s" % (sys.argv[2], name), "wb").write(msg)
for path in sys.argv[3:]:  # Ethernet, IPv4 or IPv6, UDP: the message after
    d = open(path, "rb").read()
    o, i = 24, 0
    while o + 16 <= len(d):
        cl = struct.unpack("<I", d[o + 8:o + 12])[0]
        f = d[o + 16:o + 16 + cl]
        o, i = o + 16 + cl, i + 1
        at = 14 + (40 if f[12:14] == b"\x86\xdd" else 20) + 8
        open("%s/%s-%d" % (sys.argv[2], path.split("/")[-1], i), "wb").write(f[at:])
PY
mkdir -p "$OUT/corpus-layout"
cp -n "$OUT"/corpus-decode/* "$OUT/corpus-layout/" 2>/dev/null || true
# fuzz_quiz takes frames as fuzz_decode does; a quiz build costs thousands
# of decodes (its bounded tries), so 200 of them (by name: a fixed choice)
mkdir -p "$OUT/corpus-quiz"
q=$(cd "$OUT/corpus-quiz" && pwd)
(cd "$OUT/corpus-decode" && ls | sort | head -200 | xargs -r cp -n -t "$q") 2>/dev/null || true
# a few formats no capture header has: every code, counts, byte orders
u="$OUT/corpus-unpack"
printf '<bBhHiIqQ?x3s\0%032d' 0 >"$u/hand-all-codes"
printf '@BHBIBQ\0%024d' 0 >"$u/hand-native-align"
printf '=2H 0s 4x\0%08d' 0 >"$u/hand-spaces"
printf '!1000B\0' >"$u/hand-big-count"
# display filters: each expression of the oracle list, a NUL, then a frame
f="$OUT/corpus-filter"
mkdir -p "$f"
frames=("$OUT"/corpus-decode/*)
i=0
while IFS=$'\t' read -r e _; do
    [ -n "$e" ] && [ "${e:0:1}" != "#" ] || continue
    { printf '%s\0' "$e"; cat "${frames[$((i * 7 % ${#frames[@]}))]}"; } >"$f/expr-$i"
    i=$((i + 1))
done <tests/oracle/filter-expressions.tsv
# fuzz_flow's 13-byte frame records (tests/fuzz/fuzz_flow.c): a handshake,
# data and its ACK; DNS and ICMP echo requests and replies
f="$OUT/corpus-flow"
mkdir -p "$f"
printf '\x00\x02\x00\x00\x00\x64\x00\x00\x00\x00\x20\x00\x01\x01\x12\x00\x00\x00\xc8\x00\x00\x00\x65\x20\x00\x01\x00\x10\x00\x00\x00\x65\x00\x00\x00\xc9\x20\x00\x01\x00\x18\x00\x00\x00\x65\x00\x00\x00\xc9\x20\x10\x01\x01\x10\x00\x00\x00\xc9\x00\x00\x00\x75\x20\x00\x01' >"$f/hand-tcp"
printf '\x40\x00\x11\x11\x01\x00\x00\x00\x00\x00\x00\x0c\x01\x41\x00\x11\x11\x81\x80\x00\x00\x00\x00\x00\x0c\x02\x80\x07\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\xa1\x07\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01' >"$f/hand-udp-icmp"
# the pcapng reader's seeds: every pcapng file as it is (libFuzzer cuts the
# long ones at -max_len)
mkdir -p "$OUT/corpus-pcapng"
for f in captures/*.pcapng "$CORPUS"/*.pcapng; do
    [ -f "$f" ] && cp "$f" "$OUT/corpus-pcapng/$(sha1sum <"$f" | cut -c1-16)"
done
# fuzz_reasm starts from nothing (its input is a script of fragments and
# segments that libFuzzer grows by itself); its folder must exist all the same
mkdir -p "$OUT/corpus-reasm"
for d in decode layout unpack filter flow pcapng reasm quiz; do
    echo "seeds: $(ls "$OUT/corpus-$d" | wc -l) in $OUT/corpus-$d"
done
