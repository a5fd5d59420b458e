/* SPDX-License-Identifier: BSD-2-Clause */
/* A model's register accesses as the MMIO bus makes them, for the device models' unit tests. */
#ifndef TESTS_UNIT_DEV_ACCESS_H
#define TESTS_UNIT_DEV_ACCESS_H

#include "mmio.h"
#include "unit.h"

/* *val is poisoned first, so that a read that leaves it unset shows. */
static inline int dev_read(const struct mmio_dev *d, uint64_t off, unsigned width, uint64_t *val)
{
	*val = 0xdeadbeefdeadbeefULL;
	return d->read(d->opaque, off, width, val);
}

static inline int dev_write(const struct mmio_dev *d, uint64_t off, unsigned width, uint64_t val)
{
	return d->write(d->opaque, off, width, val);
}

/* A 32-bit register read that must succeed and come back zero-extended. */
static inline uint32_t dev_read32(const struct mmio_dev *d, uint64_t off)
{
	uint64_t val;

	CHECK_EQ(dev_read(d, off, 4, &val), 0);
	CHECK_EQ(val >> 32, 0);
	return (uint32_t)val;
}

static inline void dev_write32(const struct mmio_dev *d, uint64_t off, uint32_t val)
{
	CHECK_EQ(dev_write(d, off, 4, val), 0);
}

#endif
