// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the MMIO bus and mmio_emulate, with fake guest memory and a fake device. */
#include <stdbool.h>
#include <string.h>

#include "mmio_emul.h"
#include "mmio_site.h"
#include "unit.h"

#define DEV_BASE 0x10000000ULL
#define DEV_SIZE 0x100
#define CODE_VA  0x80001000ULL /* guest-virtual address of code[0] */
#define CODE_LEN 8             /* halfwords */

#define CAUSE_LOAD  21
#define CAUSE_STORE 23

/* Instruction words from riscv64-unknown-elf-as -march=rv64imac_zicsr, checked with objdump -d. */
#define LB_A0     0x00058503u /* lb a0,0(a1) */
#define LH_A0     0x00059503u /* lh a0,0(a1) */
#define LW_A0     0x0005a503u /* lw a0,0(a1) */
#define LD_A0     0x0005b503u /* ld a0,0(a1) */
#define LBU_A0    0x0005c503u /* lbu a0,0(a1) */
#define LHU_A0    0x0005d503u /* lhu a0,0(a1) */
#define LWU_A0    0x0005e503u /* lwu a0,0(a1) */
#define LW_ZERO   0x0005a003u /* lw zero,0(a1) */
#define SB_A2     0x00c58023u /* sb a2,0(a1) */
#define SH_A2     0x00c59023u /* sh a2,0(a1) */
#define SW_A2     0x00c5a023u /* sw a2,0(a1) */
#define SD_A2     0x00c5b023u /* sd a2,0(a1) */
#define SW_ZERO   0x0005a023u /* sw zero,0(a1) */
#define C_LW_A0   0x4188u     /* c.lw a0,0(a1) */
#define C_SD_A2   0xe190u     /* c.sd a2,0(a1) */
#define ADD_A0    0x00c58533u /* add a0,a1,a2 */
#define HT_LW_A0  0x00002503u /* lw a0,0(zero): htinst for a trapping 32-bit lw a0 */
#define HT_C_SD_A2 0x00c03021u /* sd a2,0(zero) with bit 1 clear: htinst for a c.sd a2 */

static uint16_t code[CODE_LEN];
static uint64_t fetched[4];
static unsigned nr_fetched;
static uint64_t fault_gva = ~0ULL; /* fetches touching this halfword fail */

static bool halfword_ok(uint64_t gva)
{
	return gva != fault_gva && gva >= CODE_VA && gva < CODE_VA + 2 * CODE_LEN && !(gva & 1);
}

/* Like dv_guest_fetch_insn: the second halfword is read only for a 32-bit instruction. */
static long fake_fetch(uint64_t gva, uint32_t *insn)
{
	uint32_t lo;

	if (nr_fetched < 4)
		fetched[nr_fetched] = gva;
	nr_fetched++;
	if (!halfword_ok(gva))
		return -5;
	lo = code[(gva - CODE_VA) / 2];
	if ((lo & 3) != 3) {
		*insn = lo;
		return 0;
	}
	if (!halfword_ok(gva + 2))
		return -5;
	*insn = lo | (uint32_t)code[(gva + 2 - CODE_VA) / 2] << 16;
	return 0;
}

/* Places `insn` (2 or 4 bytes) at halfword `at` of the fake code and returns its address. */
static uint64_t place(unsigned at, uint32_t insn)
{
	code[at] = (uint16_t)insn;
	if ((insn & 3) == 3)
		code[at + 1] = (uint16_t)(insn >> 16);
	return CODE_VA + 2 * at;
}

struct fake_dev {
	struct mmio_dev dev;
	uint64_t read_val; /* returned masked to the width, as a device promises */
	bool sloppy;       /* return read_val unmasked, breaking that promise */
	bool fail;
	unsigned reads, writes;
	uint64_t last_off, last_val;
	unsigned last_width;
};

static int fake_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	struct fake_dev *f = opaque;

	f->reads++;
	f->last_off = off;
	f->last_width = width;
	if (f->fail)
		return -1;
	*val = (f->sloppy || width == 8) ? f->read_val : f->read_val & ((1ULL << (8 * width)) - 1);
	return 0;
}

static int fake_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct fake_dev *f = opaque;

	f->writes++;
	f->last_off = off;
	f->last_width = width;
	f->last_val = val;
	return f->fail ? -1 : 0;
}

static struct fake_dev fdev;
static struct mmio_bus bus;
static struct dv_exit ex;

static void fake_dev_init(struct fake_dev *f, uint64_t base, uint64_t size)
{
	*f = (struct fake_dev){
		.dev = { .name = "fake", .base = base, .size = size, .opaque = f,
			 .read = fake_read, .write = fake_write },
	};
}

/* A fresh bus with the fake device, and an exit at `gpa` whose tval carries the low bits. */
static void setup(uint64_t cause, uint64_t gpa, uint64_t pc)
{
	unsigned i;

	memset(code, 0, sizeof(code));
	nr_fetched = 0;
	fault_gva = ~0ULL;
	fake_dev_init(&fdev, DEV_BASE, DEV_SIZE);
	bus = (struct mmio_bus){ 0 };
	CHECK_EQ(mmio_register(&bus, &fdev.dev), 0);
	memset(&ex, 0, sizeof(ex));
	for (i = 1; i < 32; i++)
		ex.gpr[i] = 0x5a5a000000000000ULL | i;
	ex.gpr[0] = 0xdead; /* a sentinel: the emulator must neither read nor write x0 */
	ex.cause = cause;
	ex.tval = 0x7fff0000ULL | (gpa & 0xfff);
	ex.htval = gpa >> 2;
	ex.pc = pc;
}

static enum mmio_result run(struct mmio_access *acc)
{
	return mmio_emulate(&bus, &ex, fake_fetch, acc);
}

static void load_case(uint32_t insn, uint64_t dev_val, uint64_t expect, unsigned width)
{
	struct mmio_access acc;

	setup(CAUSE_LOAD, DEV_BASE + 0x10, 0);
	ex.pc = place(0, insn);
	fdev.read_val = dev_val;
	CHECK_EQ(run(&acc), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], expect);
	CHECK_EQ(fdev.last_width, width);
	CHECK_EQ(fdev.last_off, 0x10);
	CHECK_EQ(acc.width, width);
	CHECK_EQ(ex.pc, CODE_VA + 4);
}

static void test_load_widths_and_signs(void)
{
	load_case(LB_A0, 0x8081828384858687ULL, 0xffffffffffffff87ULL, 1);
	load_case(LH_A0, 0x8081828384858687ULL, 0xffffffffffff8687ULL, 2);
	load_case(LW_A0, 0x8081828384858687ULL, 0xffffffff84858687ULL, 4);
	load_case(LD_A0, 0x8081828384858687ULL, 0x8081828384858687ULL, 8);
	load_case(LBU_A0, 0x8081828384858687ULL, 0x87, 1);
	load_case(LHU_A0, 0x8081828384858687ULL, 0x8687, 2);
	load_case(LWU_A0, 0x8081828384858687ULL, 0x84858687ULL, 4);
	/* Positive values must stay positive under sign extension. */
	load_case(LB_A0, 0x7f, 0x7f, 1);
	load_case(LH_A0, 0x7fff, 0x7fff, 2);
	load_case(LW_A0, 0x7fffffff, 0x7fffffff, 4);
}

static void test_load_masks_sloppy_device(void)
{
	setup(CAUSE_LOAD, DEV_BASE, 0);
	ex.pc = place(0, LHU_A0);
	fdev.read_val = 0x1234567890abcdefULL;
	fdev.sloppy = true;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], 0xcdef);
}

static void store_case(uint32_t insn, unsigned width, uint64_t expect)
{
	struct mmio_access acc;

	setup(CAUSE_STORE, DEV_BASE + 0x20, 0);
	ex.pc = place(0, insn);
	ex.gpr[12] = 0x1122334455667788ULL;
	CHECK_EQ(run(&acc), MMIO_DONE);
	CHECK_EQ(fdev.writes, 1);
	CHECK_EQ(fdev.last_off, 0x20);
	CHECK_EQ(fdev.last_width, width);
	CHECK_EQ(fdev.last_val, expect);
	CHECK_EQ(acc.write, true);
	CHECK_EQ(ex.gpr[12], 0x1122334455667788ULL);
	CHECK_EQ(ex.pc, CODE_VA + 4);
}

static void test_store_widths(void)
{
	store_case(SB_A2, 1, 0x88);
	store_case(SH_A2, 2, 0x7788);
	store_case(SW_A2, 4, 0x55667788);
	store_case(SD_A2, 8, 0x1122334455667788ULL);
}

/* The device still sees the read (it may have side effects); x0 keeps its sentinel. */
static void test_load_into_x0(void)
{
	struct dv_exit before;

	setup(CAUSE_LOAD, DEV_BASE, 0);
	ex.pc = place(0, LW_ZERO);
	fdev.read_val = 0x12345678;
	before = ex;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(fdev.reads, 1);
	CHECK_EQ(ex.gpr[0], 0xdead);
	CHECK_EQ(memcmp(ex.gpr, before.gpr, sizeof(ex.gpr)), 0);
}

static void test_store_from_x0(void)
{
	setup(CAUSE_STORE, DEV_BASE, 0);
	ex.pc = place(0, SW_ZERO);
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(fdev.writes, 1);
	CHECK_EQ(fdev.last_val, 0);
}

static void test_compressed_advances_pc_by_2(void)
{
	setup(CAUSE_LOAD, DEV_BASE + 4, 0);
	ex.pc = place(3, C_LW_A0);
	fdev.read_val = 0x80000001;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(ex.pc, CODE_VA + 8);
	CHECK_EQ(ex.gpr[10], 0xffffffff80000001ULL);
	CHECK_EQ(nr_fetched, 1);

	setup(CAUSE_STORE, DEV_BASE + 8, 0);
	ex.pc = place(0, C_SD_A2);
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(ex.pc, CODE_VA + 2);
	CHECK_EQ(fdev.last_width, 8);
	CHECK_EQ(fdev.last_val, ex.gpr[12]);
}

/* A 32-bit instruction at a 2-byte boundary: one fetch at the pc brings both halves. */
static void test_fetch_split_32bit(void)
{
	setup(CAUSE_LOAD, DEV_BASE, 0);
	ex.pc = place(1, LWU_A0);
	fdev.read_val = 0xfedcba98;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(nr_fetched, 1);
	CHECK_EQ(fetched[0], CODE_VA + 2);
	CHECK_EQ(ex.gpr[10], 0xfedcba98);
	CHECK_EQ(ex.pc, CODE_VA + 6);
}

static void check_unchanged(const struct dv_exit *before)
{
	CHECK_EQ(memcmp(&ex, before, sizeof(ex)), 0);
}

static void test_fetch_failure(void)
{
	struct dv_exit before;
	struct mmio_access acc;

	setup(CAUSE_LOAD, DEV_BASE + 0x13, 0);
	ex.pc = place(0, LW_A0);
	fault_gva = CODE_VA;
	before = ex;
	CHECK_EQ(run(&acc), MMIO_BAD_INSN);
	check_unchanged(&before);
	CHECK_EQ(fdev.reads, 0);
	CHECK_EQ(acc.gpa, DEV_BASE + 0x13);
	CHECK_EQ(acc.width, 0);

	/* The second half faulting (the next page, say) is just as fatal. */
	fault_gva = CODE_VA + 2;
	CHECK_EQ(run(NULL), MMIO_BAD_INSN);
	check_unchanged(&before);

	CHECK_EQ(mmio_emulate(&bus, &ex, NULL, NULL), MMIO_BAD_INSN);
	check_unchanged(&before);
}

static void test_undecodable(void)
{
	struct dv_exit before;

	setup(CAUSE_LOAD, DEV_BASE, 0);
	ex.pc = place(0, ADD_A0);
	before = ex;
	CHECK_EQ(run(NULL), MMIO_BAD_INSN);
	check_unchanged(&before);
}

static void test_unmapped(void)
{
	struct dv_exit before;

	setup(CAUSE_LOAD, DEV_BASE + DEV_SIZE, 0);
	ex.pc = place(0, LW_A0);
	before = ex;
	CHECK_EQ(run(NULL), MMIO_UNMAPPED);
	check_unchanged(&before);

	/* Starts in the device but runs off its end. */
	setup(CAUSE_LOAD, DEV_BASE + DEV_SIZE - 2, 0);
	ex.pc = place(0, LW_A0);
	before = ex;
	CHECK_EQ(run(NULL), MMIO_UNMAPPED);
	check_unchanged(&before);
	CHECK_EQ(fdev.reads, 0);

	/* Nothing at gpa at all: unmapped wins over an unreadable instruction. */
	setup(CAUSE_STORE, DEV_BASE - 4, 0);
	ex.pc = place(0, SW_A2);
	fault_gva = CODE_VA;
	before = ex;
	CHECK_EQ(run(NULL), MMIO_UNMAPPED);
	check_unchanged(&before);
}

static void test_bus_error(void)
{
	struct dv_exit before;

	setup(CAUSE_LOAD, DEV_BASE, 0);
	ex.pc = place(0, LD_A0);
	fdev.fail = true;
	fdev.read_val = 0x1234;
	before = ex;
	CHECK_EQ(run(NULL), MMIO_BUS_ERROR);
	CHECK_EQ(fdev.reads, 1);
	check_unchanged(&before);

	setup(CAUSE_STORE, DEV_BASE, 0);
	ex.pc = place(0, SD_A2);
	fdev.fail = true;
	before = ex;
	CHECK_EQ(run(NULL), MMIO_BUS_ERROR);
	CHECK_EQ(fdev.writes, 1);
	check_unchanged(&before);
}

static void test_direction_mismatch(void)
{
	struct dv_exit before;

	setup(CAUSE_LOAD, DEV_BASE, 0);
	ex.pc = place(0, SW_A2);
	before = ex;
	CHECK_EQ(run(NULL), MMIO_BAD_INSN);
	CHECK_EQ(fdev.writes, 0);
	check_unchanged(&before);

	setup(CAUSE_STORE, DEV_BASE, 0);
	ex.pc = place(0, LW_A0);
	before = ex;
	CHECK_EQ(run(NULL), MMIO_BAD_INSN);
	CHECK_EQ(fdev.reads, 0);
	check_unchanged(&before);

	/* Not a guest-page fault on data at all (an instruction guest-page fault). */
	setup(20, DEV_BASE, 0);
	ex.pc = place(0, LW_A0);
	before = ex;
	CHECK_EQ(run(NULL), MMIO_BAD_INSN);
	check_unchanged(&before);
}

/* With a transformed instruction in htinst the guest's code is never read. */
static void test_htinst_path(void)
{
	setup(CAUSE_LOAD, DEV_BASE + 0x40, CODE_VA + 12);
	ex.htinst = HT_LW_A0;
	fdev.read_val = 0x89abcdef;
	CHECK_EQ(mmio_emulate(&bus, &ex, NULL, NULL), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], 0xffffffff89abcdefULL);
	CHECK_EQ(ex.pc, CODE_VA + 16);

	setup(CAUSE_STORE, DEV_BASE + 0x48, CODE_VA + 12);
	ex.htinst = HT_C_SD_A2;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(nr_fetched, 0);
	CHECK_EQ(fdev.last_val, ex.gpr[12]);
	CHECK_EQ(fdev.last_width, 8);
	CHECK_EQ(ex.pc, CODE_VA + 14);

	/* A pseudo-instruction in htinst says nothing about the access: fetch instead. */
	setup(CAUSE_LOAD, DEV_BASE, 0);
	ex.pc = place(0, C_LW_A0);
	ex.htinst = 0x00003000;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(nr_fetched, 1);
	CHECK_EQ(ex.pc, CODE_VA + 2);
}

static void test_gpa_from_htval_and_tval(void)
{
	struct mmio_access acc;

	setup(CAUSE_LOAD, DEV_BASE + 0x37, 0);
	ex.pc = place(0, LBU_A0);
	CHECK_EQ(ex.htval, (DEV_BASE + 0x34) >> 2);
	CHECK_EQ(run(&acc), MMIO_DONE);
	CHECK_EQ(acc.gpa, DEV_BASE + 0x37);
	CHECK_EQ(acc.reg, 10);
	CHECK_EQ(acc.sign_extend, false);
	CHECK_EQ(acc.insn_len, 4);
	CHECK_EQ(fdev.last_off, 0x37);
}

static void test_register_rejects_overlap(void)
{
	struct fake_dev a, b;
	static const uint64_t clash[][2] = {
		{ 0x1000, 0x100 }, /* identical */
		{ 0x0f00, 0x101 }, /* overlaps the first byte */
		{ 0x10ff, 0x10 },  /* overlaps the last byte */
		{ 0x0800, 0x1000 }, /* contains it */
		{ 0x1080, 0x8 },   /* inside it */
	};
	unsigned i;

	bus = (struct mmio_bus){ 0 };
	fake_dev_init(&a, 0x1000, 0x100);
	CHECK_EQ(mmio_register(&bus, &a.dev), 0);
	for (i = 0; i < sizeof(clash) / sizeof(clash[0]); i++) {
		fake_dev_init(&b, clash[i][0], clash[i][1]);
		CHECK_EQ(mmio_register(&bus, &b.dev), -1);
	}
	CHECK_EQ(bus.nr, 1);
	fake_dev_init(&b, 0x1100, 0x100); /* adjacent is fine */
	CHECK_EQ(mmio_register(&bus, &b.dev), 0);
	CHECK_EQ(bus.nr, 2);
	CHECK(mmio_find(&bus, 0x10ff, 1) == &a.dev);
	CHECK(mmio_find(&bus, 0x1100, 1) == &b.dev);
}

static void test_register_rejects_bad_devices(void)
{
	static struct fake_dev many[MMIO_MAX_DEVS + 1];
	struct fake_dev d;
	unsigned i;

	bus = (struct mmio_bus){ 0 };
	fake_dev_init(&d, 0x1000, 0);
	CHECK_EQ(mmio_register(&bus, &d.dev), -1);
	fake_dev_init(&d, ~0ULL - 0xff, 0x200);
	CHECK_EQ(mmio_register(&bus, &d.dev), -1);
	fake_dev_init(&d, 0x1000, 0x100);
	d.dev.read = NULL;
	CHECK_EQ(mmio_register(&bus, &d.dev), -1);
	CHECK_EQ(bus.nr, 0);

	/* Ending exactly at the top of the address space does not wrap. */
	fake_dev_init(&d, ~0ULL - 0xff, 0x100);
	CHECK_EQ(mmio_register(&bus, &d.dev), 0);
	CHECK(mmio_find(&bus, ~0ULL - 7, 8) == &d.dev);
	CHECK(mmio_find(&bus, ~0ULL, 2) == NULL);

	bus = (struct mmio_bus){ 0 };
	for (i = 0; i < MMIO_MAX_DEVS; i++) {
		fake_dev_init(&many[i], 0x1000 * (i + 1), 0x1000);
		CHECK_EQ(mmio_register(&bus, &many[i].dev), 0);
	}
	fake_dev_init(&many[i], 0x100000, 0x1000);
	CHECK_EQ(mmio_register(&bus, &many[i].dev), -1);
	CHECK_EQ(bus.nr, MMIO_MAX_DEVS);
}

static void test_find_bounds(void)
{
	struct fake_dev d;

	bus = (struct mmio_bus){ 0 };
	fake_dev_init(&d, 0x2000, 0x10);
	CHECK_EQ(mmio_register(&bus, &d.dev), 0);
	CHECK(mmio_find(&bus, 0x2000, 8) == &d.dev);
	CHECK(mmio_find(&bus, 0x2008, 8) == &d.dev);
	CHECK(mmio_find(&bus, 0x2009, 8) == NULL);
	CHECK(mmio_find(&bus, 0x200f, 1) == &d.dev);
	CHECK(mmio_find(&bus, 0x2010, 1) == NULL);
	CHECK(mmio_find(&bus, 0x1fff, 2) == NULL);
	CHECK(mmio_find(&bus, 0x2000, 0) == NULL);
}

/* Devices registered in any order are found by address, and the gaps between them are not. */
static void test_find_many(void)
{
	static const unsigned order[] = { 7, 2, 11, 0, 5, 9, 1, 13, 3, 12, 6, 10, 4, 8 };
	struct mmio_dev many[14];
	struct mmio_bus b = { 0 };
	unsigned i;

	for (i = 0; i < 14; i++) {
		struct mmio_dev *d = &many[order[i]];

		*d = (struct mmio_dev){ .name = "d", .base = 0x10000 + 0x1000 * order[i],
					.size = 0x800, .read = fake_read, .write = fake_write };
		CHECK_EQ(mmio_register(&b, d), 0);
	}
	CHECK_EQ(b.nr, 14);
	for (i = 0; i < 14; i++) {
		uint64_t base = 0x10000 + 0x1000 * i;

		CHECK(mmio_find(&b, base, 4) == &many[i]);
		CHECK(mmio_find(&b, base + 0x7fc, 4) == &many[i]);
		CHECK(mmio_find(&b, base + 0x7fe, 4) == NULL);
		CHECK(mmio_find(&b, base + 0x800, 1) == NULL);
	}
	CHECK(mmio_find(&b, 0xffff, 1) == NULL);
	CHECK(mmio_find(&b, 0x1e000, 1) == NULL);
	CHECK_EQ(mmio_register(&b, &(struct mmio_dev){ .base = 0x17400, .size = 0x800,
						  .read = fake_read, .write = fake_write }), -1);
}

/*
 * The second exit at a pc reuses what the first decoded, but only while the instruction and
 * the device are the same: new code at the pc, another device's address, a store fault at
 * a load, and a device that no longer holds the address each get the full path again.
 */
static void test_site_cache(void)
{
	struct fake_dev other;

	setup(CAUSE_LOAD, DEV_BASE + 0x10, 0);
	fake_dev_init(&other, DEV_BASE + DEV_SIZE, DEV_SIZE);
	CHECK_EQ(mmio_register(&bus, &other.dev), 0);
	ex.pc = place(0, LW_A0);
	fdev.read_val = 0x11;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], 0x11);
	ex.pc = CODE_VA;
	fdev.read_val = 0x22;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], 0x22);
	CHECK_EQ(fdev.reads, 2);
	CHECK_EQ(nr_fetched, 2);

	/* The same pc now holds a byte load: it must be decoded again. */
	ex.pc = place(0, LBU_A0);
	fdev.read_val = 0x3344;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], 0x44);
	CHECK_EQ(fdev.last_width, 1);

	/* Same instruction, the other device's address. */
	ex.pc = CODE_VA;
	ex.tval = DEV_BASE + DEV_SIZE + 8;
	ex.htval = (DEV_BASE + DEV_SIZE + 8) >> 2;
	other.read_val = 0x55;
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], 0x55);
	CHECK_EQ(other.reads, 1);
	CHECK_EQ(other.last_off, 8);

	/* A store fault at that load is refused as before, cached or not. */
	ex.pc = CODE_VA;
	ex.cause = CAUSE_STORE;
	CHECK_EQ(run(NULL), MMIO_BAD_INSN);
	CHECK_EQ(ex.pc, CODE_VA);
	CHECK_EQ(other.reads, 1);

	/* An address past every device is unmapped even right after a hit at the same pc. */
	ex.cause = CAUSE_LOAD;
	CHECK_EQ(run(NULL), MMIO_DONE);
	ex.pc = CODE_VA;
	ex.tval = DEV_BASE + 2 * DEV_SIZE;
	ex.htval = (DEV_BASE + 2 * DEV_SIZE) >> 2;
	CHECK_EQ(run(NULL), MMIO_UNMAPPED);
	CHECK_EQ(ex.pc, CODE_VA);
}

/* mmio_emulate_cached with the address of the exit in ex, as dv-hw reads hutval and utval */
static enum mmio_result cached(uint32_t insn, uint64_t stale)
{
	return mmio_emulate_cached(&bus, &ex, insn, ex.htval << 2 | (ex.tval & 3), stale);
}

/*
 * mmio_emulate_cached serves only what mmio_emulate decoded before at the pc, and never by a
 * register marked stale; anything else is MMIO_MISS with the exit untouched.
 */
static void test_emulate_cached(void)
{
	uint64_t a0 = 1ULL << 10;

	setup(CAUSE_LOAD, DEV_BASE + 0x10, 0);
	ex.pc = place(0, LH_A0);
	fdev.read_val = 0x8001;
	CHECK_EQ(cached(LH_A0, 0), MMIO_MISS);
	CHECK_EQ(fdev.reads, 0);
	CHECK_EQ(run(NULL), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], 0xffffffffffff8001ULL);

	/* The same access again, from the cache: sign-extended, pc advanced, nothing fetched. */
	ex.pc = CODE_VA;
	ex.gpr[10] = 0;
	fdev.read_val = 0x8002;
	CHECK_EQ(cached(LH_A0, 0), MMIO_DONE);
	CHECK_EQ(ex.gpr[10], 0xffffffffffff8002ULL);
	CHECK_EQ(ex.pc, CODE_VA + 4);
	CHECK_EQ(fdev.reads, 2);
	CHECK_EQ(fdev.last_off, 0x10);
	CHECK_EQ(nr_fetched, 1);

	/* a0 stale, another word at the pc, a store fault, an address past the device: misses. */
	ex.pc = CODE_VA;
	CHECK_EQ(cached(LH_A0, a0), MMIO_MISS);
	CHECK_EQ(cached(LW_A0, 0), MMIO_MISS);
	ex.cause = CAUSE_STORE;
	CHECK_EQ(cached(LH_A0, 0), MMIO_MISS);
	ex.cause = CAUSE_LOAD;
	ex.tval = DEV_BASE + DEV_SIZE - 1;
	ex.htval = (DEV_BASE + DEV_SIZE - 1) >> 2;
	CHECK_EQ(cached(LH_A0, 0), MMIO_MISS);
	CHECK_EQ(ex.pc, CODE_VA);
	CHECK_EQ(fdev.reads, 2);

	/* The last halfword is still the device's; a refusal is a bus error, ex untouched. */
	ex.tval = DEV_BASE + DEV_SIZE - 2;
	ex.htval = (DEV_BASE + DEV_SIZE - 2) >> 2;
	fdev.fail = true;
	CHECK_EQ(cached(LH_A0, 0), MMIO_BUS_ERROR);
	CHECK_EQ(fdev.last_off, DEV_SIZE - 2);
	CHECK_EQ(ex.pc, CODE_VA);
	CHECK_EQ(ex.gpr[10], 0xffffffffffff8002ULL);
}

/* A store from the cache writes only the access's bytes of the register. */
static void test_emulate_cached_store(void)
{
	setup(CAUSE_STORE, DEV_BASE + 0x20, 0);
	ex.pc = place(0, C_SD_A2);
	CHECK_EQ(run(NULL), MMIO_DONE);
	ex.pc = place(2, SH_A2);
	CHECK_EQ(run(NULL), MMIO_DONE);
	ex.pc = CODE_VA + 4;
	ex.gpr[12] = 0x123456789abcdef0ULL;
	CHECK_EQ(cached(SH_A2, 0), MMIO_DONE);
	CHECK_EQ(fdev.last_val, 0xdef0);
	CHECK_EQ(fdev.last_width, 2);
	CHECK_EQ(ex.pc, CODE_VA + 8);
	ex.pc = CODE_VA;
	CHECK_EQ(cached(C_SD_A2, 0), MMIO_DONE);
	CHECK_EQ(fdev.last_val, 0x123456789abcdef0ULL);
	CHECK_EQ(ex.pc, CODE_VA + 2);
	CHECK_EQ(fdev.writes, 4);
}

int main(void)
{
	RUN(test_load_widths_and_signs);
	RUN(test_load_masks_sloppy_device);
	RUN(test_store_widths);
	RUN(test_load_into_x0);
	RUN(test_store_from_x0);
	RUN(test_compressed_advances_pc_by_2);
	RUN(test_fetch_split_32bit);
	RUN(test_fetch_failure);
	RUN(test_undecodable);
	RUN(test_unmapped);
	RUN(test_bus_error);
	RUN(test_direction_mismatch);
	RUN(test_htinst_path);
	RUN(test_gpa_from_htval_and_tval);
	RUN(test_register_rejects_overlap);
	RUN(test_register_rejects_bad_devices);
	RUN(test_find_bounds);
	RUN(test_find_many);
	RUN(test_site_cache);
	RUN(test_emulate_cached);
	RUN(test_emulate_cached_store);
	UNIT_EXIT();
}
