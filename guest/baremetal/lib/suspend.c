// SPDX-License-Identifier: BSD-2-Clause
// SBI SUSP for the test guests: the boot hart's resume entry, the wake-up timer, the checks.
#include "riscv.h"
#include "suspend.h"
#include "test.h"
#include "trap.h"

static resume_fn resume_to;

static volatile bool resumed; /* expect_resume has run */
static volatile uint64_t deadline, wake_lead;
static volatile unsigned long ticks; /* wake-up timer interrupts since the resume */

/* Called from resume_entry only, on the main stack. */
__attribute__((noreturn)) void resume_main(unsigned long hartid, unsigned long opaque);

/*
 * A resume leaves only a0 (hart id) and a1 (opaque) defined, with the MMU and interrupts
 * off. sscratch must hold the trap stack before stvec is set: a trap taken in between
 * would otherwise run on whatever sscratch held.
 */
asm("	.pushsection .text, \"ax\"\n"
    "	.balign 4\n"
    "	.globl resume_entry\n"
    "resume_entry:\n"
    "	.option push\n"
    "	.option norelax\n"
    "	la	gp, __global_pointer$\n"
    "	.option pop\n"
    "	la	sp, __stack_top\n"
    "	la	t0, __trap_stack_top\n"
    "	csrw	sscratch, t0\n"
    "	la	t0, trap_entry\n"
    "	csrw	stvec, t0\n"
    "	tail	resume_main\n"
    "	.popsection\n");

void resume_main(unsigned long hartid, unsigned long opaque)
{
	resume_to(hartid, opaque);
	sbi_shutdown(1);
}

struct sbiret suspend_to_ram(unsigned long type, resume_fn fn, unsigned long opaque)
{
	resume_to = fn;
	return sbi_system_suspend(type, (unsigned long)resume_entry, opaque);
}

static void on_wake_timer(struct trap_frame *f)
{
	(void)f;
	if (resumed) {
		sbi_set_timer(~0ULL);
		ticks++;
		return;
	}
	deadline = rdtime() + wake_lead;
	sbi_set_timer(deadline);
}

void wake_timer_arm(uint64_t lead)
{
	wake_lead = lead;
	resumed = false;
	ticks = 0;
	trap_on_irq(IRQ_S_TIMER, on_wake_timer);
	csr_set(sie, SIE_STIE);
	deadline = rdtime() + lead;
	sbi_set_timer(deadline);
}

void expect_resume(unsigned long hartid, unsigned long want_hartid, unsigned long opaque,
		   unsigned long want_opaque)
{
	unsigned long sstatus = csr_read(sstatus);
	unsigned long satp = csr_read(satp);

	resumed = true;
	expect_eq(sstatus & SSTATUS_SIE, 0, "resumed with sstatus.SIE = 0");
	expect_eq(satp, 0, "resumed with satp = 0");
	expect_eq(hartid, want_hartid, "resumed with a0 = the caller's hart ID");
	expect_eq(opaque, want_opaque, "resumed with a1 = opaque");
}

void expect_timer_woke(void)
{
	expect(rdtime() >= deadline, "woke before the timer's deadline");
	csr_set(sie, SIE_STIE);
	irq_enable();
	expect_eq(ticks, 1, "woke with the timer interrupt pending");
}
