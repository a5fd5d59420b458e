// SPDX-License-Identifier: BSD-2-Clause
/* SBI v0.1 legacy extensions (EIDs 0x00..0x08): one EID per call, the result in a0 alone. */
#include "console.h"
#include "dv.h"
#include "hartmask.h"
#include "sbi.h"

#define LEGACY_SET_TIMER              0x00
#define LEGACY_CONSOLE_PUTCHAR        0x01
#define LEGACY_CONSOLE_GETCHAR        0x02
#define LEGACY_CLEAR_IPI              0x03
#define LEGACY_SEND_IPI               0x04
#define LEGACY_REMOTE_FENCE_I         0x05
#define LEGACY_REMOTE_SFENCE_VMA      0x06
#define LEGACY_REMOTE_SFENCE_VMA_ASID 0x07
#define LEGACY_SHUTDOWN               0x08

/*
 * Legacy hart masks are guest-virtual pointers to a bit vector; its first word covers every
 * vCPU we can have. NULL stands for all harts.
 */
static long legacy_targets(struct vcpu *v, unsigned long mask_gva, unsigned long *targets)
{
	uint64_t mask;

	if (!mask_gva)
		return sbi_hart_mask(v->vm, 0, -1UL, targets);
	if (dv_guest_load64(mask_gva, &mask)) {
		*targets = 0;
		return SBI_ERR_INVALID_ADDRESS;
	}
	return sbi_hart_mask(v->vm, mask, 0, targets);
}

/* Returns 1 when an IPI had been pending: the spec asks for a positive value then. */
static long legacy_clear_ipi(struct vcpu *v)
{
	long pending = (v->exit->hvip & DV_HVIP_VSSIP) != 0;

	vcpu_irq_clear(v, DV_HVIP_VSSIP);
	return pending;
}

static long legacy_send_ipi(struct vcpu *v, unsigned long mask_gva)
{
	unsigned long targets;
	long err = legacy_targets(v, mask_gva, &targets);

	vm_raise_irqs(v->vm, targets, DV_HVIP_VSSIP);
	pmu_fw_sent(v, targets, PMU_FW_IPI_SENT);
	return err;
}

/* A full flush stands in for any range and ASID. */
static long legacy_fence(struct vcpu *v, unsigned long mask_gva, uint64_t req,
			 enum pmu_fw_event sent)
{
	unsigned long targets;
	long err = legacy_targets(v, mask_gva, &targets);

	vm_request(v->vm, targets, req);
	pmu_fw_sent(v, targets, sent);
	return err;
}

static struct sbi_ret legacy_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };
	const uint64_t *a = &v->exit->gpr[10];

	(void)fid;
	switch (eid) {
	case LEGACY_SET_TIMER:
		vcpu_set_timer(v, a[0]);
		pmu_fw_count(&v->pmu, PMU_FW_SET_TIMER, 1);
		break;
	case LEGACY_CONSOLE_PUTCHAR:
		console_putc(a[0]);
		break;
	case LEGACY_CONSOLE_GETCHAR:
		ret.error = console_getc();
		break;
	case LEGACY_CLEAR_IPI:
		ret.error = legacy_clear_ipi(v);
		break;
	case LEGACY_SEND_IPI:
		ret.error = legacy_send_ipi(v, a[0]);
		break;
	case LEGACY_REMOTE_FENCE_I:
		ret.error = legacy_fence(v, a[0], DV_REQ_FENCE_I, PMU_FW_FENCE_I_SENT);
		break;
	case LEGACY_REMOTE_SFENCE_VMA:
		ret.error = legacy_fence(v, a[0], DV_REQ_FENCE_VVMA, PMU_FW_SFENCE_VMA_SENT);
		break;
	case LEGACY_REMOTE_SFENCE_VMA_ASID:
		ret.error = legacy_fence(v, a[0], DV_REQ_FENCE_VVMA, PMU_FW_SFENCE_VMA_ASID_SENT);
		break;
	case LEGACY_SHUTDOWN:
		vm_stop(v->vm, VM_POWEROFF, "guest SBI legacy shutdown");
		break;
	default:
		ret.error = SBI_ERR_NOT_SUPPORTED;
	}
	return ret;
}

static const struct sbi_ext sbi_legacy = {
	.name = "legacy",
	.eid_lo = LEGACY_SET_TIMER,
	.eid_hi = LEGACY_SHUTDOWN,
	.legacy = 1,
	.may_stop = 1,
	.handle = legacy_handle,
};
SBI_EXTENSION(sbi_legacy);
