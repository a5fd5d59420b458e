// SPDX-License-Identifier: BSD-2-Clause
/*
 * The VS-stage walk of the RISC-V privileged spec ("Virtual Address Translation Process"),
 * over tables the guest controls: every PTE is read through vm_gpa_ptr, so a table or a
 * page outside the VM's RAM is a fault, whatever the bytes say.
 */
#include <string.h>

#include "dv_abi.h"
#include "guest_walk.h"
#include "riscv.h"
#include "vm.h"

#define LEVEL_BITS   9
#define LEVEL_INDEX  ((1UL << LEVEL_BITS) - 1)
#define PTE_PPN_MASK ((1UL << 44) - 1)
/*
 * Bits 63:54: reserved, Svpbmt's PBMT and Svnapot's N. The guest's ISA string does not
 * promise either extension, so a PTE using them is treated as reserved: a fault.
 */
#define PTE_RSVD     (0x3ffUL << 54)

/* The number of levels of vsatp's mode; 0 for Bare, -1 for a mode we do not walk. */
static int mode_levels(uint64_t vsatp)
{
	switch (vsatp >> SATP_MODE_SHIFT) {
	case 0:
		return 0;
	case SATP_SV39 >> SATP_MODE_SHIFT:
		return 3;
	case SATP_SV48 >> SATP_MODE_SHIFT:
		return 4;
	case SATP_SV57 >> SATP_MODE_SHIFT:
		return 5;
	default:
		return -1;
	}
}

/* Bits 63:va_bits must all equal bit va_bits-1. */
static bool canonical(uint64_t gva, unsigned va_bits)
{
	unsigned unused = 64 - va_bits;

	return (uint64_t)((int64_t)(gva << unused) >> unused) == gva;
}

/*
 * Whether a leaf lets the guest's privilege make this access. A VU access needs U; a VS one
 * never executes from a U page and reads one only under SUM. Loads need R, or X under MXR.
 */
static bool leaf_allows(const struct guest_mmu *mmu, uint64_t pte, enum guest_access acc)
{
	if (mmu->user && !(pte & PTE_U))
		return false;
	if (!mmu->user && (pte & PTE_U) &&
	    (acc == GUEST_FETCH || !(mmu->vsstatus & SSTATUS_SUM)))
		return false;
	if (acc == GUEST_FETCH)
		return pte & PTE_X;
	return (pte & PTE_R) || ((pte & PTE_X) && (mmu->vsstatus & SSTATUS_MXR));
}

long guest_walk(struct vm *vm, const struct guest_mmu *mmu, uint64_t gva, enum guest_access acc,
		uint64_t *gpa)
{
	int levels = mode_levels(mmu->vsatp);
	uint64_t table = (mmu->vsatp & SATP_PPN_MASK) << 12;

	if (levels < 0)
		return -DV_EFAULT;
	if (levels == 0) {
		*gpa = gva;
		return 0;
	}
	if (!canonical(gva, 12 + LEVEL_BITS * levels))
		return -DV_EFAULT;
	for (int level = levels - 1; level >= 0; level--) {
		unsigned shift = 12 + LEVEL_BITS * level;
		uint64_t offset_mask = (1UL << shift) - 1;
		const uint64_t *slot = vm_gpa_ptr(vm, table + (gva >> shift & LEVEL_INDEX) * 8, 8);
		uint64_t pte, pa;

		if (!slot)
			return -DV_EFAULT;
		/* One read, as the hardware's: the guest may be rewriting the entry meanwhile. */
		pte = __atomic_load_n(slot, __ATOMIC_RELAXED);
		if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)) || (pte & PTE_RSVD))
			return -DV_EFAULT;
		pa = (pte >> PTE_PPN_SHIFT & PTE_PPN_MASK) << 12;
		if (!(pte & (PTE_R | PTE_X))) {
			table = pa;
			continue;
		}
		if (!leaf_allows(mmu, pte, acc) || !(pte & PTE_A) || (pa & offset_mask))
			return -DV_EFAULT;
		*gpa = pa | (gva & offset_mask);
		return 0;
	}
	return -DV_EFAULT; /* a link at the last level */
}

long guest_walk_read(struct vm *vm, const struct guest_mmu *mmu, uint64_t gva, void *buf,
		     size_t len, enum guest_access acc)
{
	uint8_t *out = buf;

	while (len) {
		size_t n = PAGE_SIZE - (gva & (PAGE_SIZE - 1));
		const void *src;
		uint64_t gpa;

		if (n > len)
			n = len;
		if (guest_walk(vm, mmu, gva, acc, &gpa))
			return -DV_EFAULT;
		src = vm_gpa_ptr(vm, gpa, n);
		if (!src)
			return -DV_EFAULT;
		memcpy(out, src, n);
		out += n;
		gva += n;
		len -= n;
	}
	return 0;
}

long guest_walk_fetch_insn(struct vm *vm, const struct guest_mmu *mmu, uint64_t gva,
			   uint32_t *insn)
{
	uint16_t lo, hi;

	if (guest_walk_read(vm, mmu, gva, &lo, sizeof(lo), GUEST_FETCH))
		return -DV_EFAULT;
	if ((lo & 3) != 3) {
		*insn = lo;
		return 0;
	}
	if (guest_walk_read(vm, mmu, gva + 2, &hi, sizeof(hi), GUEST_FETCH))
		return -DV_EFAULT;
	*insn = lo | (uint32_t)hi << 16;
	return 0;
}
