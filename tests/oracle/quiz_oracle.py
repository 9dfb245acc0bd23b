#!/usr/bin/env python3
"""Quiz oracle: every answer `wirepeel quiz --key` generates, recomputed from
tshark's fields, independently of wirepeel.

usage: quiz_oracle.py WIREPEEL SEEDS FILE...

For each capture and seed, `wirepeel quiz -r FILE --seed S --count 100
--key -` lists frame, type, what was asked (ref) and the answer. Each ref is
recomputed here from tshark (-2, relative sequence numbers, analysis on):

  P.F             the field's value: tshark's field (diagram_oracle.MAP)
  pos:P.F         the field's first byte: tshark's raw offset (-T json -x)
  owner:B         which header holds byte B: the innermost of tshark's
                  eth/ip/ipv6/arp/icmp/udp/tcp protocol ranges, else payload
  bits:P:B:N      the field at bits B..B+N-1 of header P: tshark's field at
                  those bits (diagram_oracle's bit arithmetic)
  ipv4.hdr_bytes  ip.hdr_len            ipv4.payload_bytes  ip.len - ip.hdr_len
  ipv4.frag_bytes ip.frag_offset x 8    tcp.hdr_bytes       tcp.hdr_len
  udp.payload_bytes udp.length - 8      tcp.nxtseq          tcp.nxtseq
  ipv4.csum_sum   0xffff - ip.checksum (ip.checksum.status good)
  icmp.resp_in    icmp.resp_in or none  tcp.ack@M           tcp.ack of frame M
  fragments       the frames whose ip.src, ip.dst, ip.id and ip.proto match
                  this fragment's, of those with ip.flags.mf or ip.frag_offset
  hs_step         1 SYN, 2 SYN-ACK, 3 the ACK (seq 1, ack 1, no data) right
                  after the stream's SYN-ACK
  tcp.analysis    tcp.analysis.{fast,spurious,}retransmission, out_of_order,
                  duplicate_ack, or normal
A ref this script does not know fails, as does any disagreement. Prints
`ok FILE seed S (N answers)` or `not ok ...`; exit 1 on any failure.
"""
import ipaddress
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diagram_oracle  # noqa: E402

diagram_oracle.TSHARK_FIELDS.add("tcp.flags.ace")

OPTS = ["-o", "tcp.relative_sequence_numbers:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE",
        "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:FALSE",
        "-o", "ip.check_checksum:TRUE"]
FIELDS = sorted(set(diagram_oracle.TSHARK_FIELDS) | {
    "tcp.stream", "tcp.len", "tcp.seq", "tcp.ack", "tcp.nxtseq", "ip.checksum.status",
    "icmp.resp_in", "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
    "tcp.analysis.spurious_retransmission", "tcp.analysis.out_of_order",
    "tcp.analysis.duplicate_ack"})
OWNER = {"eth": "ethernet", "ip": "ipv4", "ipv6": "ipv6", "arp": "arp", "icmp": "icmp",
         "udp": "udp", "tcp": "tcp"}
WP_OWNER = {"ethernet": "ethernet", "ipv4": "ipv4", "ipv6": "ipv6", "arp": "arp", "icmp": "icmp",
            "udp": "udp", "tcp": "tcp", "payload": "payload"}


def tshark_values(path):
    cmd = ["tshark", "-n", "-2", "-r", path, "-T", "fields", "-E", "occurrence=f",
           "-E", "separator=\t"] + OPTS
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        vals = line.split("\t")
        rows.append(dict(zip(FIELDS, vals)))
    return rows


def tshark_ranges(path):
    """Per frame: [(proto, off, len)] of the protocol layers, outermost first."""
    out = subprocess.run(["tshark", "-n", "-r", path, "-T", "json", "-x"] + OPTS,
                         capture_output=True, text=True, check=True).stdout
    res = []
    # pairs, not dicts: a tunnel's inner eth/ip repeat the keys
    for fr in json.loads(out, object_pairs_hook=lambda pairs: pairs):
        layers = dict(dict(fr)["_source"])["layers"]
        rs = []
        for k, v in layers:
            if not (k.endswith("_raw") and k != "frame_raw" and isinstance(v, list)
                    and len(v) == 5 and isinstance(v[1], int)):
                continue
            proto = k[:-4]
            if proto == "raw":
                continue  # LINKTYPE_RAW: tshark's pseudo-layer over the whole frame
            if proto not in OWNER:
                break  # what wirepeel does not decode is the payload of the header before it
            if proto == "icmp":
                # RFC 792's header is 8 bytes; tshark's range holds the message's data too
                rs.append((proto, v[1], min(v[2], 8)))
            else:
                rs.append((proto, v[1], v[2]))
        res.append(rs)
    return res


def num(s):
    if s is None or s == "":
        return None
    s = s.split(",")[0]
    return int(s, 16) if s.startswith("0x") else int(s)


def to_int(ans):
    a = ans.strip().lower()
    return int(a, 16) if a.startswith("0x") else int(a)


def expected(ref, frame, rows, ranges, bits):
    """tshark's answer for ref on frame (1-based): an int or a string."""
    r = rows[frame - 1]
    if ref.startswith("pos:"):
        proto, field = ref[4:].split(".", 1)
        t = diagram_oracle.MAP[(proto, field)][0]
        occ = bits[frame - 1].get(t)
        if occ and t == "ip.dst":
            # with a source route option tshark names the route's final
            # destination ip.dst and shows none at the header's field
            # (diagram_oracle's SOURCE_ROUTE_DST): that field is then 16
            # bytes into the header
            start = bits[frame - 1]["ip.version"][0][0] // 8
            if all(o[0] // 8 >= start + 20 for o in occ):
                return start + 16
        return occ[0][0] // 8 if occ else "tshark has no %s" % t
    if ref.startswith("owner:"):
        b = int(ref[6:])
        own = "payload"
        for proto, off, ln in ranges[frame - 1]:
            if off <= b < off + ln:
                own = OWNER.get(proto, "payload")
        return own
    if ref.startswith("bits:"):
        _, proto, b, n = ref.split(":")
        # the header's first bit: tshark's position of its first field
        first = {"ipv4": "ip.version", "tcp": "tcp.srcport", "udp": "udp.srcport",
                 "icmp": "icmp.type"}[proto]
        start = bits[frame - 1][first][0][0]
        if proto == "ipv4" and "ip.hdr_len" in bits[frame - 1]:
            # tshark names an IPv6 header's version ip.version too (IPv4 in
            # GRE in IPv6): the first IPv4 header is the first IHL's byte
            start = bits[frame - 1]["ip.hdr_len"][0][0] - 4
        want = (start + int(b), int(n))
        names = [f for (p, f), alts in diagram_oracle.MAP.items() if p == proto
                 for t in alts if want in bits[frame - 1].get(t, [])]
        if not names and proto == "tcp" and int(n) == 1 and any(
                o[0] <= want[0] < o[0] + o[1] for o in bits[frame - 1].get("tcp.flags.ace", [])):
            return ["AE", "CWR", "ECE"]  # AccECN: tshark shows the three bits as one ACE field
        if not names and proto == "ipv4" and int(b) == 128 and int(n) == 32:
            return ["dst"]  # tshark names a source route's last hop ip.dst (diagram_oracle)
        return names
    if ref.startswith("tcp.ack@"):
        return num(rows[int(ref[8:]) - 1]["tcp.ack"])
    simple = {"ipv4.hdr_bytes": lambda: num(r["ip.hdr_len"]),
              "ipv4.payload_bytes": lambda: num(r["ip.len"]) - num(r["ip.hdr_len"]),
              "ipv4.frag_bytes": lambda: num(r["ip.frag_offset"]) * 8,
              "tcp.hdr_bytes": lambda: num(r["tcp.hdr_len"]),
              "udp.payload_bytes": lambda: num(r["udp.length"]) - 8,
              "tcp.nxtseq": lambda: num(r["tcp.nxtseq"]),
              "ipv4.csum_sum": lambda: (0xffff - num(r["ip.checksum"])
                                        if r["ip.checksum.status"] == "1" else "checksum not good"),
              "icmp.resp_in": lambda: num(r["icmp.resp_in"]) or "none"}
    if ref in simple:
        return simple[ref]()
    if ref == "fragments":
        def key(x):
            mf = x.get("ip.flags.mf", "") in ("1", "True")
            if not (mf or (num(x.get("ip.frag_offset")) or 0) > 0):
                return None
            return (x["ip.src"], x["ip.dst"], x["ip.id"], x["ip.proto"])
        k = key(r)
        return ",".join(str(i + 1) for i, x in enumerate(rows) if k and key(x) == k) or "no fragment"
    if ref == "hs_step":
        fl = num(r["tcp.flags"]) & 0x17
        if fl == 0x02:
            return 1
        if fl == 0x12:
            return 2
        if fl == 0x10 and r["tcp.seq"] == "1" and r["tcp.ack"] == "1" and r["tcp.len"] == "0":
            prev = [x for x in rows[:frame - 1] if x["tcp.stream"] == r["tcp.stream"]]
            if prev and num(prev[-1]["tcp.flags"]) & 0x17 == 0x12:
                return 3
        return "no handshake step"
    if ref == "tcp.analysis":
        for f, name in (("fast_retransmission", "fast retransmission"),
                        ("spurious_retransmission", "spurious retransmission"),
                        ("retransmission", "retransmission"), ("out_of_order", "out-of-order"),
                        ("duplicate_ack", "duplicate ACK")):
            if r["tcp.analysis." + f]:
                return name
        return "normal"
    if "." in ref:
        proto, field = ref.split(".", 1)
        alts = diagram_oracle.MAP.get((proto, field))
        if not alts:
            return "no tshark field for %s" % ref
        v = r.get(alts[0], "")
        if proto == "ipv4" and field in ("src", "dst"):
            return v
        try:
            ipaddress.ip_address(v)
            return v  # an address field (icmp.gateway, arp addresses): compared as one
        except ValueError:
            pass
        n = num(v)
        if n is None:
            return "tshark has no %s" % alts[0]
        if (proto, field) in (("ipv4", "ihl"), ("tcp", "data_offset")):
            n //= 4  # tshark gives bytes; the field holds 32-bit words
        if (proto, field) == ("tcp", "flags"):
            n &= 0xfff
        return n
    return "unknown ref %s" % ref


def is_addr(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def agree(exp, ans, ref):
    if exp is None:
        return False  # the oracle computes nothing for this ref: reported, never passed
    if ref == "ipv4.total_len" and ans == "0" and isinstance(exp, int):
        # tshark puts the captured length in ip.len for a Total length of 0
        # (TSO); the field holds 0 (known-differences.tsv)
        return True
    if isinstance(exp, list):
        return ans in exp
    if isinstance(exp, int):
        try:
            return to_int(ans) == exp
        except ValueError:
            return False
    if ref.startswith("owner:"):
        return WP_OWNER.get(ans.lower()) == exp
    if ref in ("ipv4.src", "ipv4.dst") or isinstance(exp, str) and ":" not in ref and is_addr(exp):
        try:
            return ipaddress.ip_address(ans) == ipaddress.ip_address(exp)
        except ValueError:
            return False
    return ans.lower() == exp.lower()


def main():
    wp, seeds, paths = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
    failed, total = 0, 0
    for path in paths:
        rows = tshark_values(path)
        ranges = tshark_ranges(path)
        bits = diagram_oracle.tshark_fields(path)
        for seed in seeds:
            out = subprocess.run([wp, "quiz", "-r", path, "--seed", seed, "--count", "100",
                                  "--key", "-"], capture_output=True, text=True)
            if out.returncode != 0:
                if "gives no question" in out.stderr:
                    print("ok %s seed %s (no question)" % (path, seed))
                    continue
                failed += 1
                print("not ok %s seed %s: %s" % (path, seed, out.stderr.strip()))
                continue
            bad = []
            n = 0
            for line in out.stdout.splitlines():
                frame, typ, ref, ans = line.split("\t")
                n += 1
                try:
                    exp = expected(ref, int(frame), rows, ranges, bits)
                except (KeyError, IndexError, TypeError, ValueError) as e:
                    exp = "error %r" % e
                if not agree(exp, ans, ref):
                    bad.append("frame %s %s %s: wirepeel %s, tshark %s" % (frame, typ, ref, ans, exp))
            total += n
            if bad:
                failed += 1
                print("not ok %s seed %s: %s" % (path, seed, bad[0]))
                for b in bad[1:5]:
                    print("    " + b)
            else:
                print("ok %s seed %s (%d answers)" % (path, seed, n))
    print("# %d answers compared" % total)
    if total == 0:
        print("not ok quiz-oracle: nothing compared")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
