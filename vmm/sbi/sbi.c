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

/*
 * The error the guest gets, and the warning for an unknown call. Out of line and taken on
 * errors only: the hot path of sbi_dispatch has one branch for them and stays free of
 * printf's register pressure.
 */
__attribute__((noinline, cold)) static long sbi_error(struct vcpu *v, long error)
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
	unsigned long eid = v->exit->gpr[17];
	const struct sbi_ext *ext = v->sbi_last;
	struct sbi_ret ret = { SBI_ERR_NOT_SUPPORTED, 0 };
	struct dv_exit *ex;

	/* A guest mostly repeats its last call (set_timer, send_ipi): skip the search then. */
	if (!ext || eid < ext->eid_lo || eid > ext->eid_hi) {
		ext = sbi_find(eid);
		if (ext)
			v->sbi_last = ext;
	}
	if (ext)
		ret = ext->handle(v, eid, v->exit->gpr[16]);
	/* The handlers leave a6 and a7 alone, so the report can read them. */
	if (ret.error < 0)
		ret.error = sbi_error(v, ret.error);
	ex = v->exit;
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
