// SPDX-License-Identifier: BSD-2-Clause
/* Minikernel entry from OpenSBI fw_jump: a0 = hart id, a1 = host FDT. */
#include "mk.h"

	.section .text.head, "ax"
	.globl _start
_start:
	/*
	 * OpenSBI 1.1 publishes a hart's START_PENDING before its start address, so a hart
	 * can arrive here, at fw_jump's default address, instead of mk_secondary_entry. Only
	 * the first hart boots; a later one is sent on to its secondary entry, whose start
	 * parameters were written before it was started.
	 */
	la	t0, mk_boot_claimed
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, .Llate_secondary
	csrw	sie, zero
	csrw	sscratch, zero
	la	t0, mk_trap_entry
	csrw	stvec, t0
	la	sp, mk_boot_stack + MK_STACK_SIZE
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	mk_main
3:	wfi
	j	3b

.Llate_secondary:
	li	t0, MK_MAX_HARTS
	bgeu	a0, t0, 3b
	la	a1, mk_harts
	li	t0, MK_HART_SIZE
	mul	t0, t0, a0
	add	a1, a1, t0
	j	mk_secondary_entry

/* A hart the minikernel started for a vCPU (SBI HSM): a0 = hart id, a1 = its struct mk_hart. */
	.globl mk_secondary_entry
mk_secondary_entry:
	csrw	sie, zero
	csrw	sscratch, zero
	la	t0, mk_trap_entry
	csrw	stvec, t0
	ld	sp, MK_HART_KSTACK(a1)
	mv	a0, a1
	call	mk_secondary_main
4:	wfi
	j	4b

/*
 * Whether the hart has a CSR, asked of the hart rather than of the FDT: the CSR is read
 * with a trap vector of its own in place, since without it the read is an illegal
 * instruction. Interrupts are off (sie = 0) at boot. Returns a0 = 1 or 0.
 * DV-Ext: hugatp (0x880). Sstc: stimecmp (0x14d), which also traps while the firmware
 * leaves menvcfg.STCE clear, whatever riscv,isa says.
 */
	.macro	PROBE_CSR name, csr
	.globl	\name
\name:
	csrr	t0, stvec
	la	t1, 5f
	csrw	stvec, t1
	li	a0, 0
	csrr	t2, \csr
	li	a0, 1
	.balign 4
5:	csrw	stvec, t0
	ret
	.endm
	PROBE_CSR mk_probe_dvext, 0x880
	PROBE_CSR mk_probe_sstc, 0x14d

	.section .data
	.balign 4
mk_boot_claimed:
	.word	0

	.section .bss
	.balign 16
mk_boot_stack:
	.space MK_STACK_SIZE
