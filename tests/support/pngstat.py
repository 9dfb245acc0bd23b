#!/usr/bin/env python3
"""Read a PNG (8-bit RGB/RGBA, non-interlaced, as Chromium writes them) with
the standard library only and print what a test needs to tell a picture from
a blank one: width, height, the share of pixels that are not white, the share
that are dark (text, rules), and how many pixels have each colour asked for.
Usage: pngstat.py FILE [#rrggbb ...]"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("%s: not a PNG" % path)
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                sys.exit("%s: unsupported PNG (depth %d, colour type %d)" % (path, depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main():
    path, colours = sys.argv[1], sys.argv[2:]
    w, h, bpp, rows = read_png(path)
    want = {tuple(int(c[k:k + 2], 16) for k in (1, 3, 5)): 0 for c in colours}
    nonwhite = dark = 0
    for line in rows:
        for x in range(0, w * bpp, bpp):
            px = (line[x], line[x + 1], line[x + 2])
            if px != (255, 255, 255):
                nonwhite += 1
            if sum(px) < 200:
                dark += 1
            if px in want:
                want[px] += 1
    total = w * h
    print("size %dx%d nonwhite %.4f dark %.4f" % (w, h, nonwhite / total, dark / total))
    for c, n in want.items():
        print("colour #%02x%02x%02x %d" % (c + (n,)))


if __name__ == "__main__":
    main()
