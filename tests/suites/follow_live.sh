#!/usr/bin/env bash
# Follow, live: wirepeel tcp-server and tcp-client (with --echo, so both
# directions carry data) on 127.0.0.1 at a port the kernel picks (checked
# free just before), captured on lo by `wirepeel show -w`, then
# `wirepeel follow -o raw --out-prefix` on the capture: the client's stream
# must equal what tcp-client sent, byte for byte, and the server's the echo.
# Needs root (or CAP_NET_RAW) to capture; without it, says so and skips.
set -u
BUILD=${BUILD:-build}
W=$BUILD/wirepeel
if [ "$(id -u)" -ne 0 ]; then
    echo "ok follow_live # SKIP not root: live capture needs CAP_NET_RAW"
    exit 0
fi
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# A port the kernel hands out, then released; checked free right before use.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
    echo "not ok follow_live_port (port $port taken right after the kernel gave it)"
    exit 1
fi

msg=$'Give me the data\nsecond line\twith a tab, and 0123456789 to make it longer'
"$W" show -i lo -f "tcp port $port" -w "$tmp/live.pcap" >/dev/null 2>"$tmp/cap.err" &
cap=$!; pids+=("$cap")
sleep 1
"$W" tcp-server --port "$port" --echo --count 1 >"$tmp/server.out" 2>&1 &
srv=$!; pids+=("$srv")
for _ in $(seq 1 30); do
    ss -Htln "sport = :$port" 2>/dev/null | grep -q . && break
    sleep 0.1
done
"$W" tcp-client --port "$port" --message "$msg" >"$tmp/client.out" 2>&1
crc=$?
for _ in $(seq 1 30); do kill -0 "$srv" 2>/dev/null || break; sleep 0.1; done
sleep 0.5
kill -INT "$cap" 2>/dev/null
for _ in $(seq 1 30); do kill -0 "$cap" 2>/dev/null || break; sleep 0.1; done

if [ $crc -ne 0 ]; then
    echo "not ok follow_live_client (tcp-client exit $crc: $(head -3 "$tmp/client.out" | tr '\n' ' '))"
    exit 1
fi
"$W" follow -r "$tmp/live.pcap" -o raw --out-prefix "$tmp/s" 2>"$tmp/follow.err"
frc=$?
if [ $frc -ne 0 ]; then
    echo "not ok follow_live_follow (exit $frc: $(cat "$tmp/follow.err"))"
    exit 1
fi
if printf '%s' "$msg" | cmp -s - "$tmp/s.client"; then
    echo "ok follow_live_client_bytes_equal_what_tcp_client_sent"
else
    echo "not ok follow_live_client_bytes_equal_what_tcp_client_sent"
    od -c "$tmp/s.client" | head -5
fi
if printf '%s' "$msg" | cmp -s - "$tmp/s.server"; then
    echo "ok follow_live_server_bytes_equal_the_echo"
else
    echo "not ok follow_live_server_bytes_equal_the_echo"
    od -c "$tmp/s.server" | head -5
fi
