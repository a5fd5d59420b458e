// SPDX-License-Identifier: BSD-2-Clause
/*
 * A VM's life after it started: its threads park, its end is reported, and it is restarted
 * or stopped alone while the other VMs run on; and the physical console the VMs share.
 */
#include <string.h>

#include "mk.h"

/*
 * A thread parked by DV_SYS_VCPU_STOP gets its hart back through mk_hart_wake; one parked
 * because its VM ended waits until a restart wakes the VM's first hart.
 */
void mk_hart_wake(struct mk_hart *t, uint64_t pc, uint64_t sp, uint64_t arg)
{
	t->start_pc = pc;
	t->start_sp = sp;
	t->start_arg = arg;
	__atomic_store_n(&t->state, MK_HART_RUNNING, __ATOMIC_RELEASE);
	mk_sbi_send_ipi(1UL << t->hartid);
}

/* The minikernel's entries for this instance of the VM, by kind (MK_COUNT_* in mk.h). */
static void report_entries(const struct mk_vm *vm)
{
	uint64_t n[MK_COUNT_NR] = { 0 }, all = 0, fault, known;
	const uint64_t *g = n + MK_COUNT_GUEST, *irq = n + MK_COUNT_IRQ;

	for (unsigned k = 0; k < MK_COUNT_NR; k++) {
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			n[k] += vm->hart[i]->count[k];
		all += n[k];
	}
	fault = g[EXC_INST_GUEST_PAGE_FAULT] + g[EXC_LOAD_GUEST_PAGE_FAULT] +
		g[EXC_STORE_GUEST_PAGE_FAULT];
	known = n[MK_COUNT_SYSCALL] + g[EXC_ECALL_VS] + fault + g[EXC_VIRTUAL_INSN] +
		irq[IRQ_S_TIMER] + irq[IRQ_S_SOFT] + irq[IRQ_S_EXT] + n[MK_COUNT_RT_FAULT];
	mk_printf("mk: %s: minikernel entries: syscall=%lu guest-ecall=%lu guest-fault=%lu "
		  "virtual-insn=%lu irq-timer=%lu irq-soft=%lu irq-ext=%lu runtime-fault=%lu "
		  "other=%lu\n", vm->name, n[MK_COUNT_SYSCALL], g[EXC_ECALL_VS], fault,
		  g[EXC_VIRTUAL_INSN], irq[IRQ_S_TIMER], irq[IRQ_S_SOFT], irq[IRQ_S_EXT],
		  n[MK_COUNT_RT_FAULT], all - known);
}

/*
 * The last thread of an ending VM has parked: nothing of it runs. Restart it if its policy
 * says so (on its first hart: this one, or one parked), else it has ended; with no VM left
 * the machine powers off.
 */
static void vm_finish(struct mk_hart *h, struct mk_vm *vm)
{
	bool crash = vm->ending == MK_ENDING_CRASH;
	struct mk_hart *first = vm->hart[0];

	mk_console_release(vm);
	report_entries(vm);
	if ((crash ? vm->on_crash : vm->on_poweroff) == MK_END_RESTART) {
		mk_printf("mk: %s: restarting (%s = restart)\n", vm->name,
			  crash ? "on-crash" : "on-poweroff");
		mk_vm_reset(h, vm);
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			__atomic_store_n(&vm->hart[i]->stop, 0, __ATOMIC_RELAXED);
		vm->nr_threads = 1;
		__atomic_store_n(&vm->ending, 0, __ATOMIC_RELEASE);
		if (first == h)
			mk_enter_runtime(h, vm->entry, 0, DV_RT_INFO_VA);
		/* It decremented nr_threads a few instructions before it parks. */
		while (__atomic_load_n(&first->state, __ATOMIC_ACQUIRE) != MK_HART_PARKED)
			;
		mk_hart_wake(first, vm->entry, 0, DV_RT_INFO_VA);
		return;
	}
	if (!__atomic_sub_fetch(&mk_vms_alive, 1, __ATOMIC_ACQ_REL)) {
		mk_printf("mk: no VM left running; powering off\n");
		mk_sbi_shutdown(false);
	}
	mk_printf("mk: %s: ended; the other VMs run on\n", vm->name);
}

/*
 * The calling thread ends: the hart waits here, ignoring kicks, until it is handed a new
 * thread (and made RUNNING). Only a running thread can start another, so when the last
 * one parks nothing ever will: the VM ends here, whatever the runtime meant to do.
 */
void mk_park(struct mk_hart *h)
{
	struct mk_vm *vm = h->vm;
	uint32_t zero = 0;

	if (h->exit)
		mk_kick_deferred(h, h->exit);
	if (mk_plat.features & DV_FEAT_SSTC)
		csr_write(vstimecmp, -1UL);
	else
		mk_sbi_set_timer(-1UL);
	csr_write(sie, 1UL << IRQ_S_SOFT);
	if (!__atomic_sub_fetch(&vm->nr_threads, 1, __ATOMIC_ACQ_REL)) {
		if (__atomic_compare_exchange_n(&vm->ending, &zero, MK_ENDING_CRASH, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			mk_printf("mk: %s: runtime stopped: every runtime thread stopped\n", vm->name);
		vm_finish(h, vm);
	}
	__atomic_store_n(&h->state, MK_HART_PARKED, __ATOMIC_RELEASE);
	while (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != MK_HART_RUNNING) {
		__asm__ volatile("wfi");
		csr_clear(sip, 1UL << IRQ_S_SOFT);
	}
	dvsw_hart_init();
	mk_enter_runtime(h, h->start_pc, h->start_sp, h->start_arg);
}

/*
 * The runtime exited or failed: the first of its threads to get here reports it and tells
 * the VM's other harts to stop (each parks at its next entry to the minikernel: a kick
 * makes that soon); the last to park finishes the VM. Other VMs are not touched.
 */
void mk_vm_end(struct mk_hart *h, uint32_t how, const char *why)
{
	struct mk_vm *vm = h->vm;
	uint32_t zero = 0;

	if (__atomic_compare_exchange_n(&vm->ending, &zero, how, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		mk_printf("mk: %s: runtime stopped: %s\n", vm->name, why);
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			__atomic_store_n(&vm->hart[i]->stop, 1, __ATOMIC_SEQ_CST);
		mk_kick_vcpus(h, ~0UL);
	}
	mk_park(h);
}

/* Whose line the console is in: NULL at a line's start or after the minikernel's own. */
static const struct mk_vm *line_vm;

/* mk_printf's first step: a VM's unfinished line is ended, so the report starts a line. */
void mk_console_break(void)
{
	if (line_vm)
		mk_putc('\n');
	line_vm = NULL;
}

/* One byte of vm's output: a line holds one VM's bytes, and another's first ends it. */
static void put_vm(const struct mk_vm *vm, char c)
{
	if (line_vm != vm) {
		mk_console_break();
		if (mk_nr_vms > 1) {
			mk_putc('[');
			for (const char *s = vm->name; *s; s++)
				mk_putc(*s);
			mk_putc(']');
			mk_putc(' ');
		}
		line_vm = vm;
	}
	mk_putc(c);
	if (c == '\n')
		line_vm = NULL;
}

/* What vm's output holds, written out (under the console lock). */
static void release(struct mk_vm *vm)
{
	for (unsigned i = 0; i < vm->nr_held; i++)
		put_vm(vm, vm->held[i]);
	vm->nr_held = 0;
}

/*
 * A VM's console output, copied out of the registers once. With several VMs each line
 * starts with the VM's name in brackets, which no runtime can write for another, and a
 * VM's bytes are held until its line ends (or MK_CONSOLE_LINE fill up) or its runtime says
 * the guest paused (n = 0: a prompt waits), so VMs writing at once keep their lines whole.
 */
long mk_vm_console(struct mk_vm *vm, const uint64_t *words, uint64_t n)
{
	char buf[DV_CONSOLE_MAX];

	if (n > DV_CONSOLE_MAX)
		return -DV_EINVAL;
	memcpy(buf, words, n);
	mk_lock(&mk_console_lock);
	for (unsigned i = 0; i < n; i++) {
		if (buf[i] == '\r')
			continue;
		vm->held[vm->nr_held++] = buf[i];
		if (buf[i] == '\n' || vm->nr_held == sizeof(vm->held) || mk_nr_vms == 1)
			release(vm);
	}
	if (!n)
		release(vm);
	mk_unlock(&mk_console_lock);
	return 0;
}

/* A VM that ends shows what it held back. */
void mk_console_release(struct mk_vm *vm)
{
	mk_lock(&mk_console_lock);
	release(vm);
	mk_unlock(&mk_console_lock);
}

/*
 * Console input with several VMs: the minikernel owns the UART and hands each byte to the VM
 * holding input (mk_uart_vm), in the ring of its vCPU 0's exit page, and makes that vCPU exit
 * so its runtime takes them. Ctrl-] then a digit n gives input to VM n; Ctrl-] twice sends
 * one Ctrl-]. The ring's indices are the runtime's to corrupt: a byte only ever lands inside
 * the ring, and a full ring drops it.
 */
#define CTRL_BRACKET 0x1d
unsigned mk_console_irq;

static void input_to(struct mk_vm *vm, char c)
{
	struct dv_exit *ex = vm ? vm->vcpu[0].exit : NULL;
	uint64_t head;

	if (!ex)
		return;
	head = __atomic_load_n(&ex->cons_head, __ATOMIC_RELAXED);
	if (head - __atomic_load_n(&ex->cons_tail, __ATOMIC_ACQUIRE) >= DV_EXIT_CONS_SIZE)
		return;
	((volatile char *)ex + DV_EXIT_CONS_BUF)[head % DV_EXIT_CONS_SIZE] = c;
	__atomic_store_n(&ex->cons_head, head + 1, __ATOMIC_RELEASE);
}

/* The UART's interrupt, on any hart: route what was received, then wake the receiver. */
void mk_console_rx(void)
{
	static bool escaped;
	struct mk_vm *to, *was;
	uint64_t sbi = 0;
	int c;

	mk_lock(&mk_console_lock);
	was = mk_uart_vm;
	while ((c = mk_uart_getc()) >= 0) {
		if (escaped) {
			escaped = false;
			if (c >= '0' && c < '0' + (int)mk_nr_vms)
				mk_uart_vm = &mk_vms[c - '0'];
			else if (c == CTRL_BRACKET)
				input_to(mk_uart_vm, (char)c);
		} else if (c == CTRL_BRACKET) {
			escaped = true;
		} else {
			input_to(mk_uart_vm, (char)c);
		}
	}
	to = mk_uart_vm;
	mk_unlock(&mk_console_lock);
	if (!to)
		return;
	if (to != was)
		mk_printf("mk: console input to %s (Ctrl-] n: to VM n)\n", to->name);
	__atomic_fetch_or(&to->vcpu[0].exit->posted, DV_POST_EXIT, __ATOMIC_RELEASE);
	if (__atomic_load_n(&to->hart[0]->state, __ATOMIC_ACQUIRE) != MK_HART_RUNNING)
		return;
	mk_kick_hart(to->hart[0], &sbi);
	if (sbi)
		mk_sbi_send_ipi(sbi);
}
