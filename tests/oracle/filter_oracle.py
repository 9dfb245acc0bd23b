#!/usr/bin/env python3
"""Display filters against tshark (tests/suites/filter_oracle.sh runs this).

    filter_oracle.py [--each] WIREPEEL LIST FILE...

Every expression of LIST (wirepeel's <TAB> tshark's; empty: the same) is run
with -Y by `wirepeel show` and by tshark 4.0 over the FILEs, merged per link
type (mergecap -a) so that tshark starts a few times, not once per file and
expression. tshark evaluates the expressions in one pass per merged file: the
frames get timestamps 0 s, 1 s, 2 s ... and `-z io,stat,1,EXPR,...` counts
per one-second interval, i.e. per frame (an expression with a comma, which
io,stat would split, gets its own -Y run instead).

Frames are compared where both tools decode the same layers: tshark's
frame.protocols, up to the first protocol wirepeel does not decode, must be
wirepeel's layer list, and no protocol wirepeel decodes may come after that
(a tunnel such as GRE or ERSPAN, an 802.1ad tag whose fields tshark names
ieee8021ad); tshark must not call the frame malformed or give it an
error-level expert note; the capture must not cut a header; and no IPv4
source route may make Wireshark's ip.dst the route's end. The others are
counted and left out. Each expression must
select the same frames in every file, and at least one frame somewhere.
With --each, every file is its own group, not merged: for the conversation
fields, whose streams a merge would join. Prints "ok ..." / "not ok ..."
lines (named filter_oracle_flow with --each).
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

EACH = len(sys.argv) > 1 and sys.argv[1] == "--each"
ARGS = sys.argv[2:] if EACH else sys.argv[1:]
W = ARGS[0]
LIST = ARGS[1]
FILES = ARGS[2:]
NAME = "filter_oracle_flow" if EACH else "filter_oracle"

# wirepeel layer -> tshark protocol (None: not in frame.protocols)
WP2TS = {"eth": "eth", "vlan": "vlan", "sll": "sll", "sll2": "sll", "null": "null",
         "arp": "arp", "ipv4": "ip", "ipv6": "ipv6", "ipv6-hopopts": "ipv6.hopopts",
         "ipv6-route": "ipv6.routing", "ipv6-frag": "ipv6.fraghdr",
         "ipv6-dstopts": "ipv6.dstopts", "icmp": "icmp", "icmpv6": "icmpv6", "udp": "udp",
         "tcp": "tcp", "gre": "gre", "vxlan": "vxlan", "mpls": "mpls", "dns": "dns",
         "pppoe": "pppoes", "ppp": "ppp", "ah": "ah", "esp": "esp", "igmp": "igmp"}
KNOWN = set(WP2TS.values()) | {"ieee8021ad", "loop"}
SKIP = {"frame", "ethertype", "raw"}   # carry no layer of their own in wirepeel
DATA = {"payload", "fragment", "trailer", "raw"}


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace")


def retime(src, dst):
    """Copy a classic pcap with frame i at i seconds; returns the frame count."""
    with open(src, "rb") as f:
        d = f.read()
    magic = struct.unpack("<I", d[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    out = bytearray(d[:24])
    pos, i = 24, 0
    while pos + 16 <= len(d):
        _, _, cl, ol = struct.unpack(e + "IIII", d[pos:pos + 16])
        out += struct.pack(e + "IIII", i, 0, cl, ol) + d[pos + 16:pos + 16 + cl]
        pos += 16 + cl
        i += 1
    # io,stat leaves out a frame that falls exactly at the end of the
    # capture: a copy of the last one is appended, and frames past i ignored
    if i:
        out += struct.pack(e + "IIII", i, 0, cl, ol) + d[pos - cl:pos]
    with open(dst, "wb") as f:
        f.write(out)
    return i


def pad(src, dst):
    """Copy a classic pcap at its own times, plus a copy of the last frame
    one second later (io,stat leaves out a frame at the very end; a frame
    after the last changes nothing before it). Returns the frame count."""
    with open(src, "rb") as f:
        d = f.read()
    magic = struct.unpack("<I", d[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    pos, i, last = 24, 0, None
    while pos + 16 <= len(d):
        sec, frac, cl, ol = struct.unpack(e + "IIII", d[pos:pos + 16])
        last = (sec, frac, cl, ol, d[pos + 16:pos + 16 + cl])
        pos += 16 + cl
        i += 1
    out = bytearray(d[:pos])
    if last:
        out += struct.pack(e + "IIII", last[0] + 1, last[1], last[2], last[3]) + last[4]
    with open(dst, "wb") as f:
        f.write(out)
    return i


def comparable(path):
    """Frame numbers where both tools decode the same layers, and the total."""
    ts = run(["tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number",
              "-e", "_ws.malformed", "-e", "_ws.expert.severity",
              "-e", "frame.protocols"]).stdout.splitlines()
    tsp, broken = {}, set()
    for line in ts:
        num, malformed, severity, protos = (line.split("\t") + ["", "", ""])[:4]
        tsp[int(num)] = [p for p in protos.split(":") if p and p not in SKIP]
        # a frame tshark calls malformed or gives an error-level expert note:
        # where its dissector stopped is not where wirepeel's did
        sev = [int(x) for x in severity.split(",") if x.isdigit()]
        if malformed or any(x >= 0x00800000 for x in sev):
            broken.add(int(num))
    wpl = {}
    for line in run([W, "show", "-r", path, "-o", "json"]).stdout.splitlines():
        o = json.loads(line)
        layers = [WP2TS.get(l["proto"], "?" + l["proto"]) for l in o["layers"]
                  if l["proto"] not in DATA]
        # A header the capture cuts: which of its fields a dissector still
        # shows differs from one to the next. A source route: Wireshark's
        # ip.dst is the route's final address, wirepeel's the header's.
        cut = any(e.get("code", "").endswith(".truncated") for e in o.get("events", []))
        routed = any(opt.get("name") in ("lsrr", "ssrr")
                     for l in o["layers"] if l["proto"] == "ipv4"
                     for opt in l.get("fields", {}).get("options", []))
        wpl[o["frame"]] = None if cut or routed else layers
    good = set()
    for num, protos in tsp.items():
        if num in broken:
            continue
        k = 0
        while k < len(protos) and protos[k] in KNOWN:
            k += 1
        prefix, rest = protos[:k], protos[k:]
        if "ieee8021ad" in prefix or "loop" in prefix or any(p in KNOWN for p in rest):
            continue
        if wpl.get(num) == prefix:
            good.add(num)
    return good, len(tsp)


def frame_times_us(path):
    """Each frame's time after the first, in microseconds (as io,stat counts)."""
    with open(path, "rb") as f:
        d = f.read()
    magic = struct.unpack("<I", d[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    out, pos = [], 24
    while pos + 16 <= len(d):
        sec, frac, cl, _ = struct.unpack(e + "IIII", d[pos:pos + 16])
        out.append(sec * 1000000 + ((frac + 500) // 1000 if nano else frac))
        pos += 16 + cl
    return [t - out[0] for t in out] if out else []


def tshark_iostat(path, exprs, nframes, interval_us=1000000, row_frame=None):
    """{expr: set of frame numbers} from io,stat columns (one pass per 24).
    Row r of the table is frame row_frame[r] (default: frame r + 1)."""
    out = {}
    iv = "%.6f" % (interval_us / 1e6)
    for at in range(0, len(exprs), 24):
        chunk = exprs[at:at + 24]
        r = run(["tshark", "-n", "-q", "-r", path, "-z", "io,stat,%s,%s" % (iv, ",".join(chunk))])
        sel = {x: set() for x in chunk}
        for line in r.stdout.splitlines():
            m = re.match(r"\|\s*(\d+(?:\.\d+)?)\s*<>\s*(\S+)\s*\|", line)
            if not m:
                continue
            cells = [c.strip() for c in line.split("|")[2:-1]]
            row = int(round(float(m.group(1)) * 1e6 / interval_us))
            frame = row_frame.get(row) if row_frame is not None else row + 1
            if frame is None or frame > nframes:
                continue
            for j, x in enumerate(chunk):
                if 2 * j < len(cells) and cells[2 * j].isdigit() and int(cells[2 * j]) > 0:
                    sel[x].add(frame)
        if r.returncode != 0:
            raise RuntimeError("tshark io,stat failed: " + r.stderr.strip()[:300])
        out.update(sel)
    return out


def each_iostat(path, exprs, nframes):
    """io,stat on a file kept at its own times (TCP analysis depends on them),
    with an interval that puts each frame in a row of its own: a power of ten
    microseconds no longer than the shortest gap. None when the frames are
    too close (under 10 us) or the rows too many."""
    t = frame_times_us(path)
    gaps = [b - a for a, b in zip(t, t[1:])]
    if not t or any(g <= 0 for g in gaps):
        return None
    iv = 10 ** 6
    while gaps and iv > min(gaps):
        iv //= 10
    if iv < 10 or t[-1] // iv > 200000:
        return None
    return tshark_iostat(path, exprs, nframes, iv, {x // iv: i + 1 for i, x in enumerate(t)})


def tshark_y(path, expr):
    r = run(["tshark", "-n", "-r", path, "-Y", expr, "-T", "fields", "-e", "frame.number"])
    err = "\n".join(l for l in r.stderr.splitlines() if not l.startswith("Running as"))
    if err:
        raise RuntimeError("tshark: " + err[:300])
    return {int(x) for x in r.stdout.split()}


def wirepeel_y(path, expr):
    r = run([W, "show", "-r", path, "-Y", expr, "-o", "summary"])
    if r.returncode != 0 or r.stderr:
        raise RuntimeError("wirepeel: " + r.stderr.strip()[:300])
    return {int(l.split()[0]) for l in r.stdout.splitlines() if l[:1].isdigit()}


def main():
    pairs = []
    with open(LIST) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            ours, _, theirs = line.partition("\t")
            pairs.append((ours, theirs or ours))
    tmp = TMP
    # group by link type, merge, retime
    enc = run(["capinfos", "-T", "-E", "-r"] + FILES).stdout.splitlines()
    groups = {}
    for line in enc:
        parts = line.split("\t")
        if len(parts) >= 2:
            # --each: every file by itself (conversations must not be joined)
            key = os.path.basename(parts[0]).rsplit(".", 1)[0] if EACH else parts[1]
            groups.setdefault(key, []).append(parts[0])
    merged = []
    for name, files in sorted(groups.items()):
        m = os.path.join(tmp, "m-" + name + ".pcap")
        if run(["mergecap", "-a", "-F", "pcap", "-w", m] + files).returncode != 0:
            print("# could not merge the %s files" % name)
            continue
        t = os.path.join(tmp, name + ".pcap")
        if EACH:
            n = pad(m, t)
        else:
            n = retime(m, t)
        good, total = comparable(t)
        good = {x for x in good if x <= n}
        print("# %s: %d files, %d frames, %d decoded alike by both (compared)"
              % (name, len(files), n, len(good)))
        merged.append((name, t, n, good))
    theirs_io = sorted({t for _, t in pairs if "," not in t})
    ts_sel = {}
    for name, t, n, good in merged:
        if EACH:
            # TCP analysis depends on the times between frames, which the
            # one-second spacing would change: the file's own times, or -Y
            sel = each_iostat(t, theirs_io, n)
            if sel is None:
                with ThreadPoolExecutor(max_workers=2) as ex:
                    sel = dict(zip(theirs_io, ex.map(lambda x: tshark_y(t, x), theirs_io)))
            ts_sel[name] = sel
        else:
            ts_sel[name] = tshark_iostat(t, theirs_io, n)
    failed = 0
    for ours, theirs in pairs:
        diffs, total = [], 0
        for name, t, n, good in merged:
            try:
                w = wirepeel_y(t, ours) & good
                s = (ts_sel[name][theirs] if theirs in ts_sel[name] else tshark_y(t, theirs)) & good
            except RuntimeError as e:
                diffs.append("%s: %s" % (name, e))
                continue
            total += len(s)
            if w != s:
                only_w = sorted(w - s)[:6]
                only_t = sorted(s - w)[:6]
                diffs.append("%s: wirepeel %d frames, tshark %d; only wirepeel: %s; only tshark: %s"
                             % (name, len(w), len(s), only_w, only_t))
        label = ours if ours == theirs else "%s (tshark: %s)" % (ours, theirs)
        if diffs:
            failed += 1
            print("not ok %s: %s" % (NAME, label))
            for d in diffs:
                print("    " + d)
        elif total == 0:
            failed += 1
            print("not ok %s: %s selects no frame anywhere (a test that cannot fail)"
                  % (NAME, label))
        else:
            print("ok %s: %s (%d frames)" % (NAME, label, total))
    if EACH:
        pass
    elif len(pairs) >= 60:
        print("ok filter_oracle_count: %d expressions" % len(pairs))
    else:
        print("not ok filter_oracle_count: %d expressions (at least 60)" % len(pairs))
    return 1 if failed else 0


if __name__ == "__main__":
    TMP = tempfile.mkdtemp()
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
