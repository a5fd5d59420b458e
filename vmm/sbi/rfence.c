// SPDX-License-Identifier: BSD-2-Clause
/* SBI RFENCE extension: instruction and VS-stage TLB fences on other vCPUs. */
#include "hartmask.h"
#include "sbi.h"

#define SBI_EXT_RFENCE 0x52464E43

#define RFENCE_FENCE_I         0
#define RFENCE_SFENCE_VMA      1
#define RFENCE_SFENCE_VMA_ASID 2

/*
 * Every vCPU flushes its whole VS-stage TLB before it next runs: a full flush covers any
 * address range and ASID, so the range arguments need no checking.
 */
static struct sbi_ret rfence_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };
	enum pmu_fw_event sent;
	unsigned long targets;
	uint64_t req;

	(void)eid;
	switch (fid) {
	case RFENCE_FENCE_I:
		req = DV_REQ_FENCE_I;
		sent = PMU_FW_FENCE_I_SENT;
		break;
	case RFENCE_SFENCE_VMA:
		req = DV_REQ_FENCE_VVMA;
		sent = PMU_FW_SFENCE_VMA_SENT;
		break;
	case RFENCE_SFENCE_VMA_ASID:
		req = DV_REQ_FENCE_VVMA;
		sent = PMU_FW_SFENCE_VMA_ASID_SENT;
		break;
	/* HFENCE.* (fids 3..6) need the H extension, which no vCPU has. */
	default:
		ret.error = SBI_ERR_NOT_SUPPORTED;
		return ret;
	}
	ret.error = sbi_hart_mask(v->vm, v->exit->gpr[10], v->exit->gpr[11], &targets);
	vm_request(v->vm, targets, req);
	pmu_fw_sent(v, targets, sent);
	return ret;
}

static const struct sbi_ext sbi_rfence = {
	.name = "rfence",
	.eid_lo = SBI_EXT_RFENCE,
	.eid_hi = SBI_EXT_RFENCE,
	.handle = rfence_handle,
};
SBI_EXTENSION(sbi_rfence);
