#!/usr/bin/env bash
# Layering: which part of src/ may #include which. The tree is layered
#   core  <-  proto  <-  (render, capture, tui, endpoints)  <-  cli
# and each rule below is checked over every src/MODULE/*.c and *.h:
#   core       includes only core (its own files and the public headers of
#              the packet model: cursor, checksum, packet, decode, unpack)
#   proto      includes only core and proto
#   render     includes nothing of proto, capture, tui, endpoints
#   endpoints  includes nothing of proto, capture, render, tui
#   only src/capture includes pcap; only src/tui includes curses
# A header's module is its folder ("../proto/proto.h", "core/decoder.h"), or
# for a public header the folder that implements it (wirepeel/render.h is
# render's); a bare "x.h" is the including file's own module. Prints one
# "ok"/"not ok" line per rule, and each include that breaks one.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
SRC=${LAYERING_SRC:-src}

# module_of INCLUDING_MODULE HEADER -> the module the header belongs to
module_of() {
    local from=$1 h=$2
    case "$h" in
    pcap.h | pcap/*) echo pcap ;;
    curses.h | ncurses.h | ncursesw/* | ncurses/* | term.h | panel.h | menu.h | form.h) echo curses ;;
    wirepeel/render.h) echo render ;;
    wirepeel/tui.h) echo tui ;;
    wirepeel/capture.h | wirepeel/capture_seek.h | wirepeel/load.h | wirepeel/privdrop.h) echo capture ;;
    wirepeel/endpoints.h) echo endpoints ;;
    wirepeel/wirepeel.h) echo all ;;
    wirepeel/*) echo core ;;
    ../*/*) h=${h#../}; echo "${h%%/*}" ;;
    */*) echo "${h%%/*}" ;;
    *) echo "$from" ;;
    esac
}

# allowed MODULE TARGET -> 0 when MODULE may include TARGET
allowed() {
    local m=$1 t=$2
    [ "$t" = system ] && return 0
    case "$t" in
    pcap) [ "$m" = capture ] ; return ;;
    curses) [ "$m" = tui ] ; return ;;
    esac
    [ "$m" = "$t" ] && return 0
    case "$m" in
    core) return 1 ;;
    proto) [ "$t" = core ] ; return ;;
    render) case "$t" in proto | capture | tui | endpoints | all) return 1 ;; esac ;;
    endpoints) case "$t" in proto | capture | render | tui | all) return 1 ;; esac ;;
    esac
    return 0
}

declare -A bad=()
declare -A seen=()
checked=0
while IFS= read -r f; do
    rel=${f#"$SRC"/}
    m=${rel%%/*}
    seen[$m]=1
    checked=$((checked + 1))
    # '#include "x"' and '#include <x>'; system headers other than pcap and
    # curses are nobody's
    while IFS= read -r line; do
        h=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' <<<"$line")
        case "$line" in
        *'<'*) case "$h" in pcap.h | pcap/* | curses.h | ncurses.h | ncursesw/* | ncurses/* | term.h | panel.h | menu.h | form.h) ;; *) continue ;; esac ;;
        esac
        t=$(module_of "$m" "$h")
        if ! allowed "$m" "$t"; then
            key=$m
            case "$t" in pcap | curses) key=$t ;; esac
            bad[$key]+="    $f includes $h ($m may not include $t)"$'\n'
        fi
    done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$f")
done < <(find "$SRC" -name '*.[ch]' | sort)

if [ "$checked" -eq 0 ]; then
    echo "not ok layering (no sources under $SRC)"
    exit 1
fi
# The check itself must catch a break: on a made-up tree with a core file
# that includes proto and a render file that includes pcap, it says so.
if [ -z "${LAYERING_SRC:-}" ]; then
    t=$(mktemp -d)
    trap 'rm -rf "$t"' EXIT
    mkdir -p "$t/core" "$t/render"
    printf '#include "../proto/proto.h"\n' >"$t/core/x.c"
    printf '#include <pcap/pcap.h>\n#include "render_int.h"\n' >"$t/render/y.c"
    out=$(LAYERING_SRC=$t bash "$0")
    if grep -q '^not ok layering core' <<<"$out" && grep -q '^not ok layering pcap' <<<"$out" &&
        grep -q '^ok layering render' <<<"$out"; then
        echo "ok layering-selftest"
    else
        echo "not ok layering-selftest (a planted break was not reported)"
        printf '%s\n' "$out" | sed 's/^/    /'
    fi
fi

for rule in core proto render endpoints pcap curses; do
    if [ -n "${bad[$rule]:-}" ]; then
        echo "not ok layering $rule"
        printf '%s' "${bad[$rule]}"
    else
        echo "ok layering $rule"
    fi
done
