#!/usr/bin/env bash
# The course endpoints over real sockets, captured live on lo (and between two
# network namespaces via `wirepeel demo --lab`), plus their edge cases, the
# tcp-server's hardening (a 65th client beside 64 idle ones, --idle-timeout,
# echo to a client that does not read, running out of file descriptors), and
# the demo: its log lines, its uid while capturing, Ctrl-C/SIGTERM/q with
# status 0 and nothing on stderr (in tmux for the view), its port options and
# its unprivileged fallback. Needs root for the live parts (CI runs as root);
# without it those checks are reported as skipped.
#
# Live captures are taken with `wirepeel show -i lo -o json -w FILE` when this
# build has `show` (tcpdump otherwise); the JSON is checked field by field and
# the payload bytes are read from the written pcap at the offsets the JSON gives.
set -u
BUILD=${BUILD:-build}
W=$BUILD/wirepeel
CAPS=${WP_CAPTURES:-captures}
tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    [ -n "${LAB:-}" ] && { ip netns del "$LAB-a" 2>/dev/null; ip netns del "$LAB-b" 2>/dev/null; }
    rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok $1"; }
notok() { echo "not ok $1${2:+ # $2}"; }
skip() { echo "ok $1 # SKIP $2"; }
check() { local n=$1; shift; if "$@"; then ok "$n"; else notok "$n"; fi; }

# No fixed ports: every server here is started with --port 0, the kernel
# picks a free port and the server's first line names it ("listening on
# 127.0.0.1:PORT"); the demo gets --udp-port 0 --tcp-port 0. A port that must
# have no server is one a server just gave back (serve, then stop it).

root=0
[ "$(id -u)" = 0 ] && root=1
# Capture with `wirepeel show -o json` once show and the real renderers are
# in this build (a stand-in renderer prints no layers); tcpdump until then.
have_show=0
"$W" show -r "$CAPS/udp-tcp-pair.pcap" -o json 2>/dev/null | grep -q '"layers":\[{"proto":"eth"' &&
    have_show=1

# wait_for FILE REGEX: up to 3 s for a line matching REGEX to appear in FILE.
wait_for() {
    for _ in $(seq 1 30); do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# ends_within PID TENTHS: wait up to TENTHS/10 s for PID to end; its status in $rc.
ends_within() {
    rc=
    for _ in $(seq 1 "$2"); do
        if ! kill -0 "$1" 2>/dev/null; then
            wait "$1"; rc=$?
            return 0
        fi
        sleep 0.1
    done
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    return 1
}

# serve NAME ARGS...: start `wirepeel ARGS --port 0` in the background (output
# in $tmp/NAME.out), wait for its listening line; its pid in $srv, port in $port.
serve() {
    local name=$1
    shift
    "$W" "$@" --port 0 >"$tmp/$name.out" 2>&1 &
    srv=$!
    pids+=("$srv")
    wait_for "$tmp/$name.out" 'listening on|cannot'
    port=$(grep -oE 'listening on [^ ,]+' "$tmp/$name.out" | head -1 | sed 's/.*://')
    [ -n "$port" ] || { echo "# $name did not start: $(head -2 "$tmp/$name.out")"; port=1; }
}

# free_port udp|tcp: a port nothing listens on (one a server just gave back).
free_port() {
    serve freeport "$1-server"
    kill -TERM "$srv" 2>/dev/null
    wait "$srv" 2>/dev/null
    echo "$port"
}

# start_cap FILTER NAME: live capture on lo into $tmp/NAME.pcap (+ .json with show).
start_cap() {
    if [ $have_show = 1 ]; then
        "$W" show -i lo -f "$1" -o json -w "$tmp/$2.pcap" >"$tmp/$2.json" 2>"$tmp/$2.caperr" &
    else
        tcpdump -i lo -U -n --immediate-mode -w "$tmp/$2.pcap" "$1" 2>"$tmp/$2.caperr" &
    fi
    cap=$!
    pids+=("$cap")
    # tcpdump says when it listens; show says nothing, so give it a moment.
    if [ $have_show = 1 ]; then sleep 1; else wait_for "$tmp/$2.caperr" 'listening'; fi
    sleep 0.3
}
stop_cap() {
    sleep 0.5
    kill -INT "$cap" 2>/dev/null
    ends_within "$cap" 30 || echo "# capture did not stop on SIGINT"
}

# The checker: reads a pcap (and wirepeel's NDJSON of the same frames).
cat >"$tmp/check.py" <<'PY'
import json, struct, sys

def frames(path):
    data = open(path, 'rb').read()
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        raise SystemExit('not a pcap: ' + path)
    link = struct.unpack(e + 'I', data[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(e + 'IIII', data[off:off + 16])
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return link, out

def parse(b):
    """Ethernet/IPv4/UDP|TCP by hand: the oracle for wirepeel's JSON."""
    p = {'dst_mac': b[0:6], 'src_mac': b[6:12]}
    if struct.unpack('!H', b[12:14])[0] != 0x0800:
        return None
    ip = b[14:]
    ihl = (ip[0] & 15) * 4
    p['src'] = '.'.join(map(str, ip[12:16]))
    p['dst'] = '.'.join(map(str, ip[16:20]))
    p['proto'] = ip[9]
    total = struct.unpack('!H', ip[2:4])[0]
    l4 = ip[ihl:total]
    p['sport'], p['dport'] = struct.unpack('!HH', l4[0:4])
    if p['proto'] == 17:
        p['payload'] = l4[8:]
    elif p['proto'] == 6:
        p['seq'], p['ack'] = struct.unpack('!II', l4[4:12])
        doff = (l4[12] >> 4) * 4
        p['flags'] = ((l4[12] & 15) << 8) | l4[13]
        p['payload'] = l4[doff:]
    return p

def load(pcap, js):
    link, raw = frames(pcap)
    pk = [parse(b) for b in raw]
    objs = None
    if js != '-':
        objs = [json.loads(l) for l in open(js) if l.strip()]
    return raw, pk, objs

def res(name, cond, why=''):
    print(('ok ' if cond else 'not ok ') + name + ('' if cond or not why else ' # ' + why))

def json_checks(prefix, raw, pk, objs, l4):
    try:
        json_checks_(prefix, raw, pk, objs, l4)
    except (KeyError, IndexError, TypeError) as e:
        res(prefix + '_json_shape', False, 'unexpected JSON: %r' % e)

def json_checks_(prefix, raw, pk, objs, l4):
    if objs is None:
        print('ok %s_json # SKIP no wirepeel show with the real renderers in this build' % prefix)
        return
    res(prefix + '_json_frame_count', len(objs) == len(raw), '%d json, %d pcap' % (len(objs), len(raw)))
    bad, mism = [], []
    for i, (o, p) in enumerate(zip(objs, pk)):
        lay = {l['proto']: l for l in o['layers']}
        for l in o['layers']:
            if l.get('checksum_status') == 'bad':
                bad.append('%d:%s' % (i + 1, l['proto']))
        for ev in o.get('events', []):
            if 'checksum' in ev.get('code', ''):
                bad.append('%d:%s' % (i + 1, ev['code']))
        t = lay.get(l4)
        pl = lay.get('payload')
        if not t or lay['ipv4']['fields']['src'] != p['src'] or \
           t['fields']['sport'] != p['sport'] or t['fields']['dport'] != p['dport'] or \
           t.get('checksum_status') not in ('offloaded', 'good'):
            mism.append(i + 1)
            continue
        if l4 == 'tcp' and (t['fields']['seq'] != p['seq'] or t['fields']['ack'] != p['ack']
                            or t['fields']['flags'] != p['flags']):
            mism.append(i + 1)
        got = raw[i][pl['offset']:pl['offset'] + pl['len']] if pl else b''
        if got != p['payload']:
            mism.append(i + 1)
    res(prefix + '_json_fields_agree', not mism, 'frames %s' % mism)
    res(prefix + '_no_checksum_bad', not bad, ' '.join(bad))

def udp(pcap, js, client_out, port, server_out):
    raw, pk, objs = load(pcap, js)
    lines = open(client_out).read().splitlines()
    sent_ports, replied_ports = [], []
    received = None
    for l in lines:
        if l.startswith('seq='):
            prt = int(l.split()[1].split('=')[1].rstrip(':'))
            sent_ports.append(prt)
            if 'bytes from' in l:
                replied_ports.append(prt)
        if ' transmitted, ' in l:
            received = int(l.split(',')[1].split()[0])
    reqs = [p for p in pk if p and p['proto'] == 17 and p['dport'] == port]
    reps = [p for p in pk if p and p['proto'] == 17 and p['sport'] == port]
    res('udp_client_sent_20_from_20_ports', len(sent_ports) == 20 and len(set(sent_ports)) == 20,
        '%d pings, %d ports' % (len(sent_ports), len(set(sent_ports))))
    res('udp_every_request_captured',
        sorted(p['sport'] for p in reqs) == sorted(sent_ports) and
        all(p['payload'] == b'hello, mercy' for p in reqs), '%d requests' % len(reqs))
    res('udp_every_reply_captured_uppercased',
        sorted(p['dport'] for p in reps) == sorted(replied_ports) and
        all(p['payload'] == b'HELLO, MERCY' for p in reps), '%d replies' % len(reps))
    res('udp_replies_captured_equal_client_received',
        received is not None and len(reps) == received == len(replied_ports),
        'captured %d, client says %s' % (len(reps), received))
    srv = [l for l in open(server_out).read().splitlines() if l.startswith('udp-server:')]
    res('udp_server_replied_equals_client_received',
        bool(srv) and received is not None and ('%d replied' % received) in srv[-1], str(srv))
    res('udp_only_loopback_addresses',
        all(p['src'] == p['dst'] == '127.0.0.1' for p in reqs + reps))
    json_checks('udp', raw, pk, objs, 'udp')

def tcp(pcap, js, port, msg):
    raw, pk, objs = load(pcap, js)
    t = [p for p in pk if p and p['proto'] == 6]
    SYN, ACK, FIN, PSH = 0x02, 0x10, 0x01, 0x08
    c2s = lambda p: p['dport'] == port
    ok3 = len(t) >= 3 and c2s(t[0]) and t[0]['flags'] == SYN and not c2s(t[1]) and \
        t[1]['flags'] == SYN | ACK and t[1]['ack'] == (t[0]['seq'] + 1) % 2**32 and \
        c2s(t[2]) and t[2]['flags'] == ACK and t[2]['ack'] == (t[1]['seq'] + 1) % 2**32
    res('tcp_three_way_handshake', ok3, str([p['flags'] for p in t[:3]]))
    if not ok3:
        return
    isn_c, isn_s = t[0]['seq'], t[1]['seq']
    data = [p for p in t if c2s(p) and p['payload']]
    res('tcp_data_segment', len(data) == 1 and data[0]['payload'] == msg.encode() and
        data[0]['seq'] == (isn_c + 1) % 2**32 and data[0]['flags'] & PSH and
        data[0]['ack'] == (isn_s + 1) % 2**32, str([p['payload'] for p in data]))
    acked = [p for p in t if not c2s(p) and p['ack'] == (isn_c + 1 + len(msg)) % 2**32]
    res('tcp_data_acked', bool(acked))
    cf = [p for p in t if c2s(p) and p['flags'] & FIN]
    sf = [p for p in t if not c2s(p) and p['flags'] & FIN]
    fins = len(cf) == 1 and len(sf) == 1 and \
        cf[0]['seq'] == (isn_c + 1 + len(msg)) % 2**32 and \
        sf[0]['seq'] == (isn_s + 1) % 2**32 and sf[0]['ack'] == (cf[0]['seq'] + 1) % 2**32
    res('tcp_both_fins_consistent', fins, '%d client FIN, %d server FIN' % (len(cf), len(sf)))
    last = t[-1]
    res('tcp_final_ack', c2s(last) and last['flags'] == ACK and
        last['ack'] == (isn_s + 2) % 2**32 and last['seq'] == (isn_c + 2 + len(msg)) % 2**32)
    json_checks('tcp', raw, pk, objs, 'tcp')

def lab(pcap, js, pings):
    raw, pk, objs = load(pcap, js)
    u = [p for p in pk if p and p['proto'] == 17]
    reqs = [p for p in u if p['dport'] == 54321]
    reps = [p for p in u if p['sport'] == 54321]
    res('lab_udp_requests_captured', len(reqs) == pings and
        all(p['payload'] == b'hello, mercy' and p['src'] == '10.200.0.2' and
            p['dst'] == '10.200.0.1' for p in reqs), '%d requests' % len(reqs))
    res('lab_udp_replies_match_requests',
        set(p['dport'] for p in reps) <= set(p['sport'] for p in reqs) and
        all(p['payload'] == b'HELLO, MERCY' for p in reps), '%d replies' % len(reps))
    zero = b'\0' * 6
    macs = all(p['src_mac'] != zero and p['dst_mac'] != zero and p['src_mac'] != p['dst_mac']
               and not p['src_mac'][0] & 1 for p in pk if p)
    res('lab_real_mac_addresses', macs and len(pk) > 0)
    if objs is not None and all('layers' in o for o in objs):
        jm = all(o['layers'][0]['proto'] == 'eth' and
                 o['layers'][0]['fields']['src'] == ':'.join('%02x' % c for c in p['src_mac'])
                 for o, p in zip(objs, pk) if p)
        res('lab_json_macs_agree', jm and len(objs) == len(pk))
    json_checks('lab', raw, pk, objs, 'udp') if objs is not None and all(
        p and p['proto'] == 17 for p in pk) else None

mode = sys.argv[1]
if mode == 'udp':
    udp(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
elif mode == 'tcp':
    tcp(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
elif mode == 'lab':
    lab(sys.argv[2], sys.argv[3], int(sys.argv[4]))
PY

json_or_dash() { [ $have_show = 1 ] && echo "$tmp/$1.json" || echo -; }

# ---- UDP: a seeded server and 20 pings, captured live ----
if [ $root = 1 ]; then
    serve udp-server udp-server --seed 42 --count 20
    UPORT=$port
    start_cap "udp port $UPORT" udp
    "$W" udp-client --port $UPORT --count 20 --timeout 0.3 >"$tmp/udp-client.out" 2>&1
    crc=$?
    check udp_client_exit_0 [ $crc = 0 ]
    ends_within "$srv" 30
    check udp_server_exits_after_count [ "${rc:-x}" = 0 ]
    stop_cap
    python3 "$tmp/check.py" udp "$tmp/udp.pcap" "$(json_or_dash udp)" "$tmp/udp-client.out" \
        $UPORT "$tmp/udp-server.out"
else
    skip udp_live_capture "not root"
fi

# The seed fixes which datagrams are dropped, whatever else changes.
for run in 1 2; do
    serve seed$run udp-server --seed 7 --count 12
    "$W" udp-client --port $port --count 12 --timeout 0.2 >/dev/null 2>&1
    ends_within "$srv" 30
done
check udp_seed_reproducible \
    cmp -s <(grep -o -- '-> [a-z]*' "$tmp/seed1.out") <(grep -o -- '-> [a-z]*' "$tmp/seed2.out")
check udp_seed_drops_some bash -c "grep -q -- '-> dropped' '$tmp/seed1.out' && grep -q -- '-> replied' '$tmp/seed1.out'"

# ---- TCP: one exchange, captured live ----
if [ $root = 1 ]; then
    serve tcp-server tcp-server --count 1
    TPORT=$port
    start_cap "tcp port $TPORT" tcp
    "$W" tcp-client --port $TPORT >"$tmp/tcp-client.out" 2>&1
    check tcp_client_exit_0 [ $? = 0 ]
    ends_within "$srv" 30
    check tcp_server_exits_after_count [ "${rc:-x}" = 0 ]
    stop_cap
    check tcp_server_printed_connect_data_close bash -c \
        "grep -q '^connected by 127.0.0.1:' '$tmp/tcp-server.out' &&
         grep -q 'sent 16 bytes: \"Give me the data\"' '$tmp/tcp-server.out' &&
         grep -q 'closed the connection' '$tmp/tcp-server.out'"
    python3 "$tmp/check.py" tcp "$tmp/tcp.pcap" "$(json_or_dash tcp)" $TPORT "Give me the data"
else
    skip tcp_live_capture "not root"
fi

# TCP echo and several clients at once: one client holds its connection open
# (waiting 2 s for an echo that never comes) while another is served.
serve echo-server tcp-server --echo --count 2
FPORT=$port
"$W" tcp-client --port $FPORT --message 'slow one' --timeout 2 >"$tmp/slow.out" 2>&1 &
slow=$!
wait_for "$tmp/echo-server.out" 'slow one'
t0=$(date +%s%N)
"$W" tcp-client --port $FPORT --message 'echo me' >"$tmp/echo.out" 2>&1
t1=$(date +%s%N)
check tcp_echo_reply grep -q 'received 7 bytes: "echo me"' "$tmp/echo.out"
check tcp_concurrent_clients_not_blocked [ $(((t1 - t0) / 1000000)) -lt 1500 ]
ends_within "$slow" 50
ends_within "$srv" 50
check tcp_server_served_two grep -q '2 connections served' "$tmp/echo-server.out"

# ---- tcp-server hardening ----
# The clients are small Python programs (tcp_probe below): hold N idle
# connections; send without reading, then read back; count what the server
# echoed.
cat >"$tmp/tcp_probe.py" <<'PY'
import select, socket, sys, time

def hold(port, n, secs, out):
    """Open n connections, say so, keep them silent for secs (or until stdin
    closes), then say how many the server closed meanwhile."""
    ss = [socket.create_connection(('127.0.0.1', port), timeout=5) for _ in range(n)]
    open(out, 'w').write('open %d\n' % len(ss))
    time.sleep(secs)
    closed = 0
    for s in ss:
        s.setblocking(False)
        try:
            closed += s.recv(1) == b''
        except (BlockingIOError, ConnectionResetError):
            pass
        s.close()
    open(out, 'a').write('closed_by_server %d\n' % closed)

def idle(port, secs):
    """Connect, send nothing; report after how long the server closed us."""
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    t = time.time()
    r, _, _ = select.select([s], [], [], secs)
    print('closed_after %.2f' % (time.time() - t) if r and s.recv(1) == b'' else 'still_open')

def noread(port, secs, drain):
    """Send 10 MB for secs without reading; then (drain) read the echo back
    until it stops, or (no drain) close at once. Prints the counts."""
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    s.setblocking(False)
    print('me %s:%d' % s.getsockname())
    data, sent, t = b'x' * (10 << 20), 0, time.time()
    while sent < len(data) and time.time() - t < secs:
        try:
            sent += s.send(data[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.01)
    got = 0
    if drain:
        last = time.time()
        while got < sent and time.time() - last < 5:
            r, _, _ = select.select([s], [], [], 0.2)
            if r:
                b = s.recv(1 << 20)
                if not b:
                    break
                got += len(b)
                last = time.time()
    print('sent %d received %d' % (sent, got))
    s.close()

cmd = sys.argv[1]
if cmd == 'hold':
    hold(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
elif cmd == 'idle':
    idle(int(sys.argv[2]), float(sys.argv[3]))
elif cmd == 'noread':
    noread(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == 'drain')
PY
probe() { timeout 60 python3 "$tmp/tcp_probe.py" "$@"; }
# sum_log FILE REGEX FIELD: the sum of field FIELD over the lines matching REGEX.
sum_log() { awk -v f="$3" "/$2/ { n += \$f } END { print n + 0 }" "$1"; }

# 64 silent clients do not lock out the 65th (the old server served 64 at most).
serve many tcp-server --echo
probe hold $port 64 4 "$tmp/hold.out" &
holder=$!
wait_for "$tmp/hold.out" '^open 64'
check tcp_server_64_idle_clients_held grep -q '^open 64' "$tmp/hold.out"
"$W" tcp-client --port $port --message 'number 65' --timeout 2 >"$tmp/c65.out" 2>&1
check tcp_server_serves_65th_client_while_64_idle grep -q 'received 9 bytes: "number 65"' "$tmp/c65.out"
check tcp_server_logged_65_connections [ "$(grep -c '^connected by' "$tmp/many.out")" = 65 ]
wait $holder
kill -TERM $srv
ends_within $srv 20

# --idle-timeout closes a silent client, and says so.
serve idle tcp-server --idle-timeout 1
probe idle $port 5 >"$tmp/idleprobe.out"
check tcp_server_idle_client_closed_after_timeout \
    awk '$1 == "closed_after" && $2 >= 0.9 && $2 < 3 { ok = 1 } END { exit !ok }' "$tmp/idleprobe.out"
check tcp_server_idle_close_logged grep -q 'was idle for 1 s: closing it' "$tmp/idle.out"
kill -TERM $srv
ends_within $srv 20

# --echo to a client that does not read: backpressure, not loss, and every
# "echoed N bytes" line is what really went out. The client reads it all
# back afterwards: the log's echoed total equals what it received and what it
# sent.
serve echo2 tcp-server --echo
probe noread $port 2 drain >"$tmp/noread.out"
kill -TERM $srv
ends_within $srv 20
me=$(awk '/^me /{print $2}' "$tmp/noread.out")
sent=$(awk '/^sent /{print $2}' "$tmp/noread.out")
recvd=$(awk '/^sent /{print $4}' "$tmp/noread.out")
logged=$(sum_log "$tmp/echo2.out" "^echoed [0-9]+ bytes to $me\$" 2)
logrx=$(sum_log "$tmp/echo2.out" "^$me sent [0-9]+ bytes" 3)
check tcp_echo_nonreading_client_log_equals_received [ "${logged:-x}" = "${recvd:-y}" ]
check tcp_echo_nonreading_client_nothing_lost [ "${recvd:-x}" = "${sent:-y}" -a "${logrx:-x}" = "${sent:-y}" ]
# ... and one that never reads and hangs up: the log says what was not delivered.
serve echo3 tcp-server --echo
probe noread $port 2 close >"$tmp/noread3.out"
sleep 0.5
kill -TERM $srv
ends_within $srv 20
me=$(awk '/^me /{print $2}' "$tmp/noread3.out")
logged=$(sum_log "$tmp/echo3.out" "^echoed [0-9]+ bytes to $me\$" 2)
logrx=$(sum_log "$tmp/echo3.out" "^$me sent [0-9]+ bytes" 3)
# Its last line gives the counts the "echoed" lines add up to (or nothing was
# left over and the two totals agree).
check tcp_echo_hangup_log_counts_what_was_sent bash -c \
    "grep -qE '^$me (connection lost: .*|closed the connection) \\([0-9]+ bytes of echo not delivered; $logged of $logrx echoed\\)\$' '$tmp/echo3.out' ||
     { [ '$logged' = '$logrx' ] && grep -q '^$me closed the connection\$' '$tmp/echo3.out'; }"
check tcp_echo_hangup_echoed_less_than_sent [ "${logged:-0}" -le "${logrx:-0}" ]

# Out of file descriptors (RLIMIT_NOFILE 16): no spinning, one line per pause,
# and clients waiting in the backlog are served once descriptors are free.
if command -v prlimit >/dev/null; then
    "$W" tcp-server --port 0 --echo >"$tmp/emfile.out" 2>&1 &
    srv=$!
    pids+=("$srv")
    wait_for "$tmp/emfile.out" 'listening on'
    prlimit --pid $srv --nofile=16:16
    port=$(grep -oE 'listening on [^ ,]+' "$tmp/emfile.out" | sed 's/.*://')
    probe hold $port 30 4 "$tmp/emhold.out" &
    holder=$!
    wait_for "$tmp/emhold.out" '^open'
    ticks0=$(awk '{print $14 + $15}' /proc/$srv/stat)
    sleep 3
    ticks1=$(awk '{print $14 + $15}' /proc/$srv/stat)
    hz=$(getconf CLK_TCK)
    echo "# EMFILE: server CPU over 3 s: $((ticks1 - ticks0)) ticks of 1/$hz s"
    check tcp_server_emfile_does_not_spin [ $((ticks1 - ticks0)) -le $((hz / 5)) ]
    n=$(grep -c '^cannot accept: Too many open files' "$tmp/emfile.out")
    echo "# EMFILE: $n back-off lines in 3 s"
    check tcp_server_emfile_logs_once_per_pause [ "$n" -ge 1 -a "$n" -le 5 ]
    wait $holder
    "$W" tcp-client --port $port --message 'after the flood' --timeout 3 >"$tmp/emafter.out" 2>&1
    check tcp_server_emfile_serves_again grep -q 'received 15 bytes: "after the flood"' "$tmp/emafter.out"
    kill -TERM $srv
    ends_within $srv 20
    check tcp_server_emfile_exit_0 [ "${rc:-x}" = 0 ]
else
    skip tcp_server_emfile "no prlimit"
fi

# ---- edge cases ----
serve busy udp-server
busy=$srv EPORT=$port
"$W" udp-server --port $EPORT >/dev/null 2>"$tmp/inuse.err"
check udp_port_in_use_exit_1 [ $? = 1 ]
check udp_port_in_use_message grep -q "127.0.0.1:$EPORT: the port is already in use" "$tmp/inuse.err"
check udp_port_in_use_one_line [ "$(wc -l <"$tmp/inuse.err")" = 1 ]
kill -INT "$busy"
ends_within "$busy" 20
check udp_server_sigint_exit_0 [ "${rc:-x}" = 0 ]

serve tbusy tcp-server
busy=$srv EPORT=$port
"$W" tcp-server --port $EPORT >/dev/null 2>"$tmp/tinuse.err"
check tcp_port_in_use_exit_1 [ $? = 1 ]
check tcp_port_in_use_message grep -q "already in use" "$tmp/tinuse.err"
kill -INT "$busy"
ends_within "$busy" 20
check tcp_server_sigint_exit_0 [ "${rc:-x}" = 0 ]

# No server: the kernel answers each ping with "port unreachable", and the
# client says that no server is listening (not "Request timed out"), reports
# 100% loss and exits 0.
EPORT=$(free_port udp)
t0=$(date +%s%N)
"$W" udp-client --port $EPORT --count 3 --timeout 0.2 >"$tmp/nosrv.out" 2>&1
crc=$?
t1=$(date +%s%N)
check udp_client_no_server_exit_0 [ $crc = 0 ]
check udp_client_no_server_says_not_listening \
    [ "$(grep -c "port unreachable: no server is listening on 127.0.0.1:$EPORT" "$tmp/nosrv.out")" = 3 ]
check udp_client_no_server_not_timed_out bash -c "! grep -q 'Request timed out' '$tmp/nosrv.out'"
check udp_client_no_server_summary grep -q '3 packets transmitted, 0 received, 100% packet loss' "$tmp/nosrv.out"
check udp_client_no_server_bounded [ $(((t1 - t0) / 1000000)) -lt 2000 ]
# A server that is there but drops every reply: that is a timeout.
serve mute udp-server --drop 1 --count 2
"$W" udp-client --port $port --count 2 --timeout 0.2 >"$tmp/mute.out" 2>&1
check udp_client_dropped_reply_times_out [ "$(grep -c 'Request timed out' "$tmp/mute.out")" = 2 ]
ends_within "$srv" 20

EPORT=$(free_port tcp)
"$W" tcp-client --port $EPORT >/dev/null 2>"$tmp/refused.err"
check tcp_client_refused_exit_1 [ $? = 1 ]
check tcp_client_refused_message grep -q "connection refused by 127.0.0.1:$EPORT" "$tmp/refused.err"

"$W" udp-client --host no-such-host.invalid --count 1 >/dev/null 2>"$tmp/badhost.err"
check udp_client_bad_host_exit_1 [ $? = 1 ]
check udp_client_bad_host_message grep -q "cannot resolve host 'no-such-host.invalid'" "$tmp/badhost.err"
check tcp_client_refused_one_line [ "$(wc -l <"$tmp/refused.err")" = 1 ]
"$W" udp-client --port 0 >/dev/null 2>&1
check udp_client_port_0_usage_exit_2 [ $? = 2 ]
"$W" tcp-client --port 0 >/dev/null 2>&1
check tcp_client_port_0_usage_exit_2 [ $? = 2 ]
# --port 0: the kernel picks, the first line names the port, and it is real.
serve p0 udp-server --count 1 --drop 0
check udp_server_port_0_names_port bash -c "[ '$port' -gt 0 ] 2>/dev/null"
check udp_server_port_0_serves bash -c \
    "'$W' udp-client --port '$port' --count 1 --timeout 0.5 | grep -q 'bytes from 127.0.0.1:$port'"
ends_within "$srv" 20
check udp_server_help bash -c "\"$W\" udp-server --help | grep -q '^usage: wirepeel udp-server'"

if [ $root = 1 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$W" tcp-server --port 81 \
        >/dev/null 2>"$tmp/priv.err"
    check tcp_server_privileged_port_exit_1 [ $? = 1 ]
    check tcp_server_privileged_port_message grep -q 'ports below 1024 are privileged' "$tmp/priv.err"
fi

# IPv6 loopback.
serve v6 udp-server --host ::1 --count 1 --drop 0
if grep -q 'cannot listen' "$tmp/v6.out"; then
    skip udp_ipv6_loopback "no ::1 here"
else
    "$W" udp-client --host ::1 --port $port --count 1 --timeout 0.5 >"$tmp/v6c.out" 2>&1
    check udp_ipv6_loopback grep -q 'bytes from \[::1\]:'"$port"': "HELLO, MERCY"' "$tmp/v6c.out"
fi
ends_within "$srv" 20

# Ctrl-C on the clients: statistics, then 130.
serve intsrv udp-server --drop 1
"$W" udp-client --port $port --count 100 --timeout 1 >"$tmp/int.out" 2>&1 &
c=$!
sleep 0.5
kill -INT $c
ends_within $c 20
check udp_client_sigint_exit_130 [ "${rc:-x}" = 130 ]
check udp_client_sigint_summary grep -q 'packets transmitted' "$tmp/int.out"
kill -TERM "$srv"
serve t tcp-server
s=$srv
"$W" tcp-client --port $port --timeout 10 >"$tmp/tint.out" 2>&1 &
c=$!
wait_for "$tmp/tint.out" 'sent 16 bytes'
kill -INT $c
ends_within $c 20
check tcp_client_sigint_exit_130 [ "${rc:-x}" = 130 ]
kill -TERM $s
ends_within $s 20
check tcp_server_sigterm_exit_0 [ "${rc:-x}" = 0 ]

# ---- the demo ----
demo_lacks() { grep -q 'lacks' "$1"; }

# Unprivileged: one line naming CAP_NET_RAW, then the course captures replayed.
if [ $root = 1 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$W" demo --no-view \
        --captures "$(cd "$CAPS" && pwd)" >"$tmp/unpriv.out" 2>"$tmp/unpriv.err" </dev/null
    urc=$?
    if demo_lacks "$tmp/unpriv.err" || [ $have_show = 0 ]; then
        skip demo_unprivileged_fallback "renderers not in this build: $(head -1 "$tmp/unpriv.err")"
    else
        check demo_unprivileged_exit_0 [ $urc = 0 ]
        check demo_unprivileged_one_line [ "$(wc -l <"$tmp/unpriv.err")" = 1 ]
        check demo_unprivileged_names_cap_net_raw grep -q 'CAP_NET_RAW' "$tmp/unpriv.err"
        check demo_unprivileged_replays_both bash -c \
            "grep -q '=== replaying .*course-udp-ping.pcap' '$tmp/unpriv.out' &&
             grep -q '=== replaying .*course-tcp.pcap' '$tmp/unpriv.out'"
        check demo_unprivileged_shows_payloads bash -c \
            "grep -q '\"HELLO, MERCY\"' '$tmp/unpriv.out' && grep -q '\"Give me the data\"' '$tmp/unpriv.out'"
        # The fix it suggests names this very binary, not a `wirepeel` on PATH.
        check demo_unprivileged_names_real_binary grep -qF "sudo $(readlink -f "$W") demo" "$tmp/unpriv.err"
    fi
else
    skip demo_unprivileged_fallback "needs root to become nobody"
fi

if [ $root = 1 ]; then
    # Live on lo (the course ports): checksums must read offloaded, never bad.
    timeout 20 "$W" demo --no-view --rounds 1 --pings 3 --interval 1 -w "$tmp/demo.pcap" \
        --udp-port 0 --tcp-port 0 >"$tmp/demo.out" 2>"$tmp/demo.err"
    drc=$?
    if demo_lacks "$tmp/demo.err" || [ $have_show = 0 ]; then
        skip demo_live_lo "renderers not in this build: $(head -1 "$tmp/demo.err")"
    else
        check demo_live_exit_0 [ $drc = 0 ]
        check demo_live_shows_round grep -q '=== round 1: 3 UDP pings' "$tmp/demo.out"
        check demo_live_round_summary grep -qE '^--- round 1: [0-3] of 3 pings answered( \(no reply to [1-3](, [1-3])*\))?; TCP exchange done ---$' "$tmp/demo.out"
        # The servers' own lines are shown, not thrown away: which ping was dropped.
        check demo_live_shows_server_lines bash -c \
            "[ \$(grep -cE '^udp-server: datagram [1-3] from 127\\.0\\.0\\.1:[0-9]+, 12 bytes: .* -> (replied|dropped)' '$tmp/demo.out') = 3 ] &&
             grep -q '^tcp-server: 127.0.0.1:[0-9]* sent 16 bytes: \"Give me the data\"' '$tmp/demo.out'"
        check demo_live_no_stderr [ ! -s "$tmp/demo.err" ]
        check demo_live_udp_offloaded grep -q 'UDP (User Datagram Protocol).*checksum offloaded' "$tmp/demo.out"
        check demo_live_tcp_offloaded grep -q 'TCP (Transmission Control Protocol).*checksum offloaded' "$tmp/demo.out"
        check demo_live_no_bad_checksum bash -c "! grep -qiE 'checksum bad|\\[bad\\]' '$tmp/demo.out'"
        check demo_live_wrote_capture bash -c \
            "[ \$(tcpdump -nr '$tmp/demo.pcap' 2>/dev/null | grep -c 'UDP, length 12') -ge 3 ]"
    fi

    # Ctrl-C ends the demo promptly with 0 and no stray text. setsid gives the
    # demo its own process group, so that -PID reaches the whole group as a
    # terminal's Ctrl-C does. While it captures, the process that decodes
    # runs as nobody.
    setsid "$W" demo --no-view --interval 1 --udp-port 0 --tcp-port 0 >"$tmp/demoint.out" \
        2>"$tmp/demoint.err" &
    d=$!
    for _ in $(seq 1 50); do
        dec=$(pgrep -P $d -x wp-demo-decode)
        [ -n "$dec" ] && grep -q '^Frame' "$tmp/demoint.out" && break
        sleep 0.1
    done
    check demo_decodes_as_nobody_while_capturing bash -c \
        "[ -n '$dec' ] && [ \$(ps -o uid= -p '$dec') = $(id -u nobody) ] && grep -q '^Frame' '$tmp/demoint.out'"
    check demo_servers_in_own_process_group bash -c \
        "[ \$(ps -o pgid= -p \$(pgrep -P $d -x wp-udp-server)) != \$(ps -o pgid= -p $d) ]"
    kill -INT -- -$d 2>/dev/null
    ends_within $d 40
    check demo_sigint_exit_0 [ "${rc:-x}" = 0 ]
    check demo_sigint_no_stray_text [ ! -s "$tmp/demoint.err" ]
    check demo_sigint_children_gone bash -c "! pgrep -P $d >/dev/null"
    # SIGTERM to the demo alone: the same.
    "$W" demo --no-view --interval 1 --udp-port 0 --tcp-port 0 >/dev/null 2>"$tmp/demoterm.err" &
    d=$!
    sleep 1.5
    kill -TERM $d 2>/dev/null
    ends_within $d 40
    check demo_sigterm_exit_0 [ "${rc:-x}" = 0 ]
    check demo_sigterm_no_stray_text [ ! -s "$tmp/demoterm.err" ]

    # A port taken: one line that names the option the demo has for it.
    serve taken udp-server
    "$W" demo --no-view --udp-port $port --tcp-port 0 >/dev/null 2>"$tmp/demotaken.err"
    check demo_port_taken_exit_1 [ $? = 1 ]
    check demo_port_taken_one_line [ "$(wc -l <"$tmp/demotaken.err")" = 1 ]
    check demo_port_taken_names_its_options grep -q "127.0.0.1:$port: the port is already in use.*--udp-port/--tcp-port" "$tmp/demotaken.err"
    check demo_messages_name_no_foreign_option bash -c "! grep -qE -- '--port( |$)' '$tmp/demotaken.err'"
    kill -TERM $srv

    # The view (in tmux at 80x24): it decodes as nobody; Ctrl-C and q leave
    # with 0 and nothing on stderr (Ctrl-C once printed 'wirepeel demo: pR').
    if command -v tmux >/dev/null; then
        for key in C-c q; do
            sock=wpep$$$key
            rm -f "$tmp/view.rc"
            tmux -L "$sock" new-session -d -x 80 -y 24 \
                "'$W' demo --udp-port 0 --tcp-port 0 --captures '$tmp/mark-$key' 2>'$tmp/view-$key.err'; echo \$? >'$tmp/view.rc'; sleep 3"
            view=
            for _ in $(seq 1 50); do
                d=$(pgrep -f -- "--captures $tmp/mark-$key" | head -1)
                view=$([ -n "$d" ] && pgrep -P "$d" -x wp-demo-view)
                [ -n "$view" ] && tmux -L "$sock" capture-pane -p | grep -q 'packets' && break
                sleep 0.1
            done
            uid=$([ -n "$view" ] && ps -o uid= -p "$view" | tr -d ' ')
            [ $key = q ] && check demo_view_runs_as_nobody [ "${uid:-none}" = "$(id -u nobody)" ]
            sleep 1
            tmux -L "$sock" send-keys $key
            for _ in $(seq 1 40); do [ -s "$tmp/view.rc" ] && break; sleep 0.1; done
            check demo_view_${key/-/_}_exit_0 [ "$(cat "$tmp/view.rc" 2>/dev/null)" = 0 ]
            check demo_view_${key/-/_}_no_stray_text [ ! -s "$tmp/view-$key.err" ]
            tmux -L "$sock" kill-server 2>/dev/null
        done
        # Without privilege, in the view: the course captures replayed, the
        # title says why, q leaves with 0 and nothing on stderr.
        if command -v setpriv >/dev/null; then
            sock=wpep$$u
            rm -f "$tmp/view.rc"
            tmux -L "$sock" new-session -d -x 80 -y 24 \
                "setpriv --reuid=nobody --regid=nogroup --clear-groups '$W' demo --captures '$(cd "$CAPS" && pwd)' 2>'$tmp/viewu.err'; echo \$? >'$tmp/view.rc'; sleep 3"
            for _ in $(seq 1 50); do
                tmux -L "$sock" capture-pane -p | grep -q '127\.0\.0\.1:54321' && break
                sleep 0.1
            done
            tmux -L "$sock" capture-pane -p >"$tmp/viewu.screen"
            check demo_view_unprivileged_replays_course_captures grep -q '127\.0\.0\.1:[0-9]* -> 127\.0\.0\.1:54321 UDP' "$tmp/viewu.screen"
            check demo_view_unprivileged_title_says_why grep -q 'demo: replay (cannot capture)' "$tmp/viewu.screen"
            tmux -L "$sock" send-keys q
            for _ in $(seq 1 40); do [ -s "$tmp/view.rc" ] && break; sleep 0.1; done
            check demo_view_unprivileged_q_exit_0 [ "$(cat "$tmp/view.rc" 2>/dev/null)" = 0 ]
            check demo_view_unprivileged_no_stray_text [ ! -s "$tmp/viewu.err" ]
            tmux -L "$sock" kill-server 2>/dev/null
        fi
    else
        skip demo_view "no tmux"
    fi

    # The lab: two namespaces and a veth pair, always removed afterwards.
    LAB=wpt$(($$ % 100000))
    ip netns add "$LAB-a" 2>/dev/null # a stale lab the demo must clear first
    timeout 30 "$W" demo --lab --lab-name "$LAB" --no-view --rounds 1 --pings 5 --interval 1 \
        -w "$tmp/lab.pcap" >"$tmp/lab.out" 2>"$tmp/lab.err"
    lrc=$?
    if demo_lacks "$tmp/lab.err"; then
        skip demo_lab "$(cat "$tmp/lab.err")"
    else
        check demo_lab_exit_0 [ $lrc = 0 ]
        labjson=-
        if [ $have_show = 1 ]; then
            "$W" show -r "$tmp/lab.pcap" -f udp -o json >"$tmp/lab.json" 2>/dev/null
            "$W" show -r "$tmp/lab.pcap" -f udp -w "$tmp/labudp.pcap" 2>/dev/null
            labjson="$tmp/lab.json"
        else
            tcpdump -r "$tmp/lab.pcap" -w "$tmp/labudp.pcap" udp 2>/dev/null
        fi
        python3 "$tmp/check.py" lab "$tmp/labudp.pcap" "$labjson" 5
        check demo_lab_namespaces_removed bash -c "! ip netns list | grep -q '^$LAB-'"
    fi
    # Killing a server makes the demo stop and still remove the lab.
    "$W" demo --lab --lab-name "$LAB" --no-view --interval 1 >/dev/null 2>"$tmp/labcrash.err" &
    d=$!
    for _ in $(seq 1 50); do
        grep -q lacks "$tmp/labcrash.err" && break
        pgrep -P $d -x wp-demo-decode >/dev/null && break
        sleep 0.1
    done
    kid=$(pgrep -P $d -x wp-udp-server)
    [ -n "$kid" ] && kill -SEGV "$kid"
    ends_within $d 50
    if demo_lacks "$tmp/labcrash.err"; then
        skip demo_lab_child_crash "$(cat "$tmp/labcrash.err")"
    else
        check demo_lab_child_crash_reported grep -q 'died (signal 11)' "$tmp/labcrash.err"
        check demo_lab_child_crash_cleans_up bash -c "! ip netns list | grep -q '^$LAB-'"
    fi
else
    skip demo_live "not root"
fi
