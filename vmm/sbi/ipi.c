// SPDX-License-Identifier: BSD-2-Clause
/* SBI IPI extension: supervisor software interrupts to other vCPUs. */
#include "hartmask.h"
#include "sbi.h"

#define SBI_EXT_IPI 0x735049

#define IPI_SEND_IPI 0

static struct sbi_ret ipi_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };
	unsigned long targets;

	(void)eid;
	if (fid != IPI_SEND_IPI) {
		ret.error = SBI_ERR_NOT_SUPPORTED;
		return ret;
	}
	ret.error = sbi_hart_mask(v->vm, v->exit->gpr[10], v->exit->gpr[11], &targets);
	vm_raise_irqs(v->vm, targets, DV_HVIP_VSSIP);
	pmu_fw_sent(v, targets, PMU_FW_IPI_SENT);
	return ret;
}

static const struct sbi_ext sbi_ipi = {
	.name = "ipi",
	.eid_lo = SBI_EXT_IPI,
	.eid_hi = SBI_EXT_IPI,
	.handle = ipi_handle,
};
SBI_EXTENSION(sbi_ipi);
