// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests of the Sv39x4 G-stage table builder against a fake, checked table pool. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gstage.h"
#include "unit.h"

#define POOL_PA    0x90000000UL
#define PAGE       4096UL
#define ROOT_BYTES (4 * PAGE)
#define MIB        (1UL << 20)
#define GIB        (1UL << 30)

#define PTE_V (1UL << 0)
#define PTE_U (1UL << 4)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define RWX   (GSTAGE_R | GSTAGE_W | GSTAGE_X)

/*
 * The fake minikernel: checks every store lands in a pool table at a legal index, counts
 * it, and applies it both to the pool and to a shadow copy so that a builder writing the
 * pool behind its back is caught.
 */
struct pool {
	uint64_t pa;
	uint64_t *mem, *shadow;
	unsigned npages;
	unsigned writes, leaves, bad_stores;
	unsigned refuse_at; /* 1-based store number to refuse; 0: accept all */
	struct gstage gs;
};

static long fake_write_pte(void *ctx, uint64_t table_pa, unsigned idx, uint64_t pte)
{
	struct pool *p = ctx;
	uint64_t off = table_pa - p->pa;
	bool root = table_pa == p->pa;

	if (table_pa < p->pa || off >= p->npages * PAGE || off % PAGE ||
	    (!root && off < ROOT_BYTES) || idx >= (root ? 2048u : 512u)) {
		p->bad_stores++;
		return -1;
	}
	p->writes++;
	if (p->refuse_at && p->writes == p->refuse_at)
		return -4;
	if (pte & RWX)
		p->leaves++;
	p->mem[off / 8 + idx] = pte;
	p->shadow[off / 8 + idx] = pte;
	return 0;
}

static void pool_init_at(struct pool *p, unsigned npages, uint64_t pa)
{
	size_t bytes;

	memset(p, 0, sizeof(*p));
	p->pa = pa;
	p->npages = npages;
	/* aligned_alloc wants a multiple of the alignment */
	bytes = (npages * PAGE + ROOT_BYTES - 1) / ROOT_BYTES * ROOT_BYTES;
	p->mem = aligned_alloc(ROOT_BYTES, bytes);
	p->shadow = calloc(npages, PAGE);
	memset(p->mem, 0, bytes);
	gstage_init(&p->gs, pa, p->mem, npages, p, fake_write_pte);
}

static void pool_init(struct pool *p, unsigned npages)
{
	pool_init_at(p, npages, POOL_PA);
}

/* Frees the pool after checking that every table word came from an accepted store. */
static void pool_done(struct pool *p)
{
	CHECK(!memcmp(p->mem, p->shadow, p->npages * PAGE));
	CHECK_EQ(p->bad_stores, 0);
	free(p->mem);
	free(p->shadow);
}

static uint64_t pool_pte(const struct pool *p, uint64_t table_pa, unsigned idx)
{
	return p->mem[(table_pa - p->pa) / 8 + idx];
}

static uint64_t leaf(uint64_t hpa, unsigned rights)
{
	return (hpa >> 12 << 10) | rights | PTE_U | PTE_A | PTE_D | PTE_V;
}

/* Checks that gpa translates to hpa with `rights`. */
static void check_map(const struct pool *p, uint64_t gpa, uint64_t hpa, unsigned rights)
{
	uint64_t got = 0;
	unsigned r = 0;

	CHECK_EQ(gstage_translate(&p->gs, gpa, &got, &r), 0);
	CHECK_EQ(got, hpa);
	CHECK_EQ(r, rights);
}

static void check_unmapped(const struct pool *p, uint64_t gpa)
{
	uint64_t got;
	unsigned r;

	CHECK_EQ(gstage_translate(&p->gs, gpa, &got, &r), -1);
}

/* First and last byte of each `step`-sized piece of [gpa, gpa+size). */
static void check_range(const struct pool *p, uint64_t gpa, uint64_t hpa, uint64_t size,
			uint64_t step, unsigned rights)
{
	uint64_t off;

	for (off = 0; off < size; off += step) {
		check_map(p, gpa + off, hpa + off, rights);
		check_map(p, gpa + off + step - 1, hpa + off + step - 1, rights);
	}
}

/* As check_range, with [gpa, gpa+size) the whole mapping: the bytes around it are unmapped. */
static void check_whole(const struct pool *p, uint64_t gpa, uint64_t hpa, uint64_t size,
			uint64_t step, unsigned rights)
{
	check_range(p, gpa, hpa, size, step, rights);
	check_unmapped(p, gpa - 1);
	check_unmapped(p, gpa + size);
}

static void t_gstage_init_root(void)
{
	struct pool p;

	pool_init(&p, 8);
	CHECK_EQ(gstage_root_pa(&p.gs), POOL_PA);
	CHECK_EQ(p.gs.next_free, 4);
	CHECK_EQ(p.gs.npages, 8);
	check_unmapped(&p, 0);
	check_unmapped(&p, 0x80000000UL);
	pool_done(&p);
}

static void t_gstage_1g_leaf(void)
{
	struct pool p;

	pool_init(&p, 8);
	CHECK_EQ(gstage_map(&p.gs, 0x40000000UL, 0x80000000UL, GIB, RWX), 0);
	CHECK_EQ(p.writes, 1);
	CHECK_EQ(p.gs.next_free, 4);
	CHECK_EQ(pool_pte(&p, POOL_PA, 1), leaf(0x80000000UL, RWX));
	check_whole(&p, 0x40000000UL, 0x80000000UL, GIB, GIB, RWX);
	pool_done(&p);
}

/* The top of the 41-bit space lives in the upper root pages (index up to 2047). */
static void t_gstage_top_of_space(void)
{
	struct pool p;
	uint64_t top = (1UL << 41) - GIB;

	pool_init(&p, 8);
	CHECK_EQ(gstage_map(&p.gs, top, 0, GIB, GSTAGE_R), 0);
	CHECK_EQ(pool_pte(&p, POOL_PA, 2047), leaf(0, GSTAGE_R));
	check_map(&p, (1UL << 41) - 1, GIB - 1, GSTAGE_R);
	check_unmapped(&p, 1UL << 41);
	pool_done(&p);
}

/* 32 MiB + 12 KiB: 16 2 MiB leaves, then 3 4 KiB leaves, through 2 new tables. */
static void t_gstage_2m_and_4k_tail(void)
{
	struct pool p;
	uint64_t gpa = 0x80000000UL, hpa = 0x100000000UL, l1, l0;
	unsigned i;

	pool_init(&p, 8);
	CHECK_EQ(gstage_map(&p.gs, gpa, hpa, 32 * MIB + 3 * PAGE, RWX), 0);
	CHECK_EQ(p.leaves, 19);
	CHECK_EQ(p.writes, 21);
	CHECK_EQ(p.gs.next_free, 6);
	l1 = POOL_PA + 4 * PAGE;
	l0 = POOL_PA + 5 * PAGE;
	CHECK_EQ(pool_pte(&p, POOL_PA, 2), (l1 >> 12 << 10) | PTE_V);
	for (i = 0; i < 16; i++)
		CHECK_EQ(pool_pte(&p, l1, i), leaf(hpa + i * 2 * MIB, RWX));
	CHECK_EQ(pool_pte(&p, l1, 16), (l0 >> 12 << 10) | PTE_V);
	for (i = 0; i < 3; i++)
		CHECK_EQ(pool_pte(&p, l0, i), leaf(hpa + 32 * MIB + i * PAGE, RWX));
	CHECK_EQ(pool_pte(&p, l0, 3), 0);
	check_range(&p, gpa, hpa, 32 * MIB, 2 * MIB, RWX);
	check_range(&p, gpa + 32 * MIB, hpa + 32 * MIB, 3 * PAGE, PAGE, RWX);
	check_unmapped(&p, gpa - 1);
	check_unmapped(&p, gpa + 32 * MIB + 3 * PAGE);
	pool_done(&p);
}

/* gpa is 1 GiB aligned but hpa only 2 MiB: no 1 GiB leaf, 512 2 MiB leaves instead. */
static void t_gstage_hpa_2m_aligned(void)
{
	struct pool p;

	pool_init(&p, 8);
	CHECK_EQ(gstage_map(&p.gs, GIB, 0x80200000UL, GIB, GSTAGE_R | GSTAGE_X), 0);
	CHECK_EQ(p.leaves, 512);
	CHECK_EQ(p.writes, 513);
	check_whole(&p, GIB, 0x80200000UL, GIB, 2 * MIB, GSTAGE_R | GSTAGE_X);
	pool_done(&p);
}

/* Alignments that differ below 2 MiB force 4 KiB pages throughout. */
static void t_gstage_hpa_4k_aligned(void)
{
	struct pool p;
	uint64_t gpa = 0x80000000UL, hpa = 0x100001000UL;

	pool_init(&p, 8);
	CHECK_EQ(gstage_map(&p.gs, gpa, hpa, 4 * MIB, RWX), 0);
	CHECK_EQ(p.leaves, 1024);
	CHECK_EQ(p.writes, 1 + 2 + 1024);
	CHECK_EQ(p.gs.next_free, 7);
	check_whole(&p, gpa, hpa, 4 * MIB, PAGE, RWX);
	pool_done(&p);
}

/* A range starting mid-superpage uses 4 KiB pages up to the next 2 MiB boundary. */
static void t_gstage_unaligned_head(void)
{
	struct pool p;
	uint64_t gpa = 0x80000000UL + 2 * MIB - 2 * PAGE, hpa = 0xc0000000UL + 2 * MIB - 2 * PAGE;

	pool_init(&p, 8);
	CHECK_EQ(gstage_map(&p.gs, gpa, hpa, 2 * PAGE + 2 * MIB, RWX), 0);
	CHECK_EQ(p.leaves, 3);
	check_range(&p, gpa, hpa, 2 * PAGE, PAGE, RWX);
	check_range(&p, gpa + 2 * PAGE, hpa + 2 * PAGE, 2 * MIB, 2 * MIB, RWX);
	check_unmapped(&p, gpa - 1);
	check_unmapped(&p, gpa + 2 * PAGE + 2 * MIB);
	pool_done(&p);
}

static void t_gstage_rights(void)
{
	struct pool p;
	static const unsigned ok[] = { GSTAGE_R, GSTAGE_X, GSTAGE_R | GSTAGE_W, GSTAGE_R | GSTAGE_X, RWX };
	unsigned i;

	pool_init(&p, 8);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_EQ(gstage_map(&p.gs, 0x80000000UL + i * PAGE, 0x1000000UL + i * PAGE, PAGE, ok[i]), 0);
		check_map(&p, 0x80000000UL + i * PAGE + 8, 0x1000000UL + i * PAGE + 8, ok[i]);
	}
	CHECK_EQ(pool_pte(&p, POOL_PA + 5 * PAGE, 0), leaf(0x1000000UL, GSTAGE_R));
	CHECK_EQ(pool_pte(&p, POOL_PA + 5 * PAGE, 2), leaf(0x1002000UL, GSTAGE_R | GSTAGE_W));
	CHECK_EQ(gstage_map(&p.gs, 0x90000000UL, 0, PAGE, 0), -1);
	CHECK_EQ(gstage_map(&p.gs, 0x90000000UL, 0, PAGE, GSTAGE_W), -1);
	CHECK_EQ(gstage_map(&p.gs, 0x90000000UL, 0, PAGE, GSTAGE_W | GSTAGE_X), -1);
	CHECK_EQ(gstage_map(&p.gs, 0x90000000UL, 0, PAGE, GSTAGE_R | 1), -1);
	CHECK_EQ(gstage_map(&p.gs, 0x90000000UL, 0, PAGE, GSTAGE_R | (1u << 4)), -1);
	check_unmapped(&p, 0x90000000UL);
	pool_done(&p);
}

static void t_gstage_overlap(void)
{
	struct pool p;
	unsigned writes;

	pool_init(&p, 8);
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, 2 * MIB, RWX), 0);
	CHECK_EQ(gstage_map(&p.gs, 0x80200000UL, 0x200000UL, PAGE, RWX), 0);
	writes = p.writes;
	/* a 4 KiB page inside the 2 MiB leaf: the superpage is in the way of a table */
	CHECK_EQ(gstage_map(&p.gs, 0x80001000UL, 0x1000UL, PAGE, RWX), -1);
	/* the same 4 KiB page again */
	CHECK_EQ(gstage_map(&p.gs, 0x80200000UL, 0x200000UL, PAGE, RWX), -1);
	/* the same 2 MiB leaf again */
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, 2 * MIB, RWX), -1);
	/* a 1 GiB leaf where a table already hangs */
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, GIB, RWX), -1);
	/* a 2 MiB leaf where a 4 KiB table already hangs */
	CHECK_EQ(gstage_map(&p.gs, 0x80200000UL, 0x200000UL, 2 * MIB, RWX), -1);
	CHECK_EQ(p.writes, writes);
	check_map(&p, 0x80001000UL, 0x1000UL, RWX);
	/* the neighbouring page is free */
	CHECK_EQ(gstage_map(&p.gs, 0x80201000UL, 0x300000UL, PAGE, RWX), 0);
	check_map(&p, 0x80201000UL, 0x300000UL, RWX);
	pool_done(&p);
}

/*
 * A superpage leaf is never taken for a table link, even when (against all sense) it maps
 * the very pool page that holds the level-1 table: here pool page 4 sits at 2 MiB alignment.
 */
static void t_gstage_superpage_onto_pool(void)
{
	struct pool p;
	uint64_t pa = 0x801fc000UL;

	pool_init_at(&p, 8, pa);
	CHECK_EQ(gstage_map(&p.gs, 0, pa + 4 * PAGE, 2 * MIB, RWX), 0);
	CHECK_EQ(p.gs.next_free, 5);
	CHECK_EQ(gstage_map(&p.gs, PAGE, 0x1000UL, PAGE, RWX), -1);
	check_map(&p, PAGE, pa + 5 * PAGE, RWX);
	pool_done(&p);
}

/* A link to anything but a handed-out, non-root pool page is never followed. */
static void t_gstage_bad_link(void)
{
	static const uint64_t bad[] = { 0x12345000UL, POOL_PA + PAGE, POOL_PA + 6 * PAGE };
	struct pool p;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pool_init(&p, 8);
		CHECK_EQ(gstage_map(&p.gs, 0, 0, PAGE, RWX), 0);
		p.mem[2] = p.shadow[2] = (bad[i] >> 12 << 10) | PTE_V;
		CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, PAGE, RWX), -1);
		check_unmapped(&p, 0x80000000UL);
		pool_done(&p);
	}
}

static void t_gstage_pool_exhausted(void)
{
	struct pool p;

	/* a 4 KiB page needs a level-1 and a level-0 table: 6 pages */
	pool_init(&p, 5);
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, PAGE, RWX), -1);
	CHECK_EQ(p.gs.next_free, 5);
	check_unmapped(&p, 0x80000000UL);
	pool_done(&p);

	pool_init(&p, 6);
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, PAGE, RWX), 0);
	check_map(&p, 0x80000000UL, 0, RWX);
	/* another 2 MiB region needs one more level-0 table */
	CHECK_EQ(gstage_map(&p.gs, 0x80200000UL, 0, PAGE, RWX), -1);
	/* a 2 MiB leaf in the existing level-1 table needs none */
	CHECK_EQ(gstage_map(&p.gs, 0x80400000UL, 0x400000UL, 2 * MIB, RWX), 0);
	pool_done(&p);

	/* too small to even hold the root */
	pool_init(&p, 3);
	CHECK_EQ(gstage_map(&p.gs, 0, 0, GIB, RWX), -1);
	CHECK_EQ(p.writes, 0);
	check_unmapped(&p, 0);
	pool_done(&p);
}

static void t_gstage_write_refused(void)
{
	struct pool p;
	unsigned n;

	/* refuse the table link, the leaf, and the 2nd leaf of a run */
	for (n = 1; n <= 3; n++) {
		pool_init(&p, 8);
		p.refuse_at = n;
		CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, 4 * MIB, RWX), -1);
		CHECK_EQ(p.writes, n);
		check_unmapped(&p, 0x80000000UL + 2 * MIB);
		pool_done(&p);
	}
	pool_init(&p, 8);
	p.refuse_at = 1;
	CHECK_EQ(gstage_map(&p.gs, 0, 0, GIB, RWX), -1);
	check_unmapped(&p, 0);
	pool_done(&p);
}

static void t_gstage_bad_args(void)
{
	struct pool p;

	pool_init(&p, 8);
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, 0, RWX), -1);
	CHECK_EQ(gstage_map(&p.gs, 0x80000800UL, 0, PAGE, RWX), -1);
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0x10, PAGE, RWX), -1);
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, PAGE + 1, RWX), -1);
	CHECK_EQ(gstage_map(&p.gs, 1UL << 41, 0, PAGE, RWX), -1);
	CHECK_EQ(gstage_map(&p.gs, (1UL << 41) - PAGE, 0, 2 * PAGE, RWX), -1);
	CHECK_EQ(gstage_map(&p.gs, -PAGE, 0, 2 * PAGE, RWX), -1);
	CHECK_EQ(gstage_map(&p.gs, 0, -PAGE, 2 * PAGE, RWX), -1);
	CHECK_EQ(gstage_map(&p.gs, 0, 1UL << 56, PAGE, RWX), -1);
	CHECK_EQ(p.writes, 0);
	CHECK_EQ(p.gs.next_free, 4);
	/* the largest legal ones */
	CHECK_EQ(gstage_map(&p.gs, (1UL << 41) - PAGE, (1UL << 56) - PAGE, PAGE, RWX), 0);
	check_map(&p, (1UL << 41) - 1, (1UL << 56) - 1, RWX);
	check_unmapped(&p, 1UL << 41);
	check_unmapped(&p, -1UL);
	pool_done(&p);
}

/* A 4 KiB leaf comes and goes; superpages, holes and bad addresses are refused untouched. */
static void t_gstage_unmap_page(void)
{
	struct pool p;
	unsigned writes;

	pool_init(&p, 8);
	CHECK_EQ(gstage_unmap_page(&p.gs, 0x10000000UL), -1);
	CHECK_EQ(gstage_map(&p.gs, 0x10000000UL, 0x5000UL, PAGE, GSTAGE_R), 0);
	CHECK_EQ(gstage_map(&p.gs, 0x80000000UL, 0, 2 * MIB, RWX), 0);
	writes = p.writes;
	CHECK_EQ(gstage_unmap_page(&p.gs, 0x10001000UL), -1);
	CHECK_EQ(gstage_unmap_page(&p.gs, 0x10000800UL), -1);
	CHECK_EQ(gstage_unmap_page(&p.gs, 0x80000000UL), -1);
	CHECK_EQ(gstage_unmap_page(&p.gs, 1UL << 41), -1);
	CHECK_EQ(p.writes, writes);
	CHECK_EQ(gstage_unmap_page(&p.gs, 0x10000000UL), 0);
	CHECK_EQ(p.writes, writes + 1);
	check_unmapped(&p, 0x10000000UL);
	CHECK_EQ(gstage_unmap_page(&p.gs, 0x10000000UL), -1);
	/* mapped again without a new table */
	CHECK_EQ(gstage_map(&p.gs, 0x10000000UL, 0x5000UL, PAGE, GSTAGE_R), 0);
	CHECK_EQ(p.writes, writes + 2);
	check_map(&p, 0x10000000UL, 0x5000UL, GSTAGE_R);
	check_map(&p, 0x80000000UL, 0, RWX);
	pool_done(&p);
}

int main(void)
{
	RUN(t_gstage_init_root);
	RUN(t_gstage_1g_leaf);
	RUN(t_gstage_top_of_space);
	RUN(t_gstage_2m_and_4k_tail);
	RUN(t_gstage_hpa_2m_aligned);
	RUN(t_gstage_hpa_4k_aligned);
	RUN(t_gstage_unaligned_head);
	RUN(t_gstage_rights);
	RUN(t_gstage_overlap);
	RUN(t_gstage_unmap_page);
	RUN(t_gstage_superpage_onto_pool);
	RUN(t_gstage_bad_link);
	RUN(t_gstage_pool_exhausted);
	RUN(t_gstage_write_refused);
	RUN(t_gstage_bad_args);
	UNIT_EXIT();
}
