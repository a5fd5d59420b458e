// SPDX-License-Identifier: BSD-2-Clause
/* The runtime's syscalls (include/dv_abi.h): every argument is checked, none is trusted. */
#include "mk.h"

static const char *const exit_reason[] = {
	[DV_EXIT_POWEROFF] = "the runtime exited (guest powered off)",
	[DV_EXIT_FAILURE] = "the runtime exited reporting a failure",
};

/*
 * DV_SYS_FIXUP and DV_SYS_ENTRY_WINDOW: a range of the runtime's own code. Threads may race
 * here: a torn pair can only send this runtime's own faults or pc to its own addresses.
 */
static long sys_range(uint64_t *range, uint64_t start, uint64_t end)
{
	if (start > end)
		return -DV_EINVAL;
	__atomic_store_n(&range[0], start, __ATOMIC_RELAXED);
	__atomic_store_n(&range[1], end, __ATOMIC_RELAXED);
	return 0;
}

/* Threads on two harts may both complete it: only the one that clears the claim does. */
static long sys_irq_done(struct mk_hart *h, uint64_t irq)
{
	if (!irq || irq != h->vm->irq ||
	    !__atomic_exchange_n(&h->vm->irq_claimed, 0, __ATOMIC_ACQ_REL))
		return -DV_EINVAL;
	mk_plic_complete(h, (unsigned)irq);
	return 0;
}

/*
 * Starts the runtime thread of vCPU `id` on the hart it is pinned to: through OpenSBI HSM
 * the first time, by waking it from the minikernel's park loop afterwards. The claim
 * (OFF or PARKED -> STARTING) lets one caller of all the racing harts through; the hart
 * reads start_* only once it is RUNNING, which the claimant stores after writing them
 * (a PARKED hart), or which the hart stores itself after HSM started it (an OFF one).
 */
static long sys_vcpu_start(struct mk_hart *h, uint64_t id, uint64_t pc, uint64_t sp, uint64_t arg)
{
	struct mk_hart *t;
	uint32_t state;

	if (id >= h->vm->nr_vcpus)
		return -DV_EINVAL;
	t = h->vm->hart[id];
	state = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
	if ((state != MK_HART_OFF && state != MK_HART_PARKED) ||
	    !__atomic_compare_exchange_n(&t->state, &state, MK_HART_STARTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return -DV_EBUSY;
	__atomic_add_fetch(&h->vm->nr_threads, 1, __ATOMIC_ACQ_REL);
	if (state == MK_HART_PARKED) {
		mk_hart_wake(t, pc, sp, arg);
		return 0;
	}
	t->start_pc = pc;
	t->start_sp = sp;
	t->start_arg = arg;
	if (mk_sbi_hart_start(t->hartid, (uint64_t)mk_secondary_entry, (uint64_t)t)) {
		__atomic_sub_fetch(&h->vm->nr_threads, 1, __ATOMIC_ACQ_REL);
		__atomic_store_n(&t->state, MK_HART_OFF, __ATOMIC_RELEASE);
		return -DV_EBUSY;
	}
	return 0;
}

/*
 * Only harts of this VM's own vCPUs can be interrupted: the ids say which. An ACLINT SSWI
 * raises their supervisor software interrupt directly; without one, OpenSBI does. A hart's
 * state only decides whether to kick it (what is read of it besides was set at boot), so
 * it is read relaxed: every virtual IPI passes here.
 */
void mk_kick_vcpus(struct mk_hart *h, uint64_t ids)
{
	struct mk_hart *const *t = h->vm->hart;
	uint64_t harts = 0;

	for (ids &= (1UL << h->vm->nr_vcpus) - 1; ids; ids >>= 1, t++)
		if (ids & 1 && *t != h &&
		    __atomic_load_n(&(*t)->state, __ATOMIC_RELAXED) == MK_HART_RUNNING)
			mk_kick_hart(*t, &harts);
	if (harts)
		mk_sbi_send_ipi(harts);
}

static long sys_vcpu_kick(struct mk_hart *h, uint64_t id)
{
	if (id >= h->vm->nr_vcpus)
		return -DV_EINVAL;
	mk_kick_vcpus(h, 1UL << id);
	return 0;
}

_Static_assert(DV_SYS_HQ_REAP == DV_SYS_HQ_SUBMIT + 1, "trap.S tests for both at once");

/* DV_SYS_HQ_SUBMIT and DV_SYS_HQ_REAP, from trap.S's fast path: a0 and a1 to return. */
struct mk_ret mk_dma_syscall(struct mk_hart *h, uint64_t nr, uint64_t a0, uint64_t a1,
			     uint64_t a2)
{
	uint64_t val;
	long ret = nr == DV_SYS_HQ_SUBMIT ? mk_hq_submit(h, a0, a1, a2, &val)
					  : mk_hq_reap(h, a0, a1, a2, &val);

	return (struct mk_ret){ ret, val };
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
		ret = sys_range(&h->vm->fixup_start, a0, a1);
		break;
	case DV_SYS_IRQ_DONE:
		ret = sys_irq_done(h, a0);
		break;
	case DV_SYS_VCPU_START:
		ret = sys_vcpu_start(h, a0, a1, a2, a3);
		break;
	case DV_SYS_VCPU_STOP:
		mk_park(h);
	case DV_SYS_VCPU_KICK:
		ret = sys_vcpu_kick(h, a0);
		break;
	case DV_SYS_HDEV_RESET:
		ret = mk_hdev_reset(h, a0);
		break;
	case DV_SYS_CONSOLE:
		ret = mk_vm_console(h->vm, f + 11, a0);
		break;
	case DV_SYS_ENTRY_WINDOW:
		ret = sys_range(&h->vm->entry_start, a0, a1);
		break;
	case DV_SYS_VCPU_REQ:
		ret = dvhw_sys_req(h, a0);
		break;
	case DV_SYS_CONSOLE_GETC:
		f[11] = (uint64_t)mk_console_getc(h->vm);
		ret = 0;
		break;
	case DV_SYS_EXIT:
		mk_vm_end(h, a0 == DV_EXIT_POWEROFF ? MK_ENDING_POWEROFF : MK_ENDING_CRASH,
			  a0 < sizeof(exit_reason) / sizeof(exit_reason[0]) ? exit_reason[a0]
									: "the runtime exited");
	default:
		ret = -DV_ENOSYS;
	}
	f[10] = (uint64_t)ret;
	csr_write(sepc, csr_read(sepc) + 4);
}
