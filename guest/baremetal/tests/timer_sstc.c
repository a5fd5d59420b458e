// SPDX-License-Identifier: BSD-2-Clause
// Sstc: the guest programs stimecmp itself and takes the interrupt with no VM exit at all.
#include "dtb.h"
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define TICKS_10MS 100000
#define STORM      100

static volatile unsigned long ticks;
static volatile uint64_t fired_at;

static void on_timer(struct trap_frame *f)
{
	(void)f;
	fired_at = rdtime();
	csr_write(CSR_STIMECMP, ~0UL);
	if (++ticks > STORM)
		csr_clear(sie, SIE_STIE);
}

/*
 * Spins (no wfi: that would exit) with interrupts on until the handler ran, and counts
 * the exits in between with DVDEBUG, which counts its own second call.
 */
static void exitless_round(uint64_t deadline, const char *what)
{
	unsigned long want = ticks + 1;
	long before, after;

	irq_enable();
	before = sbi_dv_exits();
	csr_write(CSR_STIMECMP, deadline);
	while (ticks < want)
		;
	after = sbi_dv_exits();
	expectf(fired_at >= deadline, "%s: interrupt at %lu before its deadline %lu", what,
		(unsigned long)fired_at, (unsigned long)deadline);
	expect_eq(ticks, want, "one interrupt per deadline");
	if (expect(before > 0, "DVDEBUG returns an exit count"))
		expectf(after - before == 1, "%s: the wait took %ld VM exits, want 0", what,
			after - before - 1);
}

/*
 * A compare value replaced by ~0 must not fire, even well after it has passed. Interrupts
 * are off between the two writes: should the first value pass in between, STIP (time >=
 * stimecmp) drops again with the second, and nothing may be taken later.
 */
static void cancel(void)
{
	unsigned long before = ticks;
	uint64_t now;

	irq_disable();
	now = rdtime();
	csr_write(CSR_STIMECMP, now + TICKS_10MS / 10);
	csr_write(CSR_STIMECMP, ~0UL);
	irq_enable();
	spin_until(now + TICKS_10MS);
	expect_eq(ticks, before, "no interrupt from a cancelled compare value");
}

static void with_sstc(void)
{
	trap_on_irq(IRQ_S_TIMER, on_timer);
	csr_set(sie, SIE_STIE);
	exitless_round(rdtime() + TICKS_10MS, "10 ms stimecmp timer");
	exitless_round(0, "stimecmp in the past");
	expect_eq(csr_read(CSR_STIMECMP), ~0UL, "stimecmp reads back what the handler wrote");

	cancel();

	/* An exit after the last interrupt: the source must have stayed cleared. */
	sbi_probe_extension(SBI_EXT_BASE);
	expect_eq(ticks, 2, "total timer interrupts");
}

/* Without Sstc in the DTB, stimecmp must not exist for the guest. */
static void without_sstc(void)
{
	trap_expect();
	csr_write(CSR_STIMECMP, ~0UL);
	expect_trap(EXC_ILLEGAL_INSN, ANY_STVAL, "stimecmp write without Sstc");
	trap_expect();
	(void)csr_read(CSR_STIMECMP);
	expect_trap(EXC_ILLEGAL_INSN, ANY_STVAL, "stimecmp read without Sstc");
	gprintf("timer_sstc: Sstc absent from the DTB; stimecmp traps as it should\n");
}

int main(unsigned long hartid, const void *dtb)
{
	(void)hartid;
	test_start("timer_sstc");
	expect(dtb_valid(dtb), "a1 points at a DTB");
	if (dtb_has_isa_ext(dtb, "sstc")) {
		gprintf("timer_sstc: Sstc present\n");
		with_sstc();
	} else {
		without_sstc();
	}
	test_end();
}
