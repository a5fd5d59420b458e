// SPDX-License-Identifier: BSD-2-Clause
/* Fuzz target: the minikernel's G-stage validator (minikernel/gpt.c), compiled for the host. */
#include <string.h>
#include <sys/mman.h>

#include "fuzz.h"
#include "gpt_walk.h"
#include "mk.h"

#define ROOT_PAGES   4
#define ROOT_ENTRIES 2048
#define ENTRIES      512
#define POOL_SIZE    (MK_GPT_PAGES * PAGE_SIZE)
#define PA_MASK      ((1ULL << 56) - 1) /* what a PTE's 44-bit PPN can name */
#define PTE_RWX      (PTE_R | PTE_W | PTE_X)
#define PTE_RSVD     (0x3ffULL << 54)
#define UNLINKED     (-1)
/*
 * The pool's fixed address: a crash input that names a pool page (the fuzzer learns the
 * pool's address from the validator's comparisons) names the same page when run again.
 */
#define POOL_VA      0x500000000000ULL

_Static_assert(GPT_WALK_ROOT == ROOT_PAGES && GPT_WALK_PAGES >= MK_GPT_PAGES,
	       "tests/gpt_walk.h walks a pool of this layout");

void mk_hfence_gvma(void)
{
}

static uint64_t *pool; /* the "physical" pool: its host address is its PA */
static struct mk_vm vm;
/* The tables as the successful stores built them: each page's level, or UNLINKED. */
static int ref_level[MK_GPT_PAGES];

static uint64_t page_pa(unsigned k)
{
	return vm.gpt_pa + k * PAGE_SIZE;
}

static uint64_t level_size(int level)
{
	return PAGE_SIZE << (9 * level);
}

static uint64_t pte_pa(uint64_t pte)
{
	return (pte >> PTE_PPN_SHIFT & ((1ULL << 44) - 1)) << 12;
}

/* A leaf's bits: no reserved bit, no W without R (its place is the walk's to check). */
static void check_leaf_bits(uint64_t pte)
{
	FUZZ_CHECK(!(pte & PTE_RSVD));
	FUZZ_CHECK(!(pte & PTE_W) || (pte & PTE_R));
}

/* A leaf as the hardware will use it: a whole naturally aligned page inside the grant. */
static void check_leaf(uint64_t pte, int level)
{
	uint64_t pa = pte_pa(pte), size = level_size(level);

	check_leaf_bits(pte);
	FUZZ_CHECK(pa % size == 0);
	FUZZ_CHECK(pa >= vm.ram_pa && (pa - vm.ram_pa) + size <= vm.ram_size);
}

/* The pool page a link names, checked to be one the walk may enter at `level` - 1. */
static unsigned check_link(uint64_t pte, int level)
{
	uint64_t pa = pte_pa(pte);
	unsigned k;

	FUZZ_CHECK(level > 0);
	FUZZ_CHECK(!(pte & (PTE_RSVD | PTE_U | PTE_G | PTE_A | PTE_D)));
	FUZZ_CHECK(pa >= vm.gpt_pa && pa - vm.gpt_pa < POOL_SIZE && pa % PAGE_SIZE == 0);
	k = (unsigned)((pa - vm.gpt_pa) / PAGE_SIZE);
	FUZZ_CHECK(k >= ROOT_PAGES);
	return k;
}

/*
 * The hardware's walk from the root (tests/gpt_walk.h, shared with test_gpt_race and the
 * attacking runtime): no leaf outside the grant or misaligned, no link out of the pool or
 * to the root, no page entered twice. Then what it does not check, entry by entry over
 * the pages it reached: nothing is claimed that the walk cannot reach, the bits of every
 * leaf and link, and each link names a page claimed one level below its table's. As every
 * page is reached once, from the root at level 2 down, that last is: each page is walked
 * at the level the validator recorded for it (gpt_level, equal to ref_level).
 */
static void check_tables(void)
{
	struct gpt_walk w = { .pool = pool, .pool_pa = vm.gpt_pa, .pages = MK_GPT_PAGES,
			      .grant_pa = vm.ram_pa, .grant_size = vm.ram_size };
	unsigned bad = gpt_walk(&w);

	if (bad)
		fprintf(stderr, "gpt_walk: %u bad entries, the first page %u index %u = %#llx\n",
			bad, w.bad_page, w.bad_idx, (unsigned long long)w.bad_pte);
	FUZZ_CHECK(bad == 0);
	for (unsigned k = 0; k < MK_GPT_PAGES; k++) {
		const uint64_t *table = (const uint64_t *)page_pa(k);
		int level = ref_level[k];
		bool reached = k < ROOT_PAGES || w.seen[k];

		FUZZ_CHECK(vm.gpt_level[k] == (level == UNLINKED ? MK_GPT_FREE : level));
		FUZZ_CHECK(reached == (level != UNLINKED));
		for (unsigned i = 0; reached && i < ENTRIES; i++) {
			if (!(table[i] & PTE_V))
				continue;
			if (table[i] & PTE_RWX)
				check_leaf_bits(table[i]);
			else
				FUZZ_CHECK(ref_level[check_link(table[i], level)] == level - 1);
		}
	}
}

/* Grants: the test VM's, gigabyte ones with and without a tail, tiny, empty, at 0, anywhere. */
static const uint64_t ram_bases[] = { 0x80000000ULL, 0x80200000ULL, 0x40000000ULL, 0,
				      0x1000, 1ULL << 55 };
static const uint64_t ram_sizes[] = { (32ULL << 20) + 0x3000, 1ULL << 30, (1ULL << 30) + 0x1000,
				      (2ULL << 20) - 0x1000, 0x1000, 0,
				      (3ULL << 30) + (2ULL << 20) + 0x1000 };

static void make_vm(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in), s = fuzz_u8(in);

	memset(pool, 0, POOL_SIZE);
	memset(&vm, 0, sizeof(vm));
	vm.gpt_pa = (uint64_t)(uintptr_t)pool;
	vm.ram_pa = b % 8 < 6 ? ram_bases[b % 8] : fuzz_u64(in) & PA_MASK;
	vm.ram_size = s % 8 < 7 ? ram_sizes[s % 8] : fuzz_u64(in) & ((1ULL << 40) - 1);
	mk_gpt_init(&vm);
	for (unsigned k = 0; k < MK_GPT_PAGES; k++)
		ref_level[k] = k < ROOT_PAGES ? 2 : UNLINKED;
}

/* Guard pages on both sides: a store the validator lets out of the pool faults. */
static uint64_t *map_pool(void)
{
	uint8_t *p = mmap((void *)(uintptr_t)(POOL_VA - PAGE_SIZE), POOL_SIZE + 2 * PAGE_SIZE,
			  PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	FUZZ_CHECK(p == (uint8_t *)(uintptr_t)(POOL_VA - PAGE_SIZE));
	FUZZ_CHECK(!mprotect(p + PAGE_SIZE, POOL_SIZE, PROT_READ | PROT_WRITE));
	return (uint64_t *)(p + PAGE_SIZE);
}

/* The table a store goes to: a pool page (the root is page 0), or an address that is not one. */
static uint64_t pick_table(struct fuzz_in *in)
{
	uint8_t t = fuzz_u8(in);

	if (t < 0xc0)
		return page_pa(t % MK_GPT_PAGES);
	switch (t % 4) {
	case 0:
		return vm.gpt_pa - PAGE_SIZE;
	case 1:
		return vm.gpt_pa + POOL_SIZE;
	case 2:
		return page_pa(t % MK_GPT_PAGES) + 8;
	default:
		return fuzz_u64(in);
	}
}

/* The pool page at `pa`, or -1: the raw addresses may well be pool pages too. */
static int pool_index(uint64_t pa)
{
	if (pa < vm.gpt_pa || pa - vm.gpt_pa >= POOL_SIZE || pa % PAGE_SIZE)
		return -1;
	return (int)((pa - vm.gpt_pa) / PAGE_SIZE);
}

/* A leaf of a chosen size near the grant's start or end, or anywhere, with any permissions. */
static uint64_t pick_leaf(struct fuzz_in *in, uint8_t kind)
{
	uint64_t size = level_size((kind >> 2) % 3), pa;
	uint8_t where = fuzz_u8(in), perm = fuzz_u8(in);

	switch (where % 4) {
	case 0:
		pa = vm.ram_pa + size * (where >> 2);
		break;
	case 1:
		pa = vm.ram_pa + vm.ram_size - size + (uint64_t)(int64_t)(int8_t)fuzz_u8(in) * PAGE_SIZE;
		break;
	case 2:
		pa = vm.ram_pa - size * (where >> 2);
		break;
	default:
		pa = fuzz_u64(in);
	}
	/* R, W, X not all clear (else it is a link); U, G, A, D; now and then a reserved bit */
	return (pa & PA_MASK) >> 12 << PTE_PPN_SHIFT | PTE_V | ((perm % 7 + 1) << 1) |
	       (perm & 0xf0) | ((perm & 8) ? 1ULL << 60 : 0);
}

static uint64_t pick_pte(struct fuzz_in *in)
{
	uint8_t kind = fuzz_u8(in);

	switch (kind % 4) {
	case 0: /* a link to a pool page, now and then with U, G, A or D */
		return page_pa(fuzz_u8(in) % MK_GPT_PAGES) >> 12 << PTE_PPN_SHIFT | PTE_V |
		       ((kind & 0x80) ? (uint64_t)(kind & 0x70) : 0);
	case 1:
		return pick_leaf(in, kind);
	case 2:
		return fuzz_u64(in) & ~PTE_V;
	default:
		return fuzz_u64(in);
	}
}

/* What the validator promised for one store: its answer, and what it stored or left alone. */
static void one_write(struct fuzz_in *in)
{
	uint64_t table = pick_table(in), idx = fuzz_u16(in) % 4096, pte = pick_pte(in);
	int page = pool_index(table), level = UNLINKED;
	uint8_t levels[MK_GPT_PAGES];
	uint64_t *slot = NULL, old = 0;
	long r;

	if (page == 0 || page >= ROOT_PAGES) {
		level = ref_level[page];
		if (level != UNLINKED && idx < (level == 2 ? ROOT_ENTRIES : ENTRIES)) {
			slot = (uint64_t *)table + idx;
			old = *slot;
		}
	}
	memcpy(levels, vm.gpt_level, sizeof(levels));
	r = mk_gpt_write(&vm, table, idx, pte);
	FUZZ_CHECK(r == 0 || r == -DV_EINVAL || r == -DV_EPERM || r == -DV_EBUSY);
	if (page < 0 || (page > 0 && page < ROOT_PAGES))
		FUZZ_CHECK(r == -DV_EINVAL);
	if (r) {
		FUZZ_CHECK(!memcmp(levels, vm.gpt_level, sizeof(levels)));
		FUZZ_CHECK(!slot || *slot == old);
		return;
	}
	/* Stored: into a linked table, in range, not over a link. */
	FUZZ_CHECK(slot);
	FUZZ_CHECK(!(old & PTE_V) || (old & PTE_RWX));
	FUZZ_CHECK(*slot == ((pte & PTE_V) ? pte : 0));
	if ((pte & PTE_V) && !(pte & PTE_RWX)) {
		unsigned child = check_link(pte, level);

		FUZZ_CHECK(ref_level[child] == UNLINKED);
		ref_level[child] = level - 1;
	} else if (pte & PTE_V) {
		check_leaf(pte, level);
	}
	for (unsigned k = 0; k < MK_GPT_PAGES; k++)
		FUZZ_CHECK(vm.gpt_level[k] == (ref_level[k] == UNLINKED ? MK_GPT_FREE : ref_level[k]));
}

/* The grant, then stores until the input runs out; then the whole tables are walked. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	if (!pool)
		pool = map_pool();
	make_vm(&in);
	while (in.n)
		one_write(&in);
	check_tables();
	return 0;
}
