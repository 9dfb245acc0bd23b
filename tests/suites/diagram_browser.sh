#!/usr/bin/env bash
# wirepeel diagram's SVG and HTML in a real browser: well-formed (xmllint),
# self-contained (no scripts, links, external fonts or images), rendered by
# headless Chromium into a PNG that is not blank (the layer fills and dark
# text and rules are there: tests/support/pngstat.py), and the labels and
# values in the DOM Chromium builds (--dump-dom). The HTML nests every layer
# in the one that carries it and gives each field a tooltip. Markdown: the
# text diagram in a fenced block and a field table.
set -u
BUILD=${BUILD:-build}
WP="$BUILD/wirepeel"
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
for tool in xmllint chromium; do
    if ! command -v "$tool" >/dev/null; then
        echo "not ok diagram-browser: $tool is not installed (run tools/deps.sh)"
        exit 1
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok diagram-browser $1"; }
bad() { echo "not ok diagram-browser $1"; fails=$((fails + 1)); }
# a browser profile of its own, so that no other Chromium run interferes
browser() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$tmp/profile" --no-first-run "$@" 2>>"$tmp/chromium.log"
}
shot() { # FILE PNG WIDTH HEIGHT
    rm -f "$2"
    (cd "$tmp" && browser --screenshot="$2" --window-size="$3,$4" "file://$1" >/dev/null)
    [ -s "$2" ]
}
has_all() { # FILE WORD... : every word in FILE
    local f=$1
    shift
    for w in "$@"; do
        grep -qF -- "$w" "$f" || { echo "    missing: $w"; return 1; }
    done
}
svg_size() { sed -n 's/.*<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$1" | head -1; }
not_blank() { # PNG COLOUR... : enough ink, every fill colour painted
    python3 tests/support/pngstat.py "$@" >"$tmp/stat" || return 1
    python3 - "$tmp/stat" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
_, size, _, nonwhite, _, dark = lines[0].split()
ok = float(nonwhite) > 0.15 and float(dark) > 0.003
for l in lines[1:]:
    if l.startswith("colour") and int(l.split()[2]) < 2000:
        ok = False
print("    " + "; ".join(l for l in lines if l))
sys.exit(0 if ok else 1)
PY
}

ping=captures/course-udp-ping.pcap
# -- SVG of the course's UDP ping, every header stacked
"$WP" diagram -r $ping --format svg -w "$tmp/ping.svg" || bad "svg-written"
if xmllint --noout "$tmp/ping.svg"; then ok svg-well-formed; else bad svg-well-formed; fi
if grep -Eiq 'href|<script|<link|<image|<foreignObject|@import|@font-face|url\(' "$tmp/ping.svg"; then
    bad "svg-self-contained (an external reference or script)"
else
    ok svg-self-contained
fi
read -r w h < <(svg_size "$tmp/ping.svg")
if shot "$tmp/ping.svg" "$tmp/ping.png" "$w" "$h" &&
    not_blank "$tmp/ping.png" '#dbeafe' '#dcfce7' '#fef3c7'; then
    ok svg-rendered-not-blank
else
    bad svg-rendered-not-blank
fi
(cd "$tmp" && browser --dump-dom "file://$tmp/ping.svg") >"$tmp/ping.dom"
if has_all "$tmp/ping.dom" "Ethernet (Ethernet II)" "IPv4 (Internet Protocol version 4)" \
    "UDP (User Datagram Protocol)" "Version" "IHL" "5 ×4=20" "Time to live" "17 (UDP)" \
    "127.0.0.1" "Source port" "Destination port" "54321" "Checksum"; then
    ok svg-labels-in-dom
else
    bad svg-labels-in-dom
fi

# -- one layer only, and a blank worksheet
"$WP" diagram -r $ping --layer udp --format svg -w "$tmp/udp.svg"
(cd "$tmp" && browser --dump-dom "file://$tmp/udp.svg") >"$tmp/udp.dom"
if has_all "$tmp/udp.dom" "Source port" "54321" && ! grep -q "Ethernet" "$tmp/udp.dom"; then
    ok svg-one-layer
else
    bad svg-one-layer
fi
"$WP" diagram -r $ping --layer ipv4 --blank --format svg -w "$tmp/blank.svg"
(cd "$tmp" && browser --dump-dom "file://$tmp/blank.svg") >"$tmp/blank.dom"
if xmllint --noout "$tmp/blank.svg" && has_all "$tmp/blank.dom" "Version" "Source address" &&
    ! grep -Eq "127\.0\.0\.1|17 \(UDP\)" "$tmp/blank.dom"; then
    ok svg-blank-has-labels-no-values
else
    bad svg-blank-has-labels-no-values
fi

# -- HTML: every layer nested, tooltips with offset, bytes and conversion
"$WP" diagram -r captures/tcp-handshake.pcap --format html -w "$tmp/tcp.html"
if xmllint --noout "$tmp/tcp.html" && xmllint --html --noout "$tmp/tcp.html"; then
    ok html-well-formed
else
    bad html-well-formed
fi
if grep -Eiq '<script|<link|src=|href|@import|url\(' "$tmp/tcp.html"; then
    bad "html-self-contained"
else
    ok html-self-contained
fi
if shot "$tmp/tcp.html" "$tmp/tcp.png" 1000 1200 && not_blank "$tmp/tcp.png"; then
    ok html-rendered-not-blank
else
    bad html-rendered-not-blank
fi
(cd "$tmp" && browser --dump-dom "file://$tmp/tcp.html") >"$tmp/tcp.dom"
if python3 - "$tmp/tcp.dom" <<'PY'
import sys
from html.parser import HTMLParser

class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.depth, self.tips = [], {}, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div":
            self.stack.append(a.get("data-proto"))
            if a.get("data-proto"):
                self.depth[a["data-proto"]] = [p for p in self.stack if p]
        if tag == "td" and "title" in a:
            self.tips.append(a["title"])
    def handle_endtag(self, tag):
        if tag == "div" and self.stack:
            self.stack.pop()

p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
ok = p.depth.get("tcp") == ["eth", "ipv4", "tcp"]
ihl = [t for t in p.tips if "ihl:" in t]
ok = ok and ihl and "frame offset 14" in ihl[0] and "bytes 45" in ihl[0] and "mask 0xf" in ihl[0]
syn = [t for t in p.tips if "bit 1 of it" in t]
ok = ok and bool(syn) and "frame offset 47" in syn[0]
print("    nesting %s; ihl tip %r" % (p.depth.get("tcp"), ihl[:1]))
sys.exit(0 if ok else 1)
PY
then
    ok html-nested-with-tooltips
else
    bad html-nested-with-tooltips
fi

# -- Markdown
"$WP" diagram -r $ping --format md >"$tmp/ping.md"
if has_all "$tmp/ping.md" '```text' '| Field | Offset | Bits | Value |' '| Header length (IHL) | 14 | 4-7 | 5 ×4=20 |'; then
    ok md-block-and-table
else
    bad md-block-and-table
fi

# -- usage errors
"$WP" diagram -r $ping --format pdf >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "unknown format 'pdf'" "$tmp/err"; then ok usage-bad-format; else bad usage-bad-format; fi
"$WP" diagram -r $ping --layer arp >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "frame 1 has no layer 'arp' (it has eth, ipv4, udp, payload)" "$tmp/err"; then
    ok runtime-no-such-layer
else
    bad runtime-no-such-layer
    cat "$tmp/err"
fi
"$WP" diagram -r $ping -n 999 >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "no frame 999" "$tmp/err"; then ok runtime-no-such-frame; else bad runtime-no-such-frame; fi
exit $((fails > 0))
