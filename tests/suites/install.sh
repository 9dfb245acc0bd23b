#!/usr/bin/env bash
# make install / make uninstall, and the worked example built against the
# installed copy only (pkg-config, no source tree): install into a temporary
# PREFIX, check the files, compile a program that includes nothing but
# <wirepeel/wirepeel.h>, build and run tests/example from a copy of it, then
# `make uninstall` must leave no file behind. A DESTDIR staging install is
# checked the same way (files, wirepeel.pc prefix, uninstall).
set -u
BUILD=${BUILD:-build}
CAPTURES=$(cd "${WP_CAPTURES:-captures}" && pwd)
MAKE=${MAKE:-make}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
mk() { "$MAKE" -s --no-print-directory BUILD="$BUILD" "$@"; }

expected_files() { # the files an install under $1 must hold, sorted
    local p=$1
    {
        echo "$p/bin/wirepeel"
        echo "$p/lib/libwirepeel.a"
        echo "$p/lib/pkgconfig/wirepeel.pc"
        echo "$p/share/man/man1/wirepeel.1"
        for h in include/wirepeel/*.h; do echo "$p/include/wirepeel/$(basename "$h")"; done
        for c in captures/*.pcap captures/*.pcapng captures/README.md; do
            echo "$p/share/wirepeel/captures/$(basename "$c")"
        done
    } | sort
}

# ---- PREFIX install ----
if mk install PREFIX="$prefix" >"$tmp/install.log" 2>&1; then
    echo "ok install_prefix"
else
    echo "not ok install_prefix: $(tail -3 "$tmp/install.log" | tr '\n' ' ')"
    exit 1
fi
got=$(find "$prefix" -type f | sort)
if [ "$got" = "$(expected_files "$prefix")" ]; then
    echo "ok install_files"
else
    echo "not ok install_files: $(diff <(expected_files "$prefix") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
fi
[ -x "$prefix/bin/wirepeel" ] && [ "$(stat -c %a "$prefix/lib/libwirepeel.a")" = 644 ] &&
    echo "ok install_modes" || echo "not ok install_modes"

v=$(sed -n 's/^#define WP_VERSION "\(.*\)"/\1/p' include/wirepeel/wirepeel.h)
out=$("$prefix/bin/wirepeel" --version 2>&1)
[ "$out" = "wirepeel $v" ] && echo "ok installed_version" || echo "not ok installed_version: '$out'"

# The man page's examples work from any folder: the installed captures are
# found for a relative captures/NAME that does not exist there.
examples=$(sed -n 's/^wirepeel \(show .*\)$/\1/p' man/wirepeel.1 | sed 's/\\-/-/g; s/\\(aq/'"'"'/g')
n=0 bad=""
while IFS= read -r ex; do
    [ -n "$ex" ] || continue
    n=$((n + 1))
    # shellcheck disable=SC2086
    (cd "$tmp" && eval "\"\$prefix/bin/wirepeel\" $ex" >/dev/null 2>"$tmp/ex.err") ||
        bad="$bad [$ex: $(head -c 150 "$tmp/ex.err")]"
done <<<"$examples"
[ "$n" -gt 0 ] && [ -z "$bad" ] && echo "ok man_examples_from_any_folder ($n)" ||
    echo "not ok man_examples_from_any_folder: ${bad:-no example found}"
# the unprivileged demo falls back to the installed course captures
out=$(cd "$tmp" && WP_CAPTURES= timeout 5 "$prefix/bin/wirepeel" demo --no-view --replay 2>&1 | head -1)
case "$out" in
*"share/wirepeel/captures/course-udp-ping.pcap"*) echo "ok demo_replays_installed_captures" ;;
*) echo "not ok demo_replays_installed_captures: $out" ;;
esac

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
if [ "$(pkg-config --modversion wirepeel 2>&1)" = "$v" ]; then
    echo "ok pkgconfig_version"
else
    echo "not ok pkgconfig_version: $(pkg-config --modversion wirepeel 2>&1)"
fi
flags=$(pkg-config --cflags --libs wirepeel 2>&1)
case "$flags" in
*"-I$prefix/include"*"-L$prefix/lib"*"-lwirepeel"*"-lpcap"*) echo "ok pkgconfig_flags" ;;
*) echo "not ok pkgconfig_flags: $flags" ;;
esac
static=$(pkg-config --static --libs wirepeel 2>&1)
case "$static" in
*-lncursesw*) echo "ok pkgconfig_static_adds_ncursesw" ;;
*) echo "not ok pkgconfig_static_adds_ncursesw: $static" ;;
esac

# The public headers stand alone: nothing but the installed include dir.
cat >"$tmp/only_public.c" <<'EOF'
#include <wirepeel/wirepeel.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    char err[256];
    wp_loaded *l = wp_load_file(argc > 1 ? argv[1] : "", err, sizeof err);
    if (!l) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    wp_packet p;
    wp_decode(&l->frames[0], &p);
    printf("%s %zu %u %s\n", WP_VERSION, l->n, (unsigned)p.nlayers,
           wp_proto_get(p.layers[0].proto)->name);
    wp_load_free(l);
    return 0;
}
EOF
# shellcheck disable=SC2046
if cc -std=c11 -Wall -Wextra -Werror -o "$tmp/only_public" "$tmp/only_public.c" \
    $(pkg-config --cflags --libs wirepeel) 2>"$tmp/cc.err"; then
    out=$("$tmp/only_public" "$CAPTURES/udp-tcp-pair.pcap" 2>&1)
    case "$out" in
    "$v 2 "*" eth") echo "ok public_header_program" ;;
    *) echo "not ok public_header_program: '$out'" ;;
    esac
else
    echo "not ok public_header_program: $(head -3 "$tmp/cc.err" | tr '\n' ' ')"
fi
bad=""
for h in "$prefix"/include/wirepeel/*.h; do
    n=$(basename "$h")
    printf '#include <wirepeel/%s>\n#include <wirepeel/%s>\n' "$n" "$n" >"$tmp/h.c"
    cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$prefix/include" "$tmp/h.c" 2>/dev/null ||
        bad="$bad $n"
    # quoted includes must name installed public headers, never src/ ones
    for q in $(sed -n 's/^#include "\(.*\)"/\1/p' "$h"); do
        [ -f "$prefix/include/$q" ] || bad="$bad $n(includes $q)"
    done
done
[ -z "$bad" ] && echo "ok headers_self_contained" || echo "not ok headers_self_contained:$bad"

if MANPATH=$prefix/share/man man -w wirepeel 2>/dev/null | grep -q "^$prefix/"; then
    echo "ok man_page_found"
else
    echo "not ok man_page_found"
fi

# The worked example, copied away from the source tree as a user would.
cp -r tests/example "$tmp/example"
rm -f "$tmp/example/test_student_parser"
if "$MAKE" -s -C "$tmp/example" >"$tmp/ex.log" 2>&1; then
    echo "ok example_builds_with_pkgconfig"
else
    echo "not ok example_builds_with_pkgconfig: $(tail -3 "$tmp/ex.log" | tr '\n' ' ')"
fi
if [ -x "$tmp/example/test_student_parser" ]; then
    (cd "$tmp/example" && WP_CAPTURES=$CAPTURES WIREPEEL=$prefix/bin/wirepeel \
        ./test_student_parser) >"$tmp/run.log" 2>&1
    rc=$?
    for t in test_ipv4_fields_match_wirepeel test_udp_fields_match_wirepeel; do
        grep -q "^\[       OK \] $t" "$tmp/run.log" && echo "ok example_$t" ||
            echo "not ok example_$t: $(grep -E 'ERROR|FAIL' "$tmp/run.log" | head -2 | tr '\n' ' ')"
    done
    # the dump comparison must run whenever the installed wirepeel has -o fields
    if "$prefix/bin/wirepeel" show -o fields -r "$CAPTURES/udp-tcp-pair.pcap" >/dev/null 2>&1; then
        grep -q '^\[       OK \] test_fields_dump_agrees' "$tmp/run.log" &&
            echo "ok example_test_fields_dump_agrees" ||
            echo "not ok example_test_fields_dump_agrees: $(grep -E 'ERROR|FAIL|SKIP' "$tmp/run.log" | head -2 | tr '\n' ' ')"
    else
        echo "# wirepeel show -o fields not available: the dump comparison was skipped"
    fi
    [ $rc -eq 0 ] && echo "ok example_exit_status" || echo "not ok example_exit_status: $rc"
fi
if "$MAKE" -s -C "$tmp/example" check CAPTURES="$CAPTURES" >"$tmp/check.log" 2>&1; then
    echo "ok example_make_check"
else
    echo "not ok example_make_check: $(grep -E 'ERROR|FAIL' "$tmp/check.log" | head -2 | tr '\n' ' ')"
fi

if mk uninstall PREFIX="$prefix" >"$tmp/un.log" 2>&1 && [ -z "$(find "$prefix" -type f)" ]; then
    echo "ok uninstall_prefix_leaves_no_file"
else
    echo "not ok uninstall_prefix_leaves_no_file: $(find "$prefix" -type f | tr '\n' ' ')"
fi

# ---- DESTDIR staging install ----
stage=$tmp/stage
if mk install DESTDIR="$stage" PREFIX=/usr/local >"$tmp/install2.log" 2>&1 &&
    [ "$(find "$stage" -type f | sort)" = "$(expected_files "$stage/usr/local")" ]; then
    echo "ok install_destdir_files"
else
    echo "not ok install_destdir_files: $(tail -2 "$tmp/install2.log" | tr '\n' ' ')"
fi
if grep -qx 'prefix=/usr/local' "$stage/usr/local/lib/pkgconfig/wirepeel.pc" 2>/dev/null &&
    ! grep -q "$stage" "$stage/usr/local/lib/pkgconfig/wirepeel.pc"; then
    echo "ok install_destdir_pc_names_prefix_not_destdir"
else
    echo "not ok install_destdir_pc_names_prefix_not_destdir"
fi
if mk uninstall DESTDIR="$stage" PREFIX=/usr/local >"$tmp/un2.log" 2>&1 &&
    [ -z "$(find "$stage" -type f)" ]; then
    echo "ok uninstall_destdir_leaves_no_file"
else
    echo "not ok uninstall_destdir_leaves_no_file: $(find "$stage" -type f | tr '\n' ' ')"
fi
