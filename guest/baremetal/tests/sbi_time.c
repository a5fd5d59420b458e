// SPDX-License-Identifier: BSD-2-Clause
// SBI TIME set_timer: the interrupt comes, never before its deadline, and re-arming replaces it.
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define TICKS_10MS 100000 /* timebase 10 MHz */
#define STORM      100    /* more interrupts than this in all: a source that never clears */

static volatile unsigned long ticks;
static volatile uint64_t fired_at;

static void on_timer(struct trap_frame *f)
{
	(void)f;
	fired_at = rdtime();
	sbi_set_timer(~0ULL);
	if (++ticks > STORM)
		csr_clear(sie, SIE_STIE);
}

/* Arms `deadline`, sleeps until one more interrupt, checks it was not early. */
static void one_round(uint64_t deadline, const char *what)
{
	unsigned long want = ticks + 1;

	expect_eq(sbi_set_timer(deadline).error, SBI_SUCCESS, "set_timer error");
	wait_irq_count(&ticks, want);
	expectf(fired_at >= deadline, "%s: interrupt at %lu before its deadline %lu", what,
		(unsigned long)fired_at, (unsigned long)deadline);
	expect_eq(ticks, want, "one interrupt per deadline");
}

/*
 * Arms a near deadline, then replaces it by a later one: only the later may fire. If the
 * first still fired, the handler sees it before the second deadline. Interrupts stay off
 * until the replacement, which also clears a pending one should the first deadline pass
 * in between (a slow host): then the verdict does not depend on timing.
 */
static void rearm(void)
{
	uint64_t now;

	irq_disable();
	now = rdtime();
	expect_eq(sbi_set_timer(now + TICKS_10MS).error, SBI_SUCCESS, "set_timer error");
	one_round(now + 3 * TICKS_10MS, "re-armed timer");
}

/* A deadline cancelled with ~0 must not fire, even well after it has passed (as in rearm). */
static void cancel(void)
{
	unsigned long before = ticks;
	uint64_t now;

	irq_disable();
	now = rdtime();
	expect_eq(sbi_set_timer(now + TICKS_10MS / 10).error, SBI_SUCCESS, "set_timer error");
	expect_eq(sbi_set_timer(~0ULL).error, SBI_SUCCESS, "set_timer(~0) error");
	irq_enable();
	spin_until(now + TICKS_10MS);
	sbi_probe_extension(SBI_EXT_TIME);
	expect_eq(ticks, before, "no interrupt from a cancelled deadline");
}

int main(void)
{
	test_start("sbi_time");
	trap_on_irq(IRQ_S_TIMER, on_timer);
	csr_set(sie, SIE_STIE);

	one_round(rdtime() + TICKS_10MS, "10 ms timer");
	one_round(rdtime() + 2 * TICKS_10MS, "20 ms timer");
	one_round(0, "deadline in the past");
	rearm();
	cancel();

	/* Another exit after the last interrupt: it must have stayed cleared. */
	sbi_probe_extension(SBI_EXT_TIME);
	expect_eq(ticks, 4, "total timer interrupts");
	test_end();
}
