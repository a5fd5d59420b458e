// SPDX-License-Identifier: BSD-2-Clause
/* The SBI call dispatcher, the extension registry, and hart-mask handling for the extensions. */
#include <stdbool.h>
#include <stdio.h>

#include "hartmask.h"
#include "sbi.h"

/* Bounds of the SBI_EXTENSION() pointers, provided by the linker for the C-named section. */
extern const struct sbi_ext *const __start_sbi_exts[];
extern const struct sbi_ext *const __stop_sbi_exts[];

const struct sbi_ext *sbi_find(unsigned long eid)
{
	const struct sbi_ext *const *p;

	for (p = __start_sbi_exts; p < __stop_sbi_exts; p++)
		if (eid >= (*p)->eid_lo && eid <= (*p)->eid_hi)
			return *p;
	return NULL;
}

__attribute__((noinline, cold)) long sbi_error(struct vcpu *v, long error)
{
	if (error == SBI_ERR_NOT_SUPPORTED_ANSWER)
		return SBI_ERR_NOT_SUPPORTED;
	if (error == SBI_ERR_NOT_SUPPORTED && vm_warn_ok(v->vm))
		printf("vm%u: vcpu%u: unsupported SBI call eid 0x%llx fid %llu\n", v->vm->id, v->id,
		       (unsigned long long)v->exit->gpr[17], (unsigned long long)v->exit->gpr[16]);
	return error;
}

void sbi_dispatch(struct vcpu *v)
{
	sbi_serve(v, sbi_ext_of(v, v->exit->gpr[17]));
}

/* A suspended vCPU counts: an interrupt is what wakes it. */
static bool vcpu_interruptible(const struct vcpu *v)
{
	int state = vcpu_state(v);

	return state == VCPU_STARTED || state == VCPU_SUSPENDED;
}

static unsigned long interruptible_vcpus(const struct vm *vm)
{
	unsigned long all = 0;
	unsigned i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (vcpu_interruptible(&vm->vcpu[i]))
			all |= 1UL << i;
	return all;
}

long sbi_hart_mask(const struct vm *vm, unsigned long mask, unsigned long base,
		   unsigned long *targets)
{
	unsigned long named;
	unsigned i;

	*targets = 0;
	if (base == -1UL) {
		*targets = interruptible_vcpus(vm);
		return SBI_SUCCESS;
	}
	/* nr_vcpus - base is at most DV_MAX_VCPUS, so neither shift loses a bit */
	if (base >= vm->nr_vcpus || mask >> (vm->nr_vcpus - base))
		return SBI_ERR_INVALID_PARAM;
	named = mask << base;
	for (i = 0; named >> i; i++)
		if ((named >> i & 1) && !vcpu_interruptible(&vm->vcpu[i]))
			return SBI_ERR_INVALID_PARAM;
	*targets = named;
	return SBI_SUCCESS;
}
