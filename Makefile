# nanoctr: one static, freestanding binary. Nothing from a libc is linked:
# start.S is the entry point and syscalls/ the only way to the kernel.

ifeq ($(origin CC),default)
CC := $(shell command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo cc)
endif
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

CFLAGS  ?= -Os
CFLAGS  += -std=gnu11 -Wall -Wextra -ffreestanding -fno-builtin -nostdlib -static \
           -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
           -fno-pie -fno-plt -fomit-frame-pointer -ffunction-sections -fdata-sections \
           -fno-strict-aliasing -I. -DNANOCTR_VERSION='"$(VERSION)"'
LDFLAGS += -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
           -Wl,-z,noexecstack -Wl,-z,norelro -Wl,-z,noseparate-code

SRCS := $(wildcard src/*.c)
OBJS := start.o $(SRCS:.c=.o)
HDRS := $(wildcard src/*.h syscalls/*.h)

all: nanoctr

nanoctr: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS)
	strip --strip-all -R .comment -R .note.gnu.property $@

%.o: %.c $(HDRS)
	$(CC) $(CFLAGS) -c -o $@ $<

start.o: start.S
	$(CC) -c -o $@ $<

size: nanoctr
	@echo "nanoctr: $$(stat -c %s nanoctr) bytes stripped (budget 32768)"

test: nanoctr
	tests/run

bench: nanoctr
	bench/run.sh

install: nanoctr
	install -D -m 0755 nanoctr $(DESTDIR)$(PREFIX)/bin/nanoctr
	install -D -m 0644 nanoctr.1 $(DESTDIR)$(PREFIX)/share/man/man1/nanoctr.1

clean:
	rm -f nanoctr start.o src/*.o

.PHONY: all size test bench install clean
