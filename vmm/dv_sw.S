// SPDX-License-Identifier: BSD-2-Clause
/* Guest-memory accessors (HLVX/HLV with hstatus.HU): the only code the fault fixup window covers. */
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
