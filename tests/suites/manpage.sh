#!/usr/bin/env bash
# man/wirepeel.1 against the binary: the page renders without warnings; the
# commands it documents are the ones `wirepeel --help` lists; for every
# command, the options `wirepeel CMD --help` prints are exactly the .TP
# entries of its "wirepeel CMD" section; `wirepeel help CMD` prints the same
# text; the output formats, the view's keys and the exit statuses agree;
# `wirepeel --version` matches include/wirepeel/wirepeel.h and the page.
set -u
BUILD=${BUILD:-build}
WIREPEEL=${WIREPEEL:-$BUILD/wirepeel}
MAN=${MAN:-man/wirepeel.1}
export WIREPEEL MAN LC_ALL=C.UTF-8

if [ ! -x "$WIREPEEL" ]; then
    echo "not ok manpage_binary ($WIREPEEL missing: run make)"
    exit 1
fi

warn=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1)
if [ -z "$warn" ]; then
    echo "ok manpage_groff_no_warnings"
else
    echo "not ok manpage_groff_no_warnings: $(echo "$warn" | head -3 | tr '\n' ' ')"
fi
if command -v man >/dev/null; then
    out=$(MANWIDTH=80 MANPAGER=cat man -l "$MAN" 2>&1)
    if [ $? -eq 0 ] && grep -q 'wirepeel show' <<<"$out" && ! grep -qi 'warning' <<<"$out"; then
        echo "ok manpage_man_renders"
    else
        echo "not ok manpage_man_renders: $(echo "$out" | head -2 | tr '\n' ' ')"
    fi
fi

python3 - <<'EOF'
import os, re, subprocess, sys

wp = os.environ["WIREPEEL"]
man = open(os.environ["MAN"], encoding="utf-8").read().splitlines()


def run(*args):
    p = subprocess.run([wp, *args], capture_output=True, text=True, timeout=20)
    return p.returncode, p.stdout, p.stderr


def check(name, ok, why=""):
    print(("ok " if ok else "not ok ") + name + ("" if ok or not why else ": " + why))


def roff_args(line):
    """The arguments of a macro line such as .BR Up / Down ", " j / k."""
    return re.findall(r'"([^"]*)"|(\S+)', line.split(None, 1)[1] if " " in line else "")


def unescape(s):
    return re.sub(r"\\f[BIRP]", "", s).replace("\\-", "-").replace("\\&", "").replace("\\%", "")


def sections():
    """{(.SH name, .SS name or None): [lines]}"""
    out, sh, ss = {}, None, None
    for line in man:
        if line.startswith(".SH "):
            sh, ss = line[4:].strip().strip('"'), None
        elif line.startswith(".SS "):
            ss = unescape(line[4:].strip().strip('"'))
        else:
            out.setdefault((sh, ss), []).append(line)
    return out


def tp_tags(lines):
    return [lines[i + 1] for i, l in enumerate(lines) if l.strip() == ".TP" and i + 1 < len(lines)]


def man_options(lines):
    opts = set()
    for tag in tp_tags(lines):
        for m in re.finditer(r"\\fB((?:\\-)+[A-Za-z0-9](?:\\-|[A-Za-z0-9])*)", tag):
            opts.add(unescape(m.group(1)))
    return opts


def help_options(text):
    """Options of a --help text: the indented list lines that start with -."""
    opts = set()
    for line in text.splitlines():
        if not re.match(r"^ {2,4}-", line):
            continue
        head = re.split(r"\s{2,}", line.strip())[0]
        for part in head.split(","):
            m = re.match(r"\s*(--?[A-Za-z0-9][A-Za-z0-9-]*)", part)
            if m:
                opts.add(m.group(1))
    return opts


secs = sections()

# --version
rc, out, _ = run("--version")
hdr = open("include/wirepeel/wirepeel.h").read()
m = re.search(r'#define WP_VERSION "([^"]+)"', hdr)
want = m.group(1) if m else "?"
check("version_flag", rc == 0 and out == f"wirepeel {want}\n", f"rc {rc}, printed {out!r}, want 'wirepeel {want}'")
th = next((l for l in man if l.startswith(".TH ")), "")
check("manpage_version", f"wirepeel {want}" in th, f"{th!r} does not name wirepeel {want}")

# the command list
rc, out, _ = run("--help")
cmds = re.findall(r"^  (\S+)\s{2,}", out, re.M)
check("help_lists_commands", rc == 0 and len(cmds) >= 5, f"rc {rc}, commands {cmds}")
man_cmds = {ss.split(None, 1)[1] for (sh, ss) in secs if sh == "COMMANDS" and ss and ss.startswith("wirepeel ")}
man_cmds.discard("help")
check("manpage_commands_match_help", set(cmds) == man_cmds,
      f"only in --help: {sorted(set(cmds) - man_cmds)}, only in the page: {sorted(man_cmds - set(cmds))}")
rc, out2, _ = run("help")
check("help_without_command", rc == 0 and out2 == out, f"rc {rc}")
rc, _, err = run("help", "no-such-command")
check("help_unknown_command_is_usage_error", rc == 2 and "no-such-command" in err, f"rc {rc}, {err.strip()!r}")

exit_codes = set()
for c in cmds:
    rc, text, err = run(c, "--help")
    ok = rc == 0 and text.startswith("usage: wirepeel " + c)
    check(f"{c}_help", ok, f"rc {rc}, {(text or err).strip()[:80]!r}")
    if not ok:
        continue
    rc2, text2, _ = run("help", c)
    check(f"help_{c}", rc2 == 0 and text2 == text, f"rc {rc2}; differs from {c} --help")
    h = help_options(text)
    # every command takes --help (it just printed this) and -h when that
    # prints the same, whether or not its text lists them
    h.add("--help")
    if run(c, "-h")[:2] == (0, text):
        h.add("-h")
    lines = secs.get(("COMMANDS", f"wirepeel {c}"), [])
    mo = man_options(lines)
    check(f"{c}_help_options_in_manpage", h <= mo, f"missing from the page: {sorted(h - mo)}")
    check(f"{c}_manpage_options_in_help", mo <= h, f"the page has, --help does not: {sorted(mo - h)}")
    # exit statuses the help names are documented
    m = re.search(r"Exit status:(.*?)(?:\n\n|\Z)", text, re.S)
    if m:
        exit_codes |= set(re.findall(r"\b(\d{1,3})\b", m.group(1)))
    if c == "show":
        m = re.search(r"-o (?:FORMAT\]|\[?)([a-z|]+)", text)
        fmts = set(m.group(1).split("|")) if m else set()
        mf = {unescape(re.sub(r"^\.B\s+", "", t)).strip() for t in tp_tags(secs.get(("OUTPUT FORMATS", None), []))}
        check("show_formats_match_manpage", fmts and fmts == mf,
              f"--help: {sorted(fmts)}, page: {sorted(mf)}")

man_exit = {unescape(re.sub(r"^\.B\s+", "", t)).strip() for t in tp_tags(secs.get(("EXIT STATUS", None), []))}
check("exit_statuses_documented", exit_codes <= man_exit and {"0", "1", "2"} <= man_exit,
      f"named in --help but not in EXIT STATUS: {sorted(exit_codes - man_exit)}")

# the view's keys: its own help screen (src/tui/view.c help_lines) against the page
try:
    src = open("src/tui/view.c").read()
    block = re.search(r"help_lines\[\]\s*=\s*\{(.*?)\};", src, re.S).group(1)
    keys = set()
    for s in re.findall(r'"((?:[^"\\]|\\.)*)"', block):
        if not s.startswith("  ") or s[2] == " ":
            continue
        for word in s[2:17].split():
            keys |= {word} if word == "/" else {k for k in word.split("/") if k}
    mk = set()
    for tag in tp_tags(secs.get(("THE VIEW", "Keys"), [])):
        args = [a or b for a, b in roff_args(tag)]
        mk |= set(args) if len(args) == 1 else {a for a in args if a not in ("/", ", ")}
    mk = {unescape(k) for k in mk}
    check("view_keys_in_manpage", keys and keys <= mk, f"keys of the view missing from the page: {sorted(keys - mk)}")
    check("manpage_keys_in_view", mk <= keys | {"Shift-Tab"}, f"the page has keys the view does not: {sorted(mk - keys)}")
except (OSError, AttributeError) as e:
    check("view_keys_in_manpage", False, f"cannot read the view's key list: {e}")
EOF
