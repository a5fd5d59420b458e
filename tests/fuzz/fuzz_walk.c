// SPDX-License-Identifier: BSD-2-Clause
/* Fuzz target: the software walk of the guest's page tables (vmm/guest_walk.c). */
#include <string.h>

#include "dv_abi.h"
#include "fuzz.h"
#include "guest_walk.h"
#include "riscv.h"
#include "vm.h"

#define RAM_PAGES 16
#define RAM_SIZE  (RAM_PAGES * PAGE_SIZE)
#define PPN_MASK  ((1UL << 44) - 1)
#define EFAULT    (-DV_EFAULT)
#define MAX_READ  24

/* RAM bases: 1 GiB and 2 MiB aligned (superpages can map them), small, at 0, at the PPN's top. */
static const uint64_t ram_bases[] = { 0x80000000, 0x80200000, 0x1000, 0, (1UL << 56) - RAM_SIZE,
				      0x40000000 };
/* Table indices and VPNs come from the same few values, so that walks meet what was stored. */
static const unsigned indices[] = { 0, 1, 2, 255, 256, 257, 510, 511 };
static const uint64_t modes[] = { 0, SATP_SV39, SATP_SV48, SATP_SV57 };
/* Page offsets: the start, the last halfword, doubleword and word of a page, any. */
static const uint64_t offsets[] = { 0, 0xffe, 0xff8, 0xffc };

static struct vm vm;
static uint8_t *ram; /* a heap buffer of exactly RAM_SIZE: ASan sees the byte past it */

static uint64_t ram_page(uint8_t k)
{
	return vm.ram_gpa + (k % RAM_PAGES) * PAGE_SIZE;
}

/* A link to a RAM page, a leaf onto one with any bits (now and then a reserved one), or raw. */
static uint64_t pick_pte(struct fuzz_in *in)
{
	uint8_t kind = fuzz_u8(in), page = fuzz_u8(in), bits;

	switch (kind % 4) {
	case 0:
		return ram_page(page) >> 12 << PTE_PPN_SHIFT | PTE_V |
		       ((kind & 0x80) ? 1UL << (54 + (kind >> 2) % 10) : 0);
	case 1:
		bits = fuzz_u8(in);
		return ram_page(page) >> 12 << PTE_PPN_SHIFT | PTE_V | (uint64_t)(bits & 0xfe) |
		       ((bits & 1) ? 1UL << (54 + (kind >> 2) % 10) : 0);
	case 2:
		return fuzz_u64(in) | PTE_V;
	default:
		return fuzz_u64(in);
	}
}

/* RAM, vsatp and the stored entries; returns vsatp. */
static uint64_t make_guest(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in), m = fuzz_u8(in), n;
	uint64_t vsatp;

	vm.ram_gpa = b % 8 < 6 ? ram_bases[b % 8] : fuzz_u64(in) & ~(PAGE_SIZE - 1);
	memset(ram, 0, RAM_SIZE);
	if (m % 8 < 4)
		vsatp = modes[m % 8] | (fuzz_u8(in) & 0x80 ? fuzz_u64(in) & PPN_MASK :
							   ram_page(m >> 3) >> 12);
	else
		vsatp = fuzz_u64(in);
	for (n = fuzz_u8(in) % 64; n; n--) {
		uint8_t page = fuzz_u8(in), idx = fuzz_u8(in);
		uint64_t pte = pick_pte(in);

		memcpy(ram + (page % RAM_PAGES) * PAGE_SIZE + indices[idx % 8] * 8, &pte, 8);
	}
	return vsatp;
}

/* A guest-virtual address built of the stored indices (sign-extended or not), or raw. */
static uint64_t pick_gva(struct fuzz_in *in, uint8_t how)
{
	uint64_t gva = 0;

	if (how % 4 == 3)
		return fuzz_u64(in);
	for (unsigned l = 0; l < 5; l++)
		gva |= (uint64_t)indices[fuzz_u8(in) % 8] << (12 + 9 * l);
	gva |= how & 0x40 ? offsets[(how >> 2) % 4] : fuzz_u16(in) & 0xfff;
	if (how % 4 < 3)
		gva = (uint64_t)((int64_t)(gva << (64 - 39 - 9 * (how % 4))) >> (64 - 39 - 9 * (how % 4)));
	return gva;
}

/*
 * One walk, and what holds whatever the tables say: Bare translates everything to itself,
 * a mode other than Sv39, Sv48 and Sv57 nothing, those not an address that is not
 * sign-extended from their top bit; the page offset is kept.
 */
static long walk(uint64_t vsatp, uint64_t vsstatus, bool user, uint64_t gva,
		 enum guest_access acc, uint64_t *gpa)
{
	struct guest_mmu mmu = { .vsatp = vsatp, .vsstatus = vsstatus, .user = user };
	uint64_t mode = vsatp >> SATP_MODE_SHIFT;
	unsigned unused = 64 - 39 - 9 * (unsigned)(mode - 8);
	long r;

	*gpa = ~0UL;
	r = guest_walk(&vm, &mmu, gva, acc, gpa);
	FUZZ_CHECK(r == 0 || r == EFAULT);
	if (r == 0)
		FUZZ_CHECK((*gpa & (PAGE_SIZE - 1)) == (gva & (PAGE_SIZE - 1)));
	if (mode == 0)
		FUZZ_CHECK(r == 0 && *gpa == gva);
	else if (mode < 8 || mode > 10)
		FUZZ_CHECK(r == EFAULT);
	else if ((uint64_t)((int64_t)(gva << unused) >> unused) != gva)
		FUZZ_CHECK(r == EFAULT);
	return r;
}

/*
 * How the answers for one address relate across privilege, SUM and MXR (under a translation:
 * Bare allows everything): more rights never take a translation away or change it; a fetch
 * does not depend on SUM or MXR, and VS and VU never both fetch from a page; a VS load of a
 * page VU may load faults without SUM; a fetch's page is loadable under MXR.
 */
static void check_rights(uint64_t vsatp, uint64_t gva)
{
	const uint64_t both = SSTATUS_SUM | SSTATUS_MXR;
	uint64_t plain, sum, mxr, user, fetch, fetch_user, gpa;
	long r_plain = walk(vsatp, 0, false, gva, GUEST_LOAD, &plain);
	long r_sum = walk(vsatp, SSTATUS_SUM, false, gva, GUEST_LOAD, &sum);
	long r_mxr = walk(vsatp, SSTATUS_MXR, false, gva, GUEST_LOAD, &mxr);
	long r_user = walk(vsatp, 0, true, gva, GUEST_LOAD, &user);
	long r_fetch = walk(vsatp, 0, false, gva, GUEST_FETCH, &fetch);
	long r_fetch_user = walk(vsatp, 0, true, gva, GUEST_FETCH, &fetch_user);

	if (!r_plain)
		FUZZ_CHECK(!r_sum && sum == plain && !r_mxr && mxr == plain);
	if (!r_user) {
		FUZZ_CHECK(r_plain && !r_sum && sum == user);
		FUZZ_CHECK(!walk(vsatp, SSTATUS_MXR, true, gva, GUEST_LOAD, &gpa) && gpa == user);
	}
	FUZZ_CHECK(walk(vsatp, both, false, gva, GUEST_FETCH, &gpa) == r_fetch && gpa == fetch);
	FUZZ_CHECK(walk(vsatp, both, true, gva, GUEST_FETCH, &gpa) == r_fetch_user &&
		   gpa == fetch_user);
	FUZZ_CHECK(r_fetch || r_fetch_user);
	if (!r_fetch)
		FUZZ_CHECK(!r_mxr && mxr == fetch);
	if (!r_fetch_user)
		FUZZ_CHECK(!walk(vsatp, SSTATUS_MXR, true, gva, GUEST_LOAD, &gpa) && gpa == fetch_user);
}

/* A read is each of its pages' translations, read from RAM: it fails where one fails. */
static void check_read(const struct guest_mmu *mmu, uint64_t gva, size_t len,
		       enum guest_access acc)
{
	uint8_t buf[MAX_READ];
	long r = guest_walk_read(&vm, mmu, gva, buf, len, acc);
	bool ok = true;

	FUZZ_CHECK(r == 0 || r == EFAULT);
	for (size_t done = 0, n; ok && done < len; done += n, gva += n) {
		const void *src = NULL;
		uint64_t gpa;

		n = PAGE_SIZE - (gva & (PAGE_SIZE - 1));
		n = n < len - done ? n : len - done;
		if (!guest_walk(&vm, mmu, gva, acc, &gpa))
			src = vm_gpa_ptr(&vm, gpa, n);
		ok = src != NULL;
		if (ok && r == 0)
			FUZZ_CHECK(!memcmp(buf + done, src, n));
	}
	FUZZ_CHECK((r == 0) == ok);
}

/* The first parcel, and the second one only for a 32-bit instruction. */
static void check_fetch(const struct guest_mmu *mmu, uint64_t gva)
{
	uint32_t insn = 0x5a5a5a5a;
	uint16_t lo, hi;
	long r = guest_walk_fetch_insn(&vm, mmu, gva, &insn);

	FUZZ_CHECK(r == 0 || r == EFAULT);
	if (guest_walk_read(&vm, mmu, gva, &lo, 2, GUEST_FETCH)) {
		FUZZ_CHECK(r == EFAULT && insn == 0x5a5a5a5a);
		return;
	}
	if ((lo & 3) != 3) {
		FUZZ_CHECK(r == 0 && insn == lo);
		return;
	}
	if (guest_walk_read(&vm, mmu, gva + 2, &hi, 2, GUEST_FETCH))
		FUZZ_CHECK(r == EFAULT && insn == 0x5a5a5a5a);
	else
		FUZZ_CHECK(r == 0 && insn == (lo | (uint32_t)hi << 16));
}

/* The guest, then accesses until the input runs out. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint64_t vsatp;

	if (!ram) {
		ram = malloc(RAM_SIZE);
		vm.ram = ram;
		vm.ram_size = RAM_SIZE;
	}
	vsatp = make_guest(&in);
	while (in.n) {
		uint8_t how = fuzz_u8(&in), flags = fuzz_u8(&in);
		uint64_t gva = pick_gva(&in, how);
		struct guest_mmu mmu = { .vsatp = vsatp, .user = flags & 1,
					 .vsstatus = (flags & 2 ? SSTATUS_SUM : 0) |
						     (flags & 4 ? SSTATUS_MXR : 0) };

		uint64_t gpa;

		walk(vsatp, mmu.vsstatus, mmu.user, gva, GUEST_LOAD, &gpa);
		if (vsatp >> SATP_MODE_SHIFT)
			check_rights(vsatp, gva);
		check_read(&mmu, gva, flags / 8 % MAX_READ + 1, flags & 0x80 ? GUEST_FETCH : GUEST_LOAD);
		check_fetch(&mmu, gva);
	}
	return 0;
}
