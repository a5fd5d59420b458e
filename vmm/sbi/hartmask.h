/* SPDX-License-Identifier: BSD-2-Clause */
/* SBI hart masks: which vCPUs an IPI or remote fence names, shared by the extensions. */
#ifndef VMM_SBI_HARTMASK_H
#define VMM_SBI_HARTMASK_H

#include <stdint.h>

#include "vm.h"

/*
 * The vCPUs named by (hart_mask, hart_mask_base) as a bitmap of vCPU ids in *targets;
 * base -1UL names every vCPU that can take an interrupt. SBI_SUCCESS, or
 * SBI_ERR_INVALID_PARAM (and no targets) when the base or any named hart is not one.
 */
long sbi_hart_mask(const struct vm *vm, unsigned long mask, unsigned long base,
		   unsigned long *targets);

#endif
