// SPDX-License-Identifier: BSD-2-Clause
/* dv-sw in assembly: the vCPU run stub, and the guest-memory accessors the fixup window covers. */
#include "dv_abi.h"

/*
 * long dv_vcpu_run(unsigned id). The minikernel's fast path keeps only sp and the return
 * pc and comes back with the guest's values in every other register, so the callee-saved
 * ones (and gp, tp) are kept here, as the calling convention asks of any callee.
 */
	.section .text.dv_vcpu_run, "ax"
	.globl dv_vcpu_run
dv_vcpu_run:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	tp, 16(sp)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, (24 + \n * 8)(sp)
	.endr
	li	a7, DV_SYS_VCPU_RUN
	ecall
	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	tp, 16(sp)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, (24 + \n * 8)(sp)
	.endr
	addi	sp, sp, 128
	ret

	.option push
	.option arch, +h
	.section .text.dv_fixup, "ax"
	.globl dv_fixup_start, dv_fixup_end, dv_guest_fetch16, dv_guest_load64
dv_fixup_start:
/* long dv_guest_fetch16(uint64_t gva, uint16_t *val): a fault returns -DV_EFAULT to ra */
dv_guest_fetch16:
	hlvx.hu	t0, (a0)
	sh	t0, 0(a1)
	li	a0, 0
	ret
/* long dv_guest_load64(uint64_t gva, uint64_t *val) */
dv_guest_load64:
	hlv.d	t0, (a0)
	sd	t0, 0(a1)
	li	a0, 0
	ret
dv_fixup_end:
	.option pop
