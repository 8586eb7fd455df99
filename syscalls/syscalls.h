/* The raw system-call layer: pick the architecture's entry code, then the
 * typed wrappers. Every wrapper returns the kernel's value or -errno. */
#ifndef NANOCTR_SYSCALLS_H
#define NANOCTR_SYSCALLS_H

#if defined(__x86_64__)
#include "syscalls/arch-x86_64.h"
#elif defined(__aarch64__)
#include "syscalls/arch-aarch64.h"
#else
#error "nanoctr: no syscalls/arch-*.h for this architecture yet"
#endif

#include "syscalls/linux.h"
#include "syscalls/file.h"
#include "syscalls/process.h"

#endif
