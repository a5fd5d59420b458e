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

void mk_syscall(struct mk_hart *h)
{
	uint64_t *f = h->rt_frame;
	uint64_t nr = f[17], a0 = f[10], a1 = f[11], a2 = f[12];
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
	case DV_SYS_EXIT:
		mk_vm_kill(h, a0 < sizeof(exit_reason) / sizeof(exit_reason[0]) ? exit_reason[a0]
									  : "the runtime exited");
	default:
		ret = -DV_ENOSYS;
	}
	f[10] = (uint64_t)ret;
	csr_write(sepc, csr_read(sepc) + 4);
}
