// SPDX-License-Identifier: BSD-2-Clause
/*
 * The racing attack: a hostile runtime on every hart of its VM at once, calling each
 * syscall that validates something in the same instant from all of them. Round after
 * round the threads link one fresh G-stage pool page from tables of two levels and write
 * leaves into it, write leaves into one slot, fight over starting a parked vCPU, and
 * submit DMA chains while another thread rewrites their segments and resets the device.
 * After each round the tables are walked from the root: nothing outside the grant may be
 * reachable; a blob the runtime can only read must be unchanged by any DMA.
 */
#include <picolibc.h>
#include <picotls.h>
#include <stdio.h>
#include <string.h>

#include "attack.h"
#include "dv.h"
#include "gpt_walk.h"
#include "riscv.h"
#include "vm.h"

#define RACERS      4
#define LEAF_ROUNDS 400
#define VCPU_ROUNDS 200
#define DMA_ROUNDS  300
#define MIB2        (1UL << 21)
#define STACK       0x4000
/* Pool page 4 is attack.c's, 5 a level-1 table of the racers, the rest fresh pages. */
#define TABLE       (GPT_WALK_ROOT + 1)
#define FIRST_FRESH (TABLE + 1)
#define RNG_ID      4

struct racer {
	unsigned id;
	uint32_t sense;
	unsigned round; /* where a restarted thread goes on (the vCPU rounds) */
	struct vcpu vcpu;
	uint8_t stack[STACK] __attribute__((aligned(16)));
	uint8_t tls[256] __attribute__((aligned(16)));
};

static struct racer racer[RACERS];
static const struct dv_boot_info *bi;
static unsigned nr_racers, nr_fresh, hd = ~0U;
static uint32_t bar_count, bar_sense, bar_n;
/* Results, counted by the racers. */
static uint32_t link_wins, leaf_ok, start_wins[VCPU_ROUNDS], restarts, dma_ok, dma_refused;
static uint32_t flipping;

static void barrier(struct racer *r)
{
	uint32_t s = r->sense = !r->sense;

	if (__atomic_add_fetch(&bar_count, 1, __ATOMIC_ACQ_REL) == __atomic_load_n(&bar_n, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&bar_count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&bar_sense, s, __ATOMIC_RELEASE);
	}
	while (__atomic_load_n(&bar_sense, __ATOMIC_ACQUIRE) != s)
		;
}

static uint64_t table_pa(unsigned page)
{
	return bi->gpt.pa + page * 4096UL;
}

static uint64_t link_pte(unsigned page)
{
	return table_pa(page) >> 12 << PTE_PPN_SHIFT | PTE_V;
}

static uint64_t leaf_pte(uint64_t pa)
{
	return pa >> 12 << PTE_PPN_SHIFT | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;
}

/* The last 2 MiB boundary in the grant: a 4 KiB page there is inside, 2 MiB is not. */
static uint64_t edge_pa(void)
{
	return (bi->ram.pa + bi->ram.size - 1) & ~(MIB2 - 1);
}

static unsigned walk_bad(unsigned *leaves)
{
	struct gpt_walk w = { .pool = (const uint64_t *)bi->gpt.va, .pool_pa = bi->gpt.pa,
			      .pages = (unsigned)(bi->gpt.size / 4096), .grant_pa = bi->ram.pa,
			      .grant_size = bi->ram.size };
	unsigned bad = gpt_walk(&w);

	if (bad)
		printf("FAIL: attack race: pool page %u entry %u = 0x%llx: a leaf outside the grant "
		       "or a table reached twice\n",
		       w.bad_page, w.bad_idx, (unsigned long long)w.bad_pte);
	if (leaves)
		*leaves = w.leaves;
	return bad;
}

/*
 * One fresh page a round, on two harts (on a two-core host the other racers would only
 * take turns with them): racer 0 links it from the root (a level-1 table), racer 1 from
 * a level-1 table (a level-0 table); then both write into it a 4 KiB leaf at the grant's
 * last 2 MiB boundary and a 2 MiB leaf at its start. Walked at the level it was not
 * validated for, one of them would reach past the grant.
 */
static void link_rounds(struct racer *r)
{
	uint64_t table = r->id ? table_pa(TABLE) : table_pa(0);

	for (unsigned k = 0; k < nr_fresh; k++) {
		unsigned fresh = FIRST_FRESH + k;

		barrier(r);
		if (!dv_gpt_write(table, r->id ? k : 16 + k, link_pte(fresh)))
			__atomic_add_fetch(&link_wins, 1, __ATOMIC_RELAXED);
		barrier(r);
		dv_gpt_write(table_pa(fresh), 2 * r->id, leaf_pte(edge_pa()));
		dv_gpt_write(table_pa(fresh), 2 * r->id + 1, leaf_pte(bi->ram.pa));
		barrier(r);
	}
}

/* All racers store into one level-1 slot at once: 2 MiB leaves inside and past the grant. */
static void leaf_rounds(struct racer *r)
{
	uint64_t table = table_pa(TABLE);
	uint64_t pa = r->id & 1 ? edge_pa() : bi->ram.pa;

	for (unsigned k = 0; k < LEAF_ROUNDS; k++) {
		barrier(r);
		if (!dv_gpt_write(table, 511, leaf_pte(pa)))
			__atomic_add_fetch(&leaf_ok, 1, __ATOMIC_RELAXED);
		barrier(r);
	}
}

static void racer_main(struct racer *r);

/* Where a racer thread starts, on the hart of its vCPU, with a0 = its struct. */
static void racer_entry(struct racer *r)
{
	_init_tls(r->tls);
	_set_tls(r->tls);
	vcpu_current = &r->vcpu;
	racer_main(r);
}

static long start_racer(struct racer *r)
{
	return dv_vcpu_start(r->id, (uint64_t)racer_entry, (uint64_t)r->stack + STACK, (uint64_t)r);
}

/*
 * The last racer parks its hart (DV_SYS_VCPU_STOP) while the others call
 * DV_SYS_VCPU_START on it until it is back: exactly one start may succeed per round.
 */
static void vcpu_rounds(struct racer *r)
{
	struct racer *last = &racer[nr_racers - 1];

	for (; r->round < VCPU_ROUNDS; r->round++) {
		unsigned k = r->round;

		barrier(r);
		if (r == last) {
			r->round++;
			dv_vcpu_stop();
		}
		while (__atomic_load_n(&restarts, __ATOMIC_ACQUIRE) <= k)
			if (!start_racer(last))
				__atomic_add_fetch(&start_wins[k], 1, __ATOMIC_RELAXED);
	}
}

static long submit_one(uint64_t off)
{
	struct dv_dma_seg *seg = dv_dma_area();

	seg->off = off;
	seg->len = 16;
	seg->flags = DV_DMA_WRITE;
	return dv_hq_submit(hd, 0, seg, 1);
}

/*
 * The last racer keeps rewriting the others' DMA areas between a buffer in RAM and the
 * read-only blob (an offset that wraps to it) and now and then resets the device; the
 * others submit and reap. A segment checked on one read and used on another would let
 * the device write the blob.
 */
static void dma_rounds(struct racer *r, uint64_t evil)
{
	if (r == &racer[nr_racers - 1]) {
		for (unsigned k = 0; __atomic_load_n(&flipping, __ATOMIC_ACQUIRE); k++) {
			for (unsigned t = 0; t + 1 < nr_racers; t++) {
				struct dv_dma_seg *seg = (struct dv_dma_seg *)((char *)racer[t].vcpu.exit +
									       DV_EXIT_DMA);

				__atomic_store_n(&seg->off, k & 1 ? evil : 0x1000 + 64 * t,
						 __ATOMIC_RELAXED);
			}
			if (!(k % 4096))
				dv_hdev_reset(hd);
		}
		return;
	}
	for (unsigned k = 0; k < DMA_ROUNDS; k++) {
		struct dv_dma_done done[8];
		long id = submit_one(0x1000 + 64 * r->id);

		if (id >= 0)
			__atomic_add_fetch(&dma_ok, 1, __ATOMIC_RELAXED);
		else if (id == -DV_EPERM)
			__atomic_add_fetch(&dma_refused, 1, __ATOMIC_RELAXED);
		dv_hq_reap(hd, 0, done, 8);
	}
}

/* After the race the device must still take a valid chain and fill it. */
static long dma_after_race(void)
{
	long id;

	if (dv_hdev_reset(hd))
		return -1;
	id = submit_one(0x1000);
	return id < 0 ? -1 : await_chain(bi, hd, id);
}

static void racer_main(struct racer *r)
{
	if (r->round) {
		__atomic_add_fetch(&restarts, 1, __ATOMIC_RELEASE);
	} else {
		if (r->id == 1)
			link_rounds(r);
		leaf_rounds(r);
	}
	vcpu_rounds(r);
	barrier(r);
	if (hd != ~0U)
		dma_rounds(r, bi->blob[0].pa - bi->ram.pa);
	barrier(r);
	if (r->id)
		dv_vcpu_stop();
}

static uint64_t checksum(const uint8_t *p, uint64_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* Returns how many of its checks failed. */
unsigned race_attack(const struct dv_boot_info *info)
{
	unsigned fails = 0, leaves, double_starts = 0;
	uint64_t blob_sum;

	bi = info;
	nr_racers = bi->nr_vcpus < RACERS ? (unsigned)bi->nr_vcpus : RACERS;
	nr_fresh = (unsigned)(bi->gpt.size / 4096) - FIRST_FRESH;
	for (unsigned i = 0; i < bi->nr_hdevs; i++)
		if (bi->hdev[i].device_id == RNG_ID)
			hd = i;
	blob_sum = checksum((const uint8_t *)bi->blob[0].va, bi->blob[0].size);
	printf("attack: race: %u racers on %u harts, %u link rounds, %u leaf rounds, %u vCPU "
	       "rounds, %u DMA rounds\n", nr_racers, nr_racers, nr_fresh, LEAF_ROUNDS,
	       VCPU_ROUNDS, hd != ~0U ? DMA_ROUNDS : 0);
	if (nr_racers < 2 || dv_gpt_write(table_pa(0), 8, link_pte(TABLE))) {
		printf("FAIL: attack race: needs two vCPUs and a fresh pool page\n");
		return 1;
	}
	for (unsigned t = 0; t < nr_racers; t++) {
		racer[t].id = t;
		racer[t].vcpu.id = t;
		racer[t].vcpu.exit = (struct dv_exit *)(bi->exit_va + t * 4096UL);
	}
	vcpu_current = &racer[0].vcpu;
	__atomic_store_n(&flipping, 1, __ATOMIC_RELEASE);
	bar_n = 2;
	fails += start_racer(&racer[1]) != 0;
	link_rounds(&racer[0]);
	/* Racer 1 can reach the next barrier first, but counts only 1 there: not 2. */
	__atomic_store_n(&bar_n, nr_racers, __ATOMIC_RELEASE);
	for (unsigned t = 2; t < nr_racers; t++)
		fails += start_racer(&racer[t]) != 0;
	leaf_rounds(&racer[0]);
	vcpu_rounds(&racer[0]);
	barrier(&racer[0]);
	if (hd != ~0U)
		dma_rounds(&racer[0], bi->blob[0].pa - bi->ram.pa);
	__atomic_store_n(&flipping, 0, __ATOMIC_RELEASE);
	barrier(&racer[0]);
	fails += walk_bad(&leaves) != 0;
	for (unsigned k = 0; k < VCPU_ROUNDS; k++)
		double_starts += start_wins[k] != 1;
	printf("attack: race: G-stage: %u of %u contested links won (one per round), %u leaves "
	       "reachable, 0 outside the grant unless FAIL above\n", link_wins, nr_fresh, leaves);
	printf("attack: race: vCPU start/stop: %u rounds, %u with other than one winning start\n",
	       VCPU_ROUNDS, double_starts);
	if (link_wins != nr_fresh || double_starts || restarts != VCPU_ROUNDS) {
		printf("FAIL: attack race: %u links won, %u restarts\n", link_wins, restarts);
		fails++;
	}
	if (hd != ~0U) {
		bool intact = checksum((const uint8_t *)bi->blob[0].va, bi->blob[0].size) == blob_sum;
		long len = dma_after_race();

		printf("attack: race: DMA: %u chains accepted, %u refused, read-only blob %s, "
		       "device %s after the race\n", dma_ok, dma_refused, intact ? "intact" : "CHANGED",
		       len > 0 ? "working" : "NOT working");
		fails += !intact || !dma_ok || len <= 0;
	}
	return fails;
}
