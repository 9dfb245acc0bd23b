#!/usr/bin/env python3
"""Read `tmux capture-pane -e -p` on stdin; for the first line matching the
regex argv[1] (matched on the plain text), print "first-last:text" for each
run of reverse-video columns (0-based columns; text: the lit characters),
runs joined by ",", or "none"; "no line matches" when no line does."""
import re
import sys

SGR = re.compile(r"\x1b\[([0-9;]*)m")
OTHER = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def cells(line):
    out, rev, i = [], False, 0
    while i < len(line):
        m = SGR.match(line, i)
        if m:
            for p in (m.group(1) or "0").split(";"):
                if p in ("", "0", "27"):
                    rev = False
                elif p == "7":
                    rev = True
            i = m.end()
            continue
        if line[i] == "\x1b":  # another escape: skip it
            m2 = OTHER.match(line, i)
            i = m2.end() if m2 else i + 1
            continue
        out.append((line[i], rev))
        i += 1
    return out


def main():
    pat = re.compile(sys.argv[1])
    for line in sys.stdin.read().split("\n"):
        cs = cells(line)
        if not pat.search("".join(c for c, _ in cs)):
            continue
        runs, k = [], 0
        while k < len(cs):
            if cs[k][1]:
                e = k
                while e + 1 < len(cs) and cs[e + 1][1]:
                    e += 1
                runs.append("%d-%d:%s" % (k, e, "".join(c for c, _ in cs[k:e + 1])))
                k = e + 1
            else:
                k += 1
        print(",".join(runs) if runs else "none")
        return
    print("no line matches")


if __name__ == "__main__":
    main()
