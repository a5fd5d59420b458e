// SPDX-License-Identifier: BSD-2-Clause
// vCPUs stopping at once: rounds of three at a time, then the last two together: the VM must end.
#include "print.h"
#include "sbi.h"
#include "smp.h"
#include "test.h"

#define NR_HARTS 4
#define ROUNDS   50
#define LAST     (ROUNDS + 1) /* harts 2 and 3 stop first in the last round, hart 1 with hart 0 */

static volatile unsigned int arrived;
static volatile unsigned long go; /* stoppers of this round and earlier ones may stop */

/* Arrives, waits for its round's go and returns: smp_entry then calls hart_stop. */
static void stopper(unsigned long hartid, unsigned long round, unsigned long entry_pc)
{
	(void)hartid;
	(void)entry_pc;
	smp_fetch_add(&arrived, 1);
	while (go < round)
		;
}

static void settle_stopped(unsigned long round, unsigned long h)
{
	struct sbiret r = smp_settle(h, HSM_BIT(SBI_HSM_STARTED) | HSM_BIT(SBI_HSM_STOP_PENDING));

	expectf(!r.error && r.value == SBI_HSM_STOPPED, "round %lu: hart %lu status %ld", round, h,
		r.value);
}

/* Starts harts 1..3 (hart h for round + (h == 1 ? extra : 0)); waits until all three spin. */
static void start_stoppers(unsigned long round, unsigned long extra)
{
	arrived = 0;
	smp_mb();
	for (unsigned long h = 1; h < NR_HARTS; h++) {
		settle_stopped(round, h);
		expect_sbi(smp_start(h, stopper, round + (h == 1 ? extra : 0)), SBI_SUCCESS,
			   "hart_start of a stopper");
	}
	while (arrived != NR_HARTS - 1)
		;
}

int main(unsigned long hartid)
{
	struct sbiret r;

	test_start("smp_stop_all");
	smp_init(hartid);
	for (unsigned long round = 1; round <= ROUNDS; round++) {
		start_stoppers(round, 0);
		go = round;
		smp_mb();
	}
	gprintf("smp_stop_all: %d rounds of %d vCPUs stopping at once\n", ROUNDS, NR_HARTS - 1);
	start_stoppers(LAST, 1);
	go = LAST;
	settle_stopped(LAST, 2);
	settle_stopped(LAST, 3);
	if (!test_report())
		sbi_shutdown(1);
	gprintf("smp_stop_all: the last 2 vCPUs stop at once\n");
	/* Each of the two may see the other still alive: the VM must end all the same. */
	go = LAST + 1;
	smp_mb();
	r = sbi_hart_stop();
	gprintf("FAIL: smp_stop_all: hart_stop of hart 0 returned %ld\n", r.error);
	sbi_shutdown(1);
	return 0;
}
