// SPDX-License-Identifier: BSD-2-Clause
// SBI HSM on a one-vCPU VM: status, start of a running hart, retentive suspend, bad arguments.
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define TICKS_10MS 100000

static volatile unsigned long ticks;

static void on_timer(struct trap_frame *f)
{
	(void)f;
	sbi_set_timer(~0ULL);
	ticks++;
}

static void status(void)
{
	struct sbiret r = sbi_hart_get_status(0);

	expect_sbi(r, SBI_SUCCESS, "get_status(0)");
	expect_eq(r.value, SBI_HSM_STARTED, "hart 0 is STARTED");
	expect_sbi(sbi_hart_get_status(1), SBI_ERR_INVALID_PARAM, "get_status(1)");
	expect_sbi(sbi_hart_get_status(99), SBI_ERR_INVALID_PARAM, "get_status(99)");
}

static void start(void)
{
	expect_sbi(sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 0, 0x80200000, 0, 0, 0, 0),
		   SBI_ERR_ALREADY_AVAILABLE, "hart_start(0) while it runs");
	expect_sbi(sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 1, 0x80200000, 0, 0, 0, 0),
		   SBI_ERR_INVALID_PARAM, "hart_start(1)");
}

/*
 * Default retentive suspend returns once an interrupt is pending, like wfi, even with
 * sstatus.SIE clear; the interrupt is then taken when SIE is set.
 */
static void suspend(void)
{
	uint64_t deadline;
	struct sbiret r;

	trap_on_irq(IRQ_S_TIMER, on_timer);
	csr_set(sie, SIE_STIE);
	irq_disable();
	deadline = rdtime() + TICKS_10MS;
	sbi_set_timer(deadline);
	r = sbi_hart_suspend(SBI_HSM_SUSPEND_RETENTIVE, 0, 0);
	expect_sbi(r, SBI_SUCCESS, "retentive suspend");
	expect(rdtime() >= deadline, "suspend returned before the timer deadline");
	expect_eq(ticks, 0, "no interrupt taken while SIE was clear");
	irq_enable();
	expect_eq(ticks, 1, "timer interrupt taken after suspend");
	expect_sbi(sbi_hart_get_status(0), SBI_SUCCESS, "get_status(0) after suspend");
	expect_eq(sbi_hart_get_status(0).value, SBI_HSM_STARTED, "STARTED after suspend");
}

/* Reserved suspend types must be refused, not slept on (no timer is armed here). */
static void bad_suspend(void)
{
	static const unsigned long types[] = { 0x1, 0x0fffffff, 0x80000001, 0x8fffffff };

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		expectf(sbi_hart_suspend(types[i], 0x80200000, 0).error == SBI_ERR_INVALID_PARAM,
			"suspend type 0x%lx: want INVALID_PARAM", types[i]);
}

int main(void)
{
	test_start("sbi_hsm");
	status();
	start();
	suspend();
	bad_suspend();
	expect_sbi(sbi_ecall(SBI_EXT_HSM, 4, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, "HSM fid 4");
	test_end();
}
