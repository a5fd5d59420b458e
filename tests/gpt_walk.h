/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Walks a VM's G-stage pool from its root as the hardware would (Sv39x4) and counts what
 * the minikernel's validator must never let through: leaves reaching outside the grant or
 * misaligned, links leaving the pool or naming the root, pool pages reached twice (a page
 * walked at two levels turns 4 KiB leaves into 2 MiB ones). Header-only and freestanding:
 * the host tests, the fuzz target and the attacking runtime all use it.
 */
#ifndef TESTS_GPT_WALK_H
#define TESTS_GPT_WALK_H

#include <stdint.h>

#define GPT_WALK_PAGES    64 /* at least MK_GPT_PAGES */
#define GPT_WALK_ROOT     4  /* the root's pages: a 16 KiB table of 2048 entries */
#define GPT_WALK_V        1UL
#define GPT_WALK_RWX      0xeUL
#define GPT_WALK_PPN(pte) (((pte) >> 10 & ((1UL << 44) - 1)) << 12)

struct gpt_walk {
	const uint64_t *pool; /* where the walker reads the pool */
	uint64_t pool_pa;     /* the pool's physical address, as links name it */
	unsigned pages;
	uint64_t grant_pa, grant_size;
	unsigned leaves, links, bad;
	uint64_t bad_pte; /* the first PTE counted bad, and where it was */
	unsigned bad_page, bad_idx;
	uint8_t seen[GPT_WALK_PAGES];
};

static inline void gpt_walk_bad(struct gpt_walk *w, unsigned page, unsigned idx, uint64_t pte)
{
	if (!w->bad++) {
		w->bad_pte = pte;
		w->bad_page = page;
		w->bad_idx = idx;
	}
}

static inline void gpt_walk_table(struct gpt_walk *w, unsigned page, int level)
{
	const uint64_t *t = w->pool + page * 512UL;
	unsigned n = level == 2 ? 512U * GPT_WALK_ROOT : 512U;

	for (unsigned i = 0; i < n; i++) {
		uint64_t pte = __atomic_load_n(&t[i], __ATOMIC_ACQUIRE), pa = GPT_WALK_PPN(pte);
		uint64_t size = 4096UL << (9 * level), child = (pa - w->pool_pa) / 4096;

		if (!(pte & GPT_WALK_V))
			continue;
		if (pte & GPT_WALK_RWX) {
			w->leaves++;
			if (pa & (size - 1) || pa < w->grant_pa || size > w->grant_size ||
			    pa - w->grant_pa > w->grant_size - size)
				gpt_walk_bad(w, page, i, pte);
			continue;
		}
		w->links++;
		if (level == 0 || pa < w->pool_pa || pa & 4095 || child < GPT_WALK_ROOT ||
		    child >= w->pages || child >= GPT_WALK_PAGES || w->seen[child]++) {
			gpt_walk_bad(w, page, i, pte);
			continue;
		}
		gpt_walk_table(w, (unsigned)child, level - 1);
	}
}

/* Walks from the root; returns the number of bad entries (0: nothing outside the grant). */
static inline unsigned gpt_walk(struct gpt_walk *w)
{
	w->leaves = w->links = w->bad = 0;
	for (unsigned i = 0; i < GPT_WALK_PAGES; i++)
		w->seen[i] = 0;
	gpt_walk_table(w, 0, 2);
	return w->bad;
}

#endif
