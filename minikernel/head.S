// SPDX-License-Identifier: BSD-2-Clause
/* Minikernel entry from OpenSBI fw_jump: a0 = hart id, a1 = host FDT. */
#include "mk.h"

	.section .text.head, "ax"
	.globl _start
_start:
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

	.section .bss
	.balign 16
mk_boot_stack:
	.space MK_STACK_SIZE
