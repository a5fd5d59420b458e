// SPDX-License-Identifier: BSD-2-Clause
/* Runtime entry in U-mode: a0 = the boot info page. The minikernel handed over zeroed bss. */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	sp, __stack
	call	rt_main
	call	dv_exit
