# nanoctr: one static, freestanding binary. Nothing from a libc is linked:
# start.S is the entry point and syscalls/ the only way to the kernel.

# ARCH: the machine to build for. The native build is ./nanoctr; another
# architecture is cross-compiled to ./nanoctr-$(ARCH) with Debian's
# $(ARCH)-linux-gnu-gcc (e.g. gcc-aarch64-linux-gnu; no target libc needed),
# its objects under build/$(ARCH)/, so both can be built side by side.
ARCHES    := x86_64 aarch64
HOST_ARCH := $(shell uname -m | sed 's/^arm64$$/aarch64/')
ARCH      ?= $(HOST_ARCH)
ifeq ($(filter $(ARCH),$(ARCHES)),)
$(error ARCH=$(ARCH): not supported (one of: $(ARCHES)))
endif

ifeq ($(ARCH),$(HOST_ARCH))
BIN    := nanoctr
OBJDIR :=
ifeq ($(origin CC),default)
CC := $(shell command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo cc)
endif
STRIP  ?= strip
else
BIN    := nanoctr-$(ARCH)
OBJDIR := build/$(ARCH)/
CROSS_COMPILE ?= $(ARCH)-linux-gnu-
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
STRIP  ?= $(CROSS_COMPILE)strip
endif
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

# -Oz -flto: smallest code (GCC 12's -Oz, whole-program inlining and
# dead-code removal across files); measured: 2.4 KiB less than -Os alone.
# One LTO partition: no "serial compilation" warning, and 400 bytes less on
# aarch64 (same size on x86_64).
CFLAGS  ?= -Oz -flto -flto-partition=one
CFLAGS  += -std=gnu11 -Wall -Wextra -ffreestanding -fno-builtin -nostdlib -static \
           -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
           -fno-pie -fno-plt -fomit-frame-pointer -ffunction-sections -fdata-sections \
           -fno-strict-aliasing -I. -DNANOCTR_VERSION='"$(VERSION)"'
# Size: GCC passes that cost more bytes than they save here, measured on
# the whole binary (stripped, x86_64 / aarch64): no hoisting of loop
# invariants (−220 / −190: register pressure), no jump tables (8-byte
# addresses), no partial inlining, no forward propagation, RTL or tree
# (−200 / −130), no loop-invariant motion on trees nor CSE across jumps
# (−100 / −420).
# x86_64 also: no "expensive" passes (−350), data at its ABI alignment, not
# 32 for vector loads (−210: padding between arrays in .rodata), no
# inlining of once-called functions (−310), no IPA constant-propagation
# clones (−160), no tail merging (−50). aarch64: no shrink-wrapping (−130:
# one prologue, not several). Not on aarch64: -fno-expensive-optimizations
# (−300, but GCC then warns, a maybe-uninitialized false alarm, in
# seccomp-bpf.c).
# Re-measure when the code changes much.
CFLAGS  += -fno-move-loop-invariants -fno-jump-tables -fno-partial-inlining \
           -fno-forward-propagate -fno-tree-forwprop -fno-tree-loop-im -fno-cse-follow-jumps
ifeq ($(ARCH),x86_64)
CFLAGS  += -fno-expensive-optimizations -malign-data=abi -fno-inline-functions-called-once \
           -fno-ipa-cp -fno-tree-tail-merge
endif
ifeq ($(ARCH),aarch64)
CFLAGS  += -fno-shrink-wrap
# The tiny code model: one ADR, not ADRP+ADD, per address (-1.9 KiB). It
# needs code and data (.bss too) within 1 MiB: true of the default build
# (~0.9 MiB, the seccomp profile's text and tokens are mmap'd) but not of
# OCI=1's larger .bss. Past 1 MiB the link fails ("relocation truncated to
# fit"), never the binary.
ifneq ($(OCI),1)
CFLAGS  += -mcmodel=tiny
endif
endif
# OCI=1: the OCI runtime commands (create, start, ...; src/oci-run.c), over
# the 64 KiB budget for now
ifeq ($(OCI),1)
CFLAGS  += -DNANOCTR_OCI
endif
LDFLAGS += -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
           -Wl,-z,noexecstack -Wl,-z,norelro -Wl,-z,noseparate-code \
           -Wl,-z,common-page-size=64
# common-page-size=64: .data (OCI=1 has some) starts at the next file byte
# its page allows, not on a page of its own in the file (up to 4 KiB of
# padding); the segments are still page-aligned in memory, text never
# writable

SRCS := $(wildcard src/*.c)
OBJS := $(OBJDIR)start.o $(addprefix $(OBJDIR),$(SRCS:.c=.o))
HDRS := $(wildcard src/*.h syscalls/*.h)

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS)
	$(STRIP) --strip-all -R .comment -R .note.gnu.property $@

$(OBJDIR)%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(OBJDIR)start.o: start.S
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<

# Every binary built so far: the native one and any cross-compiled ones.
size: $(BIN)
	@for f in nanoctr $(addprefix nanoctr-,$(ARCHES)); do \
		[ ! -f $$f ] || echo "$$f: $$(stat -c %s $$f) bytes stripped (budget 65536)"; \
	done

# dist/: one static binary per architecture, named nanoctr-ARCH, and SHA256SUMS.
dist:
	rm -rf dist
	mkdir -p dist
	for a in $(ARCHES); do \
		$(MAKE) --no-print-directory ARCH=$$a || exit 1; \
		if [ $$a = $(HOST_ARCH) ]; then f=nanoctr; else f=nanoctr-$$a; fi; \
		cp $$f dist/nanoctr-$$a || exit 1; \
	done
	cd dist && sha256sum nanoctr-* >SHA256SUMS
	@cat dist/SHA256SUMS

test: nanoctr
	tests/run

bench: nanoctr
	bench/run.sh

install: nanoctr
	install -D -m 0755 nanoctr $(DESTDIR)$(PREFIX)/bin/nanoctr
	install -D -m 0644 nanoctr.1 $(DESTDIR)$(PREFIX)/share/man/man1/nanoctr.1

clean:
	rm -f nanoctr start.o src/*.o $(addprefix nanoctr-,$(ARCHES))
	rm -rf build dist

.PHONY: all size dist test bench install clean
