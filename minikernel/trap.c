// SPDX-License-Identifier: BSD-2-Clause
/* Trap dispatch: guest exits, runtime syscalls, interrupts and faults, and the minikernel's own. */
#include "mk.h"

_Static_assert(__builtin_offsetof(struct mk_hart, t5) == MK_HART_T5, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, posted) == MK_HART_POSTED, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, kstack) == MK_HART_KSTACK, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, in_guest) == MK_HART_IN_GUEST, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, rt_pc) == MK_HART_RT_PC, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, rt_sp) == MK_HART_RT_SP, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, exit) == MK_HART_EXIT, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, vcpu_id) == MK_HART_VCPU_ID, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, t4) == MK_HART_T4, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, stop) == MK_HART_STOP, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, rt_frame) == MK_HART_RT_FRAME, "trap.S offset");
_Static_assert(__builtin_offsetof(struct mk_hart, count) == MK_HART_COUNT, "trap.S offset");
_Static_assert(sizeof(struct mk_hart) == MK_HART_SIZE, "head.S finds a hart's struct by size");
_Static_assert(__builtin_offsetof(struct dv_exit, pc) == DV_EXIT_PC, "ABI offset");
_Static_assert(__builtin_offsetof(struct dv_exit, req) == DV_EXIT_REQ, "ABI offset");
_Static_assert(__builtin_offsetof(struct dv_exit, hvip) == DV_EXIT_HVIP, "ABI offset");
_Static_assert(__builtin_offsetof(struct dv_exit, priv) == DV_EXIT_PRIV, "ABI offset");
_Static_assert(__builtin_offsetof(struct dv_exit, posted) == DV_EXIT_POSTED, "ABI offset");
_Static_assert(__builtin_offsetof(struct dv_exit, host_timer) == DV_EXIT_HOST_TIMER, "ABI offset");
_Static_assert(__builtin_offsetof(struct dv_exit, cons_tail) == DV_EXIT_CONS_TAIL, "ABI offset");
_Static_assert(__builtin_offsetof(struct dv_exit, vseip) == DV_EXIT_VSEIP, "ABI offset");

static const char *cause_name(uint64_t cause)
{
	static const char *const names[] = {
		[EXC_INST_MISALIGNED] = "instruction address misaligned",
		[EXC_INST_ACCESS] = "instruction access fault",
		[EXC_ILLEGAL_INSN] = "illegal instruction",
		[EXC_BREAKPOINT] = "breakpoint",
		[EXC_LOAD_MISALIGNED] = "load address misaligned",
		[EXC_LOAD_ACCESS] = "load access fault",
		[EXC_STORE_MISALIGNED] = "store address misaligned",
		[EXC_STORE_ACCESS] = "store access fault",
		[EXC_INST_PAGE_FAULT] = "instruction page fault",
		[EXC_LOAD_PAGE_FAULT] = "load page fault",
		[EXC_STORE_PAGE_FAULT] = "store page fault",
		[EXC_INST_GUEST_PAGE_FAULT] = "instruction guest-page fault",
		[EXC_LOAD_GUEST_PAGE_FAULT] = "load guest-page fault",
		[EXC_VIRTUAL_INSN] = "virtual instruction",
		[EXC_STORE_GUEST_PAGE_FAULT] = "store guest-page fault",
	};

	if (cause < sizeof(names) / sizeof(names[0]) && names[cause])
		return names[cause];
	return "unexpected exception";
}

/* Memory faults the runtime may recover from inside its guest-memory accessors. */
static bool is_memory_fault(uint64_t cause)
{
	return cause == EXC_LOAD_ACCESS || cause == EXC_STORE_ACCESS ||
	       cause == EXC_LOAD_PAGE_FAULT || cause == EXC_STORE_PAGE_FAULT ||
	       cause == EXC_LOAD_GUEST_PAGE_FAULT || cause == EXC_STORE_GUEST_PAGE_FAULT ||
	       cause == EXC_LOAD_MISALIGNED || cause == EXC_STORE_MISALIGNED;
}

static void runtime_fault(struct mk_hart *h, uint64_t cause)
{
	uint64_t pc = csr_read(sepc), tval = csr_read(stval);
	struct mk_vm *vm = h->vm;

	if (is_memory_fault(cause) && pc >= vm->fixup_start && pc < vm->fixup_end) {
		h->rt_frame[10] = -DV_EFAULT;
		csr_write(sepc, h->rt_frame[1]);
		return;
	}
	mk_printf("mk: %s: runtime fault: %s (scause %lu) pc=0x%lx tval=0x%lx\n", vm->name,
		  cause_name(cause), cause, pc, tval);
	mk_vm_end(h, MK_ENDING_CRASH, "runtime fault");
}

/*
 * dv-sw: host interrupts while the runtime runs stay pending until DV_SYS_VCPU_RUN enters
 * the guest again. dv-hw's runtime enters it without the minikernel: served now.
 */
static void runtime_irq(struct mk_hart *h, uint64_t cause)
{
	if (h->vm->backend == DV_BACKEND_HW)
		dvhw_runtime_irq(h, cause);
	else
		csr_clear(sie, 1UL << (cause & ~CAUSE_IRQ));
}

/*
 * Traps of the runtime that trap.S's fast path does not take, and every trap of a dv-hw
 * guest (their GPRs are in rt_frame: the runtime's utvec expects them live).
 */
struct mk_hart *mk_trap(struct mk_hart *h)
{
	uint64_t cause = csr_read(scause);
	bool guest = csr_read(hstatus) & HSTATUS_SPV;

	h->count[cause & CAUSE_IRQ ? MK_COUNT_IRQ + (cause & 15) :
		 guest ? MK_COUNT_GUEST + (cause & 31) :
		 cause == EXC_ECALL_U ? MK_COUNT_SYSCALL : MK_COUNT_RT_FAULT]++;
	if (__atomic_load_n(&h->stop, __ATOMIC_RELAXED))
		mk_park(h);
	if (mk_dvext_trap(h, cause))
		return h;
	if (guest)
		dvhw_guest_trap(h, cause);
	else if (cause == EXC_ECALL_U)
		mk_syscall(h);
	else if (cause & CAUSE_IRQ)
		runtime_irq(h, cause);
	else
		runtime_fault(h, cause);
	return h;
}

void mk_panic_trap(void)
{
	uint64_t cause = csr_read(scause);

	mk_printf("mk: PANIC: trap in the minikernel: %s (scause 0x%lx) pc=0x%lx tval=0x%lx\n",
		  cause & CAUSE_IRQ ? "interrupt" : cause_name(cause), cause, csr_read(sepc),
		  csr_read(stval));
	mk_sbi_shutdown(true);
}
