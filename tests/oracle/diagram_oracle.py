#!/usr/bin/env python3
"""Diagram oracle: the bit positions of wirepeel's header diagrams against
tshark's, field by field, on every frame of the captures given.

wirepeel side: `wirepeel diagram -r FILE -n N --format tsv` (one line a cell:
the layer-relative first bit, the bit count, the frame offset of its first
byte). tshark side: `tshark -T json -x`, whose FIELD_raw arrays are
[hex, offset, length, bitmask, type]. A bitmask counts from the end of the
field's own bytes; tshark shortens offset/length to the bytes the mask touches
only when the mask is wider than them (tcp.flags.res: 46, 1, 0x0e00), so the
end is offset+length when the mask fits in length bytes, else offset+length
plus the bytes below the mask's lowest bit.

tshark 4.0 exports ip.version, ip.hdr_len, ipv6.version, tcp.hdr_len and
geneve.version with mask 0 (the whole byte); those are checked against the
RFCs instead (RFC 791: version bits 0-3, IHL bits 4-7 of byte 0; RFC 8200:
version bits 0-3; RFC 9293: data offset bits 0-3 of byte 12; RFC 8926:
version bits 0-1). wirepeel's l2tp flags (12 bits) and tshark's l2tp.flags
(the whole word with the version) are not compared.

Both ways: every wirepeel cell that names a tshark field must sit at the bits
of an occurrence of that field in the frame, and every occurrence of a mapped
tshark field must be a wirepeel cell at the same bits. Prints
`ok FILE (N frames, M cells)` or `not ok FILE: ...` per capture; exit 1 on any
failure.
"""
import json
import subprocess
import sys

# (wirepeel proto, cell name) -> tshark fields it may be (802.1ad tags are
# ieee8021ad.* in tshark, 802.1Q tags vlan.*)
MAP = {
    # an 802.1ah customer frame's addresses are ieee8021ah.* in tshark
    ("eth", "dst"): ["eth.dst", "ieee8021ah.cdst"], ("eth", "src"): ["eth.src", "ieee8021ah.csrc"],
    ("eth", "type"): ["eth.type"],
    ("eth", "length"): ["eth.len"], ("eth", "dsap"): ["llc.dsap"], ("eth", "ssap"): ["llc.ssap"],
    ("eth", "ctrl"): ["llc.control"],
    ("vlan", "pcp"): ["vlan.priority", "ieee8021ad.priority"],
    ("vlan", "dei"): ["vlan.dei", "ieee8021ad.dei"],
    ("vlan", "vid"): ["vlan.id", "ieee8021ad.id"],
    ("vlan", "type"): ["vlan.etype", "ieee8021ah.etype"],
    ("sll", "pkttype"): ["sll.pkttype"], ("sll", "hatype"): ["sll.hatype"],
    ("sll", "halen"): ["sll.halen"], ("sll", "protocol"): ["sll.etype"],
    ("sll2", "pkttype"): ["sll.pkttype"], ("sll2", "hatype"): ["sll.hatype"],
    ("sll2", "halen"): ["sll.halen"], ("sll2", "protocol"): ["sll.etype"],
    ("sll2", "ifindex"): ["sll.ifindex"],
    ("null", "family"): ["null.family"],
    ("arp", "htype"): ["arp.hw.type"], ("arp", "ptype"): ["arp.proto.type"],
    ("arp", "hlen"): ["arp.hw.size"], ("arp", "plen"): ["arp.proto.size"],
    ("arp", "op"): ["arp.opcode"], ("arp", "sha"): ["arp.src.hw_mac"],
    ("arp", "spa"): ["arp.src.proto_ipv4"], ("arp", "tha"): ["arp.dst.hw_mac"],
    ("arp", "tpa"): ["arp.dst.proto_ipv4"],
    ("ipv4", "version"): ["ip.version"], ("ipv4", "ihl"): ["ip.hdr_len"],
    ("ipv4", "dscp"): ["ip.dsfield.dscp"], ("ipv4", "ecn"): ["ip.dsfield.ecn"],
    ("ipv4", "total_len"): ["ip.len"], ("ipv4", "id"): ["ip.id"],
    ("ipv4", "flags"): ["ip.flags"], ("ipv4", "Rsv"): ["ip.flags.rb"],
    ("ipv4", "df"): ["ip.flags.df"], ("ipv4", "mf"): ["ip.flags.mf"],
    ("ipv4", "frag_offset"): ["ip.frag_offset"], ("ipv4", "ttl"): ["ip.ttl"],
    ("ipv4", "proto"): ["ip.proto"], ("ipv4", "checksum"): ["ip.checksum"],
    ("ipv4", "src"): ["ip.src"], ("ipv4", "dst"): ["ip.dst"],
    ("ipv6", "version"): ["ipv6.version", "ip.version"], ("ipv6", "tclass"): ["ipv6.tclass"],
    ("ipv6", "flow"): ["ipv6.flow"], ("ipv6", "payload_len"): ["ipv6.plen"],
    ("ipv6", "next_header"): ["ipv6.nxt"], ("ipv6", "hop_limit"): ["ipv6.hlim"],
    ("ipv6", "src"): ["ipv6.src"], ("ipv6", "dst"): ["ipv6.dst"],
    ("ipv6-hopopts", "next_header"): ["ipv6.hopopts.nxt"],
    ("ipv6-hopopts", "hdr_ext_len"): ["ipv6.hopopts.len"],
    ("ipv6-dstopts", "next_header"): ["ipv6.dstopts.nxt"],
    ("ipv6-dstopts", "hdr_ext_len"): ["ipv6.dstopts.len"],
    ("ipv6-route", "next_header"): ["ipv6.routing.nxt"],
    ("ipv6-route", "hdr_ext_len"): ["ipv6.routing.len"],
    ("ipv6-route", "routing_type"): ["ipv6.routing.type"],
    ("ipv6-route", "segments_left"): ["ipv6.routing.segleft"],
    ("ipv6-frag", "next_header"): ["ipv6.fraghdr.nxt"],
    ("ipv6-frag", "reserved"): ["ipv6.fraghdr.reserved_octet"],
    ("ipv6-frag", "offset"): ["ipv6.fraghdr.offset"],
    ("ipv6-frag", "m"): ["ipv6.fraghdr.more"],
    ("ipv6-frag", "id"): ["ipv6.fraghdr.ident"],
    ("icmp", "type"): ["icmp.type"], ("icmp", "code"): ["icmp.code"],
    ("icmp", "checksum"): ["icmp.checksum"], ("icmp", "id"): ["icmp.ident"],
    ("icmp", "seq"): ["icmp.seq"], ("icmp", "mtu"): ["icmp.mtu"],
    ("icmp", "gateway"): ["icmp.redir_gw"], ("icmp", "pointer"): ["icmp.pointer"],
    ("icmpv6", "type"): ["icmpv6.type"], ("icmpv6", "code"): ["icmpv6.code"],
    ("icmpv6", "checksum"): ["icmpv6.checksum"], ("icmpv6", "id"): ["icmpv6.echo.identifier"],
    ("icmpv6", "seq"): ["icmpv6.echo.sequence_number"], ("icmpv6", "mtu"): ["icmpv6.mtu"],
    ("icmpv6", "pointer"): ["icmpv6.pointer"], ("icmpv6", "unused"): ["icmpv6.reserved"],
    ("icmpv6", "rest"): ["icmpv6.reserved"],
    ("udp", "sport"): ["udp.srcport"], ("udp", "dport"): ["udp.dstport"],
    ("udp", "length"): ["udp.length"], ("udp", "checksum"): ["udp.checksum"],
    ("tcp", "sport"): ["tcp.srcport"], ("tcp", "dport"): ["tcp.dstport"],
    ("tcp", "seq"): ["tcp.seq_raw"], ("tcp", "ack"): ["tcp.ack_raw"],
    ("tcp", "data_offset"): ["tcp.hdr_len"], ("tcp", "flags"): ["tcp.flags"],
    ("tcp", "Rsv"): ["tcp.flags.res"], ("tcp", "AE"): ["tcp.flags.ae"],
    ("tcp", "CWR"): ["tcp.flags.cwr"], ("tcp", "ECE"): ["tcp.flags.ece"],
    ("tcp", "URG"): ["tcp.flags.urg"], ("tcp", "ACK"): ["tcp.flags.ack"],
    ("tcp", "PSH"): ["tcp.flags.push"], ("tcp", "RST"): ["tcp.flags.reset"],
    ("tcp", "SYN"): ["tcp.flags.syn"], ("tcp", "FIN"): ["tcp.flags.fin"],
    ("tcp", "window"): ["tcp.window_size_value"], ("tcp", "checksum"): ["tcp.checksum"],
    ("tcp", "urgent"): ["tcp.urgent_pointer"],
    # tunnels (issue 20)
    ("pbb", "pcp"): ["ieee8021ah.priority"], ("pbb", "dei"): ["ieee8021ah.drop"],
    ("pbb", "uca"): ["ieee8021ah.nca"], ("pbb", "isid"): ["ieee8021ah.isid"],
    ("geneve", "protocol"): ["geneve.proto_type"], ("geneve", "vni"): ["geneve.vni"],
    ("geneve", "version"): ["geneve.version"],
    ("geneve", "o"): ["geneve.flags.oam"], ("geneve", "c"): ["geneve.flags.critical"],
    ("geneve-opt", "class"): ["geneve.option.class"],
    ("geneve-opt", "type"): ["geneve.option.type"],
    ("gtpu", "flags"): ["gtp.flags"], ("gtpu", "type"): ["gtp.message"],
    ("gtpu", "length"): ["gtp.length"], ("gtpu", "teid"): ["gtp.teid"],
    ("gtpu", "seq"): ["gtp.seq_number"], ("gtpu", "npdu"): ["gtp.npdu_number"],
    ("l2tp", "version"): ["l2tp.version"],
    ("l2tp", "length"): ["l2tp.length"], ("l2tp", "tunnel_id"): ["l2tp.tunnel", "l2tp.ccid"],
    ("l2tp", "session_id"): ["l2tp.session", "l2tp.sid"],
    ("l2tp", "ns"): ["l2tp.Ns"], ("l2tp", "nr"): ["l2tp.Nr"], ("l2tp", "offset"): ["l2tp.offset"],
    ("erspan", "version"): ["erspan.version"], ("erspan", "vlan"): ["erspan.vlan"],
    ("erspan", "cos"): ["erspan.cos"], ("erspan", "session_id"): ["erspan.spanid"],
    ("erspan", "index"): ["erspan.index"], ("erspan", "timestamp"): ["erspan.timestamp"],
    ("erspan", "sgt"): ["erspan.sgt"], ("erspan", "hw"): ["erspan.hw"],
    ("erspan", "gra"): ["erspan.gra"],
}
TSHARK_FIELDS = {t for alts in MAP.values() for t in alts}

# Exported with mask 0 by tshark 4.0: the RFC's bits, relative to the
# header's first bit (first, count), and the header offset from tshark's byte.
RFC = {"ip.version": (0, 4), "ip.hdr_len": (4, 4), "ipv6.version": (0, 4),
       "tcp.hdr_len": (0, 4),
       "geneve.version": (0, 2)}  # RFC 8926 section 3.4: bits 0-1 of byte 0

# Known differences where both are right, by (wirepeel proto, cell): wirepeel
# draws SLL's 8-byte address field whole, tshark only the halen bytes used
# (sll.src.eth) plus sll.unused; tshark shows no SLL2 reserved field.
KNOWN = {("sll", "addr"): "8-byte address field; tshark: sll.src.eth + sll.unused",
         ("sll2", "addr"): "8-byte address field; tshark: sll.src.eth + sll.unused"}
# tshark labels the last address of a loose/strict source route option
# ip.dst (the packet's final destination) and shows no ip.dst at the
# header's destination field: wirepeel's dst cell is the header's field.
SOURCE_ROUTE_DST = "ip.dst inside a source route option (tshark: the final destination)"
# tshark 4.0 reports an 802.1ah frame's customer EtherType (ieee8021ah.etype)
# at the I-tag's bytes 2-3 instead of after the customer addresses, and the
# 802.1ad tag before the I-tag without its type: in a frame with an I-SID,
# the type cells of the tag and the customer frame have no tshark position.
PBB_ETYPE = "802.1ah: tshark places ieee8021ah.etype at the I-tag's bytes 2-3"
PBB_TYPE_CELLS = {("vlan", "type"), ("eth", "type")}
# the wirepeel proto each tshark field comes from
PROTO_OF = {t: proto for (proto, _), alts in MAP.items() for t in alts}


def tshark_fields(path):
    """Per frame: {field: [(first_bit, nbits), ...]} from tshark's raw arrays."""
    out = subprocess.run(["tshark", "-n", "-r", path, "-T", "json", "-x",
                          "-o", "tcp.desegment_tcp_streams:FALSE",
                          "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"],
                         capture_output=True, text=True, check=True).stdout
    frames = json.loads(out, object_pairs_hook=lambda pairs: pairs)
    result = []
    for fr in frames:
        found = {}

        def walk(o):
            if not isinstance(o, list):
                return
            for x in o:
                if isinstance(x, tuple) and len(x) == 2:
                    k, v = x
                    if (k.endswith("_raw") and isinstance(v, list) and len(v) == 5
                            and isinstance(v[1], int)):
                        name = k[:-4]
                        if name in TSHARK_FIELDS:
                            found.setdefault(name, []).append(bits_of(name, v))
                    walk(v)
                else:
                    walk(x)
        walk(fr)
        result.append(found)
    return result


def bits_of(name, raw):
    _, off, length, mask, _ = raw
    if name in RFC and mask == 0:
        first, n = RFC[name]  # tshark's byte is the first byte of the RFC's
        return (off * 8 + first, n)
    if mask == 0:
        return (off * 8, length * 8)
    lo = (mask & -mask).bit_length() - 1
    hi = mask.bit_length() - 1
    end = off + length
    if mask >= 1 << (8 * length):
        end += lo // 8
    return (end * 8 - 1 - hi, hi - lo + 1)


def wirepeel_cells(wp, path, frame):
    out = subprocess.run([wp, "diagram", "-r", path, "-n", str(frame), "--format", "tsv"],
                         capture_output=True, text=True, check=True).stdout
    cells = []
    for line in out.splitlines():
        (_, layer, proto, parent, name, kind, bit, nbits, off, _, _, missing) = line.split("\t")
        bit, nbits, off = int(bit), int(nbits), int(off)
        if kind in ("gap", "var"):
            continue
        cells.append({"layer": int(layer), "proto": proto, "name": name, "kind": kind,
                      "abs": (off * 8 + bit % 8, nbits), "missing": missing == "missing"})
    return cells


def check(wp, path):
    ts = tshark_fields(path)
    problems, known, compared, undissected = [], set(), 0, 0
    for i, tf in enumerate(ts, 1):
        cells = wirepeel_cells(wp, path, i)
        mine, protos = {}, set()
        for c in cells:
            protos.add(c["proto"])
        # where tshark puts a source route's final destination
        moved_dst = [p for p in tf.get("ip.dst", [])
                     if not any(c["proto"] == "ipv4" and c["name"] == "dst" and c["abs"] == p
                                for c in cells)]
        for c in cells:
            key = (c["proto"], c["name"])
            if key in KNOWN:
                known.add(KNOWN[key])
                continue
            alts = MAP.get(key)
            if not alts:
                continue
            for t in alts:
                mine.setdefault(t, []).append(c["abs"])
            if c["missing"]:
                continue
            if any(c["abs"] in tf.get(t, []) for t in alts):
                compared += 1
            elif key in PBB_TYPE_CELLS and "ieee8021ah.isid" in tf:
                known.add(PBB_ETYPE)
            elif not any(t in tf for t in alts):
                # tshark stopped before this header (a malformed one): no position to compare
                undissected += 1
            elif key == ("ipv4", "dst") and moved_dst:
                known.add(SOURCE_ROUTE_DST)
            else:
                have = {t: tf[t] for t in alts if t in tf}
                problems.append("frame %d %s.%s at bits %s: tshark %s" % (
                    i, c["proto"], c["name"], c["abs"], have))
        for t, occ in tf.items():
            if PROTO_OF[t] not in protos:
                continue  # wirepeel stopped before this header: nothing drawn to compare
            for pos in occ:
                if pos in mine.get(t, []):
                    continue
                if t == "ieee8021ah.etype" and "ieee8021ah.isid" in tf:
                    known.add(PBB_ETYPE)
                    continue
                if t == "ip.dst" and pos in moved_dst:
                    known.add(SOURCE_ROUTE_DST)
                    continue
                problems.append("frame %d tshark %s at bits %s: no wirepeel cell there "
                                "(wirepeel: %s)" % (i, t, pos, mine.get(t, "none")))
    return len(ts), compared, undissected, problems, known


def main():
    wp, paths = sys.argv[1], sys.argv[2:]
    failed = 0
    total = 0
    for path in paths:
        n, compared, undissected, problems, known = check(wp, path)
        total += compared
        if problems:
            failed += 1
            print("not ok %s: %s" % (path, problems[0]))
            for p in problems[1:6]:
                print("    %s" % p)
        else:
            print("ok %s (%d frames, %d cells at tshark's bits%s)" % (
                path, n, compared,
                ", %d in headers tshark did not dissect" % undissected if undissected else ""))
        for k in sorted(known):
            print("# known %s: %s" % (path, k))
    print("# %d cells compared" % total)
    if total == 0:
        print("not ok diagram-oracle: nothing compared")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
