// SPDX-License-Identifier: BSD-2-Clause
// SBI IPI send_ipi to ourselves: the supervisor software interrupt arrives once and clears.
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define STORM 100

static volatile unsigned long ipis;

static void on_ipi(struct trap_frame *f)
{
	(void)f;
	/* SBI v0.2+ IPIs are acknowledged by the supervisor itself, in sip. */
	csr_clear(sip, SIE_SSIE);
	if (++ipis > STORM)
		csr_clear(sie, SIE_SSIE);
}

static void send_and_wait(unsigned long mask, unsigned long base, const char *what)
{
	unsigned long want = ipis + 1;
	struct sbiret r = sbi_send_ipi(mask, base);

	if (!expectf(r.error == SBI_SUCCESS, "%s: error %ld", what, r.error))
		return;
	wait_irq_count(&ipis, want);
	expectf(ipis == want, "%s: %lu interrupts, want one", what, ipis - want + 1);
}

static void send_bad(unsigned long mask, unsigned long base, const char *what)
{
	expectf(sbi_send_ipi(mask, base).error == SBI_ERR_INVALID_PARAM,
		"%s: want INVALID_PARAM", what);
}

int main(void)
{
	test_start("sbi_ipi");
	trap_on_irq(IRQ_S_SOFT, on_ipi);
	csr_set(sie, SIE_SSIE);
	irq_enable();

	send_and_wait(1, 0, "mask 1 base 0");
	send_and_wait(0, -1UL, "base -1 (all harts; mask ignored)");
	send_and_wait(1, -1UL, "mask 1 base -1");

	send_bad(1, 1, "hart 1 (base 1)");
	send_bad(2, 0, "hart 1 (mask bit 1)");
	send_bad(1, 99, "hart 99");

	/* An exit after the last interrupt: SSIP must have stayed clear. */
	sbi_probe_extension(SBI_EXT_IPI);
	expect_eq(ipis, 3, "total software interrupts");
	expect_eq(csr_read(sip) & SIE_SSIE, 0, "sip.SSIP clear at the end");
	test_end();
}
