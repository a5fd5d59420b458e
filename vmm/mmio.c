// SPDX-License-Identifier: BSD-2-Clause
/* The MMIO bus and the emulation of a guest load/store that faulted on one of its devices. */
#include <stdbool.h>
#include <stddef.h>

#include "insn.h"
#include "mmio.h"
#include "mmio_emul.h"

/* Ranges are compared by their last byte so that one may end at the very top of the space. */
static uint64_t dev_last(const struct mmio_dev *d)
{
	return d->base + (d->size - 1);
}

static bool dev_overlaps(const struct mmio_dev *a, const struct mmio_dev *b)
{
	return a->base <= dev_last(b) && b->base <= dev_last(a);
}

/*
 * mmio_emulate calls both callbacks unchecked, so a device must supply them. The bus is kept
 * sorted by base address, so that a lookup is a binary search.
 */
int mmio_register(struct mmio_bus *bus, struct mmio_dev *dev)
{
	unsigned i;

	if (bus->nr >= MMIO_MAX_DEVS || !dev->size || !dev->read || !dev->write)
		return -1;
	if (dev_last(dev) < dev->base)
		return -1;
	for (i = 0; i < bus->nr; i++) {
		if (dev_overlaps(bus->dev[i], dev))
			return -1;
	}
	for (i = bus->nr; i > 0 && bus->dev[i - 1]->base > dev->base; i--)
		bus->dev[i] = bus->dev[i - 1];
	bus->dev[i] = dev;
	bus->nr++;
	return 0;
}

/* Unsigned: a gpa below the base wraps to a huge offset and fails the first test. */
static bool dev_holds(const struct mmio_dev *d, uint64_t gpa, unsigned width)
{
	uint64_t off = gpa - d->base;

	return off <= d->size - 1 && width - 1 <= d->size - 1 - off;
}

static struct mmio_dev *remember(struct mmio_bus *bus, struct mmio_dev *dev)
{
	bus->recent[1] = bus->recent[0];
	bus->recent[0] = dev;
	return dev;
}

struct mmio_dev *mmio_find(struct mmio_bus *bus, uint64_t gpa, unsigned width)
{
	struct mmio_dev *dev = bus->recent[0];
	unsigned lo = 0, hi = bus->nr;

	if (!width || !bus->nr)
		return NULL;
	if (dev && dev_holds(dev, gpa, width))
		return dev;
	dev = bus->recent[1];
	if (dev && dev_holds(dev, gpa, width))
		return remember(bus, dev);
	/* The last device whose base is at or below gpa is the only one that can hold it. */
	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;

		if (bus->dev[mid]->base <= gpa)
			lo = mid;
		else
			hi = mid;
	}
	if (!dev_holds(bus->dev[lo], gpa, width))
		return NULL;
	return remember(bus, bus->dev[lo]);
}

/* htinst, when the hardware provides it, spares a walk of the guest's page tables. */
static int decode(const struct dv_exit *ex, long (*fetch)(uint64_t, uint32_t *),
		  struct mmio_access *a)
{
	uint32_t insn;

	if ((ex->htinst & 1) && !insn_decode_htinst(ex->htinst, a))
		return 0;
	if (!fetch || fetch(ex->pc, &insn))
		return -1;
	return insn_decode_mmio(insn, a);
}

/* A mismatch means the code changed under us (or the exit is not a data access at all). */
static bool direction_matches(const struct dv_exit *ex, const struct mmio_access *a)
{
	if (ex->cause == MMIO_CAUSE_LOAD_GPF)
		return !a->write;
	if (ex->cause == MMIO_CAUSE_STORE_GPF)
		return a->write;
	return false;
}

static uint64_t width_mask(unsigned width)
{
	return width >= 8 ? ~0ULL : (1ULL << (8 * width)) - 1;
}

/* Devices promise zero-extended values; masking anyway keeps a sloppy one from leaking bits. */
static uint64_t load_extend(uint64_t val, const struct mmio_access *a)
{
	uint64_t mask = width_mask(a->width);

	val &= mask;
	if (a->sign_extend && (val & ~(mask >> 1)))
		val |= ~mask;
	return val;
}

static enum mmio_result dev_access(struct mmio_dev *dev, struct dv_exit *ex,
				   const struct mmio_access *a)
{
	uint64_t off = a->gpa - dev->base, val = 0;

	if (a->write) {
		if (a->reg)
			val = ex->gpr[a->reg] & width_mask(a->width);
		if (dev->write(dev->opaque, off, a->width, val))
			return MMIO_BUS_ERROR;
	} else {
		if (dev->read(dev->opaque, off, a->width, &val))
			return MMIO_BUS_ERROR;
		if (a->reg)
			ex->gpr[a->reg] = load_extend(val, a);
	}
	ex->pc += a->insn_len;
	return MMIO_DONE;
}

static enum mmio_result emulate(struct mmio_bus *bus, struct dv_exit *ex,
				long (*fetch)(uint64_t, uint32_t *), struct mmio_access *a)
{
	struct mmio_dev *dev;

	if (decode(ex, fetch, a)) {
		*a = (struct mmio_access){ .gpa = a->gpa };
		return mmio_find(bus, a->gpa, 1) ? MMIO_BAD_INSN : MMIO_UNMAPPED;
	}
	if (!direction_matches(ex, a))
		return mmio_find(bus, a->gpa, 1) ? MMIO_BAD_INSN : MMIO_UNMAPPED;
	dev = mmio_find(bus, a->gpa, a->width);
	if (!dev)
		return MMIO_UNMAPPED;
	return dev_access(dev, ex, a);
}

enum mmio_result mmio_emulate(struct mmio_bus *bus, struct dv_exit *ex,
			      long (*fetch)(uint64_t gva, uint32_t *insn), struct mmio_access *acc)
{
	struct mmio_access a = { .gpa = (ex->htval << 2) | (ex->tval & 3) };
	enum mmio_result r = emulate(bus, ex, fetch, &a);

	if (acc)
		*acc = a;
	return r;
}
