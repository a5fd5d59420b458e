// SPDX-License-Identifier: BSD-2-Clause
/*
 * The minikernel's G-stage validator (minikernel/gpt.c) built for the host and raced by
 * several threads under ThreadSanitizer, as a hostile runtime races it from several harts:
 * in every round the threads link the same fresh pool page from tables of two levels at
 * once, then write leaves into it; exactly one link may win, and a walk of the tables from
 * the root must find nothing outside the grant.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gpt_walk.h"
#include "mk.h"
#include "unit.h"

#define THREADS 4
#define ROUNDS  400
#define MIB2    (1UL << 21)
/* The grant: 2 MiB and the shadow pages past it, like a VM's RAM and DV_RAM_EXTRA. */
#define GRANT_PA   0x80400000UL
#define GRANT_SIZE (MIB2 + 0x10000UL)
#define FRESH      (GPT_WALK_ROOT + THREADS) /* the page the threads fight over */

void mk_hfence_gvma(void)
{
}

static struct mk_vm vm;
static uint64_t *pool;
static pthread_barrier_t barrier;
static long link_ret[THREADS];
static unsigned round_wins[ROUNDS];

static uint64_t table_pa(unsigned page)
{
	return vm.gpt_pa + page * PAGE_SIZE;
}

static uint64_t link_pte(unsigned page)
{
	return table_pa(page) >> 12 << PTE_PPN_SHIFT | PTE_V;
}

static uint64_t leaf_pte(uint64_t pa)
{
	return pa >> 12 << PTE_PPN_SHIFT | PTE_V | PTE_R | PTE_W | PTE_X;
}

/* A fresh pool: the root links level-1 tables 4.. for threads 1..THREADS-1. */
static void reset_pool(void)
{
	memset(pool, 0, MK_GPT_PAGES * PAGE_SIZE);
	mk_gpt_init(&vm);
	for (unsigned t = 1; t < THREADS; t++)
		CHECK_EQ(mk_gpt_write(&vm, table_pa(0), 8 + t, link_pte(GPT_WALK_ROOT + t)), 0);
}

/*
 * Thread 0 links the fresh page from the root (it would be a level-1 table), the others
 * from their level-1 tables (a level-0 table). Then each writes a 4 KiB leaf just past
 * the grant's first 2 MiB and a 2 MiB leaf at its start: read at the other level, one of
 * them would reach outside.
 */
static void *racer(void *arg)
{
	unsigned t = (unsigned)(uintptr_t)arg;

	for (unsigned r = 0; r < ROUNDS; r++) {
		uint64_t table = t ? table_pa(GPT_WALK_ROOT + t) : table_pa(0);

		pthread_barrier_wait(&barrier);
		link_ret[t] = mk_gpt_write(&vm, table, t ? 0 : 1, link_pte(FRESH));
		pthread_barrier_wait(&barrier);
		mk_gpt_write(&vm, table_pa(FRESH), 2 * t, leaf_pte(GRANT_PA + MIB2));
		mk_gpt_write(&vm, table_pa(FRESH), 2 * t + 1, leaf_pte(GRANT_PA));
		pthread_barrier_wait(&barrier);
		/* thread 0 checks and resets the pool between these two */
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static void race_links_and_leaves(void)
{
	pthread_t th[THREADS];
	struct gpt_walk w = { .pages = MK_GPT_PAGES, .grant_pa = GRANT_PA, .grant_size = GRANT_SIZE };
	unsigned bad_rounds = 0, double_wins = 0;

	w.pool = pool;
	w.pool_pa = vm.gpt_pa;
	reset_pool();
	pthread_barrier_init(&barrier, NULL, THREADS + 1);
	for (unsigned t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, racer, (void *)(uintptr_t)t);
	for (unsigned r = 0; r < ROUNDS; r++) {
		pthread_barrier_wait(&barrier);
		pthread_barrier_wait(&barrier);
		for (unsigned t = 0; t < THREADS; t++)
			round_wins[r] += link_ret[t] == 0;
		pthread_barrier_wait(&barrier);
		double_wins += round_wins[r] != 1;
		bad_rounds += gpt_walk(&w) != 0;
		reset_pool();
		pthread_barrier_wait(&barrier);
	}
	for (unsigned t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	pthread_barrier_destroy(&barrier);
	printf("  %u rounds on %u threads: %u with other than one winning link, %u with a bad walk\n",
	       ROUNDS, THREADS, double_wins, bad_rounds);
	CHECK_EQ(double_wins, 0);
	CHECK_EQ(bad_rounds, 0);
}

/* The walk itself must see a page linked twice: otherwise the race test proves nothing. */
static void walk_sees_a_double_link(void)
{
	struct gpt_walk w = { .pages = MK_GPT_PAGES, .grant_pa = GRANT_PA, .grant_size = GRANT_SIZE };

	w.pool = pool;
	w.pool_pa = vm.gpt_pa;
	reset_pool();
	CHECK_EQ(mk_gpt_write(&vm, table_pa(GPT_WALK_ROOT + 1), 0, link_pte(FRESH)), 0);
	CHECK_EQ(mk_gpt_write(&vm, table_pa(FRESH), 0, leaf_pte(GRANT_PA + MIB2)), 0);
	CHECK_EQ(gpt_walk(&w), 0);
	CHECK_EQ(w.leaves, 1);
	/* What a lost race left behind: the same page linked from the root as well. */
	pool[1] = link_pte(FRESH);
	/* Walked at level 1 first, the 4 KiB leaf is a 2 MiB page past the grant. */
	CHECK_EQ(gpt_walk(&w), 2);
	CHECK_EQ(w.bad_page, FRESH);
	CHECK_EQ(w.bad_idx, 0);
}

int main(void)
{
	pool = aligned_alloc(4 * PAGE_SIZE, MK_GPT_PAGES * PAGE_SIZE);
	vm.gpt_pa = (uint64_t)pool;
	vm.ram_pa = GRANT_PA;
	vm.ram_size = GRANT_SIZE;
	RUN(walk_sees_a_double_link);
	RUN(race_links_and_leaves);
	free(pool);
	UNIT_EXIT();
}
