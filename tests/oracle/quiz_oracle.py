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
  bitpos:P:F      the bits field F of header P occupies, from its first
                  bit: tshark's field's bits ("bits A-B" / "bit A")
  tcp.acked_in    the first later frame of the tcp.stream from the other
                  side (address, port) with the ACK flag and tcp.ack >=
                  this frame's tcp.nxtseq, or none
  udp.resp_in     the first later frame of the udp.stream if the other side
                  (not the stream's first sender) sent it, else none
  dns.resp_in     dns.response_in, or none
  tcp.close_step  first FIN, ACK of the first FIN, second FIN, last ACK or
                  reset, from tcp.flags, tcp.ack, tcp.nxtseq, tcp.len and
                  the direction of the stream's earlier frames
  tcp.seq@M, tcp.flags@M  tcp.seq, tcp.flags (names) of frame M
  udp|tcp.csum_pseudo  the folded sum of the pseudo-header's words, from
                  ip.src/dst (ipv6.src/dst), the protocol and udp.length
                  (ip.len - ip.hdr_len; ipv6.plen)
  udp|tcp.csum_sum  0xffff - udp|tcp.checksum (checksum status good)
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
    "tcp.analysis.duplicate_ack", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.proto",
    "ipv6.plen", "ipv6.nxt", "ip.len", "ip.hdr_len", "udp.stream", "udp.srcport", "udp.length",
    "udp.checksum", "tcp.srcport", "tcp.checksum", "tcp.flags", "dns.response_in", "ip.cur_rt"})
FLAG_BITS = {"FIN": 0x001, "SYN": 0x002, "RST": 0x004, "PSH": 0x008, "ACK": 0x010, "URG": 0x020,
             "ECE": 0x040, "CWR": 0x080, "AE": 0x100}
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


def tshark_csum_status(path):
    """Per frame: (udp.checksum.status, tcp.checksum.status), checked."""
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=f", "-E", "separator=\t",
           "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
           "-o", "ip.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
           "-e", "udp.checksum.status", "-e", "tcp.checksum.status"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [tuple((line.split("\t") + ["", ""])[:2]) for line in out.splitlines()]


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


def carried(x):
    """Whether the frame's transport header is its own (not quoted by ICMP)."""
    return not x.get("icmp.type") and not x.get("icmpv6.type")


def side(x, l4):
    """A frame's sender: its address and port."""
    return (x["ip.src"] or x["ipv6.src"], x[l4 + ".srcport"])


def close_step(rows, frame):
    """Which step of closing its TCP connection frame (1-based) is."""
    r = rows[frame - 1]
    fl = num(r["tcp.flags"])
    st = [x for x in rows[:frame - 1] if x["tcp.stream"] == r["tcp.stream"] and carried(x)]
    if any(num(x["tcp.flags"]) & 0x04 for x in st):
        return "no step (reset before)"
    if fl & 0x04:
        return "reset"
    fins = [x for x in st if num(x["tcp.flags"]) & 0x01]
    fin1 = fins[0] if fins else None
    fin2 = next((x for x in fins if side(x, "tcp") != side(fin1, "tcp")), None) if fin1 else None

    def acks(x, fin):
        return (side(x, "tcp") != side(fin, "tcp") and num(x["tcp.flags"]) & 0x10
                and ((num(x["tcp.ack"]) - num(fin["tcp.nxtseq"])) & 0xffffffff) < 1 << 31)
    if fl & 0x01:
        if not fin1:
            return "first FIN"
        if not fin2 and side(r, "tcp") != side(fin1, "tcp"):
            return "second FIN"
        return "no step (a FIN again)"
    if not fin1 or r["tcp.len"] != "0":
        return "no step"
    if fin2:
        after = st[st.index(fin2) + 1:]
        if side(r, "tcp") == side(fin1, "tcp") and acks(r, fin2) and not any(acks(x, fin2) for x in after):
            return "last ACK"
        return "no step"
    after = st[st.index(fin1) + 1:]
    if acks(r, fin1) and not any(acks(x, fin1) for x in after):
        return "ACK of the first FIN"
    return "no step"


def expected(ref, frame, rows, ranges, bits, csum):
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
    if ref.startswith("tcp.seq@"):
        return num(rows[int(ref[8:]) - 1]["tcp.seq"])
    if ref.startswith("tcp.flags@"):
        return ("flags", num(rows[int(ref[10:]) - 1]["tcp.flags"]) & 0xfff)
    if ref.startswith("bitpos:"):
        _, proto, name = ref.split(":")
        first = {"ipv4": "ip.version", "tcp": "tcp.srcport", "udp": "udp.srcport",
                 "icmp": "icmp.type"}[proto]
        fb = bits[frame - 1]
        start = fb[first][0][0]
        for t in diagram_oracle.MAP.get((proto, name), []):
            for b0, n in fb.get(t, []):
                if b0 >= start:
                    return ("bits", b0 - start, b0 - start + n - 1)
        if proto == "tcp" and name in ("AE", "CWR", "ECE") and fb.get("tcp.flags.ace"):
            b0, n = fb["tcp.flags.ace"][0]  # AccECN: tshark's one ACE field holds the three bits
            return ("bits-in", b0 - start, b0 - start + n - 1)
        return "tshark has no bits for %s" % ref
    if ref == "tcp.acked_in":
        me = side(r, "tcp")
        nxt = num(r["tcp.nxtseq"])
        for x in rows[frame:]:
            if (x["tcp.stream"] == r["tcp.stream"] and carried(x) and side(x, "tcp") != me and x["tcp.flags"]
                    and num(x["tcp.flags"]) & 0x10 and ((num(x["tcp.ack"]) - nxt) & 0xffffffff) < 1 << 31):
                return rows.index(x) + 1
        return "none"
    if ref == "udp.resp_in":
        st = [i for i, x in enumerate(rows) if x["udp.stream"] == r["udp.stream"] and carried(x)]
        first = side(rows[st[0]], "udp")
        if side(r, "udp") != first:
            return "not the stream's first sender"
        later = [i for i in st if i > frame - 1]
        if later and side(rows[later[0]], "udp") != first:
            return later[0] + 1
        return "none"
    if ref == "dns.resp_in":
        return num(r["dns.response_in"]) or "none"
    if ref == "tcp.close_step":
        return close_step(rows, frame)
    if ref.split(".")[0] in ("udp", "tcp") and ref.split(".")[-1] in ("csum_pseudo", "csum_sum"):
        l4 = ref.split(".")[0]
        if ref.endswith(".csum_sum"):
            st = csum[frame - 1][0 if l4 == "udp" else 1]
            return 0xffff - num(r[l4 + ".checksum"]) if st == "1" else "checksum not good"
        proto = 17 if l4 == "udp" else 6
        if r["ip.src"]:
            addr = ipaddress.ip_address(r["ip.src"]).packed + ipaddress.ip_address(r["ip.dst"]).packed
            ln = num(r["udp.length"]) if l4 == "udp" else num(r["ip.len"]) - num(r["ip.hdr_len"])
            words = [proto, ln]
        else:
            addr = ipaddress.ip_address(r["ipv6.src"]).packed + ipaddress.ip_address(r["ipv6.dst"]).packed
            ln = num(r["udp.length"]) if l4 == "udp" else num(r["ipv6.plen"])
            words = [ln >> 16, ln & 0xffff, 0, proto]
        words += [addr[i] << 8 | addr[i + 1] for i in range(0, len(addr), 2)]
        total = sum(words)
        while total >> 16:
            total = (total & 0xffff) + (total >> 16)
        return total
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
        if proto == "ipv4" and field == "dst" and r.get("ip.cur_rt"):
            # a source route: tshark names the route's final destination
            # ip.dst and the header's field ip.cur_rt (Current Route)
            return r["ip.cur_rt"]
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
    if isinstance(exp, tuple) and exp[0] == "flags":
        names = [w for w in ans.replace(",", " ").split()]
        return all(w in FLAG_BITS for w in names) and sum(FLAG_BITS[w] for w in set(names)) == exp[1]
    if isinstance(exp, tuple):
        words = ans.replace("-", " ").split()
        if not words or words[0] not in ("bit", "bits"):
            return False
        lo, hi = int(words[1]), int(words[-1])
        if exp[0] == "bits-in":
            return exp[1] <= lo <= hi <= exp[2] and hi == lo
        return (lo, hi) == exp[1:]
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
        csum = tshark_csum_status(path)
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
                    exp = expected(ref, int(frame), rows, ranges, bits, csum)
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
