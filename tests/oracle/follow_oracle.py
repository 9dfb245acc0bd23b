#!/usr/bin/env python3
"""Follow oracle: each direction's bytes of every TCP stream, wirepeel against tshark.

For every capture given and every TCP capture of the tcpdump corpus (INDEX.tsv's
n_tcp > 0), list the streams tshark numbers (tcp.stream), run
`tshark -q -z follow,tcp,raw,N` for each (one pass per file), take out tshark's
"[N bytes missing in capture file]" markers, and compare each direction with
what `wirepeel follow -r FILE N -o raw --out-prefix P` wrote to P.client and
P.server. Prints one line per capture: `ok FILE (S streams, B bytes)`, or
`not ok FILE stream N DIR: ...`.

Where wirepeel keeps data that tshark drops (data after a gap nobody
acknowledged, which tshark's follow leaves out), the stream passes only when
tshark's bytes are a prefix of ours and our ascii output has an unacknowledged
gap marker at exactly the place where tshark stops; the line then says
`keeps N bytes tshark drops`.
"""
import csv
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

MAX_STREAMS = 64  # per file, to bound the run time (said in the output)
MARKER = re.compile(rb"\[\d+ bytes missing in capture file\]\x00")


def tshark_streams(path):
    r = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-e", "tcp.stream"],
                       capture_output=True, text=True)
    out = set()
    for line in r.stdout.split():
        for v in line.split(","):
            if v.strip().isdigit():
                out.add(int(v))
    return sorted(out)


def tshark_follow(path, streams):
    args = ["tshark", "-n", "-r", path, "-q"]
    for n in streams:
        args += ["-z", f"follow,tcp,raw,{n}"]
    r = subprocess.run(args, capture_output=True)
    res = {}
    cur = None
    for raw in r.stdout.split(b"\n"):
        line = raw.decode("latin-1")
        if line.startswith("Filter: tcp.stream eq "):
            cur = {"nodes": [None, None], "data": [b"", b""]}
            res[int(line.split()[-1])] = cur
        elif cur is None:
            continue
        elif line.startswith("Node 0: "):
            cur["nodes"][0] = line[8:].strip()
        elif line.startswith("Node 1: "):
            cur["nodes"][1] = line[8:].strip()
        elif line.startswith("====="):
            cur = None
        elif line.strip():
            d = 1 if line.startswith("\t") else 0
            cur["data"][d] += bytes.fromhex(line.strip())
    for v in res.values():
        v["data"] = [MARKER.sub(b"", x) for x in v["data"]]
    return res


def norm_host(h):
    # tshark writes IPv6 endpoints as [addr]:port in 4.0; both forms match
    return h.replace("[", "").replace("]", "") if h else h


def ours(wp, path, n, tmp):
    prefix = os.path.join(tmp, f"s{n}")
    r = subprocess.run([wp, "follow", "-r", path, str(n), "-o", "raw", "--out-prefix", prefix],
                       capture_output=True)
    if r.returncode != 0:
        return None, r.stderr.decode("latin-1").strip()
    a = subprocess.run([wp, "follow", "-r", path, str(n)], capture_output=True)
    text = a.stdout.decode("latin-1")
    nodes = {}
    for line in text.split("\n")[:4]:
        m = re.match(r"Node \d \((client|server)\): (.*)$", line)
        if m:
            nodes[m.group(1)] = norm_host(m.group(2))
    with open(prefix + ".client", "rb") as f:
        c = f.read()
    with open(prefix + ".server", "rb") as f:
        s = f.read()
    return {"client": c, "server": s, "nodes": nodes, "text": text}, None


def unacked_gap_at(text, role, offset):
    """Whether our ascii output has an unacknowledged gap of role's
    direction starting at stream offset `offset` (seq offset+1)."""
    pat = re.compile(r"^\[gap\] " + role + r" -> \w+  seq (\d+)\.\.\d+ .*nobody acknowledged", re.M)
    return any(int(m.group(1)) == offset + 1 for m in pat.finditer(text))


def known_differences():
    here = os.path.dirname(os.path.abspath(__file__))
    out = {}
    with open(os.path.join(here, "follow-known-differences.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            out[(row["file"], row["stream"])] = row["reason"]
    return out


KNOWN = known_differences()


def check_file(wp, path):
    line = check_file_raw(wp, path)
    if line is None or not line.startswith("not ok"):
        return line
    base = os.path.basename(path)
    m = re.match(r"not ok \S+ stream (\d+)", line)
    for key in ((base, "*"), (base, m.group(1) if m else "")):
        if key in KNOWN:
            return f"ok {path} (known difference: {KNOWN[key]})"
    return line


def check_file_raw(wp, path):
    streams = tshark_streams(path)
    if not streams:
        return None
    capped = len(streams) > MAX_STREAMS
    streams = streams[:MAX_STREAMS]
    ts = tshark_follow(path, streams)
    total = 0
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in streams:
            t = ts.get(n)
            if t is None:
                return f"not ok {path} stream {n}: tshark printed no follow block"
            if not any(t["data"]) and t["nodes"][0] in (None, ":0"):
                # tshark saw the stream but no segment with data and no
                # endpoints (e.g. a header cut or invalid): nothing to compare
                continue
            o, err = ours(wp, path, n, tmp)
            if o is None:
                return f"not ok {path} stream {n}: wirepeel follow failed: {err}"
            for node in (0, 1):
                host = norm_host(t["nodes"][node])
                role = "client" if host == o["nodes"].get("client") else \
                       "server" if host == o["nodes"].get("server") else None
                if role is None:
                    return (f"not ok {path} stream {n}: tshark's node {node} {host} is neither "
                            f"of ours {o['nodes']}")
                want, got = t["data"][node], o[role]
                total += len(got)
                if want == got:
                    continue
                if got.startswith(want) and unacked_gap_at(o["text"], role, len(want)):
                    notes.append(f"stream {n} {role} keeps {len(got) - len(want)} bytes "
                                 f"tshark drops after an unacknowledged gap")
                    continue
                i = next((k for k in range(min(len(want), len(got))) if want[k] != got[k]),
                         min(len(want), len(got)))
                return (f"not ok {path} stream {n} {role}: tshark {len(want)} bytes, wirepeel "
                        f"{len(got)}; first difference at offset {i}")
    extra = f" (first {MAX_STREAMS} streams of more)" if capped else ""
    note = "; " + "; ".join(notes) if notes else ""
    return f"ok {path} ({len(streams)} streams{extra}, {total} bytes{note})"


def corpus_files(corpus):
    idx = os.path.join(corpus, "INDEX.tsv")
    if not os.path.exists(idx):
        return []
    out = []
    with open(idx, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            try:
                if int(row.get("n_tcp") or 0) > 0:
                    out.append(os.path.join(corpus, row["file"]))
            except ValueError:
                pass
    return out


def main():
    wp = sys.argv[1]
    files = list(sys.argv[2:])
    corpus = os.environ.get("WP_CORPUS", "")
    if corpus:
        files += corpus_files(corpus)
    bad = 0
    with ThreadPoolExecutor(max_workers=2) as ex:
        for line in ex.map(lambda p: check_file(wp, p), files):
            if line is None:
                continue
            print(line, flush=True)
            if line.startswith("not ok"):
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
