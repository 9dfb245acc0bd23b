#!/usr/bin/env python3
"""Conversation oracle: wirepeel's flow annotations against tshark -2, per frame.

For every capture given (and the well-formed part of the tcpdump corpus when
WP_CORPUS names it), run `wirepeel show -o fields` (its "-:flow" rows) and
`tshark -2 -T fields` (two passes, with TCP sequence analysis, as tshark does by
default; IP reassembly off so each fragment is its own frame) and compare per
frame: tcp.stream, udp.stream, the relative tcp.seq/ack/nxtseq, tcp.len, the
scaled tcp.window_size, every tcp.analysis.* flag, the duplicate ACK's number
and frame, and the reply pairing of ICMP/ICMPv6 echo and DNS with its time.
Prints `ok FILE (N frames, M values)` or `not ok FILE: frame F FIELD: wirepeel=..
tshark=..`. Differences where wirepeel is right, or that tshark's own bugs
cause, are listed in tests/oracle/flow-known-differences.tsv (file, frame or *,
field or *, reason) and reported as known, not as failures.
"""
import csv
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))

# tshark's analysis flag fields and wirepeel's codes
ANALYSIS = [
    ("tcp.analysis.retransmission", "retransmission"),
    ("tcp.analysis.fast_retransmission", "fast_retransmission"),
    ("tcp.analysis.spurious_retransmission", "spurious_retransmission"),
    ("tcp.analysis.out_of_order", "out_of_order"),
    ("tcp.analysis.lost_segment", "lost_segment"),
    ("tcp.analysis.ack_lost_segment", "ack_lost_segment"),
    ("tcp.analysis.duplicate_ack", "dup_ack"),
    ("tcp.analysis.zero_window", "zero_window"),
    ("tcp.analysis.zero_window_probe", "zero_window_probe"),
    ("tcp.analysis.zero_window_probe_ack", "zero_window_probe_ack"),
    ("tcp.analysis.keep_alive", "keep_alive"),
    ("tcp.analysis.keep_alive_ack", "keep_alive_ack"),
    ("tcp.analysis.window_update", "window_update"),
    ("tcp.analysis.window_full", "window_full"),
    ("tcp.analysis.reused_ports", "reused_ports"),
]

VALUES = ["tcp.stream", "udp.stream", "tcp.seq", "tcp.ack", "tcp.nxtseq", "tcp.len",
          "tcp.window_size", "tcp.flags.ack", "tcp.analysis.duplicate_ack_num",
          "tcp.analysis.duplicate_ack_frame", "icmp.resp_to", "icmp.resptime",
          "icmpv6.resp_to", "icmpv6.resptime", "dns.response_to", "dns.time", "icmp.type",
          "icmpv6.type"]

TSHARK_PREFS = ["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"]


def tshark_frames(path):
    fields = ["frame.number"] + VALUES + [a for a, _ in ANALYSIS]
    cmd = ["tshark", "-n", "-2", "-r", path] + TSHARK_PREFS + [
        "-T", "fields", "-E", "occurrence=f", "-E", "separator=\t"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300).stdout
    frames = {}
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) < len(fields):
            continue
        row = dict(zip(fields, cols))
        try:
            frames[int(row["frame.number"])] = row
        except ValueError:
            pass
    return frames


def wirepeel_frames(wirepeel, path):
    out = subprocess.run([wirepeel, "show", "-r", path, "-o", "fields"], capture_output=True,
                         timeout=300).stdout.decode("latin-1")
    frames = {}
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) < 7:
            continue
        if cols[1] != "-:flow":
            # which transports wirepeel decoded at all (the decoder oracle,
            # oracle.py, checks the headers themselves)
            proto = cols[1].partition(":")[2]
            if proto in ("tcp", "udp", "icmp", "icmpv6"):
                fr = frames.setdefault(int(cols[0]), {"analysis": set()})
                fr.setdefault("decoded", set()).add(proto)
            continue
        fr = frames.setdefault(int(cols[0]), {"analysis": set()})
        if cols[2] == "analysis":
            fr["analysis"].add(cols[6])
        else:
            fr[cols[2]] = cols[6]
    return frames


def load_known():
    known = []
    path = os.path.join(HERE, "flow-known-differences.tsv")
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 3:
                    known.append((cols[0], cols[1], cols[2]))
    return known


def is_known(known, name, frame, field):
    for f, fr, fi in known:
        if f == name and (fr == "*" or fr == str(frame)) and (fi == "*" or fi == field):
            return True
    return False


def close_ms(a, b, tol):
    try:
        return abs(float(a) - float(b)) <= tol
    except ValueError:
        return False


def compare(t, w):
    """Yield (field, wirepeel value, tshark value) for each difference."""
    kind = w.get("kind", "")
    if t["tcp.stream"] != "" or kind == "tcp":
        if kind != "tcp":
            yield ("tcp.stream", "-", t["tcp.stream"])
            return
        for tf, wf in (("tcp.stream", "stream"), ("tcp.seq", "seq"), ("tcp.nxtseq", "next_seq"),
                       ("tcp.len", "seg_len"), ("tcp.window_size", "window")):
            if t[tf] != w.get(wf, ""):
                yield (tf, w.get(wf, "-"), t[tf])
        if t["tcp.flags.ack"] in ("1", "True") and t["tcp.ack"] != w.get("ack", ""):
            yield ("tcp.ack", w.get("ack", "-"), t["tcp.ack"])
        ta = set(code for f, code in ANALYSIS if t[f] != "")
        if ta != w["analysis"]:
            yield ("tcp.analysis", ",".join(sorted(w["analysis"])) or "-",
                   ",".join(sorted(ta)) or "-")
        if t["tcp.analysis.duplicate_ack_num"] != w.get("dup_ack_num", ""):
            yield ("tcp.analysis.duplicate_ack_num", w.get("dup_ack_num", "-"),
                   t["tcp.analysis.duplicate_ack_num"] or "-")
        if t["tcp.analysis.duplicate_ack_frame"] != w.get("dup_ack_frame", ""):
            yield ("tcp.analysis.duplicate_ack_frame", w.get("dup_ack_frame", "-"),
                   t["tcp.analysis.duplicate_ack_frame"] or "-")
        return
    if t["udp.stream"] != "" or kind == "udp":
        if kind != "udp" or t["udp.stream"] != w.get("stream"):
            yield ("udp.stream", w.get("stream", "-") if kind == "udp" else "-",
                   t["udp.stream"] or "-")
            return
        if t["dns.response_to"] != "" or ("reply_to" in w and t["dns.response_to"] != ""):
            if t["dns.response_to"] != w.get("reply_to", ""):
                yield ("dns.response_to", w.get("reply_to", "-"), t["dns.response_to"])
            elif not close_ms(float(t["dns.time"]) * 1000, w.get("rtt_ms", "x"), 0.0015):
                yield ("dns.time", w.get("rtt_ms", "-"), t["dns.time"])
    for p in ("icmp", "icmpv6"):
        rt = t[p + ".resp_to"]
        if rt == "" and not (kind == p and "reply_to" in w):
            continue
        if rt != w.get("reply_to", ""):
            yield (p + ".resp_to", w.get("reply_to", "-"), rt or "-")
        elif not close_ms(t[p + ".resptime"], w.get("rtt_ms", "x"), 0.0015):
            yield (p + ".resptime", w.get("rtt_ms", "-"), t[p + ".resptime"])


def check(wirepeel, path, known):
    name = os.path.basename(path)
    try:
        tf = tshark_frames(path)
        wf = wirepeel_frames(wirepeel, path)
    except subprocess.TimeoutExpired:
        return False, "%s: timed out" % name
    values = 0
    fails = []
    nknown = 0
    undecoded = 0
    for no in sorted(tf):
        w = wf.get(no, {"analysis": set()})
        t = tf[no]
        want = set(p for p, k in (("tcp", "tcp.stream"), ("udp", "udp.stream"),
                                  ("icmp", "icmp.type"), ("icmpv6", "icmpv6.type")) if t[k])
        if want - w.get("decoded", set()):
            # a header wirepeel does not decode (a link type or tunnel it
            # does not know, or a layer below that cannot be trusted):
            # nothing to follow; counted, not compared
            undecoded += 1
            continue
        for field, wv, tv in compare(tf[no], w):
            if is_known(known, name, no, field):
                nknown += 1
                continue
            fails.append("frame %d %s: wirepeel=%s tshark=%s" % (no, field, wv, tv))
        values += 1
    if fails:
        more = " (+%d more)" % (len(fails) - 3) if len(fails) > 3 else ""
        return False, "%s: %s%s" % (name, "; ".join(fails[:3]), more)
    extra = ", %d known differences" % nknown if nknown else ""
    if undecoded:
        extra += ", %d with headers wirepeel does not decode" % undecoded
    return True, "%s (%d frames%s)" % (name, values, extra)


def corpus_selection(corpus):
    index = os.path.join(corpus, "INDEX.tsv")
    picked = []
    with open(index) as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["tshark_status"] != "ok":
                continue
            if int(r["n_tcp"]) + int(r["n_udp"]) + int(r["n_icmp"]) + int(r["n_icmpv6"]) == 0:
                continue
            picked.append(os.path.join(corpus, r["file"]))
    return sorted(picked)


def main():
    wirepeel = sys.argv[1]
    files = sys.argv[2:]
    corpus = os.environ.get("WP_CORPUS")
    if corpus and os.path.isdir(corpus):
        sel = corpus_selection(corpus)
        print("# corpus: %d captures with TCP, UDP or ICMP from %s" % (len(sel), corpus))
        files += sel
    known = load_known()
    jobs = int(os.environ.get("WP_ORACLE_JOBS", "2"))
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        results = list(ex.map(lambda f: check(wirepeel, f, known), files))
    bad = 0
    for ok, msg in results:
        print(("ok " if ok else "not ok ") + msg)
        bad += not ok
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
