// SPDX-License-Identifier: BSD-2-Clause
/* The PLIC model: register decoding, claim/complete and the per-context interrupt lines. */
#include "plic.h"

/* Decoding relies on every offset past the window falling to a context that does not exist. */
_Static_assert(PLIC_CONTEXT + PLIC_MAX_CONTEXTS * PLIC_CONTEXT_STRIDE <= PLIC_WINDOW,
	       "the contexts do not fit the window");
_Static_assert(PLIC_WORDS <= 32, "pending_words has a bit per pending word");

enum plic_reg {
	PLIC_REG_RESERVED,
	PLIC_REG_PRIORITY,
	PLIC_REG_PENDING,
	PLIC_REG_ENABLE,
	PLIC_REG_THRESHOLD,
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

/*
 * The index of the one set bit of `bit`, by a de Bruijn multiply: rv64imac has no ctz
 * instruction, and __builtin_ctz would be a libgcc call.
 */
static unsigned bit_index(uint32_t bit)
{
	static const uint8_t index[32] = {
		0,  1,  28, 2,  29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4,  8,
		31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6,  11, 5,  10, 9,
	};

	return index[(uint32_t)(bit * 0x077cb531u) >> 27];
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
 * The pending source of ctx with the highest priority, the lowest id among equals (ids are
 * scanned upwards and only a strictly higher priority replaces the pick); 0 if none has a
 * priority above 0. Pending and in-service bits never overlap, so pending alone suffices.
 * Only set words and bits are visited: mostly there is one pending source, or none. Inline,
 * so that unpend() calls nothing before its report and needs no stack frame until then.
 */
static inline unsigned plic_best(const struct plic *p, unsigned ctx)
{
	unsigned best = 0, best_prio = 0;

	for (uint32_t words = p->pending_words; words; words &= words - 1) {
		unsigned word = bit_index(words & -words);
		uint32_t cand = p->pending[word] & p->enable[ctx][word];

		for (; cand; cand &= cand - 1) {
			unsigned id = word * 32 + bit_index(cand & -cand);

			if (p->priority[id] > best_prio) {
				best = id;
				best_prio = p->priority[id];
			}
		}
	}
	return best;
}

/*
 * Tells notify of every context whose level differs from the one last reported. The best
 * source has the highest priority, so a context has one above its threshold exactly when
 * its best one is; priority[0] stays 0, so best 0 gives no level. Each level is derived
 * just before it is reported, so a notify that calls back into the model leaves no stale
 * level for this loop to report.
 */
static void plic_report(struct plic *p)
{
	unsigned ctx;
	bool level;

	for (ctx = 0; ctx < p->nctx; ctx++) {
		level = p->priority[p->best[ctx]] > p->threshold[ctx];
		if (level == p->eip[ctx])
			continue;
		p->eip[ctx] = level;
		if (p->notify)
			p->notify(p->opaque, ctx, level);
	}
}

/*
 * Pending bits change only in pend() and unpend(), the last step of a change of state:
 * they bring pending_words and every context's best source up to date (a notify may claim
 * for any context), then report. A source that starts pending can only take over as best.
 */
static void pend(struct plic *p, unsigned id)
{
	unsigned prio = p->priority[id];

	p->pending[id / 32] |= 1u << id % 32;
	p->pending_words |= 1u << id / 32;
	for (unsigned ctx = 0; ctx < p->nctx; ctx++) {
		unsigned best = p->best[ctx];

		if (bit_test(p->enable[ctx], id) &&
		    (prio > p->priority[best] || (prio == p->priority[best] && best > id)))
			p->best[ctx] = id;
	}
	plic_report(p);
}

/* A source that stops pending changes the best only of the contexts it was best for. */
static void unpend(struct plic *p, unsigned id)
{
	p->pending[id / 32] &= ~(1u << id % 32);
	if (!p->pending[id / 32])
		p->pending_words &= ~(1u << id / 32);
	for (unsigned ctx = 0; ctx < p->nctx; ctx++)
		if (p->best[ctx] == id)
			p->best[ctx] = plic_best(p, ctx);
	plic_report(p);
}

/* After a register write, any pending source may have become or stopped being a best. */
static void plic_update(struct plic *p)
{
	for (unsigned ctx = 0; ctx < p->nctx; ctx++)
		p->best[ctx] = plic_best(p, ctx);
	plic_report(p);
}

/*
 * In-service state belongs to the source, not to the claiming context: the spec lets any
 * context with the source enabled complete it. Levels depend on pending bits, never on
 * in-service ones, so only a re-pend can change one. A source not in service already has
 * its pending bit equal to its line, so ignoring its completion outright changes nothing.
 */
static void plic_complete(struct plic *p, unsigned ctx, uint32_t id)
{
	if (!id || id > p->ndev || !bit_test(p->claimed, id) || !bit_test(p->enable[ctx], id))
		return;
	bit_assign(p->claimed, id, false);
	if (bit_test(p->line, id))
		pend(p, id);
}

/*
 * The context whose claim/complete register a 32-bit access at `off` is, or -1. It is the
 * only register a guest accesses per interrupt, so it is matched before the full decode.
 */
static int claim_context(const struct plic *p, uint64_t off, unsigned width)
{
	/* Below the first claim register this wraps to a huge offset, past every context. */
	uint64_t rel = off - (PLIC_CONTEXT + PLIC_CLAIM);

	if (width != 4 || rel % PLIC_CONTEXT_STRIDE || rel / PLIC_CONTEXT_STRIDE >= p->nctx)
		return -1;
	return (int)(rel / PLIC_CONTEXT_STRIDE);
}

/* claim_context() has taken the claim registers: left are the thresholds and reserved words. */
static int decode_context(const struct plic *p, uint64_t off, struct plic_loc *loc)
{
	off -= PLIC_CONTEXT;
	if (off / PLIC_CONTEXT_STRIDE >= p->nctx)
		return -1;
	*loc = (struct plic_loc){
		.reg = off % PLIC_CONTEXT_STRIDE == PLIC_THRESHOLD ? PLIC_REG_THRESHOLD
								   : PLIC_REG_RESERVED,
		.ctx = off / PLIC_CONTEXT_STRIDE,
	};
	return 0;
}

/* Contexts past nctx, up to the 15872 the map allows and the padding after, do not decode. */
static int decode_enable(const struct plic *p, uint64_t off, struct plic_loc *loc)
{
	off -= PLIC_ENABLE;
	if (off / PLIC_ENABLE_STRIDE >= p->nctx)
		return -1;
	*loc = (struct plic_loc){
		.reg = PLIC_REG_ENABLE,
		.ctx = off / PLIC_ENABLE_STRIDE,
		.idx = off % PLIC_ENABLE_STRIDE / 4,
	};
	return 0;
}

/*
 * 0 with all of *loc filled in, or -1 for a bus error; see plic.h for which is which. Claim
 * registers are not decoded here: claim_context() matches them first.
 */
static int plic_decode(const struct plic *p, uint64_t off, unsigned width, struct plic_loc *loc)
{
	unsigned idx;

	if (width != 4 || off % 4)
		return -1;
	if (off >= PLIC_CONTEXT)
		return decode_context(p, off, loc);
	if (off >= PLIC_ENABLE)
		return decode_enable(p, off, loc);
	if (off >= PLIC_PENDING) {
		idx = (off - PLIC_PENDING) / 4;
		*loc = (struct plic_loc){
			.reg = idx < PLIC_WORDS ? PLIC_REG_PENDING : PLIC_REG_RESERVED,
			.idx = idx,
		};
		return 0;
	}
	*loc = (struct plic_loc){ .reg = PLIC_REG_PRIORITY, .idx = off / 4 };
	return 0;
}

/*
 * Priorities of source 0 and of sources past ndev, and enable bits that stand for no
 * source, are never written, so plain reads of the arrays return 0 for them. Out of line,
 * like write_reg(), so that the claim path around it needs no stack frame.
 */
static __attribute__((noinline)) int read_reg(struct plic *p, uint64_t off, unsigned width,
					      uint64_t *val)
{
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
	case PLIC_REG_RESERVED:
		*val = 0;
		break;
	}
	return 0;
}

static int plic_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	struct plic *p = opaque;
	int ctx = claim_context(p, off, width);
	unsigned id;

	if (ctx < 0)
		return read_reg(p, off, width, val);
	/*
	 * The threshold only gates the interrupt line: a claim ignores it (PLIC spec 1.0.0).
	 * The source is in service before unpend() reports the state.
	 */
	id = p->best[ctx];
	*val = id;
	if (id) {
		bit_assign(p->claimed, id, true);
		unpend(p, id);
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

static __attribute__((noinline)) int write_reg(struct plic *p, uint64_t off, unsigned width,
					       uint32_t v)
{
	struct plic_loc loc;

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
	case PLIC_REG_PENDING:
	case PLIC_REG_RESERVED:
		return 0;
	}
	plic_update(p);
	return 0;
}

static int plic_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct plic *p = opaque;
	int ctx = claim_context(p, off, width);

	if (ctx < 0)
		return write_reg(p, off, width, (uint32_t)val);
	plic_complete(p, ctx, (uint32_t)val);
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
	/*
	 * An in-service source re-pends at completion if its line is still high; until then
	 * its line changes no pending bit, hence no level (the usual acknowledge in service).
	 */
	if (bit_test(p->claimed, src))
		return 0;
	if (level)
		pend(p, src);
	else
		unpend(p, src);
	return 0;
}
