/* The process entry point: no crt1.o, no libc. The kernel leaves argc at
 * (%rsp), argv after it and envp after argv's NULL; start_c() reads them.
 * start_c() then runs on a stack of our own in .bss, not on the kernel's:
 * that one may grow only up to the caller's RLIMIT_STACK, and a
 * `ulimit -s 16` made the setup (some 30 KiB deep) die of SIGSEGV; the
 * container still gets the caller's limit. (The child has its own stack
 * too: child_area in run.c.) */

#if defined(__x86_64__)
	.text
	.global _start
	.type   _start, @function
_start:
	xor   %ebp, %ebp          /* outermost frame for debuggers */
	mov   %rsp, %rdi          /* start_c(sp) */
	lea   main_stack_top(%rip), %rsp	/* 16-byte aligned, as the ABI wants */
	call  start_c
	hlt                       /* start_c never returns */
#elif defined(__aarch64__)
	/* The same at sp. The kernel aligns sp to 16 bytes, which the hardware
	 * checks on every sp-relative access; the and is musl's belt and braces. */
	.text
	.global _start
	.type   _start, %function
_start:
	mov   x29, #0             /* outermost frame: no frame pointer */
	mov   x30, #0             /* and no return address */
	mov   x0, sp              /* start_c(sp) */
	adrp  x1, main_stack_top
	add   x1, x1, :lo12:main_stack_top
	mov   sp, x1              /* 16-byte aligned, which the hardware checks */
	bl    start_c
	udf   #0                  /* start_c never returns */
#else
#error "nanoctr: no start.S block for this architecture yet"
#endif

	.bss
	.balign 16
main_stack:
	.space  128 << 10
main_stack_top:

	.section .note.GNU-stack, "", %progbits
