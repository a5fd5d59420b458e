// SPDX-License-Identifier: BSD-2-Clause
/* Physical memory: a bump allocator over free RAM, and Sv39 page tables. */
#include "mk.h"

#define GIB (1UL << 30)
#define MIB2 (1UL << 21)

static uint64_t mm_next, mm_end;

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

void mm_init(void)
{
	mm_next = align_up(mk_plat.image_end, PAGE_SIZE);
	mm_end = mk_plat.ram_base + mk_plat.ram_size;
}

void mm_zero(uint64_t pa, uint64_t size)
{
	for (uint64_t *p = (uint64_t *)pa, *end = (uint64_t *)(pa + size); p < end; p++)
		*p = 0;
}

/* Roughly what is left to allocate, for messages. */
uint64_t mm_left(void)
{
	return mm_end - mm_next;
}

/*
 * Never hands out the zone where fw_jump put the host FDT. Memory is handed out once and
 * never reused, so what a caller gets has held nothing of anybody since reset; only pages
 * whose contents the minikernel relies on (tables, pools, the runtime's bss) need `zero`.
 */
uint64_t mm_alloc(uint64_t size, uint64_t align, bool zero)
{
	uint64_t p = align_up(mm_next, align);

	size = align_up(size, PAGE_SIZE);
	if (p < MK_FDT_ZONE + MK_FDT_ZONE_SIZE && p + size > MK_FDT_ZONE)
		p = align_up(MK_FDT_ZONE + MK_FDT_ZONE_SIZE, align);
	if (p + size > mm_end || p + size < p)
		return 0;
	mm_next = p + size;
	if (zero)
		mm_zero(p, size);
	return p;
}

static uint64_t *pte_walk(uint64_t root_pa, uint64_t va, int level)
{
	uint64_t *table = (uint64_t *)root_pa;

	for (int l = 2; l > level; l--) {
		uint64_t *pte = &table[(va >> (12 + 9 * l)) & 511];

		if (!(*pte & PTE_V)) {
			uint64_t t = mm_alloc(PAGE_SIZE, PAGE_SIZE, true);

			if (!t)
				return NULL;
			*pte = (t >> 12) << PTE_PPN_SHIFT | PTE_V;
		} else if (*pte & (PTE_R | PTE_W | PTE_X)) {
			return NULL;
		}
		table = (uint64_t *)((*pte >> PTE_PPN_SHIFT) << 12);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

/* Maps [va, va+size) to pa with leaf flags, using the largest pages alignment allows. */
int mm_map(uint64_t root_pa, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	while (size) {
		int level = 0;
		uint64_t step = PAGE_SIZE, *pte;

		if (!((va | pa) & (GIB - 1)) && size >= GIB)
			level = 2, step = GIB;
		else if (!((va | pa) & (MIB2 - 1)) && size >= MIB2)
			level = 1, step = MIB2;
		pte = pte_walk(root_pa, va, level);
		if (!pte || (*pte & PTE_V))
			return -1;
		*pte = (pa >> 12) << PTE_PPN_SHIFT | flags | PTE_V | PTE_A | PTE_D;
		va += step;
		pa += step;
		size -= step;
	}
	return 0;
}

/*
 * A new address space holding the minikernel's own mappings: identity gigapages over the
 * low device gigabyte and over RAM, supervisor-only, so U-mode can never touch them.
 */
uint64_t mm_new_root(void)
{
	uint64_t root = mm_alloc(PAGE_SIZE, PAGE_SIZE, true);
	uint64_t ram = mk_plat.ram_base & ~(GIB - 1);
	uint64_t ram_end = align_up(mk_plat.ram_base + mk_plat.ram_size, GIB);

	if (!root || mm_map(root, 0, 0, MK_DEV_SIZE, PTE_R | PTE_W | PTE_G) ||
	    mm_map(root, ram, ram, ram_end - ram, PTE_R | PTE_W | PTE_X | PTE_G))
		return 0;
	return root;
}
