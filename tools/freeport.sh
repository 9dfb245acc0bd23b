#!/usr/bin/env bash
# tools/freeport.sh [N]: print the first of N (default 1) consecutive ports on
# 127.0.0.1 that nothing holds right now, for UDP and TCP alike. The kernel
# picks the first (bind to port 0); the others are checked by binding them.
# For tests and benchmarks that send to a port with no server, so that they
# never depend on a fixed port being free. Exits 1 when python3 is missing or
# no such range was found in 50 tries.
set -u
n=${1:-1}
exec python3 - "$n" <<'PY'
import socket, sys

n = int(sys.argv[1])
for _ in range(50):
    held = []
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('127.0.0.1', 0))
        held.append(s)
        first = s.getsockname()[1]
        if first + n - 1 > 65535:
            continue
        for p in range(first, first + n):
            for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                if kind == socket.SOCK_DGRAM and p == first:
                    continue
                t = socket.socket(socket.AF_INET, kind)
                held.append(t)
                t.bind(('127.0.0.1', p))
        print(first)
        sys.exit(0)
    except OSError:
        pass
    finally:
        for s in held:
            s.close()
sys.exit(1)
PY
