/* SPDX-License-Identifier: BSD-2-Clause */
/* Building the G-stage (Sv39x4) tables of a VM from a pool of table pages. */
#ifndef VMM_GSTAGE_H
#define VMM_GSTAGE_H

#include <stdint.h>

#define GSTAGE_R (1UL << 1)
#define GSTAGE_W (1UL << 2)
#define GSTAGE_X (1UL << 3)

/*
 * The pool: `npages` 4 KiB pages at host-physical `pool_pa`, readable by the builder at
 * `pool_va`; pages 0..3 are the 16 KiB root. Every store into a table goes through
 * `write_pte` (the minikernel validates it in the real runtime; tests check it).
 */
struct gstage {
	uint64_t pool_pa;
	const uint64_t *pool_va;
	unsigned npages;
	unsigned next_free; /* first pool page not yet handed out */
	void *ctx;
	long (*write_pte)(void *ctx, uint64_t table_pa, unsigned idx, uint64_t pte);
};

void gstage_init(struct gstage *gs, uint64_t pool_pa, const uint64_t *pool_va, unsigned npages,
		 void *ctx, long (*write_pte)(void *, uint64_t, unsigned, uint64_t));

/*
 * Map guest-physical [gpa, gpa+size) to host-physical [hpa, hpa+size) with GSTAGE_* rights,
 * using 1 GiB and 2 MiB leaves wherever both addresses are aligned and the rest fits.
 * gpa, hpa and size must be 4 KiB aligned; 0, or -1 (bad argument, overlap with an existing
 * mapping, pool exhausted, or a write_pte refusal).
 */
int gstage_map(struct gstage *gs, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned rights);

/*
 * Remove the 4 KiB leaf that maps gpa; 0, or -1 when gpa is not mapped by one (a superpage
 * is never split). The minikernel flushes the calling hart's G-stage TLB; the other harts
 * of the VM must be asked to (DV_REQ_FENCE_GVMA).
 */
int gstage_unmap_page(struct gstage *gs, uint64_t gpa);

/* Translate a guest-physical address through the tables: 0 and *hpa, or -1 if unmapped. */
int gstage_translate(const struct gstage *gs, uint64_t gpa, uint64_t *hpa, unsigned *rights);

/* The hgatp PPN of the root. */
uint64_t gstage_root_pa(const struct gstage *gs);

#endif
