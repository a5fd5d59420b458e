// SPDX-License-Identifier: BSD-2-Clause
// The C side of the guest trap vector: records expected exceptions, dispatches interrupts.
#include <stdint.h>

#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define NR_IRQS 16

/* volatile: written by the trap handler behind the interrupted code's back. */
static volatile bool expecting;
static volatile bool resume_at_ra;
static volatile bool taken;
static volatile struct trap_info last;
static irq_fn irq_handlers[NR_IRQS];

static void arm(bool at_ra)
{
	taken = false;
	resume_at_ra = at_ra;
	expecting = true;
	asm volatile("" : : : "memory");
}

void trap_expect(void)
{
	arm(false);
}

void trap_expect_return(void)
{
	arm(true);
}

bool trap_taken(struct trap_info *info)
{
	asm volatile("" : : : "memory");
	expecting = false;
	if (taken && info) {
		info->scause = last.scause;
		info->stval = last.stval;
		info->sepc = last.sepc;
	}
	return taken;
}

void trap_on_irq(unsigned irq, irq_fn fn)
{
	if (irq < NR_IRQS)
		irq_handlers[irq] = fn;
}

void wait_irq_count(volatile unsigned long *count, unsigned long want)
{
	for (;;) {
		irq_disable();
		if (*count >= want)
			break;
		wfi();
		irq_enable();
	}
	irq_enable();
}

/* The length (2 or 4) of the instruction at `pc`, read from guest memory. */
static unsigned insn_len_at(unsigned long pc)
{
	/* Only the low two bits matter: 0b11 is a 32-bit instruction, anything else RVC. */
	uint16_t low = *(volatile uint16_t *)pc;

	return (low & 3) == 3 ? 4 : 2;
}

static __attribute__((noreturn)) void unexpected(const struct trap_frame *f)
{
	gprintf("FAIL: %s: unexpected trap scause=0x%lx sepc=0x%lx stval=0x%lx\n",
		test_name(), f->scause, f->sepc, f->stval);
	sbi_shutdown(1);
}

static void handle_irq(struct trap_frame *f)
{
	unsigned long irq = f->scause & ~SCAUSE_IRQ;

	if (irq >= NR_IRQS || !irq_handlers[irq])
		unexpected(f);
	irq_handlers[irq](f);
}

static void handle_exception(struct trap_frame *f)
{
	if (!expecting)
		unexpected(f);
	expecting = false;
	last.scause = f->scause;
	last.stval = f->stval;
	last.sepc = f->sepc;
	taken = true;
	if (resume_at_ra)
		f->sepc = f->regs[1];
	else
		f->sepc += insn_len_at(f->sepc);
}

void trap_handler(struct trap_frame *f)
{
	if (f->scause & SCAUSE_IRQ)
		handle_irq(f);
	else
		handle_exception(f);
}
