// SPDX-License-Identifier: BSD-2-Clause
// The legacy v0.1 SBI calls: console, timer, IPIs through a mask pointer, fences, shutdown.
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define TICKS_10MS 100000

static volatile unsigned long ticks, ipis;
static volatile uint64_t fired_at;
static unsigned long hart0_mask = 1;

static void on_timer(struct trap_frame *f)
{
	(void)f;
	fired_at = rdtime();
	sbi_legacy(SBI_LEGACY_SET_TIMER, ~0UL, 0, 0, 0);
	ticks++;
}

static void on_ipi(struct trap_frame *f)
{
	(void)f;
	sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0, 0);
	ipis++;
}

static void console(void)
{
	static const char line[] = "sbi_legacy: putchar line\n";
	long c;

	for (const char *p = line; *p; p++)
		if (!expect_eq(sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (unsigned char)*p, 0, 0, 0),
			       0, "console_putchar"))
			break;
	c = sbi_legacy(SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 0, 0);
	expectf(c == -1, "console_getchar with no input returned %ld, want -1", c);
}

static void timer(void)
{
	uint64_t deadline = rdtime() + TICKS_10MS;

	trap_on_irq(IRQ_S_TIMER, on_timer);
	csr_set(sie, SIE_STIE);
	expect_eq(sbi_legacy(SBI_LEGACY_SET_TIMER, deadline, 0, 0, 0), 0, "legacy set_timer");
	wait_irq_count(&ticks, 1);
	expect(fired_at >= deadline, "legacy timer interrupt came before its deadline");
}

/* With interrupts masked the IPI shows as pending in sip; clear_ipi takes it back. */
static void ipi_clear(void)
{
	irq_disable();
	expect_eq(sbi_legacy(SBI_LEGACY_SEND_IPI, (unsigned long)&hart0_mask, 0, 0, 0), 0,
		  "legacy send_ipi");
	expect(csr_read(sip) & SIE_SSIE, "sip.SSIP set after send_ipi to ourselves");
	/* v0.1: positive when an IPI was pending, 0 when none was. */
	expect(sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0, 0) > 0,
	       "legacy clear_ipi with an IPI pending returns a positive value");
	expect_eq(csr_read(sip) & SIE_SSIE, 0, "sip.SSIP clear after clear_ipi");
	expect_eq(sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0, 0), 0,
		  "legacy clear_ipi with nothing pending");
}

static void ipi_taken(void)
{
	trap_on_irq(IRQ_S_SOFT, on_ipi);
	csr_set(sie, SIE_SSIE);
	expect_eq(sbi_legacy(SBI_LEGACY_SEND_IPI, (unsigned long)&hart0_mask, 0, 0, 0), 0,
		  "legacy send_ipi");
	wait_irq_count(&ipis, 1);
	/* An exit after the interrupt: SSIP must have stayed cleared. */
	sbi_legacy(SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 0, 0);
	expect_eq(ipis, 1, "one software interrupt for one send_ipi");
}

static void fences(void)
{
	unsigned long m = (unsigned long)&hart0_mask;

	expect_eq(sbi_legacy(SBI_LEGACY_REMOTE_FENCE_I, m, 0, 0, 0), 0, "remote_fence_i");
	expect_eq(sbi_legacy(SBI_LEGACY_REMOTE_SFENCE_VMA, m, 0, ~0UL, 0), 0,
		  "remote_sfence_vma");
	expect_eq(sbi_legacy(SBI_LEGACY_REMOTE_SFENCE_ASID, m, 0, ~0UL, 1), 0,
		  "remote_sfence_vma_asid");
}

int main(void)
{
	test_start("sbi_legacy");
	console();
	timer();
	ipi_clear();
	ipi_taken();
	fences();
	if (test_report())
		sbi_legacy(SBI_LEGACY_SHUTDOWN, 0, 0, 0, 0);
	gprintf("FAIL: sbi_legacy: legacy shutdown returned\n");
	sbi_shutdown(1);
}
