// SPDX-License-Identifier: BSD-2-Clause
/*
 * dv_guest_fetch_insn and dv_guest_load64 for a runtime without hstatus.HU, where HLV/HLVX
 * are illegal: dv-sw on a DV-Ext host (docs/abi.md). The guest's tables are walked here.
 */
#include "dv_backend.h"
#include "guest_walk.h"
#include "vm.h"

/*
 * The calling vCPU thread's guest translation at its last exit, as HLV would take it from
 * the hart: vsatp, and for a load vsstatus (its SUM and MXR, which a fetch ignores). Each
 * is a syscall on dv-sw, so an MMIO decode's fetch makes one.
 */
static long current_mmu(struct guest_mmu *mmu, enum guest_access acc)
{
	const struct vcpu *v = vcpu_current;

	mmu->vsstatus = 0;
	if (!v || dv_vcsr_read(v->id, DV_VCSR_VSATP, &mmu->vsatp) ||
	    (acc == GUEST_LOAD && dv_vcsr_read(v->id, DV_VCSR_VSSTATUS, &mmu->vsstatus)))
		return -DV_EFAULT;
	mmu->user = !(v->exit->priv & 1);
	return 0;
}

long dv_walk_fetch_insn(uint64_t gva, uint32_t *insn)
{
	struct guest_mmu mmu;

	if (current_mmu(&mmu, GUEST_FETCH))
		return -DV_EFAULT;
	return guest_walk_fetch_insn(vcpu_current->vm, &mmu, gva, insn);
}

long dv_walk_load64(uint64_t gva, uint64_t *val)
{
	struct guest_mmu mmu;

	if (current_mmu(&mmu, GUEST_LOAD))
		return -DV_EFAULT;
	return guest_walk_read(vcpu_current->vm, &mmu, gva, val, sizeof(*val), GUEST_LOAD);
}
