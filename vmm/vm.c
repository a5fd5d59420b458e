// SPDX-License-Identifier: BSD-2-Clause
/* VM and vCPU state changes that device models and SBI handlers request. */
#include <stdio.h>

#include "dv.h"
#include "riscv.h"
#include "vm.h"

void *vm_gpa_ptr(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa < vm->ram_gpa || len > vm->ram_size || gpa - vm->ram_gpa > vm->ram_size - len)
		return NULL;
	return vm->ram + (gpa - vm->ram_gpa);
}

bool vm_warn_ok(struct vm *vm)
{
	if (vm->warnings == VM_MAX_WARNINGS)
		return false;
	if (++vm->warnings == VM_MAX_WARNINGS)
		printf("vm%u: further guest-caused warnings are suppressed\n", vm->id);
	return true;
}

void vm_stop(struct vm *vm, enum vm_end end, const char *why)
{
	if (vm->end != VM_RUNNING)
		return;
	vm->end = end;
	vm->end_why = why;
}

void vcpu_irq_raise(struct vcpu *v, uint64_t hvip_bits)
{
	v->exit->hvip |= hvip_bits;
}

void vcpu_irq_clear(struct vcpu *v, uint64_t hvip_bits)
{
	v->exit->hvip &= ~hvip_bits;
}

void vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
	/* Without Sstc the pending bit is ours to drop; with it, vstimecmp drives VSTIP. */
	if (!v->vm->sstc)
		vcpu_irq_clear(v, DV_HVIP_VSTIP);
	v->exit->timer = deadline;
	v->exit->req |= DV_REQ_TIMER;
}

void vcpu_request(struct vcpu *v, uint64_t req)
{
	v->exit->req |= req;
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
