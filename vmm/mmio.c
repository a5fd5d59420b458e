// SPDX-License-Identifier: BSD-2-Clause
/* The MMIO bus and the emulation of a guest load/store that faulted on one of its devices. */
#include <stdbool.h>
#include <stddef.h>

#include "insn.h"
#include "mmio.h"
#include "mmio_emul.h"
#include "mmio_site.h"

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

struct mmio_dev *mmio_find(struct mmio_bus *bus, uint64_t gpa, unsigned width)
{
	unsigned lo = 0, hi = bus->nr;

	if (!width || !bus->nr)
		return NULL;
	/* The last device whose base is at or below gpa is the only one that can hold it. */
	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;

		if (bus->dev[mid]->base <= gpa)
			lo = mid;
		else
			hi = mid;
	}
	return dev_holds(bus->dev[lo], gpa, width) ? bus->dev[lo] : NULL;
}

/* A mismatch means the code changed under us. emulate checks the cause first. */
static bool direction_matches(const struct dv_exit *ex, const struct mmio_access *a)
{
	return a->write == (ex->cause == MMIO_CAUSE_STORE_GPF);
}

static enum mmio_result not_emulated(struct mmio_bus *bus, struct mmio_access *a)
{
	*a = (struct mmio_access){ .gpa = a->gpa };
	return mmio_find(bus, a->gpa, 1) ? MMIO_BAD_INSN : MMIO_UNMAPPED;
}

/* The device a decoded access goes to, or NULL with *r saying why not. */
static struct mmio_dev *route(struct mmio_bus *bus, const struct dv_exit *ex,
			      struct mmio_access *a, enum mmio_result *r)
{
	struct mmio_dev *dev;

	if (!direction_matches(ex, a)) {
		*r = not_emulated(bus, a);
		return NULL;
	}
	dev = mmio_find(bus, a->gpa, a->width);
	if (!dev)
		*r = MMIO_UNMAPPED;
	return dev;
}

static void site_fill(struct mmio_site *set, const struct dv_exit *ex, uint32_t insn,
		      const struct mmio_access *a, struct mmio_dev *dev)
{
	set[1] = set[0];
	set[0] = (struct mmio_site){ .pc = ex->pc, .insn = insn, .cause = (uint32_t)ex->cause,
				     .base = dev->base, .span = dev->size - a->width,
				     .a = *a, .dev = dev };
}

static uint64_t exit_gpa(const struct dv_exit *ex)
{
	return (ex->htval << 2) | (ex->tval & 3);
}

static bool is_gpf(uint64_t cause)
{
	return cause == MMIO_CAUSE_LOAD_GPF || cause == MMIO_CAUSE_STORE_GPF;
}

/*
 * htinst, when the hardware provides it, spares a walk of the guest's page tables. One call
 * of mmio_dev_access, so that it is inlined on the path every exit takes.
 */
static enum mmio_result emulate(struct mmio_bus *bus, struct dv_exit *ex,
				long (*fetch)(uint64_t, uint32_t *), struct mmio_access *a)
{
	struct mmio_site *set = mmio_site_set(bus, ex->pc), *site;
	enum mmio_result r = MMIO_DONE;
	struct mmio_dev *dev;
	uint32_t insn;

	if (!is_gpf(ex->cause)) {
		return not_emulated(bus, a);
	} else if ((ex->htinst & 1) && !insn_decode_htinst(ex->htinst, a)) {
		dev = route(bus, ex, a, &r);
	} else if (!fetch || fetch(ex->pc, &insn)) {
		return not_emulated(bus, a);
	} else if ((site = mmio_site_hit(set, ex, insn, a->gpa))) {
		uint64_t gpa = a->gpa;

		*a = site->a;
		a->gpa = gpa;
		dev = site->dev;
	} else if (insn_decode_mmio(insn, a)) {
		return not_emulated(bus, a);
	} else if ((dev = route(bus, ex, a, &r))) {
		site_fill(set, ex, insn, a, dev);
	}
	return dev ? mmio_dev_access(dev, ex, a, a->gpa) : r;
}

enum mmio_result mmio_emulate(struct mmio_bus *bus, struct dv_exit *ex,
			      long (*fetch)(uint64_t gva, uint32_t *insn), struct mmio_access *acc)
{
	struct mmio_access a = { .gpa = exit_gpa(ex) };
	enum mmio_result r = emulate(bus, ex, fetch, &a);

	if (acc)
		*acc = a;
	return r;
}
