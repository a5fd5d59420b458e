/* SPDX-License-Identifier: BSD-2-Clause */
/* Running a vCPU and resetting it to the boot state. */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include "vm.h"

/*
 * The thread of vCPU v, on the hart it is pinned to: starts the vCPU at v->start_pc with
 * a0 = its id and a1 = v->start_arg (the SBI HSM / Linux boot state), runs it, and parks the
 * hart when the vCPU stops. The thread that finds the VM ended calls `finish` once all other
 * vCPUs have stopped; `finish` returns true when v is to run again (a reboot restarting it).
 */
__attribute__((noreturn)) void vcpu_thread(struct vcpu *v, bool (*finish)(struct vcpu *self));

#endif
