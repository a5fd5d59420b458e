// SPDX-License-Identifier: BSD-2-Clause
// SBI IPI on 4 vCPUs: each mask, base and broadcast reaches exactly its targets, which answer.
#include "riscv.h"
#include "sbi.h"
#include "smp.h"
#include "test.h"
#include "trap.h"

#define NR_HARTS  4
#define ALL_HARTS (-1UL) /* hart_mask_base: every started hart, mask ignored */
#define BIT(i)    (1UL << (i))

/* Software interrupts taken, per hart; each is written by its own hart's handler only. */
static volatile unsigned long taken[NR_HARTS];

/* Per secondary: answer IPIs sent to hart 0, and the first error of one. */
static volatile unsigned long answered[NR_HARTS];
static volatile long answer_error[NR_HARTS];

/* answered[] as hart 0's handler read it: which answers an interrupt of hart 0 covered. */
static volatile unsigned long seen[NR_HARTS];

/*
 * The one secondary allowed to answer now (0: none). SSIP is a single bit, so answers that
 * overlap would merge into fewer interrupts; one at a time, hart 0's count stays exact.
 */
static volatile unsigned long answer_turn;

/* Hart 0's bookkeeping: the interrupts each hart should have taken so far. */
static unsigned long want[NR_HARTS];

static void on_ipi(struct trap_frame *f)
{
	unsigned long me = smp_hartid();

	(void)f;
	csr_clear(sip, SIE_SSIE);
	taken[me]++;
	if (me != 0)
		return;
	/* After the clear: an answer written after this read brings another interrupt. */
	smp_mb();
	for (unsigned long h = 1; h < NR_HARTS; h++)
		seen[h] = answered[h];
}

static void answer(unsigned long me)
{
	struct sbiret r;

	answered[me]++;
	/* Hart 0's handler must find the count already raised when the interrupt comes. */
	smp_mb();
	r = sbi_send_ipi(BIT(0), 0);
	if (r.error && !answer_error[me])
		answer_error[me] = r.error;
}

/*
 * Whether `me` has an IPI to answer now. The turn is read last: an IPI counted here was sent
 * after hart 0 ended any earlier turn, so a turn read before the count could be stale.
 */
static bool may_answer(unsigned long me)
{
	if (answered[me] >= taken[me])
		return false;
	smp_mb();
	return answer_turn == me;
}

/* Secondary: takes IPIs in the loop below and answers each once it is its turn. */
static void worker(unsigned long hartid, unsigned long opaque, unsigned long entry_pc)
{
	(void)opaque;
	(void)entry_pc;
	csr_set(sie, SIE_SSIE);
	irq_enable();
	while (smp_serve())
		if (may_answer(hartid))
			answer(hartid);
}

static void expect_counts(const char *what)
{
	for (unsigned long h = 0; h < NR_HARTS; h++)
		expectf(taken[h] == want[h], "%s: hart %lu took %lu IPIs, want %lu", what, h,
			taken[h], want[h]);
}

/* Lets `hartid` answer its IPIs and waits until hart 0 took the interrupt that shows them. */
static void collect_answers(unsigned long hartid, const char *what)
{
	answer_turn = hartid;
	while (seen[hartid] < want[hartid])
		;
	answer_turn = 0;
	/* Ended before any later IPI can reach the hart. */
	smp_mb();
	want[0]++;
	expectf(taken[0] == want[0], "%s: answer of hart %lu: hart 0 took %lu IPIs, want %lu",
		what, hartid, taken[0], want[0]);
}

/* One IPI to each hart in `targets` (hart 0 included if named), then their answers. */
static void send(unsigned long mask, unsigned long base, unsigned long targets,
		 const char *what)
{
	struct sbiret r = sbi_send_ipi(mask, base);

	if (!expectf(r.error == SBI_SUCCESS, "%s: error %ld", what, r.error))
		return;
	for (unsigned long h = 0; h < NR_HARTS; h++) {
		if (!(targets & BIT(h)))
			continue;
		want[h]++;
		while (taken[h] < want[h])
			;
	}
	expect_counts(what);
	for (unsigned long h = 1; h < NR_HARTS; h++)
		if (targets & BIT(h))
			collect_answers(h, what);
}

static void refuse(unsigned long mask, unsigned long base, const char *what)
{
	struct sbiret r = sbi_send_ipi(mask, base);

	expectf(r.error == SBI_ERR_INVALID_PARAM, "%s: error %ld, want INVALID_PARAM", what,
		r.error);
}

static bool start_workers(void)
{
	bool ok = true;

	for (unsigned long h = 1; h < NR_HARTS; h++)
		ok &= expect_sbi(smp_start(h, worker, h), SBI_SUCCESS, "hart_start");
	if (!ok)
		return false;
	/* An answer means the worker has its interrupts on. */
	for (unsigned long h = 1; h < NR_HARTS; h++)
		smp_ping(h);
	return true;
}

/* A refused call sends to none of its harts, not even the started ones it names. */
static void refused_masks(void)
{
	refuse(0xe, 0, "mask 0b1110 with hart 3 stopped");
	refuse(0x9, 0, "mask 0b1001 (harts 0 and 3)");
	refuse(BIT(3), 0, "hart 3 stopped");
	refuse(0x3, 2, "mask 0b11 base 2 (harts 2 and 3)");
	refuse(BIT(NR_HARTS), 0, "hart 4 (no such vCPU)");
	refuse(0x1, NR_HARTS, "base 4");
	/* A stray IPI would show as one more interrupt here or at a later count. */
	smp_ping(1);
	smp_ping(2);
	expect_counts("after the refused masks");
}

int main(unsigned long hartid)
{
	test_start("smp_ipi");
	expect_eq(hartid, 0, "booted on hart 0");
	smp_init(hartid);
	trap_on_irq(IRQ_S_SOFT, on_ipi);
	csr_set(sie, SIE_SSIE);
	irq_enable();
	if (!start_workers())
		test_end();

	send(BIT(1), 0, BIT(1), "hart 1 alone");
	send(BIT(2), 0, BIT(2), "hart 2 alone");
	send(BIT(3), 0, BIT(3), "hart 3 alone");
	send(0xe, 0, 0xe, "mask 0b1110 base 0");
	send(0x7, 1, 0xe, "mask 0b111 base 1");
	send(0x5, 1, BIT(1) | BIT(3), "mask 0b101 base 1");
	send(0, ALL_HARTS, 0xf, "base -1");

	if (smp_stop(3)) {
		refused_masks();
		send(0, ALL_HARTS, 0x7, "base -1 with hart 3 stopped");
	}
	for (unsigned long h = 1; h < NR_HARTS; h++)
		expectf(answer_error[h] == SBI_SUCCESS, "hart %lu: answer IPI error %ld", h,
			answer_error[h]);
	test_end();
}
