// SPDX-License-Identifier: BSD-2-Clause
/*
 * dv-hw in assembly: entering the guest with HURET, and the runtime's utvec, where DV-Ext
 * delivers each exit with every guest GPR live and uscratch holding the vCPU's context.
 */
#include "dv_abi.h"
#include "dv_frame.h"
#include "dvext.h"
#include "riscv.h"

#define CTX_EXIT  0 /* struct dvhw_ctx (dv_hw.c) */
#define CTX_RT_SP 8
#define CTX_T5    16

/* The guest's registers a C function keeps (s0..s11), between them and the exit page in t5. */
.macro GUEST_S op
	.irp n, 8,9,18,19,20,21,22,23,24,25,26,27
	\op	x\n, (\n * 8)(t5)
	.endr
.endm
/* The others, but for t5 and t6. */
.macro GUEST_CALLER op
	.irp n, 1,2,3,4,5,6,7,10,11,12,13,14,15,16,17,28,29
	\op	x\n, (\n * 8)(t5)
	.endr
.endm

/* The entry window's check: bail out to 1f when the minikernel posted a host interrupt. */
.macro HOST_IRQS_CHECK
	csrr	t6, DVEXT_USCRATCH
	ld	t5, CTX_EXIT(t6)
	ld	t4, DV_EXIT_HOST_IRQS(t5)
	bnez	t4, 1f
.endm

/*
 * long dvhw_enter(struct dvhw_ctx *c, bool wait): uepc, hustatus and huvip are set; runs the
 * guest with the GPRs of c->exit, after an interrupt when `wait` (the guest's WFI), and
 * returns 0 at an exit the fast exits left to the caller, the guest's GPRs then in c->exit;
 * or returns 1 without running it when the minikernel posted a host interrupt (host_irqs).
 * Like any callee it keeps the callee-saved registers (and gp, tp), here on its stack: the
 * guest's s0..s11 are loaded before the window.
 */
	.section .text.dvhw_enter, "ax"
	.globl dvhw_enter
dvhw_enter:
	DV_FRAME_PUSH
	sd	sp, CTX_RT_SP(a0)
	ld	t5, CTX_EXIT(a0)
	GUEST_S ld
	bnez	a1, dvhw_window_wait
	/*
	 * The entry window, registered with DV_SYS_ENTRY_WINDOW: a host interrupt taken at any
	 * pc from here to dvhw_window_end is posted to host_irqs and the minikernel sends the
	 * runtime back here. So the window needs no register on entry but the guest's s0..s11
	 * (uscratch is the context), and the check below always follows the last post before
	 * the HURET.
	 */
	.globl dvhw_window_start, dvhw_window_end
dvhw_window_start:
	HOST_IRQS_CHECK
2:	GUEST_CALLER ld
	ld	t6, (31 * 8)(t5)
	ld	t5, (30 * 8)(t5)
	.word	INSN_HURET
	/*
	 * The wait, in the window too: a host interrupt taken from the check to the WFI's end
	 * comes back to dvhw_window_start, which sees its post. Only HS could wait before
	 * (DV_SYS_VCPU_REQ); a U-mode WFI needs no minikernel entry.
	 */
dvhw_window_wait:
	HOST_IRQS_CHECK
	wfi
dvhw_window_end:
	j	2b
	/* The guest's s0..s11 are live here, after a fast exit not yet in the exit page. */
1:	GUEST_S sd
	ld	sp, CTX_RT_SP(t6)
	DV_FRAME_POP
	li	a0, 1
	ret

/*
 * utvec (direct mode: interrupts come here too). The guest's registers go to the exit page,
 * but for an SBI call or a guest-page fault its s0..s11, which the runtime's C keeps as any
 * callee does: dvhw_fast_sbi or dvhw_fast_mmio may serve the exit and resume the guest (1:
 * those registers still live); else (0), and for every other exit, they are stored too and
 * dvhw_enter returns 0. uscratch is the vCPU's context again at the end.
 */
	.balign 4
	.globl dvhw_utvec
dvhw_utvec:
	csrrw	t6, DVEXT_USCRATCH, t6
	sd	t5, CTX_T5(t6)
	ld	t5, CTX_EXIT(t6)
	GUEST_CALLER sd
	ld	t4, CTX_T5(t6)
	sd	t4, (30 * 8)(t5)
	csrrw	t4, DVEXT_USCRATCH, t6
	sd	t4, (31 * 8)(t5)
	ld	sp, CTX_RT_SP(t6)
	ld	gp, DV_FRAME_GP(sp)
	ld	tp, DV_FRAME_TP(sp)
	mv	a0, t6
	csrr	a1, DVEXT_UCAUSE
	li	t3, EXC_ECALL_VS
	beq	a1, t3, 1f
	andi	t3, a1, ~2			/* a load or a store/AMO guest-page fault */
	addi	t3, t3, -EXC_LOAD_GUEST_PAGE_FAULT
	bnez	t3, 3f
	call	dvhw_fast_mmio
	j	2f
1:	call	dvhw_fast_sbi
2:	bnez	a0, dvhw_window_start
	csrr	t6, DVEXT_USCRATCH
	ld	t5, CTX_EXIT(t6)
3:	GUEST_S sd
	DV_FRAME_POP
	li	a0, 0
	ret
