#!/usr/bin/env python3
"""Check wirepeel's struct unpacker against CPython's struct.unpack.

Generates random (format, bytes) cases from a fixed seed: valid formats of
every code with and without repeat counts under every prefix (none, @ = < > !),
the same with the wrong number of bytes, and bad formats. Runs them all through
the batch helper (one process) and a sample through `wirepeel unpack` (one
process each, to test the command itself: stdout, stderr, exit status), and
prints one `ok NAME` / `not ok NAME` line per batch, with the first differing
cases after a failing one.

usage: unpack_oracle.py BATCH_BIN WIREPEEL_BIN [--seed N] [--cases N] [--cli-cases N]
"""
import argparse
import random
import re
import struct
import subprocess
import sys

CODES = "xBb?HhIiQqsclLefdp"
NATIVE_CODES = CODES + "nNP"   # n N P exist only in native mode (@ or none)
PREFIXES = ["", "@", "=", "<", ">", "!"]
# Characters Python rejects in every mode (and so must we).
BAD_CHARS = "ZyAkKuUjJmMtTwWzEgGoOrRvV$%&*()[]{}/,.;:'\"#~^_|-+"
SPECIAL_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x27, 0x22, 0x5c, 0x09, 0x0a, 0x0d,
                 0x20, 0x7e, 0x41]


def rand_item(rng, codes=CODES):
    code = rng.choice(codes)
    r = rng.random()
    if r < 0.45:
        count = ""
    elif r < 0.9:
        count = str(rng.randint(0, 5))
    else:
        count = str(rng.randint(6, 40))
    if code == "p" and count == "0":
        count = "1"   # CPython 3.11 raises SystemError on '0p' (a bug of its own)
    return count + code


def rand_format(rng):
    prefix = rng.choice(PREFIXES)
    codes = NATIVE_CODES if prefix in ("", "@") else CODES
    items = [rand_item(rng, codes) for _ in range(rng.randint(0, 8))]
    sep = " " if rng.random() < 0.15 else ""
    return prefix + sep.join(items)


def rand_bytes(rng, n):
    if rng.random() < 0.5:
        return bytes(rng.choice(SPECIAL_BYTES) for _ in range(n))
    if rng.random() < 0.3:
        return bytes(rng.randint(0x20, 0x7e) for _ in range(n))
    return bytes(rng.randint(0, 255) for _ in range(n))


def bad_format(rng):
    fmt = rand_format(rng)
    kind = rng.randint(0, 3)
    if kind == 0:    # a character that is no code
        pos = rng.randint(0, len(fmt))
        return fmt[:pos] + rng.choice(BAD_CHARS) + fmt[pos:]
    if kind == 1:    # a byte-order character after the start
        return rng.choice(PREFIXES[1:]) + "B" + rng.choice("@=<>!") + "H"
    if kind == 2:    # a count with no code after it
        return fmt + str(rng.randint(0, 99))
    return rng.choice(PREFIXES) + str(rng.randint(1, 9)) + " " + rng.choice("BHs")


def expected(fmt, data):
    """('ok', repr) | ('format', msg) | ('size', n_expected)."""
    try:
        s = struct.Struct(fmt)
    except struct.error as e:
        return ("format", str(e))
    try:
        return ("ok", repr(s.unpack(data)))
    except struct.error as e:
        m = re.search(r"buffer of (\d+) bytes", str(e))
        return ("size", int(m.group(1)) if m else s.size)


def gen_cases(rng, n):
    cases = []
    for i in range(n):
        r = i % 10
        if r < 6:                       # valid, right size
            fmt = rand_format(rng)
            data = rand_bytes(rng, struct.calcsize(fmt))
        elif r < 8:                     # valid, wrong size
            fmt = rand_format(rng)
            size = struct.calcsize(fmt)
            delta = rng.choice([-3, -2, -1, 1, 2, 5])
            data = rand_bytes(rng, max(0, size + delta) if size + delta != size else size + 1)
        else:                           # bad format
            fmt = bad_format(rng)
            data = rand_bytes(rng, rng.randint(0, 8))
        cases.append((fmt, data))
    # Hand-picked cases that must always be there.
    cases += [
        ("!BBH", bytes.fromhex("45000054")), ("!B", b"\x01"), ("", b""), ("!", b""),
        ("4s", b"\x7f\x00\x00\x01"), ("3s", b"'AB"), ("3s", b"'\"\\"), ("0s", b""),
        ("?", b"\x02"), ("<?", b"\xff"), ("=?", b"\x80"), ("@?", b"\x05"), ("?", b"\x00"),
        ("!q", b"\x80" + b"\x00" * 7), ("<Q", b"\xff" * 8), ("@BQ", b"\x01" + b"\x00" * 15),
        ("@BH", b"\x01\x00\x02\x00"), ("@BI", b"\x01" + b"\x00" * 7), ("B2xH", b"\x01\x00\x00\x02\x00"),
        ("!BBHHHBBH4s4s", bytes.fromhex("4500005400004000400100007f0000017f000001")),
        ("!H", b"\x01"), ("!H", b"\x01\x02\x03"), ("4", b""), ("4 B", b"\x00" * 4),
        ("B!", b"\x00"), ("!Z", b"\x00"), ("1000B", b""), ("s", b"\n"), ("6s", b"\t\r\n\x0b\x1f\x7f"),
        ("!f", bytes.fromhex("3dcccccd")), ("!d", bytes.fromhex("3ee4f8b588e368f1")),
        ("!d", bytes.fromhex("4341c37937e08000")), ("<e", bytes.fromhex("0100")),
        ("!e", bytes.fromhex("7c00")), ("!e", bytes.fromhex("fe00")), ("!d", b"\x80" + b"\x00" * 7),
        ("5p", bytes.fromhex("09414243ff")), ("1p", b"\x05"), ("!3c", b"A'B"),
        ("@bl", b"\x01" + b"\x00" * 15), ("!lL", b"\xff" * 8), ("@Pn", b"\x00" * 16),
        ("!n", b"\x00" * 8), ("<N", b"\x00" * 8), ("=P", b"\x00" * 8),
    ]
    return cases


def our_kind(line):
    if line.startswith("error:format"):
        return "format"
    if line.startswith("error:size"):
        return "size"
    if line.startswith("error:"):
        return "other"
    return "ok"


def check_line(exp, line):
    """None when line agrees with exp, else a reason."""
    kind = our_kind(line)
    if exp[0] == "ok":
        return None if line == exp[1] else "expected %s" % exp[1]
    if exp[0] != kind:
        return "expected a %s error (%s)" % (exp[0], exp[1] if exp[0] == "format" else exp[1])
    if kind == "size" and not re.search(r"\b%d bytes?\b" % exp[1], line):
        return "the message does not name the expected size %d" % exp[1]
    return None


def report(name, failures, total):
    if failures:
        print("not ok %s (%d of %d cases differ)" % (name, len(failures), total))
        for f in failures[:8]:
            print("    " + f)
    else:
        print("ok %s (%d cases)" % (name, total))


def run_batch(binary, cases, batch_size):
    lines = "".join("%s\t%s\n" % (f, d.hex()) for f, d in cases)
    p = subprocess.run([binary], input=lines, capture_output=True, text=True, timeout=60)
    out = p.stdout.split("\n")
    for start in range(0, len(cases), batch_size):
        chunk = range(start, min(start + batch_size, len(cases)))
        failures = []
        for i in chunk:
            fmt, data = cases[i]
            got = out[i] if i < len(out) else "<no output>"
            why = check_line(expected(fmt, data), got)
            if why:
                failures.append("format %r bytes %s: got %s; %s" % (fmt, data.hex(), got, why))
        report("unpack_oracle_cases_%d_to_%d" % (chunk[0] + 1, chunk[-1] + 1), failures, len(chunk))


def spaced_hex(rng, data):
    h = data.hex()
    if len(h) < 4 or rng.random() < 0.5:
        return h.upper() if rng.random() < 0.3 else h
    return " ".join(h[i:i + 2] for i in range(0, len(h), 2))


def run_cli(wirepeel, cases, rng):
    failures = []
    for fmt, data in cases:
        hexarg = spaced_hex(rng, data)
        exp = expected(fmt, data)
        p = subprocess.run([wirepeel, "unpack", "--", fmt, hexarg], capture_output=True,
                           text=True, timeout=10)
        err_lines = p.stderr.splitlines()
        if exp[0] == "ok":
            ok = p.returncode == 0 and p.stdout == exp[1] + "\n" and p.stderr == ""
        else:
            ok = p.returncode == 2 and p.stdout == "" and len(err_lines) == 1
            if ok and exp[0] == "size":
                ok = bool(re.search(r"\b%d bytes?\b" % exp[1], p.stderr))
        if not ok:
            failures.append("wirepeel unpack -- %r %r: rc %d stdout %r stderr %r; python: %r"
                            % (fmt, hexarg, p.returncode, p.stdout, p.stderr, exp))
    # Bad hex: exit 2, one line, nothing on stdout.
    for fmt, hexarg in [("!H", "0g01"), ("!H", "012"), ("!H", "0 1"), ("B", "zz")]:
        p = subprocess.run([wirepeel, "unpack", fmt, hexarg], capture_output=True, text=True)
        if not (p.returncode == 2 and p.stdout == "" and len(p.stderr.splitlines()) == 1
                and "2 bytes" in p.stderr if fmt == "!H" else p.returncode == 2):
            failures.append("bad hex %r %r: rc %d stderr %r" % (fmt, hexarg, p.returncode, p.stderr))
    report("unpack_oracle_cli", failures, len(cases) + 4)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("batch")
    ap.add_argument("wirepeel")
    ap.add_argument("--seed", type=int, default=20231114)
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--cli-cases", type=int, default=200)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    cases = gen_cases(rng, a.cases)
    kinds = {}
    for f, d in cases:
        k = expected(f, d)[0]
        kinds[k] = kinds.get(k, 0) + 1
    # The generator must cover what the test claims to cover.
    codes_seen = set("".join(f for f, _ in cases if expected(f, _)[0] == "ok"))
    missing = [c for c in CODES + "@=<>!" if c not in codes_seen]
    if missing or min(kinds.get(k, 0) for k in ("ok", "size", "format")) < 100:
        print("not ok unpack_oracle_coverage (missing %s, kinds %s)" % (missing, kinds))
    else:
        print("ok unpack_oracle_coverage (%s)" % ", ".join("%s %d" % kv for kv in sorted(kinds.items())))
    run_batch(a.batch, cases, 500)
    run_cli(a.wirepeel, rng.sample(cases, min(a.cli_cases, len(cases))), rng)


if __name__ == "__main__":
    main()
