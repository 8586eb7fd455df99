/* arm32-calls: a 32-bit ARM (EABI) program of three raw system calls, for
 * tests/aarch64.bats: what an arm64 nanoctr's seccomp filter does to a compat
 * (AUDIT_ARCH_ARM) process, with arm's own numbers. No libc: built with
 *   arm-linux-gnueabihf-gcc -marm -static -nostdlib -o arm32-calls arm32-calls.S
 * Its exit status is 64 plus
 *   1  getpid() (arm 20) returned a pid
 *   2  keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) (arm 311)
 *      failed with EPERM (docker's profile denies keyctl)
 *   4  set_tls(0) (the ARM private call 0x0f0005) returned 0 (docker allows it)
 *   8  getpid() failed with EPERM
 * e.g. 71 under docker's profile; a process the filter kills is 159 (SIGSYS). */
	.arm
	.text
	.global _start
_start:
	mov	r4, #64
	mov	r7, #20		@ getpid
	svc	#0
	cmp	r0, #0
	addgt	r4, r4, #1
	cmn	r0, #1		@ -EPERM
	addeq	r4, r4, #8
	mov	r0, #0		@ KEYCTL_GET_KEYRING_ID
	mvn	r1, #2		@ KEY_SPEC_SESSION_KEYRING (-3)
	mov	r2, #0
	ldr	r7, =311	@ keyctl
	svc	#0
	cmn	r0, #1
	addeq	r4, r4, #2
	mov	r0, #0
	ldr	r7, =0x0f0005	@ set_tls
	svc	#0
	cmp	r0, #0
	addeq	r4, r4, #4
	mov	r0, r4
	mov	r7, #1		@ exit
	svc	#0
	.pool
