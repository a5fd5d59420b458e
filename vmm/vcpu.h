/* SPDX-License-Identifier: BSD-2-Clause */
/* Running a vCPU and resetting it to the boot state. */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include "vm.h"

/* The Linux boot state: pc, a0 = hart id, a1 = DTB, VS-mode, no interrupts, MMU off. */
void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1);

/* Runs v until its VM stops. */
void vcpu_run(struct vcpu *v);

#endif
