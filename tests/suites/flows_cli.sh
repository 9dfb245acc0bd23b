#!/usr/bin/env bash
# wirepeel flows and show's conversation options as a user runs them: the
# course ping's table and its unanswered pings, JSON that parses, -S and
# --no-flows, the unanswered list at the end of show, usage errors.
set -u
BUILD=${BUILD:-build}
W=$BUILD/wirepeel
pass() { echo "ok flows_cli_$1"; }
fail() { echo "not ok flows_cli_$1: $2"; }

out=$("$W" flows -r captures/course-udp-ping.pcap)
rows=$(grep -c '^udp ' <<<"$out")
[ "$rows" = 10 ] && pass table_rows || fail table_rows "expected 10 udp rows, got $rows"
if grep -q '^3 requests got no reply:' <<<"$out" && grep -q '#7 udp.stream 3: no reply' <<<"$out"; then
    pass ping_no_reply
else
    fail ping_no_reply "$(tail -4 <<<"$out" | tr '\n' '|')"
fi
if "$W" flows -r captures/flow-tcp-rst-reuse.pcap -o json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert [r["state"] for r in rows] == ["REJ", "RSTO", "SF"], rows
assert rows[1]["history"] == "ShADaR"
'; then pass json_states; else fail json_states "flows -o json on flow-tcp-rst-reuse.pcap"; fi

s=$("$W" show -r captures/flow-tcp-basic.pcap -c 3 | tail -1)
grep -q 'seq 1 ack 1 win 64256 len 0' <<<"$s" && pass relative || fail relative "$s"
s=$("$W" show -r captures/flow-tcp-basic.pcap -c 3 -S | tail -1)
grep -q 'seq 1001 ack 5001 win 502 len 0' <<<"$s" && pass absolute_S || fail absolute_S "$s"
s=$("$W" show -r captures/flow-tcp-basic.pcap -c 3 --absolute-seq | tail -1)
grep -q 'seq 1001 ack 5001 win 502' <<<"$s" && pass absolute_long || fail absolute_long "$s"
s=$("$W" show -r captures/course-udp-ping.pcap --no-flows 2>&1)
if ! grep -q 'reply to\|no reply' <<<"$s"; then pass no_flows; else fail no_flows "pairing shown"; fi
s=$("$W" show -r captures/flow-icmp-missing.pcap 2>&1)
if grep -q '#5 icmp echo 0 seq 3: no reply' <<<"$s" && grep -q 'reply to #1 0.257 ms' <<<"$s"; then
    pass show_icmp
else
    fail show_icmp "$(tail -3 <<<"$s" | tr '\n' '|')"
fi
s=$("$W" show -r captures/flow-tcp-fast-retrans.pcap -o json | sed -n 12p)
if python3 -c 'import json,sys; f=json.loads(sys.argv[1])["flow"]; assert f["analysis"]==["retransmission","fast_retransmission"], f; assert f["seq"]==501' "$s"; then
    pass json_flow
else
    fail json_flow "$s"
fi

if "$W" show -r captures/course-udp-ping.pcap 2>/dev/null | grep -q 'no reply'; then
    fail list_on_stderr "the unanswered list is on standard output"
else
    pass list_on_stderr
fi
for args in "-o csv" "--flow-max 0" "--flow-idle x" "extra-word"; do
    # shellcheck disable=SC2086
    "$W" flows -r captures/arp.pcap $args >/dev/null 2>&1
    rc=$?
    [ $rc = 2 ] && pass "usage_${args%% *}" || fail "usage_${args%% *}" "exit $rc for '$args'"
done
"$W" show -r captures/arp.pcap --flow-max 0 >/dev/null 2>&1
[ $? = 2 ] && pass show_flow_max_usage || fail show_flow_max_usage "show --flow-max 0 did not exit 2"
"$W" flows -r /nonexistent.pcap >/dev/null 2>&1
[ $? = 1 ] && pass missing_file || fail missing_file "exit status not 1"
