// SPDX-License-Identifier: BSD-2-Clause
/* dv-sw in assembly: the vCPU run stub, and the guest-memory accessors the fixup window covers. */
#include "dv_abi.h"
#include "dv_frame.h"

/*
 * long dvsw_vcpu_run(unsigned id). The minikernel's fast path keeps only sp and the return
 * pc and comes back with the guest's values in every other register, so the callee-saved
 * ones (and gp, tp) are kept here, as the calling convention asks of any callee.
 */
	.section .text.dvsw_vcpu_run, "ax"
	.globl dvsw_vcpu_run
dvsw_vcpu_run:
	DV_FRAME_PUSH
	li	a7, DV_SYS_VCPU_RUN
	ecall
	DV_FRAME_POP
	ret

	.option push
	.option arch, +h
	.section .text.dv_fixup, "ax"
	.globl dv_fixup_start, dv_fixup_end, dv_hlvx_fetch_insn, dv_hlv_load64
dv_fixup_start:
/*
 * long dv_hlvx_fetch_insn(uint64_t gva, uint32_t *insn): a fault returns -DV_EFAULT to ra.
 * At a 4-byte aligned pc one 32-bit fetch cannot cross a page; else the halves come apart,
 * the second only for a 32-bit instruction, so a compressed one at a page's end is fine.
 */
dv_hlvx_fetch_insn:
	andi	t1, a0, 3
	bnez	t1, 1f
	hlvx.wu	t0, (a0)
	j	2f
1:	hlvx.hu	t0, (a0)
	andi	t1, t0, 3
	li	t2, 3
	bne	t1, t2, 2f
	addi	a0, a0, 2
	hlvx.hu	t1, (a0)
	slli	t1, t1, 16
	or	t0, t0, t1
2:	sw	t0, 0(a1)
	li	a0, 0
	ret
/* long dv_hlv_load64(uint64_t gva, uint64_t *val) */
dv_hlv_load64:
	hlv.d	t0, (a0)
	sd	t0, 0(a1)
	li	a0, 0
	ret
dv_fixup_end:
	.option pop
