// SPDX-License-Identifier: BSD-2-Clause
/* VM and vCPU state changes that device models and SBI handlers request. */
#include <stdio.h>

#include "dv.h"
#include "riscv.h"
#include "vm.h"

bool vm_warn_ok(struct vm *vm)
{
	if (vm->warnings == VM_MAX_WARNINGS)
		return false;
	if (++vm->warnings == VM_MAX_WARNINGS)
		printf("vm%u: further guest-caused warnings are suppressed\n", vm->id);
	return true;
}

__thread struct vcpu *vcpu_current;

/* Posts `bits` (DV_POST_*) to the vCPUs in `vcpus`, none of them the caller's, and kicks them. */
static void post(struct vm *vm, unsigned long vcpus, uint64_t bits)
{
	for (unsigned i = 0; vcpus >> i; i++)
		if (vcpus >> i & 1)
			__atomic_fetch_or(&vm->vcpu[i].exit->posted, bits, __ATOMIC_RELEASE);
	dv_vcpu_kick_deferred(vcpus);
}

/* The bit of the caller's own vCPU in `vcpus`, 0 if it is not among them. */
static unsigned long own_bit(const struct vm *vm, unsigned long vcpus)
{
	const struct vcpu *self = vcpu_current;

	return self && self->vm == vm ? vcpus & 1UL << self->id : 0;
}

/* Every other vCPU thread leaves the guest and sees the end. */
void vm_stop(struct vm *vm, enum vm_end end, const char *why)
{
	int running = VM_RUNNING;

	if (!__atomic_compare_exchange_n(&vm->end, &running, (int)end, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	vm->end_why = why;
	/* Kicked at once: the calling thread may not enter its guest again. */
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (&vm->vcpu[i] != vcpu_current) {
			__atomic_fetch_or(&vm->vcpu[i].exit->posted, DV_POST_EXIT, __ATOMIC_RELEASE);
			dv_vcpu_kick(i);
		}
}

bool vm_others_alive(const struct vm *vm, const struct vcpu *self)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (&vm->vcpu[i] != self && vcpu_state(&vm->vcpu[i]) != VCPU_STOPPED)
			return true;
	return false;
}

void vcpu_set_state(struct vcpu *v, int state)
{
	__atomic_store_n(&v->state, state, __ATOMIC_RELEASE);
}

bool vcpu_move_state(struct vcpu *v, int from, int to)
{
	return __atomic_compare_exchange_n(&v->state, &from, to, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

void vm_raise_irqs(struct vm *vm, unsigned long vcpus, uint64_t hvip_bits)
{
	unsigned long own = own_bit(vm, vcpus);

	if (own)
		vcpu_current->exit->hvip |= hvip_bits;
	if (vcpus & ~own)
		post(vm, vcpus & ~own, hvip_bits);
}

void vcpu_irq_clear(struct vcpu *v, uint64_t hvip_bits)
{
	vcpu_take_posted(v);
	v->exit->hvip &= ~hvip_bits;
}

static void apply_eip(struct vcpu *v)
{
	if (__atomic_load_n(&v->exit->eip, __ATOMIC_ACQUIRE))
		v->exit->hvip |= DV_HVIP_VSEIP;
	else
		v->exit->hvip &= ~(uint64_t)DV_HVIP_VSEIP;
}

void vcpu_set_eip(struct vcpu *v, bool level)
{
	__atomic_store_n(&v->exit->eip, level, __ATOMIC_RELEASE);
	if (v == vcpu_current)
		apply_eip(v);
	else
		post(v->vm, 1UL << v->id, DV_POST_EIP);
}

/*
 * DV_POST_EXIT stays posted: the kick that came with it makes the minikernel take it at the
 * next guest entry, so the exit still happens (the shared console's input waits for one).
 */
void vcpu_take_posts(struct vcpu *v)
{
	uint64_t p = __atomic_fetch_and(&v->exit->posted, DV_POST_EXIT, __ATOMIC_ACQUIRE);

	v->exit->hvip |= p & (DV_HVIP_VSSIP | DV_HVIP_VSTIP);
	v->exit->req |= (p >> DV_POST_REQ_SHIFT) & DV_REQ_FENCES;
	if (p & DV_POST_EIP)
		apply_eip(v);
}

void vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
	/* Without Sstc the pending bit is ours to drop; with it, vstimecmp drives VSTIP. */
	if (!v->vm->sstc)
		vcpu_irq_clear(v, DV_HVIP_VSTIP);
	v->exit->timer = deadline;
	v->deadline = deadline;
	v->exit->req |= DV_REQ_TIMER;
}

void vm_request(struct vm *vm, unsigned long vcpus, uint64_t req)
{
	unsigned long own = own_bit(vm, vcpus);

	if (own)
		vcpu_current->exit->req |= req;
	if (vcpus & ~own)
		post(vm, vcpus & ~own, req << DV_POST_REQ_SHIFT);
}

/*
 * Enter the guest's trap handler as the hardware would for a trap taken in VS-mode:
 * vsepc/vscause/vstval, SPP/SPIE/SIE in vsstatus, pc = vstvec base, privilege VS.
 * A fault at the trap vector itself would be re-delivered forever, so it ends the VM.
 */
void vcpu_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval)
{
	struct dv_exit *ex = v->exit;
	uint64_t vsstatus = 0, vstvec = 0, next;

	dv_vcsr_read(v->id, DV_VCSR_VSSTATUS, &vsstatus);
	dv_vcsr_read(v->id, DV_VCSR_VSTVEC, &vstvec);
	vstvec &= ~3UL;
	if (ex->pc == vstvec) {
		printf("vm%u: vcpu%u faults at its own trap vector 0x%llx (cause %llu, tval 0x%llx)\n",
		       v->vm->id, v->id, (unsigned long long)vstvec, (unsigned long long)cause,
		       (unsigned long long)tval);
		vm_stop(v->vm, VM_CRASH, "guest fault loop: no usable trap vector");
		return;
	}
	pmu_fw_trap(&v->pmu, cause);
	next = vsstatus & ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
	if (ex->priv)
		next |= SSTATUS_SPP;
	if (vsstatus & SSTATUS_SIE)
		next |= SSTATUS_SPIE;
	dv_vcsr_write(v->id, DV_VCSR_VSEPC, ex->pc);
	dv_vcsr_write(v->id, DV_VCSR_VSCAUSE, cause);
	dv_vcsr_write(v->id, DV_VCSR_VSTVAL, tval);
	dv_vcsr_write(v->id, DV_VCSR_VSSTATUS, next);
	ex->pc = vstvec;
	ex->priv = 1;
}
