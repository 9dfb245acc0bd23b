#!/usr/bin/env bash
# --decode-as: VXLAN on UDP 8472 (captures/linkmisc-vxlan-port.pcap) is
# payload by default and VXLAN carrying Ethernet, IPv4 and ICMP with
# --decode-as udp.port=8472:vxlan, in show's JSON, summary and layers, in
# flows (the inner conversation), and tshark agrees on the inner fields with
# its own -d; "data" turns DNS on port 53 off; bad rules are usage errors
# (exit 2, one line on stderr naming the accepted names, nothing on stdout).
set -u
BUILD=${BUILD:-build}
W=$(realpath "$BUILD/wirepeel")
CAPS=$(realpath "${WP_CAPTURES:-captures}")
V=$CAPS/linkmisc-vxlan-port.pcap
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok $1"; }
nok() { echo "not ok $1${2:+ ($2)}"; }

protos() { python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(",".join(l["proto"] for l in o["layers"]))'; }

got=$("$W" show -r "$V" -o json | protos)
[ "$got" = "eth,ipv4,udp,payload" ] && ok decode_as_default_is_payload ||
    nok decode_as_default_is_payload "$got"
got=$("$W" show -r "$V" -o json --decode-as udp.port=8472:vxlan | protos)
[ "$got" = "eth,ipv4,udp,vxlan,eth,ipv4,icmp,payload" ] && ok decode_as_vxlan_json ||
    nok decode_as_vxlan_json "$got"
vni=$("$W" show -r "$V" -o json --decode-as udp.port==8472,vxlan | python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
print([l for l in o["layers"] if l["proto"] == "vxlan"][0]["fields"]["vni"])')
[ "$vni" = 4242 ] && ok decode_as_tshark_spelling || nok decode_as_tshark_spelling "$vni"
"$W" show -r "$V" --decode-as udp.port=8472:vxlan >"$T/sum"
grep -q 'ICMP type 8' "$T/sum" && ok decode_as_summary_inner || nok decode_as_summary_inner "$(cat "$T/sum")"
"$W" show -r "$V" -o layers --decode-as udp.port=8472:vxlan >"$T/lay"
grep -q 'VXLAN' "$T/lay" && grep -q 'vni .* 4242' "$T/lay" && ok decode_as_layers ||
    nok decode_as_layers "$(grep -i vxlan "$T/lay" | head -2)"
"$W" flows -r "$V" --decode-as udp.port=8472:vxlan >"$T/fl" 2>/dev/null
grep -q '^icmp ' "$T/fl" && ok decode_as_flows_inner || nok decode_as_flows_inner "$(cat "$T/fl")"

# -Y sees the decoded-as layers
n=$("$W" show -r "$V" -Y 'vxlan.vni == 4242' --decode-as udp.port=8472:vxlan | wc -l)
m=$("$W" show -r "$V" -Y 'vxlan.vni == 4242' | wc -l)
[ "$n" = 1 ] && [ "$m" = 0 ] && ok decode_as_display_filter || nok decode_as_display_filter "with $n, without $m"

# tshark's own decode-as gives the same inner values
if command -v tshark >/dev/null; then
    t=$(tshark -n -r "$V" -d udp.port==8472,vxlan -T fields -E occurrence=l \
        -e vxlan.vni -e ip.src -e icmp.type 2>/dev/null)
    w=$("$W" show -r "$V" -o json --decode-as udp.port=8472:vxlan | python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
L = o["layers"]
vx = [l for l in L if l["proto"] == "vxlan"][0]["fields"]["vni"]
ip = [l for l in L if l["proto"] == "ipv4"][-1]["fields"]["src"]
ic = [l for l in L if l["proto"] == "icmp"][0]["fields"]["type"]
print("%s\t%s\t%s" % (vx, ip, ic))')
    [ "$t" = "$w" ] && ok decode_as_matches_tshark || nok decode_as_matches_tshark "tshark=$t wirepeel=$w"
fi

# data: DNS on 53 stays payload
got=$("$W" show -r "$CAPS/encap-dns.pcap" -o json --decode-as udp.port=53:data | protos | sort -u)
[ "$got" = "eth,ipv4,udp,payload" ] && ok decode_as_data_turns_off_dns || nok decode_as_data_turns_off_dns "$got"

# usage errors
for spec in udp.port=8472 udp.port=0:vxlan udp.port=8472:bogus sctp.port=1:dns udp.port=x:vxlan; do
    for cmd in show flows; do
        "$W" $cmd -r "$V" --decode-as "$spec" >"$T/out" 2>"$T/err"
        rc=$?
        if [ $rc -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && [ ! -s "$T/out" ]; then
            ok "decode_as_bad_${cmd}_$spec"
        else
            nok "decode_as_bad_${cmd}_$spec" "rc=$rc $(head -c 200 "$T/err")"
        fi
    done
done
"$W" show -r "$V" --decode-as udp.port=8472:bogus 2>"$T/err"
grep -q 'known: .*vxlan.*data' "$T/err" && ok decode_as_unknown_lists_names ||
    nok decode_as_unknown_lists_names "$(cat "$T/err")"
"$W" view -r "$V" --decode-as udp.port=8472:bogus >"$T/out" 2>"$T/err" </dev/null
rc=$?
[ $rc -eq 2 ] && grep -q 'unknown protocol' "$T/err" && ok decode_as_bad_view ||
    nok decode_as_bad_view "rc=$rc $(cat "$T/err")"
