# wirepeel — build, test, demo, sanitize. Outputs go to build/.
# `make` builds build/libwirepeel.a and build/wirepeel; `make test` runs every
# test and ends with "N passed, N failed"; `make sanitize` builds the same
# with ASan+UBSan into build/asan/. tools/deps.sh installs what a fresh Debian
# machine lacks: `make` only the build's needs, `make test` the test tools too
# (each runs once; delete build/.deps or build/.deps-test to check again).

BUILD   ?= build
CC      ?= cc
PKGS     = libpcap ncursesw zlib
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wconversion -Werror -Iinclude -Isrc
OPT     ?= -O2 -g
SAN     ?=
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcap -lncursesw -lz)
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
ALL_CFLAGS = $(CFLAGS_BASE) $(OPT) $(SAN) $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm $(LDLIBS)

LIB_SRCS  = $(sort $(wildcard src/core/*.c src/proto/*.c src/capture/*.c src/render/*.c \
                              src/tui/*.c src/endpoints/*.c src/flow/*.c src/filter/*.c \
                              src/quiz/*.c))
CLI_SRCS  = $(sort $(wildcard src/cli/*.c))
LIB_OBJS  = $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS  = $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_SUPPORT_SRCS = $(sort $(wildcard tests/support/*.c))
TEST_SUPPORT_OBJS = $(TEST_SUPPORT_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_SRCS = $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS = $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRCS = $(sort $(wildcard tools/*.c))
TOOL_BINS = $(TOOL_SRCS:tools/%.c=$(BUILD)/tools/%)

DEPS_STAMP = build/.deps
# the test tools (cmocka, tshark, tmux, clang, ...): only make test and the
# test binaries need them, so `make` builds the tool without them
TEST_DEPS_STAMP = build/.deps-test

# Quiet by default ("  CC  build/obj/..."); `make V=1` shows the commands.
ifeq ($(V),1)
Q =
SAY = @true
else
Q = @
SAY = @printf '  %-3s %s\n'
endif

.SECONDARY:
.PHONY: all test demo sanitize clean deps fixtures check-fixtures tools unit
all: $(DEPS_STAMP) $(BUILD)/libwirepeel.a $(BUILD)/wirepeel

deps $(DEPS_STAMP): tools/deps.sh
	@bash tools/deps.sh
	@mkdir -p build && touch $(DEPS_STAMP)

$(TEST_DEPS_STAMP): tools/deps.sh | $(DEPS_STAMP)
	@bash tools/deps.sh test
	@mkdir -p build && touch $(TEST_DEPS_STAMP)

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SAY) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libwirepeel.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(SAY) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/wirepeel: $(CLI_OBJS) $(BUILD)/libwirepeel.a
	$(SAY) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libwirepeel.a $(LDLIBS_ALL)

# The unit tests link the renderers built with WP_DEBUG_ROOM (every piece a
# pointer writer writes checked against the room it reserved), ahead of the
# library's own copies.
ROOM_OBJS = $(patsubst %.c,$(BUILD)/obj/room/%.o,$(sort $(wildcard src/render/*.c)))
$(BUILD)/obj/room/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SAY) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -DWP_DEBUG_ROOM -MMD -MP -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(TEST_SUPPORT_OBJS) $(ROOM_OBJS) $(BUILD)/libwirepeel.a | $(TEST_DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SAY) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/support -MMD -MP -o $@ $< $(TEST_SUPPORT_OBJS) \
	    $(ROOM_OBJS) $(BUILD)/libwirepeel.a $(CMOCKA_LIBS) $(LDLIBS_ALL)

$(BUILD)/tools/%: tools/%.c $(BUILD)/libwirepeel.a | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SAY) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(BUILD)/libwirepeel.a $(LDLIBS_ALL)

tools: $(TOOL_BINS)
unit: $(TEST_BINS)

# Fixtures are made by code: `make fixtures` rewrites captures/ from
# tools/mkfixtures.c and every tools/mkfix_AREA.c; the test suite checks that
# doing so changes nothing.
FIXTURE_TOOLS = $(filter $(BUILD)/tools/mkfix%,$(TOOL_BINS))
fixtures: $(FIXTURE_TOOLS)
	@for t in $(FIXTURE_TOOLS); do echo "  GEN $$t"; $$t captures || exit 1; done

test: all $(TEST_DEPS_STAMP) $(TEST_BINS) $(TOOL_BINS)
	@BUILD=$(BUILD) bash tests/run.sh

sanitize:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -DWP_DEBUG_ROOM" \
	    build/asan/libwirepeel.a build/asan/wirepeel build/asan/tools/sweep

# ---- hostile input: sweep, regression tests, fuzzing (issue 7) ----------
# tools/sweep, tests/unit/test_regress.c and the fuzz harnesses share
# tests/fuzz/exercise.h (decode, every renderer, the view's layout); the
# first two are built by the rules above, which track headers with -MMD.

# libFuzzer harnesses (clang): the library built with fuzzer-no-link and
# ASan+UBSan into build/fuzz/, each tests/fuzz/fuzz_*.c linked with
# -fsanitize=fuzzer. `make fuzz FUZZ_SECONDS=N` seeds the corpora from
# captures/ and ../shared/corpus and runs each harness N seconds in turn.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_NAMES    = $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c))))
.PHONY: fuzz fuzz-build

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/exercise.h $(BUILD)/libwirepeel.a
	$(SAY) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libwirepeel.a \
	    $(LDLIBS_ALL)

fuzz-build:
	$(MAKE) BUILD=build/fuzz CC=$(FUZZ_CC) OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -DWP_DEBUG_ROOM" \
	    CFLAGS="$(CFLAGS) -Wno-error" $(FUZZ_NAMES:%=build/fuzz/%)

fuzz: fuzz-build $(BUILD)/tools/sweep
	SWEEP=$(BUILD)/tools/sweep bash tests/fuzz/run.sh $(FUZZ_SECONDS)

demo: all
	$(BUILD)/wirepeel demo

clean:
	rm -rf build

# ---- install / uninstall / example -------------------------------------
# `make install PREFIX=/usr/local DESTDIR=` puts the binary, the static
# library, the public headers, wirepeel.pc and the man page under
# $(DESTDIR)$(PREFIX); `make uninstall` removes exactly those files.
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
MANDIR      ?= $(PREFIX)/share/man
# the course captures and fixtures: the unprivileged demo replays them, and
# `show -r captures/NAME` finds them from any folder (wirepeel looks in
# BINDIR/../share/wirepeel when a relative path does not exist)
DATADIR     ?= $(PREFIX)/share/wirepeel
CAPTURE_FILES = $(sort $(wildcard captures/*.pcap captures/*.pcapng)) captures/README.md
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL     ?= install
WP_VERSION_STR := $(shell sed -n 's/^\#define WP_VERSION "\(.*\)"/\1/p' include/wirepeel/wirepeel.h)
PUB_HEADERS  = $(sort $(wildcard include/wirepeel/*.h))
# in wirepeel.pc, relative to ${prefix} when under PREFIX (relocatable)
PC_LIBDIR     = $(patsubst $(PREFIX)%,$${exec_prefix}%,$(LIBDIR))
PC_INCLUDEDIR = $(patsubst $(PREFIX)%,$${prefix}%,$(INCLUDEDIR))

# libwirepeel is static only, so what a program needs at link time is public:
# libpcap (any use of capture.h or load.h) and -lm. ncursesw is needed only by
# the view (tui.h): `pkg-config --static --libs wirepeel` adds it.
# wp_pc_write(file, prefix, libdir, includedir)
wp_pc_write = printf '%s\n' 'prefix=$(2)' 'exec_prefix=$${prefix}' 'libdir=$(3)' \
    'includedir=$(4)' '' 'Name: wirepeel' \
    'Description: peel packets layer by layer: bounds-checked decoding, field tables, renderers' \
    'Version: $(WP_VERSION_STR)' 'Requires: libpcap zlib' 'Requires.private: ncursesw' \
    'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lwirepeel -lm' >$(1)

# The same file pointing into this tree, for building tests/example in place.
$(BUILD)/pc-intree/wirepeel.pc: include/wirepeel/wirepeel.h Makefile
	@mkdir -p $(dir $@)
	$(call wp_pc_write,$@,$(CURDIR),$(abspath $(BUILD)),$(CURDIR)/include)

.PHONY: install uninstall example
install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/wirepeel \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(BUILD)/wirepeel $(DESTDIR)$(BINDIR)/wirepeel
	$(INSTALL) -m 644 $(BUILD)/libwirepeel.a $(DESTDIR)$(LIBDIR)/libwirepeel.a
	$(INSTALL) -m 644 $(PUB_HEADERS) $(DESTDIR)$(INCLUDEDIR)/wirepeel/
	$(call wp_pc_write,$(DESTDIR)$(PKGCONFIGDIR)/wirepeel.pc,$(PREFIX),$(PC_LIBDIR),$(PC_INCLUDEDIR))
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/wirepeel.pc
	$(INSTALL) -m 644 man/wirepeel.1 $(DESTDIR)$(MANDIR)/man1/wirepeel.1
	$(INSTALL) -d $(DESTDIR)$(DATADIR)/captures
	$(INSTALL) -m 644 $(CAPTURE_FILES) $(DESTDIR)$(DATADIR)/captures/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wirepeel $(DESTDIR)$(LIBDIR)/libwirepeel.a \
	    $(addprefix $(DESTDIR)$(INCLUDEDIR)/wirepeel/,$(notdir $(PUB_HEADERS))) \
	    $(DESTDIR)$(PKGCONFIGDIR)/wirepeel.pc $(DESTDIR)$(MANDIR)/man1/wirepeel.1 \
	    $(addprefix $(DESTDIR)$(DATADIR)/captures/,$(notdir $(CAPTURE_FILES)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/wirepeel 2>/dev/null
	-rmdir $(DESTDIR)$(DATADIR)/captures $(DESTDIR)$(DATADIR) 2>/dev/null

# tests/example built by its own Makefile against this tree's library; the
# binary lands beside the unit tests, so `make test` runs it like one.
EXAMPLE_BIN = $(BUILD)/tests/test_student_parser
example: $(EXAMPLE_BIN)
$(EXAMPLE_BIN): $(wildcard tests/example/*.c tests/example/*.h) tests/example/Makefile \
                $(BUILD)/libwirepeel.a $(BUILD)/pc-intree/wirepeel.pc
	@mkdir -p $(dir $@)
	@rm -f $@  # the sub-make sees only its sources; the library may be newer
	PKG_CONFIG_PATH=$(abspath $(BUILD)/pc-intree)$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} \
	    $(MAKE) -C tests/example OUT=$(abspath $@) \
	    CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror $(OPT) $(SAN)"
test: $(EXAMPLE_BIN)
# make bench: wirepeel against tcpdump, tshark and the bare libpcap floor on a
# generated capture (tools/bench.sh; BENCH_PACKETS, BENCH_RUNS, BENCH_LIVE=0,
# BENCH_VIEW=0, BENCH_TERMSHARK=0).
.PHONY: bench
$(BUILD)/bench/udpflood: tools/bench/udpflood.c
	@mkdir -p $(dir $@)
	$(SAY) CC $@
	$(Q)$(CC) $(CFLAGS_BASE) $(OPT) -o $@ $<

# The peers (termshark, /usr/bin/time) are installed as root when missing;
# without them the table says what it could not measure.
bench: all $(BUILD)/tools/mkbench $(BUILD)/tools/pcapfloor $(BUILD)/bench/udpflood
	@bash tools/deps.sh bench || echo "bench: going on without them" >&2
	@BUILD=$(BUILD) bash tools/bench.sh

-include $(shell find $(BUILD)/obj $(BUILD)/tests $(BUILD)/tools -name '*.d' 2>/dev/null)
