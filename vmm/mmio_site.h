/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The bus's site cache (struct mmio_site) and the device access, inline: dv-hw's fast MMIO
 * exit serves a cached access with them in its own frame, mmio_emulate every other one.
 */
#ifndef VMM_MMIO_SITE_H
#define VMM_MMIO_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "mmio_emul.h"

/* The low `width` bytes of val, zero- or sign-extended to 64 bits: shifts, no branch. */
static inline uint64_t mmio_extend(uint64_t val, unsigned width, bool sign)
{
	unsigned sh = 64 - 8 * width;

	return sign ? (uint64_t)((int64_t)(val << sh) >> sh) : val << sh >> sh;
}

/*
 * Inline in both callers: it is most of what an MMIO exit costs the runtime. Devices promise
 * zero-extended values; extending anyway keeps a sloppy one from leaking bits.
 */
static inline __attribute__((always_inline)) enum mmio_result
mmio_dev_access(struct mmio_dev *dev, struct dv_exit *ex, const struct mmio_access *a,
		uint64_t gpa)
{
	uint64_t val = 0;

	if (a->write) {
		if (a->reg)
			val = mmio_extend(ex->gpr[a->reg], a->width, false);
		if (dev->write(dev->opaque, gpa - dev->base, a->width, val))
			return MMIO_BUS_ERROR;
	} else {
		if (dev->read(dev->opaque, gpa - dev->base, a->width, &val))
			return MMIO_BUS_ERROR;
		if (a->reg)
			ex->gpr[a->reg] = mmio_extend(val, a->width, a->sign_extend);
	}
	ex->pc += a->insn_len;
	return MMIO_DONE;
}

/*
 * Of the two sites of pc's set, the one that describes this exit, if any. An empty site's
 * cause is 0, which no exit that gets here has.
 */
static inline __attribute__((always_inline)) struct mmio_site *
mmio_site_hit(struct mmio_site *set, const struct dv_exit *ex, uint32_t insn, uint64_t gpa)
{
	for (struct mmio_site *site = set; site < set + 2; site++)
		if (site->pc == ex->pc && site->insn == insn && site->cause == ex->cause &&
		    gpa - site->base <= site->span)
			return site;
	return NULL;
}

/* Two ways per set: two sites of one driver often share the low bits of their pc. */
static inline struct mmio_site *mmio_site_set(struct mmio_bus *bus, uint64_t pc)
{
	return &bus->site[(pc >> 1) % (MMIO_SITES / 2) * 2];
}

/*
 * mmio_emulate for an access the bus decoded before at this pc (its site cache), `insn`
 * being the instruction there, `gpa` the address and ex->cause a load or store guest-page
 * fault (callers check; ex->tval and ex->htval are not read), without fetching, decoding
 * or looking up anything, and by a register whose bit in `stale` is clear (the others'
 * gpr[] slots are not the guest's); else MMIO_MISS, with nothing done. The same results
 * otherwise.
 */
static inline __attribute__((always_inline)) enum mmio_result
mmio_emulate_cached(struct mmio_bus *bus, struct dv_exit *ex, uint32_t insn, uint64_t gpa,
		    uint64_t stale)
{
	const struct mmio_site *site = mmio_site_hit(mmio_site_set(bus, ex->pc), ex, insn, gpa);

	if (!site || stale >> site->a.reg & 1)
		return MMIO_MISS;
	return mmio_dev_access(site->dev, ex, &site->a, gpa);
}

#endif
