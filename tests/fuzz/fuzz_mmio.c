// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzz target: MMIO dispatch (vmm/mmio.c, and the site cache of vmm/mmio_site.h as dv-hw's
 * fast exit calls it) of guest loads and stores to a bus of fake devices.
 */
#include <string.h>

#include "fuzz.h"
#include "insn.h"
#include "mmio_emul.h"
#include "mmio_site.h"

#define MAX_DEVS  6
#define PC_BASE   0x80001000ULL
#define X0_MARK   0xdeadULL
#define FETCH_ERR -5

/* A device that checks every access it gets against its own range. */
struct fdev {
	struct mmio_dev dev;
	bool registered;
	bool fail; /* refuses every access: the bus error path */
	unsigned calls;
	bool last_write;
	uint64_t last_off, last_val;
	unsigned last_width;
};

static struct fdev devs[MAX_DEVS];
static unsigned nr_devs;
static struct mmio_bus bus;

/* The access being emulated: the guest's instruction at pc, what a device read returns. */
static uint32_t cur_insn;
static bool fetch_fails;
static unsigned fetches;
static uint64_t read_val;

static void dev_called(struct fdev *f, uint64_t off, unsigned width, bool write, uint64_t val)
{
	FUZZ_CHECK(f->registered);
	FUZZ_CHECK(width == 1 || width == 2 || width == 4 || width == 8);
	FUZZ_CHECK(off < f->dev.size && width <= f->dev.size - off);
	f->calls++;
	f->last_off = off;
	f->last_width = width;
	f->last_write = write;
	f->last_val = val;
}

/* Unmasked on purpose: the emulator must keep bits beyond the width out of the register. */
static int fd_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	struct fdev *f = opaque;

	dev_called(f, off, width, false, 0);
	if (f->fail)
		return -1;
	*val = read_val;
	return 0;
}

static int fd_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct fdev *f = opaque;

	dev_called(f, off, width, true, val);
	return f->fail ? -1 : 0;
}

/* Like dv_guest_fetch_insn: 16 bits for a compressed instruction, else 32. */
static long fake_fetch(uint64_t gva, uint32_t *insn)
{
	(void)gva;
	fetches++;
	if (fetch_fails)
		return FETCH_ERR;
	*insn = (cur_insn & 3) == 3 ? cur_insn : cur_insn & 0xffff;
	return 0;
}

static unsigned __int128 dev_end(const struct fdev *f)
{
	return (unsigned __int128)f->dev.base + f->dev.size;
}

/* The bus's contract, by a linear search in 128-bit arithmetic: no wrap to get wrong. */
static struct fdev *ref_find(uint64_t gpa, unsigned width)
{
	for (unsigned i = 0; i < nr_devs; i++) {
		const struct fdev *f = &devs[i];

		if (f->registered && gpa >= f->dev.base && (unsigned __int128)gpa + width <= dev_end(f))
			return &devs[i];
	}
	return NULL;
}

/* Whether mmio_register must take f: room, a size, no wrap, no overlap with one it took. */
static bool ref_register_ok(const struct fdev *f, unsigned registered)
{
	if (registered >= MMIO_MAX_DEVS || !f->dev.size || dev_end(f) > ((unsigned __int128)1 << 64))
		return false;
	for (unsigned i = 0; i < nr_devs; i++)
		if (devs[i].registered && f->dev.base < dev_end(&devs[i]) &&
		    devs[i].dev.base < dev_end(f))
			return false;
	return true;
}

static const uint64_t sizes[] = { 1, 2, 4, 8, 0x10, 0x100, 0x1000 };

/* Devices from the input: near the usual MMIO window, at the top of the space, at 0, anywhere. */
static void make_devices(struct fuzz_in *in)
{
	unsigned registered = 0;

	memset(&bus, 0, sizeof(bus));
	memset(devs, 0, sizeof(devs));
	nr_devs = fuzz_u8(in) % (MAX_DEVS + 1);
	for (unsigned i = 0; i < nr_devs; i++) {
		struct fdev *f = &devs[i];
		uint8_t mode = fuzz_u8(in);
		unsigned s = (mode >> 2) & 7;
		uint64_t size = s < 7 ? sizes[s] : fuzz_u32(in);
		uint64_t base;

		switch (mode & 3) {
		case 0:
			base = 0x10000000ULL + 0x100 * (uint64_t)fuzz_u8(in);
			break;
		case 1:
			base = 0 - size - 0x100 * (uint64_t)fuzz_u8(in);
			break;
		case 2:
			base = fuzz_u16(in);
			break;
		default:
			base = fuzz_u64(in);
		}
		f->dev = (struct mmio_dev){ .name = "fuzz", .base = base, .size = size, .opaque = f,
					    .read = fd_read, .write = fd_write };
		f->fail = mode & 0x80;
		f->registered = ref_register_ok(f, registered);
		FUZZ_CHECK((mmio_register(&bus, &f->dev) == 0) == f->registered);
		registered += f->registered;
	}
}

static uint64_t width_mask(unsigned width)
{
	return width == 8 ? ~0ULL : (1ULL << (8 * width)) - 1;
}

/* What mmio_emul.h promises for this exit: the result, the access, the device that sees it. */
static enum mmio_result expect(const struct dv_exit *ex, bool have_fetch, struct mmio_access *want,
			       struct fdev **dev)
{
	uint64_t gpa = ex->htval << 2 | (ex->tval & 3);
	bool decoded = false;

	*dev = NULL;
	*want = (struct mmio_access){ .gpa = gpa };
	if ((ex->htinst & 1) && !insn_decode_htinst(ex->htinst, want))
		decoded = true;
	else if (have_fetch && !fetch_fails)
		decoded = !insn_decode_mmio((cur_insn & 3) == 3 ? cur_insn : cur_insn & 0xffff, want);
	if (!decoded || !((ex->cause == MMIO_CAUSE_LOAD_GPF && !want->write) ||
			  (ex->cause == MMIO_CAUSE_STORE_GPF && want->write))) {
		*want = (struct mmio_access){ .gpa = gpa };
		return ref_find(gpa, 1) ? MMIO_BAD_INSN : MMIO_UNMAPPED;
	}
	*dev = ref_find(gpa, want->width);
	if (!*dev)
		return MMIO_UNMAPPED;
	return (*dev)->fail ? MMIO_BUS_ERROR : MMIO_DONE;
}

static void check_gprs(const struct dv_exit *ex, const struct dv_exit *before,
		       const struct mmio_access *a)
{
	for (unsigned i = 0; i < 32; i++) {
		uint64_t want = before->gpr[i];

		if (i && i == a->reg && !a->write) {
			unsigned sh = 64 - 8 * a->width;

			want = read_val & width_mask(a->width);
			if (a->sign_extend)
				want = (uint64_t)((int64_t)(want << sh) >> sh);
		}
		FUZZ_CHECK(ex->gpr[i] == want);
	}
}

static const uint64_t causes[] = { MMIO_CAUSE_LOAD_GPF, MMIO_CAUSE_STORE_GPF, 20,
				   MMIO_CAUSE_STORE_GPF };

/*
 * One exit: flags (cause, htinst given, fetch fails, pc among 16 that share the 8 sets of
 * sites two by two), more flags, the gpa (near a device, or any), instruction, htinst, the
 * value a read returns, the registers' seed.
 */
static void one_access(struct fuzz_in *in)
{
	uint8_t flags = fuzz_u8(in), flags2 = fuzz_u8(in), sel = fuzz_u8(in);
	bool have_fetch = !(flags2 & 1), want_acc = !(flags2 & 2);
	struct mmio_access acc, want;
	struct dv_exit ex, before;
	enum mmio_result r, want_r;
	struct fdev *dev;
	uint64_t gpa, seed;
	unsigned calls = 0;

	if (nr_devs && sel < 0xf0)
		gpa = devs[sel % nr_devs].dev.base + (uint64_t)(int64_t)(int16_t)fuzz_u16(in);
	else
		gpa = fuzz_u64(in);
	cur_insn = fuzz_u32(in);
	memset(&ex, 0, sizeof(ex));
	ex.cause = causes[flags & 3];
	ex.htinst = (flags & 4) ? fuzz_u64(in) : 0;
	fetch_fails = flags & 8;
	ex.pc = PC_BASE + 2 * (flags >> 4);
	ex.htval = gpa >> 2;
	ex.tval = 0x7fff0000ULL | (gpa & 0xfff);
	read_val = fuzz_u64(in);
	seed = fuzz_u64(in);
	for (unsigned i = 1; i < 32; i++)
		ex.gpr[i] = seed * (2 * i + 1) ^ 0x5a5a000000000000ULL;
	ex.gpr[0] = X0_MARK; /* the emulator must neither read nor write x0 */
	before = ex;
	fetches = 0;
	for (unsigned i = 0; i < nr_devs; i++)
		devs[i].calls = 0;

	want_r = expect(&ex, have_fetch, &want, &dev);
	memset(&acc, 0xa5, sizeof(acc));
	r = MMIO_MISS;
	/* The cached path first, as dv-hw calls it: a load/store fault, no htinst, insn fetched. */
	if (flags2 & 4 && ex.cause != 20 && !ex.htinst && have_fetch && !fetch_fails) {
		uint64_t stale = seed >> 3;

		r = mmio_emulate_cached(&bus, &ex, (cur_insn & 3) == 3 ? cur_insn : cur_insn & 0xffff,
					gpa, stale);
		if (r == MMIO_MISS) {
			for (unsigned i = 0; i < nr_devs; i++)
				FUZZ_CHECK(devs[i].calls == 0);
			FUZZ_CHECK(!memcmp(&ex, &before, sizeof(ex)));
		} else {
			FUZZ_CHECK(!(stale >> want.reg & 1));
			want_acc = false;
		}
	}
	if (r == MMIO_MISS)
		r = mmio_emulate(&bus, &ex, have_fetch ? fake_fetch : NULL, want_acc ? &acc : NULL);

	FUZZ_CHECK(r == MMIO_DONE || r == MMIO_UNMAPPED || r == MMIO_BAD_INSN ||
		   r == MMIO_BUS_ERROR);
	FUZZ_CHECK(r == want_r);
	if (want_acc)
		FUZZ_CHECK(acc.gpa == want.gpa && acc.width == want.width &&
			   acc.write == want.write && acc.sign_extend == want.sign_extend &&
			   acc.reg == want.reg && acc.insn_len == want.insn_len);
	FUZZ_CHECK(fetches <= 1);
	for (unsigned i = 0; i < nr_devs; i++)
		calls += devs[i].calls;
	if (r != MMIO_DONE && r != MMIO_BUS_ERROR) {
		FUZZ_CHECK(calls == 0);
		FUZZ_CHECK(!memcmp(&ex, &before, sizeof(ex)));
		return;
	}
	/* One call, on the device that holds the whole access, the way the instruction says. */
	FUZZ_CHECK(calls == 1 && dev->calls == 1);
	FUZZ_CHECK(dev->last_off == gpa - dev->dev.base && dev->last_width == want.width);
	FUZZ_CHECK(dev->last_write == want.write);
	if (want.write)
		FUZZ_CHECK(dev->last_val == (want.reg ? before.gpr[want.reg] & width_mask(want.width) : 0));
	if (r == MMIO_BUS_ERROR) {
		FUZZ_CHECK(!memcmp(&ex, &before, sizeof(ex)));
		return;
	}
	FUZZ_CHECK(ex.pc == before.pc + want.insn_len);
	check_gprs(&ex, &before, &want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	make_devices(&in);
	do
		one_access(&in);
	while (in.n);
	return 0;
}
