// SPDX-License-Identifier: BSD-2-Clause
/* SBI Hart State Management extension: starting, stopping and suspending vCPUs. */
#include <stdbool.h>

#include "sbi.h"

#define SBI_EXT_HSM 0x48534D

#define HSM_HART_START      0
#define HSM_HART_STOP       1
#define HSM_HART_GET_STATUS 2
#define HSM_HART_SUSPEND    3

#define SUSPEND_DEFAULT_RETENTIVE     0x00000000U
#define SUSPEND_DEFAULT_NON_RETENTIVE 0x80000000U

/* The smallest instruction (a compressed one) has to lie in RAM for the vCPU to run from it. */
#define MIN_INSN_LEN 2

static struct vcpu *hsm_vcpu(struct vm *vm, unsigned long hartid)
{
	return hartid < vm->nr_vcpus ? &vm->vcpu[hartid] : NULL;
}

/* The guest has no memory it can execute other than its RAM. */
static bool hsm_valid_entry(struct vm *vm, unsigned long addr)
{
	return vm_gpa_ptr(vm, addr, MIN_INSN_LEN) != NULL;
}

/* The run loop takes START_PENDING vCPUs to STARTED, entering at start_pc with a1 = start_arg. */
static long hsm_hart_start(struct vcpu *v, unsigned long hartid, unsigned long addr,
			   unsigned long opaque)
{
	struct vcpu *t = hsm_vcpu(v->vm, hartid);

	if (!t)
		return SBI_ERR_INVALID_PARAM;
	if (!hsm_valid_entry(v->vm, addr))
		return SBI_ERR_INVALID_ADDRESS;
	if (t->state != VCPU_STOPPED)
		return SBI_ERR_ALREADY_AVAILABLE;
	t->start_pc = addr;
	t->start_arg = opaque;
	t->state = VCPU_START_PENDING;
	return SBI_SUCCESS;
}

/*
 * Retentive suspend is a WFI. Non-retentive suspend also waits for an interrupt, and the
 * run loop then resumes the SUSPENDED vCPU at start_pc as if started there.
 * Platform-specific types are unimplemented, which the spec answers with INVALID_PARAM
 * just like reserved ones.
 */
static long hsm_hart_suspend(struct vcpu *v, uint32_t type, unsigned long addr,
			     unsigned long opaque)
{
	switch (type) {
	case SUSPEND_DEFAULT_RETENTIVE:
		break;
	case SUSPEND_DEFAULT_NON_RETENTIVE:
		if (!hsm_valid_entry(v->vm, addr))
			return SBI_ERR_INVALID_ADDRESS;
		v->start_pc = addr;
		v->start_arg = opaque;
		v->state = VCPU_SUSPENDED;
		break;
	default:
		return SBI_ERR_INVALID_PARAM;
	}
	vcpu_request(v, DV_REQ_WFI);
	return SBI_SUCCESS;
}

static struct sbi_ret hsm_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	const uint64_t *a = &v->exit->gpr[10];
	struct sbi_ret ret = { SBI_SUCCESS, 0 };
	struct vcpu *t;

	(void)eid;
	switch (fid) {
	case HSM_HART_START:
		ret.error = hsm_hart_start(v, a[0], a[1], a[2]);
		break;
	case HSM_HART_STOP:
		/* the run loop sees the state when this exit is done and parks the vCPU */
		v->state = VCPU_STOPPED;
		break;
	case HSM_HART_GET_STATUS:
		t = hsm_vcpu(v->vm, a[0]);
		if (t)
			ret.value = t->state;
		else
			ret.error = SBI_ERR_INVALID_PARAM;
		break;
	case HSM_HART_SUSPEND:
		/* a 32-bit parameter: the spec has us use only the low 32 bits of the register */
		ret.error = hsm_hart_suspend(v, (uint32_t)a[0], a[1], a[2]);
		break;
	default:
		ret.error = SBI_ERR_NOT_SUPPORTED;
	}
	return ret;
}

static const struct sbi_ext sbi_hsm = {
	.name = "hsm",
	.eid_lo = SBI_EXT_HSM,
	.eid_hi = SBI_EXT_HSM,
	.handle = hsm_handle,
};
SBI_EXTENSION(sbi_hsm);
