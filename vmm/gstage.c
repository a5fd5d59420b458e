// SPDX-License-Identifier: BSD-2-Clause
/* Sv39x4 G-stage table builder: maps guest-physical ranges with the largest leaves that fit. */
#include <stdbool.h>

#include "gstage.h"

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)

#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  ((1UL << 44) - 1)

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)

#define GPA_BITS      41 /* Sv39x4: 39 bits plus the 2 extra root-index bits */
#define PA_BITS       56
#define ROOT_LEVEL    2
#define ROOT_PAGES    4
#define ROOT_ENTRIES  2048
#define TABLE_ENTRIES 512

static unsigned level_shift(unsigned level)
{
	return PAGE_SHIFT + 9 * level;
}

static uint64_t level_size(unsigned level)
{
	return 1UL << level_shift(level);
}

static unsigned pte_index(uint64_t gpa, unsigned level)
{
	unsigned entries = level == ROOT_LEVEL ? ROOT_ENTRIES : TABLE_ENTRIES;

	return (gpa >> level_shift(level)) & (entries - 1);
}

static uint64_t pa_to_pte(uint64_t pa)
{
	return (pa >> PAGE_SHIFT) << PTE_PPN_SHIFT;
}

static uint64_t pte_to_pa(uint64_t pte)
{
	return ((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << PAGE_SHIFT;
}

/* Only non-root tables handed out from the pool may be walked: anything else is a wild read. */
static bool in_pool(const struct gstage *gs, uint64_t table_pa)
{
	uint64_t page = (table_pa - gs->pool_pa) >> PAGE_SHIFT;

	return table_pa >= gs->pool_pa && page >= ROOT_PAGES && page < gs->next_free;
}

static uint64_t read_pte(const struct gstage *gs, uint64_t table_pa, unsigned idx)
{
	return gs->pool_va[(table_pa - gs->pool_pa) / sizeof(uint64_t) + idx];
}

void gstage_init(struct gstage *gs, uint64_t pool_pa, const uint64_t *pool_va, unsigned npages,
		 void *ctx, long (*write_pte)(void *, uint64_t, unsigned, uint64_t))
{
	gs->pool_pa = pool_pa;
	gs->pool_va = pool_va;
	gs->npages = npages;
	gs->next_free = ROOT_PAGES;
	gs->ctx = ctx;
	gs->write_pte = write_pte;
}

/* The pool is handed over zeroed, so a fresh table needs no clearing (we could not write it). */
static int alloc_table(struct gstage *gs, uint64_t *pa)
{
	if (gs->next_free >= gs->npages)
		return -1;
	*pa = gs->pool_pa + ((uint64_t)gs->next_free << PAGE_SHIFT);
	gs->next_free++;
	return 0;
}

/*
 * The table at `level` that holds gpa's entry, linking new tables on the way down.
 * A leaf above `level` means the range is already mapped by a superpage.
 */
static int walk_create(struct gstage *gs, uint64_t gpa, unsigned level, uint64_t *table_pa)
{
	uint64_t table = gs->pool_pa, next, pte;
	unsigned l, idx;

	for (l = ROOT_LEVEL; l > level; l--) {
		idx = pte_index(gpa, l);
		pte = read_pte(gs, table, idx);
		if (!(pte & PTE_V)) {
			if (alloc_table(gs, &next))
				return -1;
			if (gs->write_pte(gs->ctx, table, idx, pa_to_pte(next) | PTE_V))
				return -1;
		} else {
			next = pte_to_pa(pte);
			if ((pte & PTE_RWX) || !in_pool(gs, next))
				return -1;
		}
		table = next;
	}
	*table_pa = table;
	return 0;
}

/* The hardware never sets A/D in G-stage leaves for us, so they start set. */
static int set_leaf(struct gstage *gs, uint64_t gpa, uint64_t hpa, unsigned level, unsigned rights)
{
	uint64_t table;
	unsigned idx;

	if (walk_create(gs, gpa, level, &table))
		return -1;
	idx = pte_index(gpa, level);
	if (read_pte(gs, table, idx) & PTE_V)
		return -1;
	return gs->write_pte(gs->ctx, table, idx,
			     pa_to_pte(hpa) | rights | PTE_U | PTE_A | PTE_D | PTE_V) ? -1 : 0;
}

static unsigned leaf_level(uint64_t gpa, uint64_t hpa, uint64_t size)
{
	unsigned level;

	for (level = ROOT_LEVEL; level > 0; level--)
		if (!((gpa | hpa) & (level_size(level) - 1)) && size >= level_size(level))
			break;
	return level;
}

/* R=0 with W=1 is a reserved encoding, and no rights at all would read as a table link. */
static bool valid_rights(unsigned rights)
{
	return rights && !(rights & ~PTE_RWX) && (!(rights & PTE_W) || (rights & PTE_R));
}

static bool valid_range(uint64_t gpa, uint64_t hpa, uint64_t size)
{
	if (!size || ((gpa | hpa | size) & (PAGE_SIZE - 1)))
		return false;
	if (gpa >= 1UL << GPA_BITS || size > (1UL << GPA_BITS) - gpa)
		return false;
	return hpa < 1UL << PA_BITS && size <= (1UL << PA_BITS) - hpa;
}

/*
 * A failure part way leaves the leaves written so far in place: a VM whose memory
 * cannot be mapped does not start, so nothing is rolled back.
 */
int gstage_map(struct gstage *gs, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned rights)
{
	unsigned level;

	if (gs->npages < ROOT_PAGES || !valid_rights(rights) || !valid_range(gpa, hpa, size))
		return -1;
	while (size) {
		level = leaf_level(gpa, hpa, size);
		if (set_leaf(gs, gpa, hpa, level, rights))
			return -1;
		gpa += level_size(level);
		hpa += level_size(level);
		size -= level_size(level);
	}
	return 0;
}

int gstage_unmap_page(struct gstage *gs, uint64_t gpa)
{
	uint64_t table = gs->pool_pa, pte;
	unsigned level;

	if (gs->npages < ROOT_PAGES || gpa >= 1UL << GPA_BITS || gpa & (PAGE_SIZE - 1))
		return -1;
	for (level = ROOT_LEVEL; level > 0; level--) {
		pte = read_pte(gs, table, pte_index(gpa, level));
		table = pte_to_pa(pte);
		if (!(pte & PTE_V) || (pte & PTE_RWX) || !in_pool(gs, table))
			return -1;
	}
	if (!(read_pte(gs, table, pte_index(gpa, 0)) & PTE_V))
		return -1;
	return gs->write_pte(gs->ctx, table, pte_index(gpa, 0), 0) ? -1 : 0;
}

int gstage_translate(const struct gstage *gs, uint64_t gpa, uint64_t *hpa, unsigned *rights)
{
	uint64_t table = gs->pool_pa, pte;
	unsigned level;

	if (gs->npages < ROOT_PAGES || gpa >= 1UL << GPA_BITS)
		return -1;
	for (level = ROOT_LEVEL;; level--) {
		pte = read_pte(gs, table, pte_index(gpa, level));
		if (!(pte & PTE_V))
			return -1;
		if (pte & PTE_RWX) {
			*hpa = pte_to_pa(pte) + (gpa & (level_size(level) - 1));
			*rights = pte & PTE_RWX;
			return 0;
		}
		table = pte_to_pa(pte);
		if (level == 0 || !in_pool(gs, table))
			return -1;
	}
}

uint64_t gstage_root_pa(const struct gstage *gs)
{
	return gs->pool_pa;
}
