// SPDX-License-Identifier: BSD-2-Clause
/*
 * dv-hw in assembly: entering the guest with HURET, and the runtime's utvec, where DV-Ext
 * delivers each exit with every guest GPR live and uscratch holding the vCPU's context.
 */
#include "dv_abi.h"
#include "dv_frame.h"
#include "dvext.h"

#define CTX_EXIT  0 /* struct dvhw_ctx (dv_hw.c) */
#define CTX_RT_SP 8
#define CTX_T5    16

/*
 * long dvhw_enter(struct dvhw_ctx *c): uepc, hustatus and huvip are set; runs the guest with
 * the GPRs of c->exit and returns 0 at its next exit, the guest's GPRs then in c->exit; or
 * returns 1 without running it when the minikernel posted a host interrupt (host_irqs).
 * Like any callee it keeps the callee-saved registers (and gp, tp), here on its stack.
 */
	.section .text.dvhw_enter, "ax"
	.globl dvhw_enter
dvhw_enter:
	DV_FRAME_PUSH
	sd	sp, CTX_RT_SP(a0)
	/*
	 * The entry window, registered with DV_SYS_ENTRY_WINDOW: a host interrupt taken at any
	 * pc from here to the HURET, included, is posted to host_irqs and the minikernel sends
	 * the runtime back here. So the window needs no register on entry (uscratch is the
	 * context), and the check below always follows the last post before the HURET.
	 */
	.globl dvhw_window_start, dvhw_window_end
dvhw_window_start:
	csrr	t6, DVEXT_USCRATCH
	ld	t5, CTX_EXIT(t6)
	ld	t4, DV_EXIT_HOST_IRQS(t5)
	bnez	t4, 1f
	mv	t6, t5
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	x\n, (\n * 8)(t6)
	.endr
	ld	t6, (31 * 8)(t6)
dvhw_window_end:
	.word	INSN_HURET
1:	ld	sp, CTX_RT_SP(t6)		/* the guest's, after a restart */
	DV_FRAME_POP
	li	a0, 1
	ret

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
	li	a0, 0
	ret
