/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Assembly macros of both backends' guest-entry stubs: the registers a callee must keep
 * (ra, gp, tp, s0..s11) pushed on and popped from the runtime's stack around a guest run,
 * since the guest's values come back in all of them.
 */
#ifndef VMM_DV_FRAME_H
#define VMM_DV_FRAME_H

#define DV_FRAME_SIZE 128
#define DV_FRAME_GP   8
#define DV_FRAME_TP   16

.macro DV_FRAME_PUSH
	addi	sp, sp, -DV_FRAME_SIZE
	sd	ra, 0(sp)
	sd	gp, DV_FRAME_GP(sp)
	sd	tp, DV_FRAME_TP(sp)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, (24 + \n * 8)(sp)
	.endr
.endm

.macro DV_FRAME_POP
	ld	ra, 0(sp)
	ld	gp, DV_FRAME_GP(sp)
	ld	tp, DV_FRAME_TP(sp)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, (24 + \n * 8)(sp)
	.endr
	addi	sp, sp, DV_FRAME_SIZE
.endm

#endif
