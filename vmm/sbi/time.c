// SPDX-License-Identifier: BSD-2-Clause
/* SBI Timer extension: the guest arms its next timer event. */
#include "sbi.h"

#define SBI_EXT_TIME 0x54494D45

#define TIME_SET_TIMER 0

static struct sbi_ret time_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };

	(void)eid;
	if (fid == TIME_SET_TIMER) {
		vcpu_set_timer(v, v->exit->gpr[10]);
		pmu_fw_count(&v->pmu, PMU_FW_SET_TIMER, 1);
	} else {
		ret.error = SBI_ERR_NOT_SUPPORTED;
	}
	return ret;
}

static const struct sbi_ext sbi_time = {
	.name = "time",
	.eid_lo = SBI_EXT_TIME,
	.eid_hi = SBI_EXT_TIME,
	.handle = time_handle,
};
SBI_EXTENSION(sbi_time);
