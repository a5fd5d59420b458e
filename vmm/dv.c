// SPDX-License-Identifier: BSD-2-Clause
/* The dv_* calls that depend on the backend the minikernel runs this VM on (the boot info says). */
#include <stdbool.h>

#include "dv_backend.h"

static bool hw;
long (*dv_vcpu_run)(unsigned id) = dvsw_vcpu_run;
long (*dv_guest_fetch_insn)(uint64_t gva, uint32_t *insn) = dv_hlvx_fetch_insn;
long (*dv_guest_load64)(uint64_t gva, uint64_t *val) = dv_hlv_load64;

void dv_init(const struct dv_boot_info *bi)
{
	hw = bi->backend == DV_BACKEND_HW;
	if (hw) {
		dvhw_init(bi);
		dv_vcpu_run = dvhw_vcpu_run;
	} else if (bi->features & DV_FEAT_DVEXT) {
		dvsw_dvext_init(bi);
		dv_vcpu_run = dvsw_dvext_vcpu_run;
		/* There the minikernel clears hstatus.HU for dv-sw runtimes: HLV/HLVX are illegal. */
		dv_guest_fetch_insn = dv_walk_fetch_insn;
		dv_guest_load64 = dv_walk_load64;
	}
}

long dv_vcsr_read(unsigned id, unsigned csr, uint64_t *val)
{
	return hw ? dvhw_vcsr_read(id, csr, val) : dvsw_vcsr_read(id, csr, val);
}

long dv_vcsr_write(unsigned id, unsigned csr, uint64_t val)
{
	return hw ? dvhw_vcsr_write(id, csr, val) : dvsw_vcsr_write(id, csr, val);
}

long dv_gpt_write(uint64_t table_pa, unsigned idx, uint64_t pte)
{
	return hw ? dvhw_gpt_write(table_pa, idx, pte) : dvsw_gpt_write(table_pa, idx, pte);
}
