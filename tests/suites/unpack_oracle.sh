#!/usr/bin/env bash
# wirepeel's struct unpacker against CPython's struct.unpack: thousands of
# random (format, bytes) cases from a fixed seed through a small batch helper
# (tests/oracle/unpack_batch.c, built here against the library), and a sample
# through `wirepeel unpack` itself. See tests/oracle/unpack_oracle.py.
set -u
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v python3 >/dev/null; then
    echo "not ok unpack_oracle_python3 (python3 is a test dependency: run tools/deps.sh)"
    exit 1
fi
if ! ${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -O2 \
        -o "$tmp/unpack_batch" tests/oracle/unpack_batch.c "$BUILD/libwirepeel.a" 2>"$tmp/cc.err"; then
    echo "not ok unpack_oracle_build ($(head -3 "$tmp/cc.err" | tr '\n' ' '))"
    exit 1
fi
python3 tests/oracle/unpack_oracle.py "$tmp/unpack_batch" "$BUILD/wirepeel" \
    --seed "${WP_ORACLE_SEED:-20231114}" --cases 3000 --cli-cases 200
