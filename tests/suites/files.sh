#!/usr/bin/env bash
# Capture files as tshark reads them: every pcapng in the tcpdump corpus reads
# with the frame count tshark reports; the pcapng fixtures (two link types,
# two sections in both byte orders, SPB, unknown blocks, if_tsresol and
# if_tsoffset, caplen > len) give tshark's times, link types and lengths;
# -r - reads standard input, .gz reads compressed (from a file or a pipe);
# -w FILE.pcapng / --format pcapng / -w - write what tshark reads back.
# Prints "ok NAME" / "not ok NAME" per check.
set -u
BUILD=${BUILD:-build}
W=$(realpath "$BUILD/wirepeel")
CAPS=$(realpath "${WP_CAPTURES:-captures}")
top=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
CORPUS=${WP_CORPUS:-$top/../shared/corpus/tcpdump}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export TZ=UTC

ok() { echo "ok $1"; }
nok() { echo "not ok $1${2:+ ($2)}"; }

if ! command -v tshark >/dev/null; then
    nok files_tshark "tshark is a test dependency: run tools/deps.sh test"
    exit 0
fi
ts() { tshark "$@" 2>/dev/null; }

# ---- every corpus pcapng: wirepeel's frame count is tshark's ----------------
if [ -d "$CORPUS" ]; then
    n=0 bad=""
    for f in "$CORPUS"/*.pcapng; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        want=$(ts -r "$f" -T fields -e frame.number | wc -l)
        got=$("$W" show -r "$f" 2>/dev/null | wc -l)
        "$W" show -r "$f" >/dev/null 2>&1 || got="$got (exit $?)"
        [ "$got" = "$want" ] || bad="$bad $(basename "$f"):$got/$want"
    done
    if [ "$n" -gt 0 ] && [ -z "$bad" ]; then ok "corpus_pcapng_frame_counts ($n files)"
    else nok corpus_pcapng_frame_counts "${bad:-no pcapng in $CORPUS}"; fi
else
    nok corpus_pcapng_frame_counts "$CORPUS absent"
fi

# ---- the pcapng fixtures against tshark ---------------------------------------
# time, caplen, len, IP id of each packet; tshark 4.0 lists unknown blocks as
# 16-byte frames with no IP layer and an SPB with no time: those rows differ
# in kind, so only rows with an IP id are compared, and the SPB's time is 0.
for f in pcapng-two-links pcapng-sections pcapng-tsresol pcapng-caplen-over-len; do
    ts -r "$CAPS/$f.pcapng" -T fields -e frame.time_epoch -e frame.cap_len -e frame.len \
        -e ip.id | awk -F'\t' '$4 != "" { if ($1 == "") $1 = "0.000000000"; print $1, $2, $3, $4 }' >want
    "$W" show -r "$CAPS/$f.pcapng" -o json | python3 -c '
import json, sys, calendar, datetime
for line in sys.stdin:
    o = json.loads(line)
    t = o["ts"]; whole, frac = t[:-1].split(".")
    sec = calendar.timegm(datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").timetuple())
    ip = [l for l in o["layers"] if l["proto"] == "ipv4"][0]["fields"]["id"]
    print("%d.%s" % (sec, frac.ljust(9, "0")), o["caplen"], o["len"], "0x%04x" % ip)' >got 2>&1
    if cmp -s want got; then ok "fixture_vs_tshark_$f ($(wc -l <got) packets)"
    else nok "fixture_vs_tshark_$f" "$(diff want got | head -4 | tr '\n' ' ')"; fi
done
# link types per frame: Ethernet, raw IP, Ethernet
lt=$("$W" show -r "$CAPS/pcapng-two-links.pcapng" -o json | grep -o '"linktype":"[A-Z0-9]*"' | tr '\n' ' ')
[ "$lt" = '"linktype":"EN10MB" "linktype":"RAW" "linktype":"EN10MB" ' ] &&
    ok pcapng_link_type_per_interface || nok pcapng_link_type_per_interface "$lt"
"$W" show -r "$CAPS/pcapng-caplen-over-len.pcapng" | grep -q '66 of 56 bytes ! frame.caplen_over_len' &&
    ok caplen_over_len_shown_with_event || nok caplen_over_len_shown_with_event
# libpcap alone stops after the first section: wirepeel reads both
n=$("$W" show -r "$CAPS/pcapng-sections.pcapng" | wc -l)
[ "$n" = 4 ] && ok pcapng_second_section_other_byte_order || nok pcapng_second_section_other_byte_order "$n frames"

# ---- standard input and gzip ----------------------------------------------------
"$W" show -r "$CAPS/udp-tcp-pair.pcap" >ref 2>/dev/null
"$W" show -r - <"$CAPS/udp-tcp-pair.pcap" >a 2>err && cmp -s ref a && ok read_stdin_pcap || nok read_stdin_pcap "$(head -c 200 a)"
cat "$CAPS/udp-tcp-pair.pcapng" | "$W" show -r - >a 2>err && cmp -s ref a && ok read_stdin_pcapng_pipe || nok read_stdin_pcapng_pipe "$(head -c 200 a)"
gzip -c "$CAPS/udp-tcp-pair.pcap" >p.pcap.gz
gzip -c "$CAPS/pcapng-sections.pcapng" >s.pcapng.gz
"$W" show -r p.pcap.gz >a 2>err && cmp -s ref a && ok read_gzip_pcap || nok read_gzip_pcap "$(head -c 200 a)"
"$W" show -r "$CAPS/pcapng-sections.pcapng" >ref2 2>/dev/null
"$W" show -r s.pcapng.gz >a 2>err && cmp -s ref2 a && ok read_gzip_pcapng || nok read_gzip_pcapng "$(head -c 200 a)"
"$W" show -r - <s.pcapng.gz >a 2>err && cmp -s ref2 a && ok read_gzip_stdin || nok read_gzip_stdin "$(head -c 200 a)"
want=$(ts -r p.pcap.gz -T fields -e frame.number | wc -l)
[ "$want" = 2 ] && ok tshark_reads_the_same_gz || nok tshark_reads_the_same_gz "$want"
head -c 100 p.pcap.gz >cut.pcap.gz
"$W" show -r cut.pcap.gz >out 2>err; rc=$?
[ $rc = 1 ] && [ "$(wc -l <err)" = 1 ] && ok gzip_cut_short_is_one_line || nok gzip_cut_short_is_one_line "rc=$rc $(head -c 200 err)"
printf 'not a capture' | "$W" show -r - >out 2>err; rc=$?
[ $rc = 1 ] && grep -q 'standard input: not a pcap or pcapng' err && ok stdin_not_a_capture ||
    nok stdin_not_a_capture "rc=$rc $(cat err)"
"$W" show -r - </dev/null >out 2>err; rc=$?
[ $rc = 1 ] && [ "$(wc -l <err)" = 1 ] && ok stdin_empty || nok stdin_empty "rc=$rc $(cat err)"

# ---- writing -------------------------------------------------------------------
"$W" show -r "$CAPS/udp-tcp-pair.pcap" -w o.pcapng
[ "$(head -c 4 o.pcapng | od -An -tx1 | tr -d ' ')" = 0a0d0d0a ] && ok write_pcapng_by_name || nok write_pcapng_by_name
[ "$(ts -r o.pcapng -T fields -e frame.time_epoch | tr '\n' ' ')" = "1700000000.000000000 1700000000.001000000 " ] &&
    ok write_pcapng_read_by_tshark || nok write_pcapng_read_by_tshark
"$W" show -r "$CAPS/udp-tcp-pair.pcapng" -w o.pcap
[ "$(head -c 4 o.pcap | od -An -tx1 | tr -d ' ')" = 4d3cb2a1 ] && ok write_pcap_by_name || nok write_pcap_by_name
"$W" show -r "$CAPS/udp-tcp-pair.pcap" -w o2.pcap --format pcapng
[ "$(head -c 4 o2.pcap | od -An -tx1 | tr -d ' ')" = 0a0d0d0a ] && ok write_format_pcapng || nok write_format_pcapng
"$W" show -r "$CAPS/pcapng-two-links.pcapng" -w two.pcapng &&
    [ "$(ts -r two.pcapng -T fields -e frame.encap_type | tr '\n' ' ')" = "1 7 1 " ] &&
    ok write_pcapng_two_link_types || nok write_pcapng_two_link_types
"$W" show -r "$CAPS/pcapng-two-links.pcapng" -w two.pcap >out 2>err; rc=$?
[ $rc = 1 ] && grep -q 'write pcapng' err && ok write_pcap_refuses_second_link_type ||
    nok write_pcap_refuses_second_link_type "rc=$rc $(cat err)"
"$W" show -r "$CAPS/udp-tcp-pair.pcap" -w - | "$W" show -r - >a 2>err && cmp -s ref a &&
    ok write_stdout_read_stdin || nok write_stdout_read_stdin "$(head -c 200 a)"
[ "$("$W" show -r "$CAPS/udp-tcp-pair.pcap" -w - --format pcapng | ts -r - -T fields -e frame.number | wc -l)" = 2 ] &&
    ok write_stdout_pcapng_to_tshark || nok write_stdout_pcapng_to_tshark
[ ! -e ./- ] && ok write_dash_makes_no_file || nok write_dash_makes_no_file
"$W" show -r "$CAPS/udp-tcp-pair.pcap" -w - -o json >out 2>err; rc=$?
[ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && ok write_stdout_and_print_is_usage_error || nok write_stdout_and_print_is_usage_error "rc=$rc"
"$W" show -r "$CAPS/udp-tcp-pair.pcap" --format pcapng >out 2>err; rc=$?
[ $rc = 2 ] && ok format_without_w_is_usage_error || nok format_without_w_is_usage_error "rc=$rc"
"$W" show -r "$CAPS/udp-tcp-pair.pcap" -w x --format ng >out 2>err; rc=$?
[ $rc = 2 ] && grep -q "pcap or pcapng" err && ok format_unknown_is_usage_error || nok format_unknown_is_usage_error "rc=$rc"
# a pcap record whose microseconds exceed a second: not silently clamped
python3 -c "
import struct
h = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
pkt = bytes(14)
open('ts.pcap', 'wb').write(h + struct.pack('<IIII', 1700000000, 1500000, 14, 14) + pkt)"
"$W" show -r ts.pcap -o layers | grep -q 'frame.time_fraction_out_of_range: .*(1500000000 > 999999999)' &&
    ok time_fraction_out_of_range_is_an_event || nok time_fraction_out_of_range_is_an_event
