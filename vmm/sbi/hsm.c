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

/*
 * The target's thread takes it from START_PENDING to STARTED, entering at start_pc with
 * a1 = start_arg. Claiming STOPPED -> START_PENDING atomically settles two vCPUs racing to
 * start the same hart.
 */
static long hsm_hart_start(struct vcpu *v, unsigned long hartid, unsigned long addr,
			   unsigned long opaque)
{
	struct vcpu *t = hsm_vcpu(v->vm, hartid);

	if (!t)
		return SBI_ERR_INVALID_PARAM;
	if (!hsm_valid_entry(v->vm, addr))
		return SBI_ERR_INVALID_ADDRESS;
	if (!vcpu_move_state(t, VCPU_STOPPED, VCPU_START_PENDING))
		return SBI_ERR_ALREADY_AVAILABLE;
	t->start_pc = addr;
	t->start_arg = opaque;
	if (v->vm->start_vcpu && v->vm->start_vcpu(t)) {
		vcpu_set_state(t, VCPU_STOPPED);
		return SBI_ERR_FAILED;
	}
	return SBI_SUCCESS;
}

/*
 * The run loop (vmm/vcpu.c) does the waiting: a retentive suspend is a WFI, the other
 * kinds then resume the SUSPENDED vCPU at start_pc as if started there.
 */
long sbi_suspend(struct vcpu *v, enum vcpu_suspend kind, unsigned long addr,
		 unsigned long opaque)
{
	if (kind != SUSPEND_RETENTIVE) {
		if (!hsm_valid_entry(v->vm, addr))
			return SBI_ERR_INVALID_ADDRESS;
		v->start_pc = addr;
		v->start_arg = opaque;
	}
	v->suspend = kind;
	vcpu_set_state(v, VCPU_SUSPENDED);
	vcpu_request(v, DV_REQ_WFI);
	return SBI_SUCCESS;
}

/*
 * Platform-specific types are unimplemented, which the spec answers with INVALID_PARAM
 * just like reserved ones.
 */
static long hsm_hart_suspend(struct vcpu *v, uint32_t type, unsigned long addr,
			     unsigned long opaque)
{
	switch (type) {
	case SUSPEND_DEFAULT_RETENTIVE:
		return sbi_suspend(v, SUSPEND_RETENTIVE, addr, opaque);
	case SUSPEND_DEFAULT_NON_RETENTIVE:
		return sbi_suspend(v, SUSPEND_NON_RETENTIVE, addr, opaque);
	default:
		return SBI_ERR_INVALID_PARAM;
	}
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
		/* STOPPED only once the thread has left the hart: the run loop sees this and parks */
		vcpu_set_state(v, VCPU_STOP_PENDING);
		break;
	case HSM_HART_GET_STATUS:
		t = hsm_vcpu(v->vm, a[0]);
		if (t)
			ret.value = vcpu_state(t);
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
	.may_stop = 1,
	.handle = hsm_handle,
};
SBI_EXTENSION(sbi_hsm);
