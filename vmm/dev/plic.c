// SPDX-License-Identifier: BSD-2-Clause
/* The PLIC model: register decoding, claim/complete and the per-context interrupt lines. */
#include "plic.h"

/* Decoding relies on every offset past the window falling to a context that does not exist. */
_Static_assert(PLIC_CONTEXT + PLIC_MAX_CONTEXTS * PLIC_CONTEXT_STRIDE <= PLIC_WINDOW,
	       "the contexts do not fit the window");

enum plic_reg {
	PLIC_REG_RESERVED,
	PLIC_REG_PRIORITY,
	PLIC_REG_PENDING,
	PLIC_REG_ENABLE,
	PLIC_REG_THRESHOLD,
	PLIC_REG_CLAIM,
};

/* A decoded register: which one, for which context, and its source id or word index. */
struct plic_loc {
	enum plic_reg reg;
	unsigned ctx, idx;
};

static bool bit_test(const uint32_t *map, unsigned id)
{
	return map[id / 32] & (1u << (id % 32));
}

static void bit_assign(uint32_t *map, unsigned id, bool val)
{
	if (val)
		map[id / 32] |= 1u << (id % 32);
	else
		map[id / 32] &= ~(1u << (id % 32));
}

/* Pending bits change only here, so that npending counts them. */
static void set_pending(struct plic *p, unsigned id, bool val)
{
	if (bit_test(p->pending, id) == val)
		return;
	bit_assign(p->pending, id, val);
	p->npending += val ? 1 : -1;
}

/* The bits of bitmap word `word` that stand for real sources (ids 1..ndev). */
static uint32_t word_mask(const struct plic *p, unsigned word)
{
	unsigned first = word * 32;
	uint32_t mask;

	if (first > p->ndev)
		return 0;
	mask = p->ndev - first >= 31 ? ~0u : (2u << (p->ndev - first)) - 1;
	return word ? mask : mask & ~1u;
}

/*
 * The pending source of ctx with the highest priority above `floor`, the lowest id among
 * equals (ids are scanned upwards and only a strictly higher priority replaces the pick).
 * Pending and in-service bits never overlap, so pending alone suffices.
 */
static unsigned plic_best(const struct plic *p, unsigned ctx, unsigned floor)
{
	unsigned best = 0, best_prio = floor;
	unsigned word, id;
	uint32_t cand;

	/* Most updates (an acknowledge, a completion) find nothing pending at all. */
	if (!p->npending)
		return 0;
	/* Only the words of real sources can have pending bits: usually just word 0. */
	for (word = 0; word <= p->ndev / 32; word++) {
		cand = p->pending[word] & p->enable[ctx][word];
		for (id = word * 32; cand; id++, cand >>= 1) {
			if ((cand & 1) && p->priority[id] > best_prio) {
				best = id;
				best_prio = p->priority[id];
			}
		}
	}
	return best;
}

/*
 * Each context's level is recomputed from the registers just before it is reported, so a
 * notify that calls back into the model leaves no stale level for this loop to report.
 */
static void plic_update(struct plic *p)
{
	unsigned ctx;
	bool level;

	for (ctx = 0; ctx < p->nctx; ctx++) {
		level = plic_best(p, ctx, p->threshold[ctx]) != 0;
		if (level == p->eip[ctx])
			continue;
		p->eip[ctx] = level;
		if (p->notify)
			p->notify(p->opaque, ctx, level);
	}
}

/* The threshold only gates the interrupt line: a claim ignores it (PLIC spec 1.0.0). */
static uint32_t plic_claim(struct plic *p, unsigned ctx)
{
	unsigned id = plic_best(p, ctx, 0);

	if (id) {
		set_pending(p, id, false);
		bit_assign(p->claimed, id, true);
		plic_update(p);
	}
	return id;
}

/*
 * In-service state belongs to the source, not to the claiming context: the spec lets any
 * context with the source enabled complete it. A source not in service already has its
 * pending bit equal to its line, so ignoring its completion outright only spares an update.
 */
static void plic_complete(struct plic *p, unsigned ctx, uint32_t id)
{
	if (!id || id > p->ndev || !bit_test(p->claimed, id) || !bit_test(p->enable[ctx], id))
		return;
	bit_assign(p->claimed, id, false);
	if (bit_test(p->line, id))
		set_pending(p, id, true);
	plic_update(p);
}

static int decode_context(const struct plic *p, uint64_t off, struct plic_loc *loc)
{
	off -= PLIC_CONTEXT;
	if (off / PLIC_CONTEXT_STRIDE >= p->nctx)
		return -1;
	loc->ctx = off / PLIC_CONTEXT_STRIDE;
	switch (off % PLIC_CONTEXT_STRIDE) {
	case PLIC_THRESHOLD:
		loc->reg = PLIC_REG_THRESHOLD;
		break;
	case PLIC_CLAIM:
		loc->reg = PLIC_REG_CLAIM;
		break;
	default:
		loc->reg = PLIC_REG_RESERVED;
	}
	return 0;
}

/* Contexts past nctx, up to the 15872 the map allows and the padding after, do not decode. */
static int decode_enable(const struct plic *p, uint64_t off, struct plic_loc *loc)
{
	off -= PLIC_ENABLE;
	if (off / PLIC_ENABLE_STRIDE >= p->nctx)
		return -1;
	loc->reg = PLIC_REG_ENABLE;
	loc->ctx = off / PLIC_ENABLE_STRIDE;
	loc->idx = off % PLIC_ENABLE_STRIDE / 4;
	return 0;
}

/* 0 with *loc filled in, or -1 for a bus error; see plic.h for which is which. */
static int plic_decode(const struct plic *p, uint64_t off, unsigned width, struct plic_loc *loc)
{
	if (width != 4 || off % 4)
		return -1;
	if (off >= PLIC_CONTEXT)
		return decode_context(p, off, loc);
	if (off >= PLIC_ENABLE)
		return decode_enable(p, off, loc);
	if (off >= PLIC_PENDING) {
		loc->idx = (off - PLIC_PENDING) / 4;
		loc->reg = loc->idx < PLIC_WORDS ? PLIC_REG_PENDING : PLIC_REG_RESERVED;
		return 0;
	}
	loc->reg = PLIC_REG_PRIORITY;
	loc->idx = off / 4;
	return 0;
}

/*
 * Priorities of source 0 and of sources past ndev, and enable bits that stand for no
 * source, are never written, so plain reads of the arrays return 0 for them.
 */
static int plic_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	struct plic *p = opaque;
	struct plic_loc loc;

	if (plic_decode(p, off, width, &loc))
		return -1;
	switch (loc.reg) {
	case PLIC_REG_PRIORITY:
		*val = p->priority[loc.idx];
		break;
	case PLIC_REG_PENDING:
		*val = p->pending[loc.idx];
		break;
	case PLIC_REG_ENABLE:
		*val = p->enable[loc.ctx][loc.idx];
		break;
	case PLIC_REG_THRESHOLD:
		*val = p->threshold[loc.ctx];
		break;
	case PLIC_REG_CLAIM:
		*val = plic_claim(p, loc.ctx);
		break;
	case PLIC_REG_RESERVED:
		*val = 0;
		break;
	}
	return 0;
}

static void shadow_enable(struct plic *p, unsigned ctx, unsigned idx)
{
	if (p->enable_shadow)
		p->enable_shadow[(ctx * PLIC_ENABLE_STRIDE) / 4 + idx] = p->enable[ctx][idx];
}

void plic_shadow_enables(struct plic *p, uint32_t *page)
{
	p->enable_shadow = page;
	for (unsigned i = 0; page && i < 0x1000 / 4; i++)
		page[i] = 0;
	for (unsigned ctx = 0; ctx < p->nctx; ctx++)
		for (unsigned idx = 0; idx < PLIC_WORDS; idx++)
			shadow_enable(p, ctx, idx);
}

static int plic_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct plic *p = opaque;
	struct plic_loc loc;
	uint32_t v = (uint32_t)val;

	if (plic_decode(p, off, width, &loc))
		return -1;
	switch (loc.reg) {
	case PLIC_REG_PRIORITY:
		if (!loc.idx || loc.idx > p->ndev)
			return 0;
		p->priority[loc.idx] = v & PLIC_MAX_PRIORITY;
		break;
	case PLIC_REG_ENABLE:
		p->enable[loc.ctx][loc.idx] = v & word_mask(p, loc.idx);
		shadow_enable(p, loc.ctx, loc.idx);
		break;
	case PLIC_REG_THRESHOLD:
		p->threshold[loc.ctx] = v & PLIC_MAX_PRIORITY;
		break;
	case PLIC_REG_CLAIM:
		plic_complete(p, loc.ctx, v);
		return 0;
	case PLIC_REG_PENDING:
	case PLIC_REG_RESERVED:
		return 0;
	}
	plic_update(p);
	return 0;
}

void plic_init(struct plic *p, uint64_t base, unsigned ndev, unsigned nctx,
	       void (*notify)(void *opaque, unsigned ctx, bool level), void *opaque)
{
	*p = (struct plic){
		.ndev = ndev < PLIC_MAX_SOURCES ? ndev : PLIC_MAX_SOURCES,
		.nctx = nctx < PLIC_MAX_CONTEXTS ? nctx : PLIC_MAX_CONTEXTS,
		.notify = notify,
		.opaque = opaque,
		.dev = {
			.name = "sifive,plic-1.0.0",
			.base = base,
			.size = PLIC_WINDOW,
			.opaque = p,
			.read = plic_read,
			.write = plic_write,
		},
	};
}

int plic_set_irq(struct plic *p, unsigned src, bool level)
{
	if (!src || src > p->ndev)
		return -1;
	/* Outside service, pending follows the line: an unchanged level changes nothing. */
	if (bit_test(p->line, src) == level)
		return 0;
	bit_assign(p->line, src, level);
	/* An in-service source re-pends at completion if its line is still high. */
	if (!bit_test(p->claimed, src))
		set_pending(p, src, level);
	plic_update(p);
	return 0;
}
