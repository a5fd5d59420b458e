// SPDX-License-Identifier: BSD-2-Clause
// WFI: wakes on an enabled interrupt even with sstatus.SIE clear, and at once if one is pending.
#include "dtb.h"
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define TICKS_10MS 100000

static volatile unsigned long ticks, ipis;
static bool sstc;

static void on_timer(struct trap_frame *f)
{
	(void)f;
	if (sstc)
		csr_write(CSR_STIMECMP, ~0UL);
	sbi_set_timer(~0ULL);
	ticks++;
}

static void on_ipi(struct trap_frame *f)
{
	(void)f;
	csr_clear(sip, SIE_SSIE);
	ipis++;
}

/*
 * One wfi, SIE clear, timer enabled in sie: it must return, and only once the deadline
 * has passed (nothing else can wake us). The interrupt is then taken when SIE is set.
 */
static void wfi_until(uint64_t deadline, const char *what)
{
	unsigned long before = ticks;

	wfi();
	expectf(rdtime() >= deadline, "%s: wfi returned before the deadline", what);
	expectf(ticks == before, "%s: interrupt taken with SIE clear", what);
	irq_enable();
	expectf(ticks == before + 1, "%s: interrupt not taken once SIE was set", what);
	irq_disable();
}

static void timer_wakeup(void)
{
	uint64_t deadline = rdtime() + TICKS_10MS;

	sbi_set_timer(deadline);
	wfi_until(deadline, "SBI timer");
	if (sstc) {
		deadline = rdtime() + TICKS_10MS;
		csr_write(CSR_STIMECMP, deadline);
		wfi_until(deadline, "stimecmp timer");
	}
}

/*
 * Interrupts already pending when wfi runs: it must not wait (if it did, nothing else is
 * armed to wake us and the run hangs, which the runner reports).
 */
static void pending_wakeup(void)
{
	gprintf("wfi: wfi with a software interrupt pending\n");
	csr_set(sip, SIE_SSIE);
	wfi();
	expect(csr_read(sip) & SIE_SSIE, "wfi consumed the pending SSIP");
	irq_enable();
	expect_eq(ipis, 1, "pending software interrupt taken after wfi");
	irq_disable();

	gprintf("wfi: wfi with a timer interrupt pending\n");
	sbi_set_timer(0);
	wfi();
	irq_enable();
	expect_eq(ticks, sstc ? 3 : 2, "pending timer interrupt taken after wfi");
	irq_disable();
}

int main(unsigned long hartid, const void *dtb)
{
	(void)hartid;
	test_start("wfi");
	sstc = dtb_has_isa_ext(dtb, "sstc");
	trap_on_irq(IRQ_S_TIMER, on_timer);
	trap_on_irq(IRQ_S_SOFT, on_ipi);
	irq_disable();
	csr_set(sie, SIE_STIE | SIE_SSIE);
	timer_wakeup();
	pending_wakeup();
	test_end();
}
