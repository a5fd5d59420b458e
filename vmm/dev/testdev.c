// SPDX-License-Identifier: BSD-2-Clause
/* The "duvisor,mmio-test" device: scratch bytes, a sign-revealing pattern and a write counter. */
#include <stdbool.h>

#include "testdev.h"

static bool access_ok(uint64_t off, unsigned width)
{
	if (width != 1 && width != 2 && width != 4 && width != 8)
		return false;
	return off % width == 0 && off < TESTDEV_END && width <= TESTDEV_END - off;
}

static uint64_t width_mask(unsigned width)
{
	return width == 8 ? ~0ULL : (1ULL << (8 * width)) - 1;
}

/*
 * The registers as little-endian 64-bit words: an aligned access never straddles two,
 * so it is a shift and a mask of one word.
 */
static uint64_t word_at(const struct testdev *t, uint64_t off)
{
	if (off < TESTDEV_PATTERN)
		return t->scratch[off / 8];
	if (off < TESTDEV_WRITES)
		return TESTDEV_PATTERN_VAL;
	return t->writes;
}

static int testdev_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	if (!access_ok(off, width))
		return -1;
	*val = (word_at(opaque, off) >> (8 * (off % 8))) & width_mask(width);
	return 0;
}

static int testdev_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct testdev *t = opaque;
	uint64_t mask = width_mask(width) << (8 * (off % 8));

	if (!access_ok(off, width))
		return -1;
	if (off < TESTDEV_PATTERN)
		t->scratch[off / 8] = (t->scratch[off / 8] & ~mask) | ((val << (8 * (off % 8))) & mask);
	t->writes++;
	return 0;
}

void testdev_init(struct testdev *t, uint64_t base)
{
	*t = (struct testdev){
		.dev = {
			.name = "duvisor,mmio-test",
			.base = base,
			.size = TESTDEV_WINDOW,
			.opaque = t,
			.read = testdev_read,
			.write = testdev_write,
		},
	};
}
