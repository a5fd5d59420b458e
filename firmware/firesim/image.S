/* SPDX-License-Identifier: BSD-2-Clause */
/* The whole firmware image (DV_IMAGE_FILE, build/duvisor.bin) as the one section of an ELF. */

	.section .image, "awx"
	.globl _start
_start:
	.incbin DV_IMAGE_FILE
