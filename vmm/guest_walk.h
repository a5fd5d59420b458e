/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's own (VS-stage) translation walked in software, where HLV/HLVX are not ours to use. */
#ifndef VMM_GUEST_WALK_H
#define VMM_GUEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

/* What a walk translates for: a load as HLV does (R, or X under MXR), or as HLVX (X). */
enum guest_access {
	GUEST_LOAD,
	GUEST_FETCH,
};

/* The guest's translation at its last exit. */
struct guest_mmu {
	uint64_t vsatp;
	uint64_t vsstatus; /* its SUM and MXR */
	bool user;         /* it ran in VU: U pages only */
};

/*
 * The guest-physical address of `gva` for an access of kind `acc` (Bare, Sv39, Sv48, Sv57):
 * 0, or -DV_EFAULT where the hardware would raise a page fault, and where a table lies
 * outside the VM's RAM. The walk sets no A or D bit: a leaf without A faults.
 */
long guest_walk(struct vm *vm, const struct guest_mmu *mmu, uint64_t gva, enum guest_access acc,
		uint64_t *gpa);

/* `len` bytes at gva, each page of them translated on its own and in RAM: 0, or -DV_EFAULT. */
long guest_walk_read(struct vm *vm, const struct guest_mmu *mmu, uint64_t gva, void *buf,
		     size_t len, enum guest_access acc);

/*
 * dv_guest_fetch_insn's contract: the 16-bit parcel at gva; for a 32-bit instruction also the
 * one at gva+2, which may lie on another page. A compressed one is returned zero-extended.
 */
long guest_walk_fetch_insn(struct vm *vm, const struct guest_mmu *mmu, uint64_t gva,
			   uint32_t *insn);

#endif
