/* SPDX-License-Identifier: BSD-2-Clause */
/* "duvisor,mmio-test": a device for checking MMIO access widths, alignment and sign extension. */
#ifndef VMM_DEV_TESTDEV_H
#define VMM_DEV_TESTDEV_H

#include <stdint.h>

#include "mmio.h"

#define TESTDEV_WINDOW       0x1000
#define TESTDEV_SCRATCH      0x00 /* 64 bytes of read/write storage, little endian */
#define TESTDEV_SCRATCH_SIZE 64
#define TESTDEV_PATTERN      0x40 /* read-only: TESTDEV_PATTERN_VAL */
#define TESTDEV_WRITES       0x48 /* read-only, 32 bits: writes accepted so far (wrapping) */
#define TESTDEV_END          0x4c /* accesses must lie wholly below this */

/* Every byte has its top bit set, so sign extension shows at every width and offset. */
#define TESTDEV_PATTERN_VAL 0xF1E2D3C4B5A69788ULL

struct testdev {
	uint64_t scratch[TESTDEV_SCRATCH_SIZE / 8]; /* little-endian words of the scratch bytes */
	uint32_t writes;
	struct mmio_dev dev;
};

/*
 * After this t->dev is ready for mmio_register(). Accesses must be 1, 2, 4 or 8 bytes,
 * naturally aligned and below TESTDEV_END, else they are bus errors. Every other write
 * is accepted and counted, including the ignored ones to the read-only registers.
 */
void testdev_init(struct testdev *t, uint64_t base);

#endif
