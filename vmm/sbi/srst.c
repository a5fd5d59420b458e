// SPDX-License-Identifier: BSD-2-Clause
/* SBI System Reset extension: the guest shuts the VM down or reboots it. */
#include "sbi.h"

#define SBI_EXT_SRST 0x53525354

#define SRST_SYSTEM_RESET 0

#define RESET_TYPE_SHUTDOWN    0
#define RESET_TYPE_COLD_REBOOT 1
#define RESET_TYPE_WARM_REBOOT 2

#define RESET_REASON_NONE           0
#define RESET_REASON_SYSTEM_FAILURE 1

/*
 * Vendor, platform and implementation specific types and reasons: we define none, and the
 * spec answers unimplemented ones with INVALID_PARAM like reserved ones.
 */
static long srst_system_reset(struct vm *vm, uint32_t type, uint32_t reason)
{
	if (reason != RESET_REASON_NONE && reason != RESET_REASON_SYSTEM_FAILURE)
		return SBI_ERR_INVALID_PARAM;
	switch (type) {
	case RESET_TYPE_SHUTDOWN:
		vm_stop(vm, VM_POWEROFF, "guest SBI system reset: shutdown");
		return SBI_SUCCESS;
	case RESET_TYPE_COLD_REBOOT:
		vm_stop(vm, VM_REBOOT, "guest SBI system reset: cold reboot");
		return SBI_SUCCESS;
	case RESET_TYPE_WARM_REBOOT:
		vm_stop(vm, VM_REBOOT, "guest SBI system reset: warm reboot");
		return SBI_SUCCESS;
	default:
		return SBI_ERR_INVALID_PARAM;
	}
}

static struct sbi_ret srst_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };

	(void)eid;
	/* 32-bit parameters: the spec has us use only the low 32 bits of the registers */
	if (fid == SRST_SYSTEM_RESET)
		ret.error = srst_system_reset(v->vm, (uint32_t)v->exit->gpr[10],
					      (uint32_t)v->exit->gpr[11]);
	else
		ret.error = SBI_ERR_NOT_SUPPORTED;
	return ret;
}

static const struct sbi_ext sbi_srst = {
	.name = "srst",
	.eid_lo = SBI_EXT_SRST,
	.eid_hi = SBI_EXT_SRST,
	.may_stop = 1,
	.handle = srst_handle,
};
SBI_EXTENSION(sbi_srst);
