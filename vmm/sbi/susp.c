// SPDX-License-Identifier: BSD-2-Clause
/* SBI System Suspend extension: the VM sleeps in RAM until one of its interrupts. */
#include <stdio.h>

#include "sbi.h"

#define SBI_EXT_SUSP 0x53555350

#define SUSP_SYSTEM_SUSPEND 0

#define SLEEP_TYPE_SUSPEND_TO_RAM 0

/*
 * With the others stopped, the calling vCPU is the whole VM: suspending the system is
 * suspending it, waking only for an interrupt it enabled (vmm/vcpu.c). No one else is
 * left to start a vCPU meanwhile. Reserved and platform-specific types (we implement
 * none) are INVALID_PARAM; the order of the checks is KVM's.
 */
static long susp_system_suspend(struct vcpu *v, uint32_t sleep_type, unsigned long resume_addr,
				unsigned long opaque)
{
	long err;

	if (sleep_type != SLEEP_TYPE_SUSPEND_TO_RAM)
		return SBI_ERR_INVALID_PARAM;
	/* SBI v2.0 ch. 13: suspend to RAM needs every other hart STOPPED */
	if (vm_others_alive(v->vm, v))
		return SBI_ERR_DENIED;
	err = sbi_suspend(v, SUSPEND_SYSTEM, resume_addr, opaque);
	/* A guest can suspend in a loop: counted against its warnings. */
	if (!err && vm_warn_ok(v->vm))
		printf("vm%u: suspended to RAM by vcpu%u (SBI SUSP)\n", v->vm->id, v->id);
	return err;
}

static struct sbi_ret susp_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	const uint64_t *a = &v->exit->gpr[10];
	struct sbi_ret ret = { SBI_SUCCESS, 0 };

	(void)eid;
	/* a 32-bit parameter: the spec has us use only the low 32 bits of the register */
	if (fid == SUSP_SYSTEM_SUSPEND)
		ret.error = susp_system_suspend(v, (uint32_t)a[0], a[1], a[2]);
	else
		ret.error = SBI_ERR_NOT_SUPPORTED;
	return ret;
}

static const struct sbi_ext sbi_susp = {
	.name = "susp",
	.eid_lo = SBI_EXT_SUSP,
	.eid_hi = SBI_EXT_SUSP,
	.may_stop = 1,
	.handle = susp_handle,
};
SBI_EXTENSION(sbi_susp);
