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

/* The registers read as one little-endian byte array, so any width lines up the same way. */
static uint8_t byte_at(const struct testdev *t, unsigned off)
{
	if (off < TESTDEV_PATTERN)
		return t->scratch[off];
	if (off < TESTDEV_WRITES)
		return (uint8_t)(TESTDEV_PATTERN_VAL >> (8 * (off - TESTDEV_PATTERN)));
	return (uint8_t)(t->writes >> (8 * (off - TESTDEV_WRITES)));
}

static int testdev_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	const struct testdev *t = opaque;
	uint64_t v = 0;
	unsigned i;

	if (!access_ok(off, width))
		return -1;
	for (i = 0; i < width; i++)
		v |= (uint64_t)byte_at(t, (unsigned)off + i) << (8 * i);
	*val = v;
	return 0;
}

static int testdev_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct testdev *t = opaque;
	unsigned i;

	if (!access_ok(off, width))
		return -1;
	/* Alignment keeps a write from straddling scratch and the read-only registers. */
	if (off < TESTDEV_PATTERN) {
		for (i = 0; i < width; i++)
			t->scratch[off + i] = (uint8_t)(val >> (8 * i));
	}
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
