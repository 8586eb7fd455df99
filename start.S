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
	and   sp, x0, #-16
	bl    start_c
	udf   #0                  /* start_c never returns */
#else
#error "nanoctr: no start.S block for this architecture yet"
#endif

	.section .note.GNU-stack, "", %progbits
