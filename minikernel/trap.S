// SPDX-License-Identifier: BSD-2-Clause
/* Trap entry and return: GPRs go straight to the current frame (exit page or runtime frame). */
#include "mk.h"

.macro SAVE_GPRS base
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29
	sd x\n, (\n * 8)(\base)
	.endr
.endm

.macro LOAD_GPRS base
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld x\n, (\n * 8)(\base)
	.endr
.endm

	.section .text
	.balign 4
	.globl mk_trap_entry
mk_trap_entry:
	/* sscratch holds this hart's struct mk_hart while a guest or the runtime runs, 0 in here. */
	csrrw	t6, sscratch, t6
	beqz	t6, .Lfrom_minikernel
	sd	t5, MK_HART_T5(t6)
	ld	t5, MK_HART_FRAME(t6)
	SAVE_GPRS t5
	ld	t4, MK_HART_T5(t6)
	sd	t4, (30 * 8)(t5)
	csrr	t4, sscratch
	sd	t4, (31 * 8)(t5)
	csrw	sscratch, zero
	mv	a0, t6
	ld	sp, MK_HART_KSTACK(t6)
	call	mk_trap
	/* fall through: a0 = hart */

	.globl mk_trap_return
mk_trap_return:
	csrw	sscratch, a0
	ld	t6, MK_HART_FRAME(a0)
	LOAD_GPRS t6
	ld	t6, (31 * 8)(t6)
	sret

.Lfrom_minikernel:
	/* The minikernel itself never traps by design: report and stop. */
	csrrw	t6, sscratch, t6
	call	mk_panic_trap
1:	wfi
	j	1b
