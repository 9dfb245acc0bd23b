#!/usr/bin/env bash
# The fixture captures are made by code: regenerate them into a temporary
# directory and check that each equals the committed file, that nothing is
# missing on either side, and that captures/README.md lists every file.
set -u
BUILD=${BUILD:-build}
CAPTURES=${WP_CAPTURES:-captures}
# Every generator is a tools/mkfix*.c (mkfixtures.c, and one mkfix_AREA.c per
# area that crafts its own cases); each writes its files into the folder given.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$BUILD/tools/mkfixtures" ]; then
    echo "not ok fixtures_tool_built ($BUILD/tools/mkfixtures missing: run make tools)"
    exit 1
fi
for src in tools/mkfix*.c; do
    tool="$BUILD/tools/$(basename "$src" .c)"
    if [ ! -x "$tool" ]; then
        echo "not ok fixtures_tool_built_$(basename "$tool") (missing: run make tools)"
    elif "$tool" "$tmp" 2>"$tmp.err"; then
        echo "ok fixtures_regenerate_$(basename "$tool")"
    else
        echo "not ok fixtures_regenerate_$(basename "$tool") ($(head -1 "$tmp.err"))"
    fi
done
rm -f "$tmp.err"

n=0
for f in "$tmp"/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    n=$((n + 1))
    if [ ! -f "$CAPTURES/$name" ]; then
        echo "not ok fixture_committed_$name (made by mkfixtures but not in $CAPTURES/: run make fixtures and commit)"
    elif cmp -s "$f" "$CAPTURES/$name"; then
        echo "ok fixture_unchanged_$name"
    else
        echo "not ok fixture_unchanged_$name (differs from a fresh run: $(cmp "$f" "$CAPTURES/$name" 2>&1 | head -1))"
    fi
done
[ "$n" -ge 30 ] && echo "ok fixtures_count_$n" || echo "not ok fixtures_count ($n files, expected at least 30)"

for f in "$CAPTURES"/*.pcap "$CAPTURES"/*.pcapng; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    # course-*.pcap are recorded live by tools/record-course.sh, not crafted.
    if [ ! -f "$tmp/$name" ] && [[ "$name" != course-* ]]; then
        echo "not ok fixture_generated_$name (in $CAPTURES/ but no tools/mkfix*.c makes it)"
    fi
    if grep -q "^### $name " "$CAPTURES/README.md"; then
        echo "ok fixture_documented_$name"
    else
        echo "not ok fixture_documented_$name (no '### $name' section in $CAPTURES/README.md)"
    fi
done

# tshark as the oracle for the checksums: every one good or unverifiable,
# except the two fixtures made to carry a bad one.
if command -v tshark >/dev/null && command -v mergecap >/dev/null; then
    # Not the recorded course captures: their loopback checksums are partial.
    # The pcapng-* fixtures (several sections and link types) are read one by
    # one: mergecap cannot merge them. linkmisc-homeaddr.pcap carries an IPv6
    # frame made bad on purpose (no ip.id to single it out here): oracle.sh
    # checks its four checksum statuses against tshark.
    mergecap -a -w "$tmp/all.pcapng" $(ls "$CAPTURES"/*.pcap "$CAPTURES"/*.pcapng |
        grep -v -e '/course-' -e '/pcapng-' -e '/linkmisc-homeaddr') 2>/dev/null
    for f in "$tmp/all.pcapng" "$CAPTURES"/pcapng-*.pcapng; do
        [ -f "$f" ] || continue
        tshark -r "$f" -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
            -o ip.check_checksum:TRUE -T fields -E aggregator=';' -e frame.number -e ip.id \
            -e ip.checksum.status -e udp.checksum.status -e tcp.checksum.status \
            -e icmp.checksum.status -e icmpv6.checksum.status 2>/dev/null
    done >"$tmp/cs.txt"
    awk -F'\t' '
        function bad(s) { return s == "0" || s ~ /^0;/ || s ~ /;0;/ || s ~ /;0$/ }
        $2 == "0x4001" { seen++; if ($3 != "0" || $4 != "1") print "ipv4-bad-checksum: ip " $3 " udp " $4; next }
        $2 == "0x4101" { seen++; if ($3 != "1" || $4 != "0") print "udp-bad-checksum: ip " $3 " udp " $4; next }
        { for (i = 3; i <= 7; i++) if (bad($i)) print "merged frame " $1 " (ip id " $2 "): checksum field " i - 2 " is bad" }
        END { if (seen != 2) print "the two bad-checksum frames were not both found" }
    ' "$tmp/cs.txt" >"$tmp/cs.bad"
    if [ ! -s "$tmp/cs.txt" ]; then
        echo "not ok fixtures_checksums_per_tshark (tshark printed nothing)"
    elif [ -s "$tmp/cs.bad" ]; then
        echo "not ok fixtures_checksums_per_tshark ($(head -3 "$tmp/cs.bad" | tr '\n' ' '))"
    else
        echo "ok fixtures_checksums_per_tshark ($(wc -l <"$tmp/cs.txt") frames)"
    fi
else
    echo "not ok fixtures_checksums_per_tshark (tshark and mergecap are test dependencies: run tools/deps.sh)"
fi
