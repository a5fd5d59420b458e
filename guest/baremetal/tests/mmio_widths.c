// SPDX-License-Identifier: BSD-2-Clause
// The test device at every access width: extension, partial stores, the write counter, bus errors.
#include <stdbool.h>

#include "mmio.h"
#include "riscv.h"
#include "test.h"
#include "trap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct load_op {
	const char *name;
	unsigned width;
	bool sign;
	uint64_t (*fn)(uintptr_t addr);
};

struct store_op {
	const char *name;
	unsigned width;
	void (*fn)(uintptr_t addr, uint64_t v);
};

static const struct load_op loads[] = {
	{ "lb", 1, true, mmio_lb },   { "lbu", 1, false, mmio_lbu },
	{ "lh", 2, true, mmio_lh },   { "lhu", 2, false, mmio_lhu },
	{ "lw", 4, true, mmio_lw },   { "lwu", 4, false, mmio_lwu },
	{ "ld", 8, false, mmio_ld },
};

/* Widest first: each narrower pass overwrites part of what the wider one left. */
static const struct store_op stores[] = {
	{ "sd", 8, mmio_sd }, { "sw", 4, mmio_sw }, { "sh", 2, mmio_sh }, { "sb", 1, mmio_sb },
};

/* What the device should hold: scratch, then the pattern. */
static uint8_t model[TESTDEV_COUNT];
static unsigned long writes;

static uint64_t expected(unsigned off, const struct load_op *op)
{
	uint64_t v = 0;
	unsigned bits = op->width * 8;

	for (unsigned i = 0; i < op->width; i++)
		v |= (uint64_t)model[off + i] << (8 * i);
	if (op->sign && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	return v;
}

/* Every load instruction at every naturally aligned offset of [lo, hi). */
static void check_loads(unsigned lo, unsigned hi, const char *after)
{
	for (unsigned i = 0; i < ARRAY_SIZE(loads); i++) {
		const struct load_op *op = &loads[i];

		for (unsigned off = lo; off + op->width <= hi; off += op->width) {
			uint64_t got = op->fn(TESTDEV_BASE + off);
			uint64_t want = expected(off, op);

			expectf(got == want, "%s: %s at +0x%x = 0x%lx, want 0x%lx", after,
				op->name, off, (unsigned long)got, (unsigned long)want);
		}
	}
}

/* A value whose bytes vary with offset and pass, half of them with the top bit set. */
static uint64_t value_for(unsigned off, unsigned pass)
{
	return (0x9e3779b97f4a7c15ULL * (off + 1) + 0x8040201008040201ULL * pass) ^
	       (off & 8 ? 0x8080808080808080ULL : 0);
}

/* The first pass fills all of scratch; later passes store to every other slot only. */
static void store_pass(const struct store_op *op, unsigned pass)
{
	unsigned step = pass ? 2 * op->width : op->width;

	for (unsigned off = 0; off < TESTDEV_SCRATCH_LEN; off += step) {
		uint64_t v = value_for(off, pass);

		op->fn(TESTDEV_BASE + off, v);
		for (unsigned i = 0; i < op->width; i++)
			model[off + i] = (uint8_t)(v >> (8 * i));
		writes++;
	}
}

static void stores_then_loads(void)
{
	for (unsigned pass = 0; pass < ARRAY_SIZE(stores); pass++) {
		store_pass(&stores[pass], pass);
		check_loads(0, TESTDEV_SCRATCH_LEN, stores[pass].name);
	}
}

static void pattern(void)
{
	for (unsigned i = 0; i < 8; i++)
		model[TESTDEV_PATTERN + i] = (uint8_t)(TESTDEV_PATTERN_VAL >> (8 * i));
	check_loads(TESTDEV_PATTERN, TESTDEV_PATTERN + 8, "pattern");
}

struct bad_access {
	const char *name;
	unsigned off;
	bool store;
	void (*fn)(uintptr_t addr);
};

static void bad_lh(uintptr_t a)
{
	mmio_lh(a);
}

static void bad_lhu(uintptr_t a)
{
	mmio_lhu(a);
}

static void bad_lw(uintptr_t a)
{
	mmio_lw(a);
}

static void bad_lwu(uintptr_t a)
{
	mmio_lwu(a);
}

static void bad_ld(uintptr_t a)
{
	mmio_ld(a);
}

static void bad_lb(uintptr_t a)
{
	mmio_lb(a);
}

static void bad_sb(uintptr_t a)
{
	mmio_sb(a, 0x5a);
}

static void bad_sh(uintptr_t a)
{
	mmio_sh(a, 0x5a5a);
}

static void bad_sw(uintptr_t a)
{
	mmio_sw(a, 0x5a5a5a5a);
}

static void bad_sd(uintptr_t a)
{
	mmio_sd(a, 0x5a5a5a5a5a5a5a5aULL);
}

/* Misaligned, straddling the end, or past it: each is a bus error, i.e. an access fault. */
static const struct bad_access bad[] = {
	{ "lh", 0x41, false, bad_lh },	 { "lhu", 0x03, false, bad_lhu },
	{ "lw", 0x42, false, bad_lw },	 { "lw", 0x41, false, bad_lw },
	{ "lwu", 0x06, false, bad_lwu }, { "ld", 0x44, false, bad_ld },
	{ "ld", 0x04, false, bad_ld },	 { "ld", 0x48, false, bad_ld },
	{ "lw", 0x4c, false, bad_lw },	 { "lb", 0x4c, false, bad_lb },
	{ "lw", 0xffc, false, bad_lw },	 { "sh", 0x01, true, bad_sh },
	{ "sw", 0x02, true, bad_sw },	 { "sd", 0x04, true, bad_sd },
	{ "sd", 0x3c, true, bad_sd },	 { "sb", 0x50, true, bad_sb },
	{ "sw", 0x4c, true, bad_sw },
};

static void bus_errors(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		uintptr_t a = TESTDEV_BASE + bad[i].off;

		unsigned long cause = bad[i].store ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS;
		struct trap_info t = { 0 };
		bool taken;

		trap_expect();
		bad[i].fn(a);
		taken = trap_taken(&t);
		expectf(taken && t.scause == cause && t.stval == a,
			"%s at +0x%x: trap %d scause %lu stval 0x%lx, want scause %lu", bad[i].name,
			bad[i].off, taken, t.scause, t.stval, cause);
	}
}

static uint64_t count(void)
{
	return mmio_lwu(TESTDEV_BASE + TESTDEV_COUNT);
}

int main(void)
{
	uint64_t count0;

	test_start("mmio_widths");
	count0 = count();
	pattern();
	stores_then_loads();
	expect_eq(count() - count0, writes, "write counter counts every store");

	count0 = count();
	bus_errors();
	expect_eq(count() - count0, 0, "faulting stores are not counted");
	check_loads(0, TESTDEV_PATTERN + 8, "after the bus errors");
	expect_eq(mmio_lw(TESTDEV_BASE + TESTDEV_COUNT), count0, "lw of the counter");
	test_end();
}
