// SPDX-License-Identifier: BSD-2-Clause
/*
 * Trap entry and return. The two transitions of every VM exit run here without C:
 * guest trap -> exit page -> runtime, and DV_SYS_VCPU_RUN -> guest. The DMA gate's calls
 * go to C without saving the runtime's GPRs; everything else (the other syscalls, faults,
 * interrupts) saves them all and goes to mk_trap.
 */
#include "mk.h"

#define SIE_HOST ((1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER) | (1 << IRQ_S_EXT))
#define HVIP_MASK (DV_HVIP_VSSIP | DV_HVIP_VSTIP | DV_HVIP_VSEIP)

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

/* Back to the trapped context, its GPRs at t6, this hart's struct \h in sscratch again. */
.macro RETURN h
	csrw	sscratch, \h
	LOAD_GPRS t6
	ld	t6, (31 * 8)(t6)
	sret
.endm

/* Stores x1..x31 at \base, given t6 = hart (original t6 in sscratch, t5 in hart->t5). */
.macro SAVE_ALL base
	SAVE_GPRS \base
	ld	t4, MK_HART_T5(t6)
	sd	t4, (30 * 8)(\base)
	csrr	t4, sscratch
	sd	t4, (31 * 8)(\base)
.endm

/* One more minikernel entry of kind \slot (MK_COUNT_*) on hart \h; \tmp is clobbered. */
.macro COUNT h, slot, tmp
	ld	\tmp, (MK_HART_COUNT + (\slot) * 8)(\h)
	addi	\tmp, \tmp, 1
	sd	\tmp, (MK_HART_COUNT + (\slot) * 8)(\h)
.endm

/* The same for kind \slot + (\code & \mask); \idx and \tmp are clobbered. */
.macro COUNT_CODE h, slot, code, mask, idx, tmp
	andi	\idx, \code, \mask
	slli	\idx, \idx, 3
	add	\idx, \idx, \h
	COUNT	\idx, \slot, \tmp
.endm

	.section .text
	.balign 4
	.globl mk_trap_entry
mk_trap_entry:
	/* sscratch holds this hart's struct mk_hart while a guest or the runtime runs, 0 in here. */
	csrrw	t6, sscratch, t6
	beqz	t6, .Lfrom_minikernel
	sd	t5, MK_HART_T5(t6)
	ld	t5, MK_HART_IN_GUEST(t6)
	bnez	t5, .Lguest_exit
	csrr	t5, scause
	addi	t5, t5, -EXC_ECALL_U
	bnez	t5, .Lslow
	bnez	a7, .Lsyscall			/* DV_SYS_VCPU_RUN is 0 */
	ld	t5, MK_HART_VCPU_ID(t6)
	bne	a0, t5, .Lslow			/* a vCPU of another hart: the C path refuses it */

	/*
	 * DV_SYS_VCPU_RUN: the runtime's stub keeps its own callee-saved registers, so only its
	 * sp and return pc are kept here. All GPRs are free until the guest's are loaded.
	 */
	sd	sp, MK_HART_RT_SP(t6)
	COUNT	t6, MK_COUNT_SYSCALL, t5
	/* Host interrupts masked while the runtime ran must wake a WFI request, so first. */
	li	t5, SIE_HOST
	csrs	sie, t5
	csrr	t5, sepc
	addi	t5, t5, 4
	sd	t5, MK_HART_RT_PC(t6)
	mv	s0, t6
	ld	s1, MK_HART_EXIT(s0)
	ld	a0, DV_EXIT_REQ(s1)
	beqz	a0, 1f
	csrw	sscratch, zero
	ld	sp, MK_HART_KSTACK(s0)
	mv	a0, s0
	mv	a1, s1
	call	dvsw_apply_requests
1:	ld	a0, DV_EXIT_HVIP(s1)
	li	a1, HVIP_MASK
	and	a0, a0, a1
	csrw	hvip, a0
	ld	a0, DV_EXIT_PC(s1)
	csrw	sepc, a0
	ld	a0, DV_EXIT_PRIV(s1)
	andi	a0, a0, 1
	slli	a0, a0, 8			/* sstatus.SPP: the guest's privilege */
	csrs	sstatus, a0			/* over 0: the ecall came from U-mode */
	li	a1, HSTATUS_SPV
	csrs	hstatus, a1
	/* A host interrupt pending now (sie is SIE_HOST) would trap at the guest's first insn. */
	csrr	a0, sip
	andi	a0, a0, SIE_HOST
	bnez	a0, .Lpending_irq
.Lenter_guest:
	li	a1, 1
	sd	a1, MK_HART_IN_GUEST(s0)
	mv	t6, s1
	RETURN	s0

	/* Global only so that tools can find it: the QEMU plugin counts VM exits here. */
	.globl mk_guest_exit
.Lguest_exit:
mk_guest_exit:
	/*
	 * A kick that posted only VSSIP/VSTIP (an IPI to this vCPU) is answered here, with
	 * three registers, without an exit: scause = interrupt | IRQ_S_SOFT, shifted left, is 2.
	 */
	csrr	t5, scause
	bgez	t5, .Lexit
	slli	t5, t5, 1
	addi	t5, t5, -(IRQ_S_SOFT << 1)
	bnez	t5, .Lexit
	sd	t4, MK_HART_T4(t6)
	csrci	sip, 1 << IRQ_S_SOFT
	ld	t5, MK_HART_POSTED(t6)
	amoswap.d.aq t4, zero, (t5)
	andi	t5, t4, ~(DV_HVIP_VSSIP | DV_HVIP_VSTIP)
	bnez	t5, .Lkick_exit
	ld	t5, MK_HART_STOP(t6)		/* its VM is ending: dvsw_host_irq parks it */
	bnez	t5, .Lkick_exit
	csrs	hvip, t4
	COUNT	t6, MK_COUNT_IRQ + IRQ_S_SOFT, t4
	ld	t4, MK_HART_T4(t6)
	ld	t5, MK_HART_T5(t6)
	csrrw	t6, sscratch, t6
	sret
.Lkick_exit:
	/* More than interrupts was posted: put it all back for dvsw_host_irq. */
	ld	t5, MK_HART_POSTED(t6)
	amoor.d	zero, t4, (t5)
	ld	t4, MK_HART_T4(t6)
.Lexit:
	/* The guest's registers go straight into the exit page, then its exit CSRs. */
	ld	t5, MK_HART_EXIT(t6)
	SAVE_ALL t5
	csrr	a0, scause
	sd	a0, DV_EXIT_CAUSE(t5)
	csrr	a1, sepc
	sd	a1, DV_EXIT_PC(t5)
	csrr	a1, stval
	sd	a1, DV_EXIT_TVAL(t5)
	csrr	a1, htval
	sd	a1, DV_EXIT_HTVAL(t5)
	csrr	a1, htinst
	sd	a1, DV_EXIT_HTINST(t5)
	csrr	a1, sstatus
	srli	a1, a1, 8
	andi	a1, a1, 1
	sd	a1, DV_EXIT_PRIV(t5)
	/* The guest clears VSSIP itself through sip: the runtime must see that. */
	csrr	a1, hvip
	sd	a1, DV_EXIT_HVIP(t5)
	mv	s0, t6
	bgez	a0, .Lguest_exc
	COUNT_CODE s0, MK_COUNT_IRQ, a0, 15, a1, a2
	csrw	sscratch, zero
	ld	sp, MK_HART_KSTACK(s0)
	mv	a1, a0
	mv	a0, s0
	mv	a2, t5
	call	dvsw_host_irq
	/* Nothing for the runtime (a kick that only carried posts): straight back to the guest. */
	bnez	a0, .Lto_runtime
	ld	t6, MK_HART_EXIT(s0)
	RETURN	s0
.Lguest_exc:
	COUNT_CODE s0, MK_COUNT_GUEST, a0, 31, a1, a2
.Lto_runtime:
	/*
	 * Back to the runtime's stub, just after its ecall, with a0 = 0. Host interrupts wait
	 * until the guest is entered again, masked: taken in the runtime they would only be
	 * masked there (runtime_irq), at the cost of a trap.
	 */
	csrw	sie, zero
	sd	zero, MK_HART_IN_GUEST(s0)
	ld	a0, MK_HART_RT_PC(s0)
	csrw	sepc, a0
	li	a0, SSTATUS_SPP
	csrc	sstatus, a0
	li	a0, HSTATUS_SPV
	csrc	hstatus, a0
	ld	sp, MK_HART_RT_SP(s0)
	csrw	sscratch, s0
	li	a0, 0
	li	s0, 0
	li	t6, 0
	sret

	/*
	 * The exit that interrupt would have caused, taken without entering the guest: its
	 * registers are still in the exit page. Interrupts go first as the hart orders them.
	 */
.Lpending_irq:
	li	a1, IRQ_S_EXT
	andi	a2, a0, 1 << IRQ_S_EXT
	bnez	a2, 3f
	li	a1, IRQ_S_SOFT
	andi	a2, a0, 1 << IRQ_S_SOFT
	bnez	a2, 3f
	li	a1, IRQ_S_TIMER
3:	li	a0, 1
	slli	a0, a0, 63			/* CAUSE_IRQ */
	or	a1, a1, a0
	sd	a1, DV_EXIT_CAUSE(s1)
	sd	zero, DV_EXIT_TVAL(s1)
	sd	zero, DV_EXIT_HTVAL(s1)
	sd	zero, DV_EXIT_HTINST(s1)
	csrr	a0, hvip
	sd	a0, DV_EXIT_HVIP(s1)
	csrw	sscratch, zero
	ld	sp, MK_HART_KSTACK(s0)
	mv	a0, s0
	mv	a2, s1
	call	dvsw_host_irq
	beqz	a0, .Lenter_guest
	j	.Lto_runtime

	/*
	 * The DMA gate's two calls, made for every I/O request, go to C without the frame: C
	 * keeps the callee-saved registers, and the ABI lets a syscall clobber the caller-saved
	 * ones, which are zeroed so that nothing of the minikernel's reaches the runtime.
	 */
.Lsyscall:
	addi	t5, a7, -DV_SYS_HQ_SUBMIT
	sltiu	t5, t5, 2			/* DV_SYS_HQ_REAP follows */
	beqz	t5, .Lslow
	sd	sp, (MK_HART_RT_FRAME + 2 * 8)(t6)
	COUNT	t6, MK_COUNT_SYSCALL, t5
	csrw	sscratch, zero
	ld	sp, MK_HART_KSTACK(t6)
	addi	sp, sp, -16
	sd	t6, 0(sp)
	mv	a4, a2
	mv	a3, a1
	mv	a2, a0
	mv	a1, a7
	mv	a0, t6
	call	mk_dma_syscall
	ld	t6, 0(sp)
	ld	sp, (MK_HART_RT_FRAME + 2 * 8)(t6)
	csrw	sscratch, t6
	csrr	t5, sepc
	addi	t5, t5, 4
	csrw	sepc, t5
	.irp r, ra, t0, t1, t2, t3, t4, t5, t6, a2, a3, a4, a5, a6, a7
	li	\r, 0
	.endr
	sret

.Lslow:
	addi	t5, t6, MK_HART_RT_FRAME
	SAVE_ALL t5
	csrw	sscratch, zero
	mv	a0, t6
	ld	sp, MK_HART_KSTACK(t6)
	call	mk_trap
	/* fall through: a0 = hart */

	.globl mk_trap_return
mk_trap_return:
	addi	t6, a0, MK_HART_RT_FRAME
	RETURN	a0

.Lfrom_minikernel:
	/* The minikernel itself never traps by design: report and stop. */
	csrrw	t6, sscratch, t6
	call	mk_panic_trap
1:	wfi
	j	1b
