// SPDX-License-Identifier: BSD-2-Clause
/* The vCPU loop: run the guest, then serve the exit it stopped at. */
#include <stdio.h>

#include "board.h"
#include "console.h"
#include "dv.h"
#include "mmio_emul.h"
#include "riscv.h"
#include "sbi.h"
#include "vcpu.h"

#define INSN_WFI 0x10500073U

static void access_fault(struct vcpu *v, const char *what)
{
	struct dv_exit *ex = v->exit;
	uint64_t gpa = ex->htval << 2 | (ex->tval & 3);
	uint64_t cause = ex->cause == EXC_INST_GUEST_PAGE_FAULT  ? EXC_INST_ACCESS
			 : ex->cause == EXC_LOAD_GUEST_PAGE_FAULT ? EXC_LOAD_ACCESS
								   : EXC_STORE_ACCESS;

	if (vm_warn_ok(v->vm))
		printf("vm%u: vcpu%u: %s at guest-physical 0x%llx, pc 0x%llx: access fault injected\n",
		       v->vm->id, v->id, what, (unsigned long long)gpa, (unsigned long long)ex->pc);
	vcpu_inject_exception(v, cause, ex->tval);
}

void vcpu_mmio_result(struct vcpu *v, enum mmio_result r)
{
	switch (r) {
	case MMIO_DONE:
	case MMIO_MISS: /* mmio_emulate_cached's alone: its caller then emulates it whole */
		break;
	case MMIO_UNMAPPED:
		access_fault(v, "access outside RAM and devices");
		break;
	case MMIO_BUS_ERROR:
		access_fault(v, "access the device refused");
		break;
	case MMIO_BAD_INSN:
		access_fault(v, "device access by an instruction that cannot be emulated");
		break;
	}
}

/* The trapping instruction: stval holds it when the hardware provides it, else fetch it. */
static uint32_t trapped_insn(struct vcpu *v)
{
	uint32_t insn;

	if (v->exit->tval)
		return (uint32_t)v->exit->tval;
	if (dv_guest_fetch_insn(v->exit->pc, &insn))
		return 0;
	return (insn & 3) == 3 ? insn : insn & 0xffff;
}

/*
 * csrrs or csrrc rd, cycle|instret, x0 and csrrsi or csrrci rd, cycle|instret, 0: the reads
 * hcounteren sends here, so that each vCPU has counters of its own (vmm/sbi/pmu.c).
 */
static bool counter_read(struct vcpu *v, uint32_t insn)
{
	unsigned funct3 = insn >> 12 & 7, rd = insn >> 7 & 31, csr = insn >> 20;

	if ((insn & 0x7f) != 0x73 || (funct3 & 3) < 2 || (insn >> 15 & 31) ||
	    (csr != DV_CSR_CYCLE && csr != DV_CSR_INSTRET))
		return false;
	if (rd)
		v->exit->gpr[rd] = pmu_hw_read(&v->pmu, csr - DV_CSR_CYCLE);
	v->exit->pc += 4;
	return true;
}

static void virtual_insn(struct vcpu *v)
{
	uint32_t insn = trapped_insn(v);

	if (counter_read(v, insn)) {
		v->exits[EXIT_COUNTER]++;
		return;
	}
	if (insn == INSN_WFI) {
		v->exits[EXIT_WFI]++;
		v->exit->pc += 4;
		console_pause();
		vcpu_request(v, DV_REQ_WFI);
		return;
	}
	v->exits[EXIT_VIRT_INSN]++;
	vcpu_inject_exception(v, EXC_ILLEGAL_INSN, insn);
}

/*
 * A console whose input raises no host interrupt (no PLIC to route it, or the firmware's
 * console) is polled by vCPU 0's thread POLL_HZ times a second, with the host timer armed
 * for each poll so that an idle guest still exits: a host timer of its own where the guest
 * has another (Sstc, or dv-hw's vtimer: DV_REQ_HOST_TIMER), else the SBI timer shared with
 * the guest's own deadline, the earlier of the two.
 */
#define POLL_HZ 100

static void poll_console(struct vcpu *v, bool timer_exit)
{
	struct dv_exit *ex = v->exit;
	uint64_t now = csr_read(time);
	bool rearm = timer_exit;

	if (now >= v->poll_at) {
		board_poll_input(v->vm->board);
		v->poll_at = now + v->vm->timebase_hz / POLL_HZ;
		rearm = true;
	}
	if (v->vm->host_timer && rearm) {
		ex->host_timer = v->poll_at;
		ex->req |= DV_REQ_HOST_TIMER;
	} else if (!v->vm->host_timer && (rearm || ex->req & DV_REQ_TIMER)) {
		ex->timer = v->deadline < v->poll_at ? v->deadline : v->poll_at;
		ex->req |= DV_REQ_TIMER;
	}
}

/* Whether a host timer exit is the guest's timer, not only the console's poll. */
static bool guest_timer_due(struct vcpu *v)
{
	if (!v->polls)
		return true;
	if (v->vm->host_timer || csr_read(time) < v->deadline)
		return false;
	v->deadline = ~0ULL;
	return true;
}

static void interrupt(struct vcpu *v, uint64_t irq)
{
	switch (irq) {
	case VCPU_IRQ_SERVED:
		break;
	case IRQ_S_TIMER:
		v->exits[EXIT_TIMER]++;
		if (guest_timer_due(v))
			vcpu_irq_raise(v, DV_HVIP_VSTIP);
		break;
	case IRQ_S_EXT:
		v->exits[EXIT_HOST_IRQ]++;
		board_host_irq(v->vm->board, (unsigned)v->exit->tval);
		break;
	case IRQ_S_SOFT:
		/*
		 * Another thread asked for this exit (DV_POST_EXIT): the loop sees why. So does
		 * the minikernel when it put console input in the ring (several VMs).
		 */
		v->exits[EXIT_KICK]++;
		if (console_ring_waiting())
			board_retry_input(v->vm->board);
		break;
	default:
		v->exits[EXIT_OTHER]++;
	}
}

static void handle_exit(struct vcpu *v)
{
	struct dv_exit *ex = v->exit;

	if (ex->cause & CAUSE_IRQ) {
		interrupt(v, ex->cause & ~CAUSE_IRQ);
		return;
	}
	switch (ex->cause) {
	case EXC_ECALL_VS:
		v->exits[EXIT_SBI]++;
		sbi_dispatch(v);
		break;
	case EXC_LOAD_GUEST_PAGE_FAULT:
	case EXC_STORE_GUEST_PAGE_FAULT:
		v->exits[EXIT_MMIO]++;
		vcpu_mmio_result(v, board_mmio(v->vm->board, v->exit));
		break;
	case EXC_INST_GUEST_PAGE_FAULT:
		v->exits[EXIT_OTHER]++;
		access_fault(v, "instruction fetch outside RAM");
		break;
	case EXC_VIRTUAL_INSN:
		virtual_insn(v);
		break;
	default:
		v->exits[EXIT_OTHER]++;
		printf("vm%u: vcpu%u: unexpected exit cause %llu at pc 0x%llx\n", v->vm->id, v->id,
		       (unsigned long long)ex->cause, (unsigned long long)ex->pc);
		vm_stop(v->vm, VM_CRASH, "unexpected VM exit");
	}
}

/* The Linux boot state on this hart: pc, a0, a1, VS-mode, MMU off, no interrupts pending. */
static void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1)
{
	struct dv_exit *ex = v->exit;

	for (unsigned i = 0; i < 32; i++)
		ex->gpr[i] = 0;
	ex->gpr[10] = a0;
	ex->gpr[11] = a1;
	ex->pc = pc;
	ex->priv = 1;
	ex->hvip = 0;
	ex->timer = ~0ULL;
	v->deadline = ~0ULL;
	v->poll_at = 0;
	ex->req = DV_REQ_TIMER | DV_REQ_FENCE_I | DV_REQ_FENCE_VVMA;
	for (unsigned csr = 0; csr < DV_VCSR_NR; csr++)
		dv_vcsr_write(v->id, csr, 0);
	__atomic_store_n(&ex->posted, 0, __ATOMIC_RELAXED);
	/* That may have dropped the minikernel's post for input already in the ring. */
	if (v->id == 0 && console_ring_waiting())
		board_retry_input(v->vm->board);
	pmu_reset(&v->pmu);
	/* SBI FWFT: a hart reset unlocks its features */
	v->fwft_locked = 0;
}

/* After a non-retentive or system suspend the vCPU wakes at start_pc as if freshly started. */
static void resume_from_suspend(struct vcpu *v)
{
	struct dv_exit *ex = v->exit;
	uint64_t vsstatus = 0;

	ex->pc = v->start_pc;
	ex->gpr[10] = v->id;
	ex->gpr[11] = v->start_arg;
	ex->priv = 1;
	dv_vcsr_write(v->id, DV_VCSR_VSATP, 0);
	dv_vcsr_read(v->id, DV_VCSR_VSSTATUS, &vsstatus);
	dv_vcsr_write(v->id, DV_VCSR_VSSTATUS, vsstatus & ~SSTATUS_SIE);
}

/*
 * After SBI SUSP the VM sleeps until an interrupt the guest enabled is pending: a host
 * interrupt that ended the wait without raising one (a device the guest keeps masked)
 * is served and the wait goes on. A due vstimecmp (Sstc) is not in hvip, but it ends
 * the WFI at once, and the guest then runs without an exit.
 */
static bool wakes_guest(struct vcpu *v)
{
	uint64_t vsie = 0;

	dv_vcsr_read(v->id, DV_VCSR_VSIE, &vsie);
	/* each VS bit of hvip is pending in the guest as the sie bit one below it */
	return (v->exit->hvip >> 1) & vsie;
}

/*
 * An interrupt exit at the resume address came from the wait, before the guest ran; or
 * the guest was interrupted there before it moved on, and waiting again is then only a
 * WFI at its first instruction.
 */
static bool still_asleep(const struct vcpu *v)
{
	return v->suspend == SUSPEND_SYSTEM && (v->exit->cause & CAUSE_IRQ) &&
	       v->exit->pc == v->start_pc;
}

/*
 * Runs v until it stops itself (SBI HSM hart_stop) or the VM ends. The state is this
 * thread's to change except for others' reads, and the end comes with a kick, so plain
 * loads do on this path: it runs once per exit.
 */
static void vcpu_run(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool waking = false;

	while (__atomic_load_n(&vm->end, __ATOMIC_RELAXED) == VM_RUNNING) {
		int state;

		vcpu_take_posted(v);
		if (waking) {
			/* Whatever ends the wait must come back here, to make it STARTED again. */
			__atomic_fetch_or(&v->exit->posted, DV_POST_EXIT, __ATOMIC_RELAXED);
			if (v->suspend == SUSPEND_SYSTEM && !wakes_guest(v))
				vcpu_request(v, DV_REQ_WFI);
		}
		if (v->polls)
			poll_console(v, (v->exit->cause & ~CAUSE_IRQ) == IRQ_S_TIMER &&
					(v->exit->cause & CAUSE_IRQ));
		if (dv_vcpu_run(v->id)) {
			vm_stop(vm, VM_CRASH, "the minikernel refused to run the vCPU");
			break;
		}
		if (waking && !still_asleep(v)) {
			vcpu_set_state(v, VCPU_STARTED);
			waking = false;
		}
		handle_exit(v);
		board_poll(vm->board);
		state = __atomic_load_n(&v->state, __ATOMIC_RELAXED);
		if (state == VCPU_STARTED)
			continue;
		if (state == VCPU_STOP_PENDING)
			break;
		if (state == VCPU_SUSPENDED && !waking) {
			if (v->suspend != SUSPEND_RETENTIVE)
				resume_from_suspend(v);
			waking = true;
		}
	}
}

/*
 * The thread of a vCPU that stopped, or that saw its VM end. The first thread to see the
 * end finishes the VM once every other vCPU has stopped: `finish` reports and powers off,
 * or reloads the guest for a reboot. Returns whether this thread should run its vCPU again.
 */
static bool vcpu_retire(struct vcpu *v, bool (*finish)(struct vcpu *self))
{
	struct vm *vm = v->vm;
	bool last;

	/*
	 * The last two vCPUs may stop at once: each would see the other alive (STOP_PENDING)
	 * and park, and nothing would end the VM. Under the lock one of them sees the other
	 * STOPPED.
	 */
	spin_lock(&vm->retire_lock);
	last = !vm_others_alive(vm, v);
	vcpu_set_state(v, VCPU_STOPPED);
	spin_unlock(&vm->retire_lock);
	if (__atomic_load_n(&vm->end, __ATOMIC_ACQUIRE) == VM_RUNNING) {
		if (!last)
			return false;
		vm_stop(vm, VM_POWEROFF, "every vCPU stopped (SBI HSM hart_stop)");
	}
	if (__atomic_exchange_n(&vm->finishing, 1, __ATOMIC_ACQ_REL))
		return false;
	/* Only a reboot needs the others gone; a poweroff takes the whole machine with it. */
	while (__atomic_load_n(&vm->end, __ATOMIC_ACQUIRE) == VM_REBOOT &&
	       vm_others_alive(vm, v))
		;
	return finish(v);
}

void vcpu_thread(struct vcpu *v, bool (*finish)(struct vcpu *self))
{
	vcpu_current = v;
	do {
		vcpu_reset(v, v->start_pc, v->id, v->start_arg);
		vcpu_set_state(v, VCPU_STARTED);
		vcpu_run(v);
	} while (vcpu_retire(v, finish));
	dv_vcpu_stop();
}
