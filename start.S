/* The process entry point: no crt1.o, no libc. The kernel leaves argc at
 * (%rsp), argv after it and envp after argv's NULL; start_c() reads them. */

#if defined(__x86_64__)
	.text
	.global _start
	.type   _start, @function
_start:
	xor   %ebp, %ebp          /* outermost frame for debuggers */
	mov   %rsp, %rdi          /* start_c(sp) */
	and   $-16, %rsp          /* the ABI wants 16-byte alignment at a call */
	call  start_c
	hlt                       /* start_c never returns */
#else
#error "nanoctr: no start.S block for this architecture yet"
#endif

	.section .note.GNU-stack, "", @progbits
