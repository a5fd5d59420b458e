// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the "duvisor,mmio-test" device model. */
#include "testdev.h"
#include "dev_access.h"

#define BASE 0x10010000ULL

static struct testdev t;

/* The accesses of dev_access.h, on t.dev. */
#define rd(off, width, val) dev_read(&t.dev, off, width, val)
#define wr(off, width, val) dev_write(&t.dev, off, width, val)

static uint64_t rd_ok(uint64_t off, unsigned width)
{
	uint64_t val;

	CHECK_EQ(rd(off, width, &val), 0);
	return val;
}

static uint32_t writes(void)
{
	return (uint32_t)rd_ok(TESTDEV_WRITES, 4);
}

static void test_init(void)
{
	testdev_init(&t, BASE);
	CHECK_EQ(t.dev.base, BASE);
	CHECK_EQ(t.dev.size, 0x1000);
	CHECK(t.dev.opaque == &t);
	CHECK(t.dev.read && t.dev.write);
	CHECK_EQ(rd_ok(0x00, 8), 0);
	CHECK_EQ(rd_ok(0x38, 8), 0);
	CHECK_EQ(writes(), 0);
}

/* Every width at every aligned offset sees the same little-endian bytes. */
static void test_scratch_little_endian(void)
{
	unsigned off;

	testdev_init(&t, BASE);
	CHECK_EQ(wr(0x08, 8, 0x0807060504030201ULL), 0);
	for (off = 0; off < 8; off++)
		CHECK_EQ(rd_ok(0x08 + off, 1), off + 1);
	CHECK_EQ(rd_ok(0x0a, 2), 0x0403);
	CHECK_EQ(rd_ok(0x0c, 4), 0x08070605);
	CHECK_EQ(wr(0x0e, 2, 0xbbaa), 0);
	CHECK_EQ(rd_ok(0x08, 8), 0xbbaa060504030201ULL);
	CHECK_EQ(wr(0x09, 1, 0x1ff), 0); /* only the low byte counts */
	CHECK_EQ(rd_ok(0x08, 4), 0x0403ff01);
	CHECK_EQ(wr(0x3c, 4, 0xcafef00d), 0);
	CHECK_EQ(rd_ok(0x38, 8), 0xcafef00d00000000ULL);
	CHECK_EQ(rd_ok(0x00, 8), 0);
	CHECK_EQ(rd_ok(0x10, 8), 0);
}

static void test_pattern(void)
{
	unsigned off;

	testdev_init(&t, BASE);
	CHECK_EQ(rd_ok(TESTDEV_PATTERN, 8), 0xF1E2D3C4B5A69788ULL);
	CHECK_EQ(rd_ok(TESTDEV_PATTERN + 4, 4), 0xF1E2D3C4);
	CHECK_EQ(rd_ok(TESTDEV_PATTERN + 2, 2), 0xB5A6);
	for (off = 0; off < 8; off++) {
		uint64_t b = rd_ok(TESTDEV_PATTERN + off, 1);

		CHECK_EQ(b, (TESTDEV_PATTERN_VAL >> (8 * off)) & 0xff);
		CHECK(b & 0x80);
	}
	CHECK_EQ(wr(TESTDEV_PATTERN, 8, 0), 0);
	CHECK_EQ(wr(TESTDEV_PATTERN + 7, 1, 0), 0);
	CHECK_EQ(rd_ok(TESTDEV_PATTERN, 8), TESTDEV_PATTERN_VAL);
	CHECK_EQ(rd_ok(0x38, 8), 0);
}

/* Accepted writes count, even ignored ones to read-only registers; refused ones do not. */
static void test_write_counter(void)
{
	testdev_init(&t, BASE);
	CHECK_EQ(wr(0x00, 1, 1), 0);
	CHECK_EQ(wr(0x00, 8, 1), 0);
	CHECK_EQ(wr(TESTDEV_PATTERN, 4, 1), 0);
	CHECK_EQ(wr(TESTDEV_WRITES, 4, 0), 0);
	CHECK_EQ(writes(), 4);
	CHECK_EQ(wr(0x01, 2, 1), -1);
	CHECK_EQ(wr(0x50, 1, 1), -1);
	CHECK_EQ(writes(), 4);
	CHECK_EQ(rd_ok(TESTDEV_WRITES + 2, 2), 0);
	CHECK_EQ(rd_ok(TESTDEV_WRITES + 3, 1), 0);

	t.writes = 0xffffffff;
	CHECK_EQ(rd_ok(TESTDEV_WRITES + 3, 1), 0xff);
	CHECK_EQ(wr(0x00, 4, 0), 0);
	CHECK_EQ(writes(), 0);
}

static void test_bus_errors(void)
{
	uint64_t val;

	testdev_init(&t, BASE);
	/* Misaligned. */
	CHECK_EQ(rd(0x01, 2, &val), -1);
	CHECK_EQ(rd(0x02, 4, &val), -1);
	CHECK_EQ(rd(0x04, 8, &val), -1);
	CHECK_EQ(wr(0x06, 4, 0), -1);
	/* Beyond the registers, or running past their end. */
	CHECK_EQ(rd(TESTDEV_WRITES, 8, &val), -1);
	CHECK_EQ(rd(0x4c, 1, &val), -1);
	CHECK_EQ(rd(0xff8, 8, &val), -1);
	CHECK_EQ(wr(0x4c, 4, 0), -1);
	/* Not a load/store width. */
	CHECK_EQ(rd(0x00, 3, &val), -1);
	CHECK_EQ(rd(0x00, 16, &val), -1);
	CHECK_EQ(wr(0x00, 0, 0), -1);
	CHECK_EQ(val, 0xdeadbeefdeadbeefULL);
	CHECK_EQ(rd_ok(0x00, 8), 0);
	CHECK_EQ(writes(), 0);
	CHECK_EQ(rd_ok(0x4b, 1), 0);
}

int main(void)
{
	RUN(test_init);
	RUN(test_scratch_little_endian);
	RUN(test_pattern);
	RUN(test_write_counter);
	RUN(test_bus_errors);
	UNIT_EXIT();
}
