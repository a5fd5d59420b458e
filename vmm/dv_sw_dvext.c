// SPDX-License-Identifier: BSD-2-Clause
/*
 * dv-sw on a DV-Ext host, whose hvip drops VSEIP (DVEXT.md): only the minikernel may raise a
 * guest's external interrupt there (in huvip), so the runtime asks it to (DV_REQ_VSEIP). The
 * reference model's PLIC also rewrites VSEIP, to 0, at each of its updates (its guest
 * contexts): so the runtime asks at every entry while the level is up, and takes the level
 * from `eip`, the guest PLIC's word, not from what the hardware kept.
 */
#include "dv_backend.h"

static uint64_t exit_va, nr_vcpus;

void dvsw_dvext_init(const struct dv_boot_info *bi)
{
	exit_va = bi->exit_va;
	nr_vcpus = bi->nr_vcpus;
}

long dvsw_dvext_vcpu_run(unsigned id)
{
	struct dv_exit *ex = (struct dv_exit *)(exit_va + id * 4096UL);
	long r;

	if (id >= nr_vcpus)
		return -DV_EINVAL;
	if ((ex->hvip | ex->vseip) & DV_HVIP_VSEIP)
		ex->req |= DV_REQ_VSEIP;
	r = dvsw_vcpu_run(id);
	ex->hvip = dv_hvip_eip(ex, ex->hvip);
	return r;
}
