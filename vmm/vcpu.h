/* SPDX-License-Identifier: BSD-2-Clause */
/* Running a vCPU and resetting it to the boot state. */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include "board.h"
#include "mmio_emul.h"
#include "vm.h"

/*
 * The thread of vCPU v, on the hart it is pinned to: starts the vCPU at v->start_pc with
 * a0 = its id and a1 = v->start_arg (the SBI HSM / Linux boot state), runs it, and parks the
 * hart when the vCPU stops. The thread that finds the VM ended calls `finish` once all other
 * vCPUs have stopped; `finish` returns true when v is to run again (a reboot restarting it).
 */
__attribute__((noreturn)) void vcpu_thread(struct vcpu *v, bool (*finish)(struct vcpu *self));

/* What an MMIO exit came to: nothing more to do, or an access fault injected into the guest. */
void vcpu_mmio_result(struct vcpu *v, enum mmio_result r);

/* The cause (with CAUSE_IRQ) of an exit the backend served itself: only the loop's turn is due. */
#define VCPU_IRQ_SERVED 63

/*
 * dv-hw's fast exits serve an exit and resume the guest at once, without vcpu_thread's turn
 * between exits. That is allowed for a guest entered while vcpu_runs_inline held (what would
 * change it meanwhile, the VM's end or a post, comes with a kick, which dv-hw makes an exit)
 * and while the board holds no console input (*vcpu_input_held: any vCPU's thread may hold
 * it, and each turn retries it).
 */
static inline bool vcpu_runs_inline(const struct vcpu *v)
{
	return __atomic_load_n(&v->state, __ATOMIC_RELAXED) == VCPU_STARTED && !v->polls;
}

static inline const bool *vcpu_input_held(const struct vcpu *v)
{
	return &v->vm->board->host_irq_held;
}

#endif
