// SPDX-License-Identifier: BSD-2-Clause
// Guest entry (Linux boot protocol: a0 = hart id, a1 = DTB) and the trap vector.

#define FRAME_SIZE  (36 * 8)	/* struct trap_frame */
#define FRAME_SEPC  (32 * 8)
#define FRAME_CAUSE (33 * 8)
#define FRAME_TVAL  (34 * 8)

	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	sp, __stack_top
	/* The trap entry swaps sp with sscratch: keep the trap stack there between traps. */
	la	t0, __trap_stack_top
	csrw	sscratch, t0
	csrw	sie, zero
	la	t0, trap_entry
	csrw	stvec, t0

	/* a0 and a1 carry the boot arguments through to main: only t0/t1 are used here. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	call	main
	snez	a0, a0
	call	sbi_shutdown

	.text
	/* stvec in direct mode: the low two bits must be zero. */
	.balign 4
	.globl trap_entry
trap_entry:
	csrrw	sp, sscratch, sp
	addi	sp, sp, -FRAME_SIZE
	sd	x1, 1 * 8(sp)
	sd	x3, 3 * 8(sp)
	sd	x4, 4 * 8(sp)
	sd	x5, 5 * 8(sp)
	sd	x6, 6 * 8(sp)
	sd	x7, 7 * 8(sp)
	sd	x8, 8 * 8(sp)
	sd	x9, 9 * 8(sp)
	sd	x10, 10 * 8(sp)
	sd	x11, 11 * 8(sp)
	sd	x12, 12 * 8(sp)
	sd	x13, 13 * 8(sp)
	sd	x14, 14 * 8(sp)
	sd	x15, 15 * 8(sp)
	sd	x16, 16 * 8(sp)
	sd	x17, 17 * 8(sp)
	sd	x18, 18 * 8(sp)
	sd	x19, 19 * 8(sp)
	sd	x20, 20 * 8(sp)
	sd	x21, 21 * 8(sp)
	sd	x22, 22 * 8(sp)
	sd	x23, 23 * 8(sp)
	sd	x24, 24 * 8(sp)
	sd	x25, 25 * 8(sp)
	sd	x26, 26 * 8(sp)
	sd	x27, 27 * 8(sp)
	sd	x28, 28 * 8(sp)
	sd	x29, 29 * 8(sp)
	sd	x30, 30 * 8(sp)
	sd	x31, 31 * 8(sp)
	csrr	t0, sscratch
	sd	t0, 2 * 8(sp)
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	csrr	t0, scause
	sd	t0, FRAME_CAUSE(sp)
	csrr	t0, stval
	sd	t0, FRAME_TVAL(sp)

	mv	a0, sp
	call	trap_handler

	/* The handler may have moved sepc (skip or resume) or edited registers. */
	ld	t0, FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	t0, 2 * 8(sp)
	csrw	sscratch, t0
	ld	x1, 1 * 8(sp)
	ld	x3, 3 * 8(sp)
	ld	x4, 4 * 8(sp)
	ld	x5, 5 * 8(sp)
	ld	x6, 6 * 8(sp)
	ld	x7, 7 * 8(sp)
	ld	x8, 8 * 8(sp)
	ld	x9, 9 * 8(sp)
	ld	x10, 10 * 8(sp)
	ld	x11, 11 * 8(sp)
	ld	x12, 12 * 8(sp)
	ld	x13, 13 * 8(sp)
	ld	x14, 14 * 8(sp)
	ld	x15, 15 * 8(sp)
	ld	x16, 16 * 8(sp)
	ld	x17, 17 * 8(sp)
	ld	x18, 18 * 8(sp)
	ld	x19, 19 * 8(sp)
	ld	x20, 20 * 8(sp)
	ld	x21, 21 * 8(sp)
	ld	x22, 22 * 8(sp)
	ld	x23, 23 * 8(sp)
	ld	x24, 24 * 8(sp)
	ld	x25, 25 * 8(sp)
	ld	x26, 26 * 8(sp)
	ld	x27, 27 * 8(sp)
	ld	x28, 28 * 8(sp)
	ld	x29, 29 * 8(sp)
	ld	x30, 30 * 8(sp)
	ld	x31, 31 * 8(sp)
	/* Back to the trap stack's top, then swap: sp = interrupted sp, sscratch = trap stack. */
	addi	sp, sp, FRAME_SIZE
	csrrw	sp, sscratch, sp
	sret
