// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the PLIC model: registers, claim/complete, level sources and notifications. */
#include <stddef.h>
#include <string.h>

#include "plic.h"
#include "dev_access.h"

#define BASE 0x0c000000ULL
#define NDEV 40 /* the second bitmap word is only partly real: ids 32..40 */
#define NCTX 2

static struct plic p;

/* Every notify call, in order, and the level each context was last told. */
static struct {
	unsigned ctx;
	bool level;
} notes[32];
static unsigned nnotes;
static bool eip[PLIC_MAX_CONTEXTS];
static bool claim_on_notify; /* the notify handler claims for the context it raises */
static bool claim_next;      /* ... for the next context instead */
static uint32_t claimed_in_notify;

static uint32_t claim(unsigned ctx);

static void record(void *opaque, unsigned ctx, bool level)
{
	CHECK(opaque == &eip);
	CHECK(ctx < p.nctx);
	if (ctx >= p.nctx)
		return;
	CHECK(eip[ctx] != level); /* only changes are reported */
	eip[ctx] = level;
	if (nnotes < sizeof(notes) / sizeof(notes[0])) {
		notes[nnotes].ctx = ctx;
		notes[nnotes].level = level;
	}
	nnotes++;
	if (claim_on_notify && level)
		claimed_in_notify = claim(claim_next ? (ctx + 1) % p.nctx : ctx);
}

static void setup(unsigned ndev, unsigned nctx)
{
	unsigned i;

	plic_init(&p, BASE, ndev, nctx, record, &eip);
	nnotes = 0;
	claim_on_notify = false;
	claim_next = false;
	claimed_in_notify = 0;
	for (i = 0; i < PLIC_MAX_CONTEXTS; i++)
		eip[i] = false;
}

/* The accesses of dev_access.h, on p.dev. */
#define rd(off, width, val) dev_read(&p.dev, off, width, val)
#define wr(off, width, val)  dev_write(&p.dev, off, width, val)
#define rd32(off)            dev_read32(&p.dev, off)
#define wr32(off, val)       dev_write32(&p.dev, off, val)

static uint64_t prio_off(unsigned id)
{
	return PLIC_PRIORITY + 4 * id;
}

static uint64_t pending_off(unsigned id)
{
	return PLIC_PENDING + 4 * (id / 32);
}

static uint64_t enable_off(unsigned ctx, unsigned id)
{
	return PLIC_ENABLE + PLIC_ENABLE_STRIDE * ctx + 4 * (id / 32);
}

static uint64_t ctx_off(unsigned ctx, unsigned reg)
{
	return PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * ctx + reg;
}

static void set_prio(unsigned id, uint32_t prio)
{
	wr32(prio_off(id), prio);
}

static void set_enable(unsigned ctx, unsigned id, bool on)
{
	uint32_t word = rd32(enable_off(ctx, id));

	if (on)
		word |= 1u << (id % 32);
	else
		word &= ~(1u << (id % 32));
	wr32(enable_off(ctx, id), word);
}

static bool is_pending(unsigned id)
{
	return rd32(pending_off(id)) & (1u << (id % 32));
}

static void set_threshold(unsigned ctx, uint32_t val)
{
	wr32(ctx_off(ctx, PLIC_THRESHOLD), val);
}

static uint32_t claim(unsigned ctx)
{
	return rd32(ctx_off(ctx, PLIC_CLAIM));
}

static void complete(unsigned ctx, uint32_t id)
{
	wr32(ctx_off(ctx, PLIC_CLAIM), id);
}

static void irq(unsigned src, bool level)
{
	CHECK_EQ(plic_set_irq(&p, src, level), 0);
}

/* Source id with priority prio, enabled for ctx, line high. */
static void raise_src(unsigned ctx, unsigned id, uint32_t prio)
{
	set_prio(id, prio);
	set_enable(ctx, id, true);
	irq(id, true);
}

static void test_init(void)
{
	unsigned id, ctx;

	setup(NDEV, NCTX);
	CHECK_EQ(p.dev.base, BASE);
	CHECK_EQ(p.dev.size, 0x600000);
	CHECK(p.dev.opaque == &p);
	CHECK(p.dev.read && p.dev.write);
	for (id = 0; id <= NDEV; id++)
		CHECK_EQ(rd32(prio_off(id)), 0);
	for (id = 0; id < 64; id += 32)
		CHECK_EQ(rd32(pending_off(id)), 0);
	for (ctx = 0; ctx < NCTX; ctx++) {
		CHECK_EQ(rd32(enable_off(ctx, 0)), 0);
		CHECK_EQ(rd32(enable_off(ctx, 32)), 0);
		CHECK_EQ(rd32(ctx_off(ctx, PLIC_THRESHOLD)), 0);
		CHECK_EQ(claim(ctx), 0);
	}
	CHECK_EQ(nnotes, 0);
}

/* 3 priority bits: the rest of a write is dropped, every 3-bit value sticks. */
static void test_priority_warl(void)
{
	uint32_t v;

	setup(NDEV, NCTX);
	set_prio(1, 0xffffffff);
	CHECK_EQ(rd32(prio_off(1)), 7);
	set_prio(1, 8);
	CHECK_EQ(rd32(prio_off(1)), 0);
	set_prio(1, 0x1d);
	CHECK_EQ(rd32(prio_off(1)), 5);
	for (v = 0; v <= 7; v++) {
		set_prio(NDEV, v);
		CHECK_EQ(rd32(prio_off(NDEV)), v);
	}
	CHECK_EQ(rd32(prio_off(2)), 0); /* neighbours untouched */
	CHECK_EQ(rd32(prio_off(NDEV - 1)), 0);
	/* Past ndev the priority words are reserved. */
	set_prio(NDEV + 1, 7);
	CHECK_EQ(rd32(prio_off(NDEV + 1)), 0);
	set_prio(1023, 7);
	CHECK_EQ(rd32(prio_off(1023)), 0);
}

static void test_source0_hardwired(void)
{
	setup(NDEV, NCTX);
	set_prio(0, 7);
	CHECK_EQ(rd32(prio_off(0)), 0);
	wr32(enable_off(0, 0), 0xffffffff);
	CHECK_EQ(rd32(enable_off(0, 0)), 0xfffffffe);
	CHECK_EQ(plic_set_irq(&p, 0, true), -1);
	CHECK_EQ(rd32(pending_off(0)), 0);
	CHECK_EQ(plic_set_irq(&p, NDEV + 1, true), -1);
	CHECK_EQ(rd32(pending_off(NDEV + 1)), 0);
	complete(0, 0);
	CHECK_EQ(claim(0), 0);
	CHECK_EQ(nnotes, 0);
}

static void test_pending_read_only(void)
{
	setup(NDEV, NCTX);
	irq(1, true);
	irq(33, true);
	CHECK_EQ(rd32(pending_off(1)), 1u << 1);
	CHECK_EQ(rd32(pending_off(33)), 1u << 1);
	wr32(pending_off(1), 0);
	wr32(pending_off(33), 0xffffffff);
	CHECK_EQ(rd32(pending_off(1)), 1u << 1);
	CHECK_EQ(rd32(pending_off(33)), 1u << 1);
	/* Pending alone, with priority 0 and nothing enabled, is not an interrupt. */
	CHECK_EQ(claim(0), 0);
	CHECK_EQ(nnotes, 0);
	set_prio(33, 1);
	set_enable(0, 33, true);
	CHECK_EQ(claim(0), 33);
	CHECK_EQ(rd32(pending_off(33)), 0);
}

/* Enable words hold only bits of real sources; each context has its own. */
static void test_enable_per_context(void)
{
	setup(NDEV, NCTX);
	wr32(enable_off(0, 0), 0x12345678);
	wr32(enable_off(1, 0), 0x0000f000);
	wr32(enable_off(0, 32), 0xffffffff);
	CHECK_EQ(rd32(enable_off(0, 0)), 0x12345678);
	CHECK_EQ(rd32(enable_off(1, 0)), 0x0000f000);
	CHECK_EQ(rd32(enable_off(0, 32)), 0x1ff); /* ids 32..40 */
	CHECK_EQ(rd32(enable_off(1, 32)), 0);
	wr32(enable_off(0, 64), 0xffffffff);
	CHECK_EQ(rd32(enable_off(0, 64)), 0);
	wr32(enable_off(0, 1023), 0xffffffff);
	CHECK_EQ(rd32(enable_off(0, 1023)), 0);

	setup(95, NCTX); /* QEMU virt's riscv,ndev */
	wr32(enable_off(1, 64), 0xffffffff);
	CHECK_EQ(rd32(enable_off(1, 64)), 0xffffffff);
	wr32(enable_off(1, 96), 0xffffffff);
	CHECK_EQ(rd32(enable_off(1, 96)), 0);
}

static void test_two_contexts(void)
{
	setup(NDEV, NCTX);
	set_prio(1, 1);
	set_prio(2, 1);
	set_enable(0, 1, true);
	set_enable(1, 2, true);
	irq(1, true);
	CHECK_EQ(nnotes, 1);
	CHECK(eip[0] && !eip[1]);
	CHECK_EQ(claim(1), 0); /* not enabled for context 1 */
	CHECK(is_pending(1));
	irq(2, true);
	CHECK_EQ(nnotes, 2);
	CHECK(eip[0] && eip[1]);
	CHECK_EQ(claim(0), 1);
	CHECK(!eip[0] && eip[1]);
	CHECK_EQ(claim(1), 2);
	CHECK(!eip[0] && !eip[1]);
	CHECK_EQ(nnotes, 4);

	/* A source enabled in both contexts notifies both; one claim takes it from both. */
	raise_src(0, 3, 2);
	set_enable(1, 3, true);
	CHECK(eip[0] && eip[1]);
	CHECK_EQ(claim(1), 3);
	CHECK(!eip[0] && !eip[1]);
	CHECK_EQ(claim(0), 0);
	/* Completion is not tied to the claiming context: context 0 has it enabled too. */
	irq(3, false);
	complete(0, 3);
	irq(3, true);
	CHECK(eip[0] && eip[1]);
}

/*
 * Only priorities strictly above the threshold interrupt; a claim ignores the threshold
 * (PLIC spec 1.0.0), so a guest may poll at threshold 7.
 */
static void test_threshold(void)
{
	setup(NDEV, NCTX);
	set_threshold(0, 3);
	raise_src(0, 5, 3);
	CHECK(!eip[0]);
	CHECK_EQ(claim(0), 5);
	CHECK(!is_pending(5));
	complete(0, 5);
	CHECK(is_pending(5));
	CHECK(!eip[0]);
	CHECK_EQ(nnotes, 0);
	set_threshold(0, 2);
	CHECK(eip[0]);
	CHECK_EQ(nnotes, 1);
	set_threshold(0, 3);
	CHECK(!eip[0]);
	CHECK_EQ(nnotes, 2);
	set_prio(5, 4);
	CHECK(eip[0]);
	set_threshold(0, 0xfffffff8 | 7); /* WARL: masks everything */
	CHECK_EQ(rd32(ctx_off(0, PLIC_THRESHOLD)), 7);
	CHECK(!eip[0]);
	set_threshold(0, 8);
	CHECK_EQ(rd32(ctx_off(0, PLIC_THRESHOLD)), 0);
	CHECK(eip[0]);
	CHECK_EQ(rd32(ctx_off(1, PLIC_THRESHOLD)), 0); /* per context */
	/* Priority 0 never interrupts, even at threshold 0. */
	set_prio(5, 0);
	CHECK(!eip[0]);
	CHECK_EQ(claim(0), 0);
}

static void test_claim_order(void)
{
	setup(NDEV, NCTX);
	raise_src(0, 5, 2);
	raise_src(0, 3, 2);
	raise_src(0, 40, 6);
	raise_src(0, 9, 6);
	raise_src(0, 7, 1);
	raise_src(0, 33, 0xf); /* WARL: 7, the highest */
	CHECK_EQ(claim(0), 33);
	CHECK_EQ(claim(0), 9);
	CHECK_EQ(claim(0), 40);
	CHECK_EQ(claim(0), 3);
	CHECK_EQ(claim(0), 5);
	CHECK(eip[0]);
	CHECK_EQ(claim(0), 7);
	CHECK(!eip[0]);
	CHECK_EQ(claim(0), 0);
	CHECK_EQ(nnotes, 2);
}

/* Sources pending in several words: the highest priority wins wherever it sits. */
static void test_claim_across_words(void)
{
	setup(95, NCTX);
	raise_src(0, 2, 3);
	raise_src(0, 31, 3);
	raise_src(0, 64, 5);
	raise_src(0, 95, 6);
	raise_src(0, 32, 5);
	raise_src(0, 63, 6);
	irq(70, true); /* pending, not enabled */
	set_prio(70, 7);
	raise_src(1, 40, 7); /* enabled for context 1 only */
	CHECK_EQ(rd32(pending_off(64)), (1u << 0) | (1u << 6) | (1u << 31));
	CHECK_EQ(claim(0), 63);
	CHECK_EQ(claim(0), 95);
	CHECK_EQ(claim(0), 32);
	CHECK_EQ(claim(0), 64);
	CHECK_EQ(claim(0), 2);
	CHECK(eip[0]);
	CHECK_EQ(claim(0), 31);
	CHECK(!eip[0]);
	CHECK_EQ(claim(0), 0);
	CHECK(is_pending(70) && is_pending(40));
	CHECK_EQ(claim(1), 40);
	/* The threshold gates the line by the best source in any word. */
	complete(0, 95);
	set_threshold(0, 6);
	CHECK(!eip[0]);
	set_prio(95, 7);
	CHECK(eip[0]);
}

/* Every id, alone, is the one claimed: each bit of each word is found. */
static void test_claim_every_id(void)
{
	unsigned id;

	setup(PLIC_MAX_SOURCES, 1);
	for (id = 1; id <= PLIC_MAX_SOURCES; id++) {
		raise_src(0, id, 1);
		CHECK(eip[0]);
		CHECK_EQ(claim(0), id);
		CHECK(!eip[0]);
		irq(id, false);
		complete(0, id);
		CHECK_EQ(claim(0), 0);
	}
	CHECK_EQ(nnotes, 2 * PLIC_MAX_SOURCES);
}

/*
 * One interrupt as a driver handles it: the line drops while the source is in service,
 * which changes no level; the completion then finds nothing to re-pend.
 */
static void test_request_cycle(void)
{
	setup(NDEV, NCTX);
	set_prio(3, 1);
	set_enable(0, 3, true);
	set_enable(1, 3, true);
	irq(3, true);
	CHECK_EQ(nnotes, 2);
	CHECK_EQ(claim(1), 3);
	CHECK_EQ(nnotes, 4);
	irq(3, false);
	CHECK_EQ(nnotes, 4);
	complete(1, 3);
	CHECK_EQ(nnotes, 4);
	CHECK_EQ(claim(0), 0);
	CHECK_EQ(claim(1), 0);
	CHECK(!is_pending(3) && !eip[0] && !eip[1]);
	irq(3, true);
	CHECK_EQ(nnotes, 6);
	CHECK(eip[0] && eip[1]);
}

static void test_claim_clears_pending(void)
{
	setup(NDEV, NCTX);
	raise_src(0, 4, 1);
	raise_src(0, 6, 1);
	CHECK_EQ(rd32(pending_off(0)), (1u << 4) | (1u << 6));
	CHECK_EQ(claim(0), 4);
	CHECK_EQ(rd32(pending_off(0)), 1u << 6);
	CHECK_EQ(claim(0), 6);
	CHECK_EQ(rd32(pending_off(0)), 0);
	/* In service, a still-high line does not pend again. */
	irq(4, true);
	CHECK(!is_pending(4));
	CHECK_EQ(claim(0), 0);
}

static void test_claim_nothing(void)
{
	setup(NDEV, NCTX);
	CHECK_EQ(claim(0), 0);
	CHECK_EQ(claim(1), 0);
	set_prio(2, 3);
	set_enable(0, 2, true);
	CHECK_EQ(claim(0), 0); /* enabled with priority, but its line is low */
	CHECK_EQ(nnotes, 0);
}

static void test_complete_repends(void)
{
	setup(NDEV, NCTX);
	raise_src(0, 10, 1);
	CHECK_EQ(claim(0), 10);
	CHECK(!eip[0]);
	complete(0, 10);
	CHECK(is_pending(10));
	CHECK(eip[0]);
	CHECK_EQ(claim(0), 10);
	irq(10, false);
	complete(0, 10);
	CHECK(!is_pending(10));
	CHECK(!eip[0]);
	CHECK_EQ(claim(0), 0);
	/* Dropped and raised again while in service: pends once completed. */
	irq(10, true);
	CHECK_EQ(claim(0), 10);
	irq(10, false);
	irq(10, true);
	CHECK(!is_pending(10));
	complete(0, 10);
	CHECK(is_pending(10));
	CHECK_EQ(nnotes, 7);
}

static void test_complete_ignored(void)
{
	setup(NDEV, NCTX);
	raise_src(0, 12, 1);
	raise_src(0, 13, 2);
	/* 12 is pending but not claimed: completing it changes nothing. */
	complete(0, 12);
	CHECK(is_pending(12));
	CHECK_EQ(claim(0), 13);
	CHECK_EQ(claim(0), 12);
	/* Not enabled for the completing context: ignored, still in service. */
	complete(1, 12);
	CHECK(!is_pending(12));
	CHECK_EQ(claim(0), 0);
	/* Disabled after the claim: the completion is ignored too, as the spec says. */
	set_enable(0, 13, false);
	complete(0, 13);
	set_enable(0, 13, true);
	CHECK(!is_pending(13));
	CHECK(!eip[0]);
	/* Out-of-range ids. */
	complete(0, 0);
	complete(0, NDEV + 1);
	complete(0, 1023);
	complete(0, 0xffffffff);
	complete(0, 0x100 + 12); /* does not alias id 12 */
	CHECK(!is_pending(12));
	CHECK_EQ(claim(0), 0);
	/* The proper completions still work afterwards. */
	complete(0, 12);
	complete(0, 13);
	CHECK(is_pending(12) && is_pending(13));
	CHECK(eip[0]);
}

static void test_level_drop_before_claim(void)
{
	setup(NDEV, NCTX);
	raise_src(0, 20, 1);
	CHECK(is_pending(20));
	CHECK(eip[0]);
	irq(20, false);
	CHECK(!is_pending(20));
	CHECK(!eip[0]);
	CHECK_EQ(claim(0), 0);
	CHECK_EQ(nnotes, 2);
	/* Dropping a line that never pended is no change. */
	irq(21, false);
	CHECK_EQ(nnotes, 2);
}

/* The exact sequence of notify calls: one per change of a context's level, no repeats. */
static void test_notify_changes(void)
{
	setup(NDEV, NCTX);
	set_prio(1, 1);
	set_prio(2, 2);
	set_enable(0, 1, true);
	set_enable(0, 2, true);
	CHECK_EQ(nnotes, 0);
	irq(1, true);
	CHECK_EQ(nnotes, 1);
	CHECK(notes[0].ctx == 0 && notes[0].level);
	irq(1, true); /* same level again */
	irq(2, true); /* another claimable source, same context level */
	set_prio(1, 3);
	CHECK_EQ(nnotes, 1);
	CHECK_EQ(claim(0), 1); /* 2 is still claimable */
	CHECK_EQ(nnotes, 1);
	CHECK_EQ(claim(0), 2);
	CHECK_EQ(nnotes, 2);
	CHECK(notes[1].ctx == 0 && !notes[1].level);
	irq(1, false);
	irq(2, false);
	complete(0, 1);
	complete(0, 2);
	CHECK_EQ(nnotes, 2);
	irq(2, true);
	CHECK_EQ(nnotes, 3);
	set_enable(0, 2, false);
	CHECK_EQ(nnotes, 4);
	CHECK(notes[3].ctx == 0 && !notes[3].level);
	set_enable(1, 2, true);
	CHECK_EQ(nnotes, 5);
	CHECK(notes[4].ctx == 1 && notes[4].level);
	CHECK(!eip[0] && eip[1]);
}

/* Source 8 on both contexts, claimed by a notify at once (for the next context if `next`). */
static void raise_claimed_in_notify(bool next)
{
	setup(NDEV, NCTX);
	set_prio(8, 1);
	set_enable(0, 8, true);
	set_enable(1, 8, true);
	claim_on_notify = true;
	claim_next = next;
	irq(8, true);
	CHECK_EQ(claimed_in_notify, 8);
	CHECK_EQ(nnotes, 2);
	CHECK(notes[0].ctx == 0 && notes[0].level);
	CHECK(notes[1].ctx == 0 && !notes[1].level);
	CHECK(!eip[0] && !eip[1]);
}

/* A notify that claims at once sees a finished state and leaves no stale report behind. */
static void test_notify_reentrant(void)
{
	raise_claimed_in_notify(false);
	CHECK(!is_pending(8));
}

/* The state a notify sees is complete for every context, not only the one it is about. */
static void test_notify_claims_other(void)
{
	raise_claimed_in_notify(true);
	CHECK_EQ(claim(0), 0);
	CHECK_EQ(claim(1), 0);
}

static void test_bus_errors(void)
{
	static const uint64_t offs[] = {
		0x4, 0x1000, 0x2000, 0x200000, 0x200004, 0x201004,
	};
	uint64_t val;
	unsigned i;

	setup(NDEV, NCTX);
	raise_src(0, 1, 1);
	raise_src(1, 1, 1);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		CHECK_EQ(rd(offs[i], 1, &val), -1);
		CHECK_EQ(rd(offs[i], 2, &val), -1);
		CHECK_EQ(rd(offs[i], 8, &val), -1);
		CHECK_EQ(wr(offs[i], 1, 0), -1);
		CHECK_EQ(wr(offs[i], 2, 0), -1);
		CHECK_EQ(wr(offs[i], 8, 0), -1);
	}
	/* None of them changed anything; the wide claim reads did not claim. */
	CHECK_EQ(rd32(prio_off(1)), 1);
	CHECK_EQ(rd32(enable_off(0, 0)), 2);
	CHECK(is_pending(1));
	CHECK(eip[0] && eip[1]);
	/* Misaligned 32-bit accesses. */
	CHECK_EQ(rd(0x6, 4, &val), -1);
	CHECK_EQ(rd(0x1001, 4, &val), -1);
	CHECK_EQ(wr(0x2002, 4, 0), -1);
	CHECK_EQ(rd(0x200006, 4, &val), -1);
	CHECK_EQ(wr(0x200005, 4, 1), -1);
	/* Contexts that do not exist, the enable padding, and beyond the window. */
	CHECK_EQ(rd(enable_off(NCTX, 0), 4, &val), -1);
	CHECK_EQ(wr(enable_off(NCTX, 0), 4, 2), -1);
	CHECK_EQ(rd(enable_off(15871, 992), 4, &val), -1);
	CHECK_EQ(rd(0x1f2000, 4, &val), -1);
	CHECK_EQ(rd(0x1ffffc, 4, &val), -1);
	CHECK_EQ(rd(ctx_off(NCTX, PLIC_THRESHOLD), 4, &val), -1);
	CHECK_EQ(rd(ctx_off(NCTX, PLIC_CLAIM), 4, &val), -1);
	CHECK_EQ(wr(ctx_off(NCTX, PLIC_CLAIM), 4, 1), -1);
	CHECK_EQ(rd(ctx_off(NCTX, 8), 4, &val), -1);
	CHECK_EQ(rd(0x5ffffc, 4, &val), -1);
	CHECK_EQ(rd(PLIC_WINDOW, 4, &val), -1);
	CHECK_EQ(wr(PLIC_WINDOW, 4, 0), -1);
	CHECK_EQ(rd(0x3fff004, 4, &val), -1);
	CHECK(is_pending(1));
}

static void test_reserved_words(void)
{
	static const uint64_t offs[] = {
		0x1080, 0x1ffc,                          /* after the pending array */
		0x200008, 0x200ffc, 0x201008, 0x201ffc, /* inside a context block */
	};
	unsigned i;

	setup(NDEV, NCTX);
	raise_src(0, 1, 1);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		wr32(offs[i], 0xffffffff);
		CHECK_EQ(rd32(offs[i]), 0);
	}
	/* Reserved words of the implemented arrays read 0 as well. */
	CHECK_EQ(rd32(pending_off(64)), 0);
	CHECK_EQ(rd32(pending_off(1023)), 0);
	CHECK_EQ(rd32(prio_off(NDEV + 1)), 0);
	CHECK_EQ(rd32(enable_off(NCTX - 1, 992)), 0);
	CHECK_EQ(rd32(prio_off(1)), 1);
	CHECK(is_pending(1));
	CHECK_EQ(nnotes, 1);
}

/* Configurations past the model's arrays are clamped rather than overrun. */
static void test_limits(void)
{
	uint64_t val;

	setup(5000, 100);
	CHECK_EQ(p.ndev, PLIC_MAX_SOURCES);
	CHECK_EQ(p.nctx, PLIC_MAX_CONTEXTS);
	set_prio(1023, 7);
	CHECK_EQ(rd32(prio_off(1023)), 7);
	CHECK_EQ(plic_set_irq(&p, 1024, true), -1);
	CHECK_EQ(rd(ctx_off(PLIC_MAX_CONTEXTS, PLIC_CLAIM), 4, &val), -1);
	wr32(enable_off(PLIC_MAX_CONTEXTS - 1, 1023), 0xffffffff);
	CHECK_EQ(rd32(enable_off(PLIC_MAX_CONTEXTS - 1, 1023)), 0xffffffff);

	setup(0, 1);
	CHECK_EQ(plic_set_irq(&p, 1, true), -1);
	wr32(enable_off(0, 0), 0xffffffff);
	CHECK_EQ(rd32(enable_off(0, 0)), 0);
	set_prio(1, 7);
	CHECK_EQ(rd32(prio_off(1)), 0);
	CHECK_EQ(claim(0), 0);
}

/* Each word of the page reads as the register there, 0 where there is none. */
static void check_enable_page(const uint32_t *page)
{
	uint64_t val;

	for (unsigned i = 0; i < 0x1000 / 4; i++) {
		if (rd(PLIC_ENABLE + 4 * i, 4, &val))
			val = 0;
		CHECK_EQ(page[i], (uint32_t)val);
	}
}

/* The enable page as the guest's loads see it follows every enable write, masked alike. */
static void test_enable_shadow(void)
{
	static uint32_t page[0x1000 / 4];

	setup(NDEV, NCTX);
	memset(page, 0xa5, sizeof(page));
	wr32(enable_off(1, 33), 0xffffffff);
	plic_shadow_enables(&p, page);
	check_enable_page(page);
	CHECK_EQ(page[PLIC_ENABLE_STRIDE / 4 + 1], 0x1ff); /* ids 32..40 */
	set_enable(0, 5, true);
	wr32(enable_off(1, 0), 0xffffffff);
	wr32(enable_off(1, 33), 0);
	check_enable_page(page);
	CHECK_EQ(page[0], 1u << 5);
	CHECK_EQ(page[PLIC_ENABLE_STRIDE / 4], 0xfffffffe);
}

/* The PLIC as plic.h describes it, in the plainest form: what the model must match. */
static struct {
	uint8_t prio[96];
	bool line[96], pending[96], claimed[96], enable[3][96];
	uint8_t threshold[3];
} ref;

static uint32_t rand_state = 1;

static uint32_t rnd(uint32_t n)
{
	rand_state = rand_state * 1103515245u + 12345u;
	return (rand_state >> 8) % n;
}

static unsigned ref_best(unsigned ctx)
{
	unsigned id, best = 0;

	for (id = 1; id < 96; id++)
		if (ref.pending[id] && ref.enable[ctx][id] && ref.prio[id] > ref.prio[best])
			best = id;
	return best;
}

/* Random register and line traffic on 95 sources and 3 contexts, checked against ref. */
static void test_random_against_reference(void)
{
	static const unsigned ids[] = { 1, 2, 5, 31, 32, 33, 40, 63, 64, 65, 94, 95 };
	unsigned n;
	int before = unit_failed_checks;
	uint32_t val;

	setup(95, 3);
	memset(&ref, 0, sizeof(ref));
	for (n = 0; n < 50000 && unit_failed_checks == before; n++) {
		unsigned ctx = rnd(3), id = ids[rnd(sizeof(ids) / sizeof(ids[0]))];

		switch (rnd(8)) {
		case 0:
		case 1:
		case 2:
			val = rnd(2);
			irq(id, val);
			ref.line[id] = val;
			if (!ref.claimed[id])
				ref.pending[id] = val;
			break;
		case 3:
			val = rnd(8);
			set_prio(id, val);
			ref.prio[id] = val;
			break;
		case 4:
			val = rnd(2);
			set_enable(ctx, id, val);
			ref.enable[ctx][id] = val;
			break;
		case 5:
			val = rnd(4) ? rnd(3) : rnd(8);
			set_threshold(ctx, val);
			ref.threshold[ctx] = val;
			break;
		case 6:
			id = ref_best(ctx);
			CHECK_EQ(claim(ctx), id);
			ref.pending[id] = false;
			ref.claimed[id] = id != 0;
			break;
		case 7:
			complete(ctx, id);
			if (ref.claimed[id] && ref.enable[ctx][id]) {
				ref.claimed[id] = false;
				ref.pending[id] = ref.line[id];
			}
			break;
		}
		for (ctx = 0; ctx < 3; ctx++)
			CHECK_EQ(eip[ctx], ref.prio[ref_best(ctx)] > ref.threshold[ctx]);
		for (unsigned word = 0; word < 3; word++) {
			val = 0;
			for (unsigned i = 0; i < 32; i++)
				val |= (uint32_t)ref.pending[word * 32 + i] << i;
			CHECK_EQ(rd32(PLIC_PENDING + 4 * word), val);
		}
	}
	CHECK_EQ(n, 50000);
}

int main(void)
{
	RUN(test_init);
	RUN(test_priority_warl);
	RUN(test_source0_hardwired);
	RUN(test_pending_read_only);
	RUN(test_enable_per_context);
	RUN(test_two_contexts);
	RUN(test_threshold);
	RUN(test_claim_order);
	RUN(test_claim_across_words);
	RUN(test_claim_every_id);
	RUN(test_request_cycle);
	RUN(test_claim_clears_pending);
	RUN(test_claim_nothing);
	RUN(test_complete_repends);
	RUN(test_complete_ignored);
	RUN(test_level_drop_before_claim);
	RUN(test_notify_changes);
	RUN(test_notify_reentrant);
	RUN(test_notify_claims_other);
	RUN(test_bus_errors);
	RUN(test_reserved_words);
	RUN(test_limits);
	RUN(test_enable_shadow);
	RUN(test_random_against_reference);
	UNIT_EXIT();
}
