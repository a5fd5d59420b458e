// SPDX-License-Identifier: BSD-2-Clause
/* The SBI call dispatcher, the extension registry, and hart-mask handling for the extensions. */
#include <stdbool.h>
#include <stdio.h>

#include "hartmask.h"
#include "sbi.h"

/* Bounds of the SBI_EXTENSION() pointers, provided by the linker for the C-named section. */
extern const struct sbi_ext *const __start_sbi_exts[];
extern const struct sbi_ext *const __stop_sbi_exts[];

#define ECALL_LEN 4

const struct sbi_ext *sbi_find(unsigned long eid)
{
	const struct sbi_ext *const *p;

	for (p = __start_sbi_exts; p < __stop_sbi_exts; p++)
		if (eid >= (*p)->eid_lo && eid <= (*p)->eid_hi)
			return *p;
	return NULL;
}

void sbi_dispatch(struct vcpu *v)
{
	struct dv_exit *ex = v->exit;
	unsigned long eid = ex->gpr[17], fid = ex->gpr[16];
	const struct sbi_ext *ext = sbi_find(eid);
	struct sbi_ret ret = { SBI_ERR_NOT_SUPPORTED, 0 };

	if (ext)
		ret = ext->handle(v, eid, fid);
	if (ret.error == SBI_ERR_NOT_SUPPORTED && vm_warn_ok(v->vm))
		printf("vm%u: vcpu%u: unsupported SBI call eid 0x%lx fid %lu\n", v->vm->id, v->id,
		       eid, fid);
	ex->gpr[10] = ret.error;
	if (!ext || !ext->legacy)
		ex->gpr[11] = ret.value;
	ex->pc += ECALL_LEN;
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
	unsigned long ok = interruptible_vcpus(vm);

	*targets = 0;
	if (base == -1UL) {
		*targets = ok;
		return SBI_SUCCESS;
	}
	/* nr_vcpus - base is at most DV_MAX_VCPUS, so neither shift loses a bit */
	if (base >= vm->nr_vcpus || mask >> (vm->nr_vcpus - base))
		return SBI_ERR_INVALID_PARAM;
	if ((mask << base) & ~ok)
		return SBI_ERR_INVALID_PARAM;
	*targets = mask << base;
	return SBI_SUCCESS;
}

void sbi_raise_each(struct vm *vm, unsigned long targets, uint64_t hvip_bits)
{
	unsigned i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (targets & (1UL << i))
			vcpu_irq_raise(&vm->vcpu[i], hvip_bits);
}

void sbi_request_each(struct vm *vm, unsigned long targets, uint64_t req)
{
	unsigned i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (targets & (1UL << i))
			vcpu_request(&vm->vcpu[i], req);
}
