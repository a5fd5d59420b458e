// SPDX-License-Identifier: BSD-2-Clause
/*
 * dv-hw in assembly: entering the guest with HURET, and the runtime's utvec, where DV-Ext
 * delivers each exit with every guest GPR live and uscratch holding the vCPU's context.
 */
#include "dv_frame.h"
#include "dvext.h"

#define CTX_EXIT  0 /* struct dvhw_ctx (dv_hw.c) */
#define CTX_RT_SP 8
#define CTX_T5    16

/*
 * void dvhw_enter(struct dvhw_ctx *c): uepc, hustatus and huvip are set; runs the guest with
 * the GPRs of c->exit and returns at its next exit, the guest's GPRs then in c->exit. Like
 * any callee it keeps the callee-saved registers (and gp, tp), here on its stack.
 */
	.section .text.dvhw_enter, "ax"
	.globl dvhw_enter
dvhw_enter:
	DV_FRAME_PUSH
	sd	sp, CTX_RT_SP(a0)
	ld	t6, CTX_EXIT(a0)
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	x\n, (\n * 8)(t6)
	.endr
	ld	t6, (31 * 8)(t6)
	.word	INSN_HURET

/* utvec (direct mode: interrupts come here too). uscratch is the vCPU's context again at the end. */
	.balign 4
	.globl dvhw_utvec
dvhw_utvec:
	csrrw	t6, DVEXT_USCRATCH, t6
	sd	t5, CTX_T5(t6)
	ld	t5, CTX_EXIT(t6)
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29
	sd	x\n, (\n * 8)(t5)
	.endr
	ld	t4, CTX_T5(t6)
	sd	t4, (30 * 8)(t5)
	csrrw	t4, DVEXT_USCRATCH, t6
	sd	t4, (31 * 8)(t5)
	ld	sp, CTX_RT_SP(t6)
	DV_FRAME_POP
	ret
