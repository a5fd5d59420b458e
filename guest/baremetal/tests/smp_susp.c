// SPDX-License-Identifier: BSD-2-Clause
// SBI SUSP on 4 vCPUs: DENIED while another hart runs or is suspended; hart 2 suspends the VM.
#include "riscv.h"
#include "sbi.h"
#include "smp.h"
#include "suspend.h"
#include "test.h"

#define TICKS_10MS     100000
#define OPAQUE         0x5355535034484152UL /* "SUSP4HAR" */
#define OPAQUE_REFUSED 0x5245465553454421UL /* "REFUSED!" */
#define SUSPENDER      2

static volatile bool go_suspend;   /* hart 0 to hart 1: HSM-suspend now */
static volatile bool hart1_woke;   /* hart 1 back from its HSM suspend */
static volatile bool denied_done;  /* hart 2 has been denied while hart 0 ran */

/* A resume that must not happen: a refused suspend went through. */
static void wrongly_resumed(unsigned long hartid, unsigned long opaque, unsigned long pc)
{
	(void)pc;
	expectf(false, "hart %lu: a refused system_suspend suspended the VM (opaque 0x%lx)",
		hartid, opaque);
	test_end();
}

/*
 * system_suspend must be DENIED. A timer is due meanwhile, so that a call wrongly taken
 * ends at once: hart 0 then resumes at smp_entry, which has no stack for it and powers
 * off failing, a secondary in wrongly_resumed.
 */
static void denied(const char *what)
{
	struct sbiret r;

	csr_set(sie, SIE_STIE);
	sbi_set_timer(0);
	r = smp_system_suspend(wrongly_resumed, OPAQUE_REFUSED);
	expectf(r.error == SBI_ERR_DENIED, "hart %lu: system_suspend %s: error %ld, want DENIED",
		smp_hartid(), what, r.error);
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);
}

/* Hart 1: runs until told to HSM-suspend, wakes on hart 0's IPI, then runs until stopped. */
static void hart1(unsigned long hartid, unsigned long opaque, unsigned long pc)
{
	(void)hartid;
	(void)opaque;
	(void)pc;
	while (!go_suspend)
		smp_serve();
	csr_set(sie, SIE_SSIE);
	expect_sbi(sbi_hart_suspend(SBI_HSM_SUSPEND_RETENTIVE, 0, 0), SBI_SUCCESS,
		   "hart 1: HSM suspend");
	csr_clear(sip, SIE_SSIE);
	csr_clear(sie, SIE_SSIE);
	smp_mb();
	hart1_woke = true;
	while (smp_serve())
		;
}

/* Hart 0 against hart 1 STARTED, then SUSPENDED; hart 1 stopped afterwards. */
static void against_hart1(void)
{
	struct sbiret r;

	if (!expect_sbi(smp_start(1, hart1, 0), SBI_SUCCESS, "hart_start(1)"))
		return;
	smp_ping(1);
	denied("while hart 1 is STARTED");
	go_suspend = true;
	r = smp_settle(1, HSM_BIT(SBI_HSM_STARTED));
	if (expectf(r.error == SBI_SUCCESS && r.value == SBI_HSM_SUSPENDED,
		    "hart 1 status %ld error %ld, want SUSPENDED", r.value, r.error))
		denied("while hart 1 is SUSPENDED");
	expect_sbi(sbi_send_ipi(1UL << 1, 0), SBI_SUCCESS, "IPI to hart 1");
	while (!hart1_woke)
		;
	smp_stop(1);
}

/* Hart 2, resumed at smp_entry: its register state, then the wake-up's cause. */
static void resumed(unsigned long hartid, unsigned long opaque, unsigned long pc)
{
	struct sbiret r;

	expect_resume(hartid, SUSPENDER, opaque, OPAQUE);
	expectf(pc == (unsigned long)smp_entry, "resumed at 0x%lx, want resume_addr %p", pc,
		smp_entry);
	/* smp_entry cleared sie, which expect_timer_woke sets again */
	expect_timer_woke();
	r = sbi_hart_get_status(SUSPENDER);
	expect(r.error == SBI_SUCCESS && r.value == SBI_HSM_STARTED, "STARTED after the resume");
	test_end();
}

/* Hart 2: denied while hart 0 runs; once every other hart is STOPPED, suspends the VM. */
static void suspender(unsigned long hartid, unsigned long opaque, unsigned long pc)
{
	struct sbiret r;

	(void)hartid;
	(void)opaque;
	(void)pc;
	denied("while hart 0 runs");
	smp_mb();
	denied_done = true;
	r = smp_settle(0, HSM_BIT(SBI_HSM_STARTED) | HSM_BIT(SBI_HSM_STOP_PENDING));
	if (!expectf(r.error == SBI_SUCCESS && r.value == SBI_HSM_STOPPED,
		     "hart 0 status %ld error %ld, want STOPPED", r.value, r.error))
		test_end();
	wake_timer_arm(TICKS_10MS);
	irq_enable();
	r = smp_system_suspend(resumed, OPAQUE);
	irq_disable();
	expectf(false, "hart 2: system_suspend returned: error %ld", r.error);
	test_end();
}

int main(unsigned long hartid)
{
	test_start("smp_susp");
	if (!expect_eq(hartid, 0, "booted on hart 0"))
		test_end();
	smp_init(hartid);
	against_hart1();
	if (!expect_sbi(smp_start(SUSPENDER, suspender, 0), SBI_SUCCESS, "hart_start(2)"))
		test_end();
	while (!denied_done)
		;
	/* Hart 2 finishes the test once hart 0 is out of the way. */
	if (test_failures())
		test_end();
	sbi_hart_stop();
	expect(false, "hart 0: hart_stop returned");
	test_end();
}
