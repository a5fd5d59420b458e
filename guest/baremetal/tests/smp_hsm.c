// SPDX-License-Identifier: BSD-2-Clause
// SBI HSM on 4 vCPUs: secondaries start as asked, stop, start again, suspend and wake on an IPI.
#include "dtb.h"
#include "riscv.h"
#include "sbi.h"
#include "smp.h"
#include "test.h"

#define NR_HARTS 4
#define OPAQUE(gen, hartid) (0x0badc0de00000000UL | (gen) << 8 | (hartid))
#define OPAQUE_REFUSED(hartid) OPAQUE(0xff, hartid) /* for starts that must fail */
#define NR_STARTS 5 /* harts 1..3, hart 2 again, hart 1 again to suspend */
#define OUTSIDE_RAM 0x1000UL

/* What a secondary found on entry, in arrival order. */
struct arrival {
	unsigned long a0, a1, pc;
};

static struct arrival arrivals[NR_STARTS];
static volatile unsigned int nr_claimed; /* slots taken in arrivals[] */
static volatile unsigned int nr_arrived; /* slots filled in */

/* The suspending hart's findings once the suspend returned. */
static volatile bool resumed;
static volatile long suspend_error;
static volatile unsigned long suspend_sip;

static void arrive(unsigned long a0, unsigned long a1, unsigned long pc)
{
	unsigned int slot = smp_fetch_add(&nr_claimed, 1);

	/* A start too many is counted but has no slot: hart 0 then sees the count wrong. */
	if (slot < NR_STARTS)
		arrivals[slot] = (struct arrival){ .a0 = a0, .a1 = a1, .pc = pc };
	smp_mb();
	smp_fetch_add(&nr_arrived, 1);
}

/* Secondary: records its start, then waits for the go (a stop request) and stops. */
static void park(unsigned long hartid, unsigned long opaque, unsigned long entry_pc)
{
	arrive(hartid, opaque, entry_pc);
	while (smp_serve())
		;
}

/*
 * Secondary: suspends with only SSIE enabled, so that the IPI wakes it without being
 * taken, and reports what woke it. Then it waits for the go like park().
 */
static void suspender(unsigned long hartid, unsigned long opaque, unsigned long entry_pc)
{
	struct sbiret r;

	arrive(hartid, opaque, entry_pc);
	csr_set(sie, SIE_SSIE);
	r = sbi_hart_suspend(SBI_HSM_SUSPEND_RETENTIVE, 0, 0);
	suspend_sip = csr_read(sip);
	csr_clear(sip, SIE_SSIE);
	suspend_error = r.error;
	smp_mb();
	resumed = true;
	while (smp_serve())
		;
}

/* Waits for the n-th arrival; one more would mean a hart started that was not asked to. */
static void wait_arrivals(unsigned int n)
{
	while (nr_arrived < n)
		;
	smp_mb();
	expect_eq(nr_claimed, n, "arrivals so far");
}

/* The hart that brought `opaque` in a1 must be `hartid` in a0 and entered at smp_entry. */
static void expect_arrival(unsigned long hartid, unsigned long opaque)
{
	for (unsigned int i = 0; i < nr_arrived && i < NR_STARTS; i++) {
		if (arrivals[i].a1 != opaque)
			continue;
		expectf(arrivals[i].a0 == hartid, "opaque 0x%lx: a0 %lu, want hart %lu", opaque,
			arrivals[i].a0, hartid);
		expectf(arrivals[i].pc == (unsigned long)smp_entry,
			"hart %lu entered at 0x%lx, want start_addr %p", hartid, arrivals[i].pc,
			smp_entry);
		return;
	}
	expectf(false, "hart %lu: nobody arrived with a1 = opaque 0x%lx", hartid, opaque);
}

/* Polls through the `transient` states, then wants `state`. */
static bool expect_state(unsigned long hartid, unsigned long transient, long state,
			 const char *what)
{
	struct sbiret r = smp_settle(hartid, transient);

	return expectf(r.error == SBI_SUCCESS && r.value == state,
		       "hart %lu %s: status %ld error %ld, want status %ld", hartid, what, r.value,
		       r.error, state);
}

/* False if refused: then no arrival is to be waited for. */
static bool start(unsigned long hartid, smp_fn fn, unsigned long opaque)
{
	struct sbiret r = smp_start(hartid, fn, opaque);

	return expectf(r.error == SBI_SUCCESS, "hart_start(%lu): error %ld", hartid, r.error);
}

/* Stops a parked hart through its go and waits until HSM shows it STOPPED. */
static void release(unsigned long hartid, const char *what)
{
	smp_request_stop(hartid);
	expect_state(hartid, HSM_BIT(SBI_HSM_STARTED) | HSM_BIT(SBI_HSM_STOP_PENDING),
		     SBI_HSM_STOPPED, what);
}

static void before_start(void)
{
	expect_state(0, 0, SBI_HSM_STARTED, "(the boot hart)");
	for (unsigned long h = 1; h < NR_HARTS; h++)
		expect_state(h, 0, SBI_HSM_STOPPED, "before any start");
	expect_sbi(sbi_hart_get_status(NR_HARTS), SBI_ERR_INVALID_PARAM, "get_status(4)");
	expect_sbi(sbi_hart_start(NR_HARTS, (unsigned long)smp_entry, OPAQUE_REFUSED(NR_HARTS)),
		   SBI_ERR_INVALID_PARAM, "hart_start(4)");
}

static bool first_generation(void)
{
	struct sbiret r;
	bool ok = true;

	for (unsigned long h = 1; h < NR_HARTS; h++)
		ok &= start(h, park, OPAQUE(1, h));
	if (!ok)
		return false;
	wait_arrivals(NR_HARTS - 1);
	for (unsigned long h = 1; h < NR_HARTS; h++) {
		expect_arrival(h, OPAQUE(1, h));
		expect_state(h, HSM_BIT(SBI_HSM_START_PENDING), SBI_HSM_STARTED, "while parked");
		r = sbi_hart_start(h, (unsigned long)smp_entry, OPAQUE_REFUSED(h));
		expectf(r.error == SBI_ERR_ALREADY_AVAILABLE,
			"hart_start(%lu) while it runs: error %ld, want ALREADY_AVAILABLE", h,
			r.error);
	}
	for (unsigned long h = 1; h < NR_HARTS; h++)
		release(h, "after its go");
	return true;
}

static bool second_generation(void)
{
	if (!start(2, park, OPAQUE(2, 2)))
		return false;
	wait_arrivals(NR_HARTS);
	expect_arrival(2, OPAQUE(2, 2));
	expect_state(2, HSM_BIT(SBI_HSM_START_PENDING), SBI_HSM_STARTED, "started again");
	expect_state(1, 0, SBI_HSM_STOPPED, "while hart 2 runs again");
	expect_state(3, 0, SBI_HSM_STOPPED, "while hart 2 runs again");
	release(2, "after its second go");
	return true;
}

/* Polls until hart 1 is SUSPENDED; false if it left suspend (or failed) before. */
static bool wait_suspended(void)
{
	struct sbiret r;

	do {
		r = sbi_hart_get_status(1);
	} while (!r.error && !resumed &&
		 (r.value == SBI_HSM_START_PENDING || r.value == SBI_HSM_STARTED));
	return expectf(r.error == SBI_SUCCESS && r.value == SBI_HSM_SUSPENDED,
		       "hart 1 in suspend: status %ld error %ld (resumed %d), want SUSPENDED",
		       r.value, r.error, resumed);
}

static void suspend_and_wake(void)
{
	if (!start(1, suspender, OPAQUE(2, 1)))
		return;
	wait_arrivals(NR_HARTS + 1);
	expect_arrival(1, OPAQUE(2, 1));
	if (!wait_suspended())
		return;
	expect_sbi(sbi_send_ipi(1UL << 1, 0), SBI_SUCCESS, "IPI to the suspended hart 1");
	while (!resumed)
		;
	smp_mb();
	expect_state(1, HSM_BIT(SBI_HSM_SUSPENDED), SBI_HSM_STARTED, "after its IPI");
	expect_eq(suspend_error, SBI_SUCCESS, "hart 1: suspend error");
	expect(suspend_sip & SIE_SSIE, "hart 1 left suspend with SSIP pending");
	release(1, "after its suspend");
}

/* Last: if a bad start_addr were accepted, the hart would run off into the unknown. */
static void bad_start_addresses(const void *dtb)
{
	uint64_t base, size;

	expect_sbi(sbi_hart_start(3, OUTSIDE_RAM, OPAQUE_REFUSED(3)), SBI_ERR_INVALID_ADDRESS,
		   "hart_start(3) at 0x1000");
	expect_state(3, 0, SBI_HSM_STOPPED, "after a refused start");
	if (!expect(dtb_memory(dtb, &base, &size), "DTB has a memory node"))
		return;
	expectf(sbi_hart_start(1, base + size, OPAQUE_REFUSED(1)).error == SBI_ERR_INVALID_ADDRESS,
		"hart_start(1) at RAM end 0x%lx: want INVALID_ADDRESS", (unsigned long)(base + size));
	expect_state(1, 0, SBI_HSM_STOPPED, "after a refused start");
}

int main(unsigned long hartid, const void *dtb)
{
	test_start("smp_hsm");
	expect_eq(hartid, 0, "booted on hart 0");
	smp_init(hartid);
	before_start();
	/* Each stage counts on the arrivals of the ones before. */
	if (first_generation() && second_generation())
		suspend_and_wake();
	bad_start_addresses(dtb);
	test_end();
}
