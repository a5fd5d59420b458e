// SPDX-License-Identifier: BSD-2-Clause
/* The runtime's syscalls (include/dv_abi.h): every argument is checked, none is trusted. */
#include "mk.h"

static const char *const exit_reason[] = {
	[DV_EXIT_POWEROFF] = "the runtime exited (guest powered off)",
	[DV_EXIT_FAILURE] = "the runtime exited reporting a failure",
};

static long sys_fixup(struct mk_vm *vm, uint64_t start, uint64_t end)
{
	if (start > end)
		return -DV_EINVAL;
	vm->fixup_start = start;
	vm->fixup_end = end;
	return 0;
}

static long sys_irq_done(struct mk_hart *h, uint64_t irq)
{
	if (!irq || irq != h->vm->irq || !h->vm->irq_claimed)
		return -DV_EINVAL;
	h->vm->irq_claimed = false;
	mk_plic_complete(h, (unsigned)irq);
	return 0;
}

#define SBI_HSM_STOPPED 1
#define HART_STOP_POLLS 100000 /* a stopping hart reaches STOPPED within a few calls */

/*
 * Starts the runtime thread of vCPU `id` on the hart it is pinned to, through OpenSBI HSM.
 * A hart whose previous thread just stopped may still be on its way into OpenSBI's stopped
 * state: wait (bounded) for that rather than fail the guest's hart_start.
 */
static long sys_vcpu_start(struct mk_hart *h, uint64_t id, uint64_t pc, uint64_t sp, uint64_t arg)
{
	struct mk_hart *t;
	unsigned polls = 0;

	if (id >= h->vm->nr_vcpus)
		return -DV_EINVAL;
	t = h->vm->hart[id];
	if (__atomic_exchange_n(&t->running, 1, __ATOMIC_ACQ_REL))
		return -DV_EBUSY;
	while (mk_sbi_hart_status(t->hartid) != SBI_HSM_STOPPED && ++polls < HART_STOP_POLLS)
		;
	t->start_pc = pc;
	t->start_sp = sp;
	t->start_arg = arg;
	if (polls == HART_STOP_POLLS ||
	    mk_sbi_hart_start(t->hartid, (uint64_t)mk_secondary_entry, (uint64_t)t)) {
		__atomic_store_n(&t->running, 0, __ATOMIC_RELEASE);
		return -DV_EBUSY;
	}
	return 0;
}

/* The calling thread ends: its guest timer is disarmed and the hart returns to OpenSBI. */
__attribute__((noreturn)) static void sys_vcpu_stop(struct mk_hart *h)
{
	if (mk_plat.features & DV_FEAT_SSTC)
		csr_write(vstimecmp, -1UL);
	else
		mk_sbi_set_timer(-1UL);
	csr_write(sie, 0);
	__atomic_store_n(&h->running, 0, __ATOMIC_RELEASE);
	mk_sbi_hart_stop();
}

/* Only harts of this VM's own vCPUs can be interrupted: the index says which. */
static long sys_vcpu_kick(struct mk_hart *h, uint64_t id)
{
	struct mk_hart *t;

	if (id >= h->vm->nr_vcpus)
		return -DV_EINVAL;
	t = h->vm->hart[id];
	if (t != h && __atomic_load_n(&t->running, __ATOMIC_ACQUIRE))
		mk_sbi_send_ipi(t->hartid);
	return 0;
}

void mk_syscall(struct mk_hart *h)
{
	uint64_t *f = h->rt_frame;
	uint64_t nr = f[17], a0 = f[10], a1 = f[11], a2 = f[12], a3 = f[13];
	uint64_t val = a2;
	long ret;

	switch (nr) {
	case DV_SYS_VCPU_RUN:
		/* trap.S runs the vCPU of this hart; any other id ends up here. */
		ret = -DV_EINVAL;
		break;
	case DV_SYS_VCSR_READ:
		ret = dvsw_vcsr(h, a0, a1, false, &val);
		f[11] = val;
		break;
	case DV_SYS_VCSR_WRITE:
		ret = dvsw_vcsr(h, a0, a1, true, &val);
		break;
	case DV_SYS_GPT_WRITE:
		ret = mk_gpt_write(h->vm, a0, a1, a2);
		break;
	case DV_SYS_FIXUP:
		ret = sys_fixup(h->vm, a0, a1);
		break;
	case DV_SYS_IRQ_DONE:
		ret = sys_irq_done(h, a0);
		break;
	case DV_SYS_VCPU_START:
		ret = sys_vcpu_start(h, a0, a1, a2, a3);
		break;
	case DV_SYS_VCPU_STOP:
		sys_vcpu_stop(h);
	case DV_SYS_VCPU_KICK:
		ret = sys_vcpu_kick(h, a0);
		break;
	case DV_SYS_EXIT:
		mk_vm_kill(h, a0 < sizeof(exit_reason) / sizeof(exit_reason[0]) ? exit_reason[a0]
									  : "the runtime exited");
	default:
		ret = -DV_ENOSYS;
	}
	f[10] = (uint64_t)ret;
	csr_write(sepc, csr_read(sepc) + 4);
}
