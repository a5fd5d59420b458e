// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests of the software walk of the guest's page tables (vmm/guest_walk.c) in fake RAM. */
#include <stdlib.h>
#include <string.h>

#include "dv_abi.h"
#include "guest_walk.h"
#include "riscv.h"
#include "unit.h"
#include "vm.h"

#define RAM_GPA   0x80000000UL /* 1 GiB aligned: a gigapage can map it */
#define RAM_SIZE  (8UL << 20)
#define TABLES    (RAM_GPA + (6UL << 20)) /* the page tables the tests build */
#define MIB       (1UL << 20)
#define GIB       (1UL << 30)
#define EFAULT    (-DV_EFAULT)

static uint8_t *ram;
#include "guest_ram.h"

static struct vm vm;
static unsigned nr_tables;

/* Fresh zeroed RAM and an empty root table; returns the root's gpa. */
static uint64_t fresh(void)
{
	memset(ram, 0, RAM_SIZE);
	nr_tables = 1;
	return TABLES;
}

static uint64_t new_table(void)
{
	return TABLES + PAGE_SIZE * nr_tables++;
}

static uint64_t link_pte(uint64_t table)
{
	return table >> 12 << PTE_PPN_SHIFT | PTE_V;
}

/* A leaf with A set and the given permission bits (R, W, X, U, ...). */
static uint64_t leaf_pte(uint64_t pa, uint64_t bits)
{
	return pa >> 12 << PTE_PPN_SHIFT | PTE_V | PTE_A | bits;
}

/* The entry for gva at `level` (0: 4 KiB) of a `levels`-level tree, linking tables on the way. */
static uint64_t *entry(uint64_t root, int levels, uint64_t gva, int level)
{
	uint64_t table = root, *e;

	for (int l = levels - 1;; l--) {
		e = (uint64_t *)g(table + 8 * (gva >> (12 + 9 * l) & 511));
		if (l == level)
			return e;
		if (!(*e & PTE_V))
			*e = link_pte(new_table());
		table = (*e >> PTE_PPN_SHIFT) << 12;
	}
}

static void map(uint64_t root, int levels, uint64_t gva, int level, uint64_t pte)
{
	*entry(root, levels, gva, level) = pte;
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(g(gpa), &v, 8);
}

static struct guest_mmu sv39(uint64_t root)
{
	return (struct guest_mmu){ .vsatp = SATP_SV39 | root >> 12 };
}

/* guest_walk's gpa, or ~0 when it faults. */
static uint64_t gpa_of(struct guest_mmu mmu, uint64_t gva, enum guest_access acc)
{
	uint64_t gpa = 0;
	long r = guest_walk(&vm, &mmu, gva, acc, &gpa);

	return r == 0 ? gpa : r == EFAULT ? ~0UL : 0xbad;
}

static uint64_t load64(struct guest_mmu mmu, uint64_t gva, long *r)
{
	uint64_t v = 0xdeadbeef;

	*r = guest_walk_read(&vm, &mmu, gva, &v, sizeof(v), GUEST_LOAD);
	return v;
}

static void t_walk_bare(void)
{
	struct guest_mmu mmu = { .vsatp = 0 };
	long r;

	fresh();
	put64(RAM_GPA + 0x1238, 0x1122334455667788);
	CHECK_EQ(gpa_of(mmu, RAM_GPA + 0x1238, GUEST_LOAD), RAM_GPA + 0x1238);
	CHECK_EQ(gpa_of(mmu, 0x1238, GUEST_FETCH), 0x1238);
	CHECK_EQ(load64(mmu, RAM_GPA + 0x1238, &r), 0x1122334455667788);
	CHECK_EQ(r, 0);
	/* translated, but not RAM: the read faults */
	load64(mmu, 0x1238, &r);
	CHECK_EQ(r, EFAULT);
	load64(mmu, RAM_GPA + RAM_SIZE - 4, &r);
	CHECK_EQ(r, EFAULT);
}

static void t_walk_sv39_4k(void)
{
	uint64_t root = fresh(), gva = 0x40201000;
	struct guest_mmu mmu = sv39(root);
	long r;

	map(root, 3, gva, 0, leaf_pte(RAM_GPA + 0x5000, PTE_R));
	put64(RAM_GPA + 0x5ff8, 0xa5a5a5a5f00dcafe);
	CHECK_EQ(gpa_of(mmu, gva + 0xff8, GUEST_LOAD), RAM_GPA + 0x5ff8);
	CHECK_EQ(load64(mmu, gva + 0xff8, &r), 0xa5a5a5a5f00dcafe);
	CHECK_EQ(r, 0);
	/* the ASID is no part of the root's address */
	mmu.vsatp |= 0xffffUL << 44;
	CHECK_EQ(gpa_of(mmu, gva + 0xff8, GUEST_LOAD), RAM_GPA + 0x5ff8);
	/* the neighbouring pages are not mapped */
	CHECK_EQ(gpa_of(mmu, gva + 0x1000, GUEST_LOAD), ~0UL);
	CHECK_EQ(gpa_of(mmu, gva - 1, GUEST_LOAD), ~0UL);
}

static void t_walk_sv39_2m(void)
{
	uint64_t root = fresh(), gva = 0x7fe00000;

	map(root, 3, gva, 1, leaf_pte(RAM_GPA + 2 * MIB, PTE_R | PTE_X));
	CHECK_EQ(gpa_of(sv39(root), gva + 0x12345, GUEST_LOAD), RAM_GPA + 2 * MIB + 0x12345);
	CHECK_EQ(gpa_of(sv39(root), gva + 2 * MIB - 2, GUEST_FETCH), RAM_GPA + 4 * MIB - 2);
	CHECK_EQ(gpa_of(sv39(root), gva + 2 * MIB, GUEST_LOAD), ~0UL);
}

static void t_walk_sv39_1g(void)
{
	uint64_t root = fresh(), gva = 0xffffffc000000000; /* the top gigabyte: VPN[2] 256 */
	long r;

	map(root, 3, gva, 2, leaf_pte(RAM_GPA, PTE_R));
	put64(RAM_GPA + 0x345678, 42);
	CHECK_EQ(gpa_of(sv39(root), gva + 0x345678, GUEST_LOAD), RAM_GPA + 0x345678);
	CHECK_EQ(load64(sv39(root), gva + 0x345678, &r), 42);
	CHECK_EQ(r, 0);
	/* mapped, but past RAM: the read faults */
	load64(sv39(root), gva + RAM_SIZE, &r);
	CHECK_EQ(r, EFAULT);
	CHECK_EQ(gpa_of(sv39(root), gva + RAM_SIZE, GUEST_LOAD), RAM_GPA + RAM_SIZE);
}

static void t_walk_sv48(void)
{
	uint64_t root = fresh(), gva = 0x00007f8012345000, gva2 = 0xffff800000200000;
	struct guest_mmu mmu = { .vsatp = SATP_SV48 | root >> 12 };

	map(root, 4, gva, 0, leaf_pte(RAM_GPA + 0x7000, PTE_R));
	map(root, 4, gva2, 1, leaf_pte(RAM_GPA + 2 * MIB, PTE_R));
	CHECK_EQ(gpa_of(mmu, gva + 0x10, GUEST_LOAD), RAM_GPA + 0x7010);
	CHECK_EQ(gpa_of(mmu, gva2 + 0x1234, GUEST_LOAD), RAM_GPA + 2 * MIB + 0x1234);
	/* the same tables read as Sv39 see a non-canonical address */
	mmu.vsatp = SATP_SV39 | root >> 12;
	CHECK_EQ(gpa_of(mmu, gva + 0x10, GUEST_LOAD), ~0UL);
}

static void t_walk_sv57(void)
{
	uint64_t root = fresh(), gva = 0x00ff123456789000;
	struct guest_mmu mmu = { .vsatp = SATP_SV57 | root >> 12 };

	map(root, 5, gva, 0, leaf_pte(RAM_GPA + 0x3000, PTE_X));
	CHECK_EQ(gpa_of(mmu, gva + 0x222, GUEST_FETCH), RAM_GPA + 0x3222);
	CHECK_EQ(gpa_of(mmu, gva + 0x222, GUEST_LOAD), ~0UL);
}

static void t_walk_bad_mode(void)
{
	uint64_t root = fresh();
	struct guest_mmu mmu = { .vsatp = 1UL << 60 | root >> 12 };

	map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA, PTE_R));
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), RAM_GPA);
	CHECK_EQ(gpa_of(mmu, 0x1000, GUEST_LOAD), ~0UL);
	mmu.vsatp = 11UL << 60 | root >> 12;
	CHECK_EQ(gpa_of(mmu, 0x1000, GUEST_LOAD), ~0UL);
}

/* A 32-bit instruction in the last halfword of one page and the first of the next. */
static void t_walk_fetch_straddle(void)
{
	uint64_t root = fresh(), gva = 0x10000;
	struct guest_mmu mmu = sv39(root);
	uint32_t insn = 0;

	/* the pages are apart in RAM: a read across gpa would see the wrong halfword */
	map(root, 3, gva, 0, leaf_pte(RAM_GPA + 0x9000, PTE_X));
	map(root, 3, gva + 0x1000, 0, leaf_pte(RAM_GPA + 0x2000, PTE_X));
	memcpy(g(RAM_GPA + 0x9ffe), "\x03\xa5", 2); /* lw a0,0(a1): 0x0005a503 */
	memcpy(g(RAM_GPA + 0x2000), "\x05\x00", 2);
	memcpy(g(RAM_GPA + 0xa000), "\xff\xff", 2);
	CHECK_EQ(guest_walk_fetch_insn(&vm, &mmu, gva + 0xffe, &insn), 0);
	CHECK_EQ(insn, 0x0005a503);
	/* its second page unmapped: the fetch faults */
	*entry(root, 3, gva + 0x1000, 0) = 0;
	insn = 0x77;
	CHECK_EQ(guest_walk_fetch_insn(&vm, &mmu, gva + 0xffe, &insn), EFAULT);
	CHECK_EQ(insn, 0x77);
	/* a compressed one there needs no second page */
	memcpy(g(RAM_GPA + 0x9ffe), "\x88\x41", 2); /* c.lw a0,0(a1) */
	CHECK_EQ(guest_walk_fetch_insn(&vm, &mmu, gva + 0xffe, &insn), 0);
	CHECK_EQ(insn, 0x4188);
}

/* An aligned 32-bit instruction; a compressed one comes back zero-extended. */
static void t_walk_fetch_widths(void)
{
	uint64_t root = fresh(), gva = 0x10000;
	struct guest_mmu mmu = sv39(root);
	uint32_t insn = 0;

	map(root, 3, gva, 0, leaf_pte(RAM_GPA + 0x9000, PTE_X | PTE_R));
	memcpy(g(RAM_GPA + 0x9100), "\x23\xb0\xc5\x00\x90\xe1\x88\x41\x05\x05\xff\xff", 12);
	CHECK_EQ(guest_walk_fetch_insn(&vm, &mmu, gva + 0x100, &insn), 0);
	CHECK_EQ(insn, 0x00c5b023); /* sd a2,0(a1) */
	CHECK_EQ(guest_walk_fetch_insn(&vm, &mmu, gva + 0x104, &insn), 0);
	CHECK_EQ(insn, 0xe190); /* c.sd a2,0(a1), the c.lw after it not included */
	CHECK_EQ(guest_walk_fetch_insn(&vm, &mmu, gva + 0x108, &insn), 0);
	CHECK_EQ(insn, 0x0505); /* c.addi a0,1: quadrant 1 */
}

/* A doubleword across two pages is read from both. */
static void t_walk_load_straddle(void)
{
	uint64_t root = fresh(), gva = 0x20000;
	long r;

	map(root, 3, gva, 0, leaf_pte(RAM_GPA + 0x4000, PTE_R));
	map(root, 3, gva + 0x1000, 0, leaf_pte(RAM_GPA + 0x1000, PTE_R));
	memcpy(g(RAM_GPA + 0x4ffd), "\x01\x02\x03", 3);
	memcpy(g(RAM_GPA + 0x1000), "\x04\x05\x06\x07\x08", 5);
	CHECK_EQ(load64(sv39(root), gva + 0xffd, &r), 0x0807060504030201);
	CHECK_EQ(r, 0);
	*entry(root, 3, gva + 0x1000, 0) |= PTE_U;
	load64(sv39(root), gva + 0xffd, &r);
	CHECK_EQ(r, EFAULT);
}

/* One 4 KiB leaf at gva 0x1000 with `bits`; what a walk for `mmu` gives. */
static uint64_t walk_leaf(uint64_t bits, bool user, uint64_t vsstatus, enum guest_access acc)
{
	uint64_t root = fresh();
	struct guest_mmu mmu = { .vsatp = SATP_SV39 | root >> 12, .vsstatus = vsstatus, .user = user };

	map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA + 0x6000, 0) | bits);
	return gpa_of(mmu, 0x1234, acc);
}

#define OK (RAM_GPA + 0x6234)

static void t_walk_pte_invalid(void)
{
	uint64_t root = fresh();

	map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA + 0x6000, PTE_R) & ~PTE_V);
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), ~0UL);
	/* an invalid link on the way */
	map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA + 0x6000, PTE_R));
	*entry(root, 3, 0x1000, 2) &= ~PTE_V;
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), ~0UL);
}

static void t_walk_write_without_read(void)
{
	CHECK_EQ(walk_leaf(PTE_W, false, 0, GUEST_LOAD), ~0UL);
	CHECK_EQ(walk_leaf(PTE_W | PTE_X, false, SSTATUS_MXR, GUEST_FETCH), ~0UL);
	CHECK_EQ(walk_leaf(PTE_W | PTE_R, false, 0, GUEST_LOAD), OK);
}

/* VU needs U; VS never fetches from a U page, and loads from one only under SUM. */
static void t_walk_user_bit(void)
{
	CHECK_EQ(walk_leaf(PTE_R | PTE_X | PTE_U, true, 0, GUEST_LOAD), OK);
	CHECK_EQ(walk_leaf(PTE_R | PTE_X | PTE_U, true, 0, GUEST_FETCH), OK);
	CHECK_EQ(walk_leaf(PTE_R | PTE_X, true, SSTATUS_SUM, GUEST_LOAD), ~0UL);
	CHECK_EQ(walk_leaf(PTE_R | PTE_X, true, SSTATUS_SUM, GUEST_FETCH), ~0UL);
	CHECK_EQ(walk_leaf(PTE_R | PTE_X, false, 0, GUEST_FETCH), OK);
	CHECK_EQ(walk_leaf(PTE_R | PTE_X | PTE_U, false, 0, GUEST_FETCH), ~0UL);
	CHECK_EQ(walk_leaf(PTE_R | PTE_X | PTE_U, false, SSTATUS_SUM, GUEST_FETCH), ~0UL);
}

static void t_walk_sum(void)
{
	CHECK_EQ(walk_leaf(PTE_R | PTE_U, false, 0, GUEST_LOAD), ~0UL);
	CHECK_EQ(walk_leaf(PTE_R | PTE_U, false, SSTATUS_SUM, GUEST_LOAD), OK);
	CHECK_EQ(walk_leaf(PTE_R | PTE_U, false, SSTATUS_MXR, GUEST_LOAD), ~0UL);
}

/* Loads need R, or X under MXR; a fetch (HLVX) needs X and not R. */
static void t_walk_mxr(void)
{
	CHECK_EQ(walk_leaf(PTE_X, false, 0, GUEST_LOAD), ~0UL);
	CHECK_EQ(walk_leaf(PTE_X, false, SSTATUS_MXR, GUEST_LOAD), OK);
	CHECK_EQ(walk_leaf(PTE_X | PTE_U, true, SSTATUS_MXR, GUEST_LOAD), OK);
	CHECK_EQ(walk_leaf(PTE_X, false, 0, GUEST_FETCH), OK);
	CHECK_EQ(walk_leaf(PTE_R, false, SSTATUS_MXR, GUEST_FETCH), ~0UL);
}

static void t_walk_accessed(void)
{
	uint64_t root = fresh();

	map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA + 0x6000, PTE_R | PTE_X | PTE_D));
	CHECK_EQ(gpa_of(sv39(root), 0x1234, GUEST_LOAD), RAM_GPA + 0x6234);
	*entry(root, 3, 0x1000, 0) &= ~PTE_A;
	CHECK_EQ(gpa_of(sv39(root), 0x1234, GUEST_LOAD), ~0UL);
	CHECK_EQ(gpa_of(sv39(root), 0x1234, GUEST_FETCH), ~0UL);
}

static void t_walk_misaligned_superpage(void)
{
	uint64_t root = fresh();

	map(root, 3, 0x200000, 1, leaf_pte(RAM_GPA + 2 * MIB + 0x1000, PTE_R));
	map(root, 3, 0x40000000, 2, leaf_pte(RAM_GPA + 2 * MIB, PTE_R));
	map(root, 3, 0x400000, 1, leaf_pte(RAM_GPA + 4 * MIB, PTE_R));
	CHECK_EQ(gpa_of(sv39(root), 0x200000, GUEST_LOAD), ~0UL);
	CHECK_EQ(gpa_of(sv39(root), 0x40000000, GUEST_LOAD), ~0UL);
	CHECK_EQ(gpa_of(sv39(root), 0x400010, GUEST_LOAD), RAM_GPA + 4 * MIB + 0x10);
}

static void t_walk_non_canonical(void)
{
	uint64_t root = fresh();
	struct guest_mmu mmu = { .vsatp = SATP_SV48 | root >> 12 };

	/* both VPN[2] = 256 in Sv39: only the sign-extended one may be used */
	map(root, 3, 0xffffffc000000000, 2, leaf_pte(RAM_GPA, PTE_R));
	CHECK_EQ(gpa_of(sv39(root), 0xffffffc000000010, GUEST_LOAD), RAM_GPA + 0x10);
	CHECK_EQ(gpa_of(sv39(root), 0x0000004000000010, GUEST_LOAD), ~0UL);
	CHECK_EQ(gpa_of(sv39(root), 0x7fffffc000000010, GUEST_LOAD), ~0UL);
	root = fresh();
	mmu.vsatp = SATP_SV48 | root >> 12;
	map(root, 4, 0xffff800000000000, 2, leaf_pte(RAM_GPA, PTE_R));
	CHECK_EQ(gpa_of(mmu, 0xffff800000000010, GUEST_LOAD), RAM_GPA + 0x10);
	CHECK_EQ(gpa_of(mmu, 0x0000800000000010, GUEST_LOAD), ~0UL);
	CHECK_EQ(gpa_of(mmu, 0xfeff800000000010, GUEST_LOAD), ~0UL);
}

/* The root, a table below it, or the page itself outside RAM. */
static void t_walk_outside_ram(void)
{
	uint64_t root = fresh();
	struct guest_mmu mmu = sv39(RAM_GPA + RAM_SIZE);
	long r;

	CHECK_EQ(gpa_of(mmu, 0, GUEST_LOAD), ~0UL);
	mmu = sv39(RAM_GPA - PAGE_SIZE);
	CHECK_EQ(gpa_of(mmu, ~0UL, GUEST_LOAD), ~0UL); /* the root's last entry */
	/* a link out of RAM */
	map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA, PTE_R));
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), RAM_GPA);
	*entry(root, 3, 0x1000, 2) = link_pte(RAM_GPA + RAM_SIZE);
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), ~0UL);
	*entry(root, 3, 0x1000, 2) = link_pte(0x1000);
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), ~0UL);
	/* a leaf out of RAM translates, and its read faults */
	root = fresh();
	map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA + RAM_SIZE, PTE_R));
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), RAM_GPA + RAM_SIZE);
	load64(sv39(root), 0x1000, &r);
	CHECK_EQ(r, EFAULT);
	/* the last bytes of RAM: a doubleword across its end faults */
	map(root, 3, 0x2000, 0, leaf_pte(RAM_GPA + RAM_SIZE - PAGE_SIZE, PTE_R));
	load64(sv39(root), 0x2ff8, &r);
	CHECK_EQ(r, 0);
	load64(sv39(root), 0x2ffc, &r);
	CHECK_EQ(r, EFAULT);
}

/* A link in the last level: no leaf is reached. */
static void t_walk_leaf_level(void)
{
	uint64_t root = fresh();

	map(root, 3, 0x1000, 0, link_pte(TABLES));
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), ~0UL);
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_FETCH), ~0UL);
	map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA + 0x6000, PTE_R));
	CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), RAM_GPA + 0x6000);
}

/* Bits 63:54 (reserved, PBMT, N) on a leaf or a link. */
static void t_walk_reserved_bits(void)
{
	static const unsigned bits[] = { 54, 60, 61, 62, 63 };

	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		uint64_t root = fresh(), bit = 1UL << bits[i];

		map(root, 3, 0x1000, 0, leaf_pte(RAM_GPA + 0x6000, PTE_R | bit));
		CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), ~0UL);
		*entry(root, 3, 0x1000, 0) &= ~bit;
		CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), RAM_GPA + 0x6000);
		*entry(root, 3, 0x1000, 2) |= bit;
		CHECK_EQ(gpa_of(sv39(root), 0x1000, GUEST_LOAD), ~0UL);
	}
	/* RSW (9:8) and G are the guest's own */
	CHECK_EQ(walk_leaf(PTE_R | PTE_G | 3UL << 8, false, 0, GUEST_LOAD), OK);
}

int main(void)
{
	ram = aligned_alloc(PAGE_SIZE, RAM_SIZE);
	vm.ram = ram;
	vm.ram_gpa = RAM_GPA;
	vm.ram_size = RAM_SIZE;
	RUN(t_walk_bare);
	RUN(t_walk_sv39_4k);
	RUN(t_walk_sv39_2m);
	RUN(t_walk_sv39_1g);
	RUN(t_walk_sv48);
	RUN(t_walk_sv57);
	RUN(t_walk_bad_mode);
	RUN(t_walk_fetch_straddle);
	RUN(t_walk_fetch_widths);
	RUN(t_walk_load_straddle);
	RUN(t_walk_pte_invalid);
	RUN(t_walk_write_without_read);
	RUN(t_walk_user_bit);
	RUN(t_walk_sum);
	RUN(t_walk_mxr);
	RUN(t_walk_accessed);
	RUN(t_walk_misaligned_superpage);
	RUN(t_walk_non_canonical);
	RUN(t_walk_outside_ram);
	RUN(t_walk_leaf_level);
	RUN(t_walk_reserved_bits);
	free(ram);
	UNIT_EXIT();
}
