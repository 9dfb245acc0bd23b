#!/usr/bin/env python3
"""Reassembly oracle: wirepeel's IP reassembly against `tshark -2`, frame by frame.

For every capture given and every capture of the tcpdump corpus in which
`wirepeel show -o json` sees an IP fragment, compare with tshark's two-pass
dissection (checksums checked):
  - ip.reassembled_in / ipv6.reassembled.in on the fragments with our
    "reassembled_in";
  - ip.reassembled.length / ipv6.reassembled.length on the completing frame
    with our "reassembled"."len";
  - the UDP fields (srcport, dstport, length, checksum, checksum status) and
    the TCP fields (srcport, dstport, seq_raw, ack_raw, len, checksum status)
    of the reassembled datagram with the layers in our "reassembled".
Prints `ok FILE (F fragments, D datagrams, V values)` or `not ok FILE: frame N
FIELD: wirepeel=.. tshark=..`. Files tshark reports nothing reassembled for
and wirepeel neither are skipped silently.
"""
import csv
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

TS_FIELDS = ["frame.number", "ip.reassembled_in", "ipv6.reassembled.in", "ip.reassembled.length",
             "ipv6.reassembled.length", "udp.srcport", "udp.dstport", "udp.length",
             "udp.checksum", "udp.checksum.status", "tcp.srcport", "tcp.dstport", "tcp.seq_raw",
             "tcp.ack_raw", "tcp.len", "tcp.checksum.status"]


def first(v):
    return v.split(",")[0] if v else ""


def tshark(path):
    args = ["tshark", "-n", "-2", "-r", path, "-o", "udp.check_checksum:TRUE",
            "-o", "tcp.check_checksum:TRUE", "-T", "fields", "-E", "occurrence=a"]
    for f in TS_FIELDS:
        args += ["-e", f]
    r = subprocess.run(args, capture_output=True, text=True, errors="replace")
    rows = {}
    for line in r.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(TS_FIELDS) - len(cols))
        rows[int(cols[0])] = dict(zip(TS_FIELDS, cols))
    return rows


def ours(wp, path):
    r = subprocess.run([wp, "show", "-r", path, "-o", "json"], capture_output=True, text=True,
                       errors="replace")
    frames = {}
    for line in r.stdout.splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        frames[o["frame"]] = o
    return frames


def has_fragment(frames):
    for o in frames.values():
        if "reassembled" in o or "reassembled_in" in o:
            return True
        for l in o.get("layers", []):
            if l["proto"] in ("fragment", "ipv6-frag"):
                return True
            if l["proto"] == "ipv4" and (l["fields"].get("mf") or l["fields"].get("frag_offset")):
                return True
    return False


CSUM = {"good": "1", "bad": "0"}


def compare(wp, path):
    mine = ours(wp, path)
    if not has_fragment(mine):
        return None
    ts = tshark(path)
    nfrag = ndg = nval = 0
    for n, o in sorted(mine.items()):
        t = ts.get(n)
        if t is None:
            return f"not ok {path}: frame {n} missing in tshark's output"
        t_in = first(t["ip.reassembled_in"]) or first(t["ipv6.reassembled.in"])
        t_len = first(t["ip.reassembled.length"]) or first(t["ipv6.reassembled.length"])
        m_in = str(o["reassembled_in"]) if "reassembled_in" in o else ""
        if "reassembled" in o:
            # the completing frame: tshark may name itself there
            if t_in not in ("", str(n)):
                return f"not ok {path}: frame {n} reassembled_in: wirepeel completes it, tshark={t_in!r}"
        elif m_in != t_in:
            return f"not ok {path}: frame {n} reassembled_in: wirepeel={m_in!r} tshark={t_in!r}"
        if m_in:
            nfrag += 1
            nval += 1
        if "reassembled" not in o:
            if t_len and t_in in ("", str(n)):
                return f"not ok {path}: frame {n} reassembled.length: wirepeel none, tshark={t_len}"
            continue
        ndg += 1
        ra = o["reassembled"]
        if str(ra["len"]) != t_len:
            return f"not ok {path}: frame {n} reassembled.length: wirepeel={ra['len']} tshark={t_len}"
        nval += 1
        layers = {l["proto"]: l for l in ra.get("layers", [])}
        checks = []
        if "udp" in layers:
            u = layers["udp"]
            f = u.get("fields", {})
            checks += [("udp.srcport", f.get("sport")), ("udp.dstport", f.get("dport")),
                       ("udp.length", f.get("length")),
                       ("udp.checksum", f.get("checksum"))]
            if u.get("checksum_status") in CSUM:
                checks.append(("udp.checksum.status", CSUM[u["checksum_status"]]))
        if "tcp" in layers:
            u = layers["tcp"]
            f = u.get("fields", {})
            plen = layers.get("payload", {}).get("len", 0)
            checks += [("tcp.srcport", f.get("sport")), ("tcp.dstport", f.get("dport")),
                       ("tcp.seq_raw", f.get("seq")), ("tcp.ack_raw", f.get("ack")),
                       ("tcp.len", plen)]
            if u.get("checksum_status") in CSUM:
                checks.append(("tcp.checksum.status", CSUM[u["checksum_status"]]))
        for field, mv in checks:
            tv = first(t[field])
            if field == "udp.checksum" and tv:
                tv = str(int(tv, 16))
            if str(mv) != tv:
                return f"not ok {path}: frame {n} {field}: wirepeel={mv!r} tshark={tv!r}"
            nval += 1
    return f"ok {path} ({nfrag} fragments, {ndg} datagrams, {nval} values)"


def main():
    wp = sys.argv[1]
    files = list(sys.argv[2:])
    corpus = os.environ.get("WP_CORPUS", "")
    if corpus and os.path.exists(os.path.join(corpus, "INDEX.tsv")):
        with open(os.path.join(corpus, "INDEX.tsv"), newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if int(row.get("n_ip") or 0) + int(row.get("n_ipv6") or 0) > 0:
                    files.append(os.path.join(corpus, row["file"]))
    bad = 0
    with ThreadPoolExecutor(max_workers=2) as ex:
        for line in ex.map(lambda p: compare(wp, p), files):
            if line is None:
                continue
            print(line, flush=True)
            bad += line.startswith("not ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
