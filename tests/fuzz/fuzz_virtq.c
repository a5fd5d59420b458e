// SPDX-License-Identifier: BSD-2-Clause
/* Fuzz target: virtio-mmio registers and the split-virtqueue walk (vmm/virtio) on fuzzed RAM. */
#include <string.h>

#include "fuzz.h"
#include "virtio.h"

#define BASE     0x10001000ULL
#define RAM_GPA  0x80000000ULL
#define RAM_SIZE 0x4000ULL /* small, so that the fuzzer's addresses often land in it */

/* Register offsets (virtio 1.2, 4.2.2). */
#define R_DRV_FEAT     0x020
#define R_DRV_FEAT_SEL 0x024
#define R_QUEUE_SEL    0x030
#define R_QUEUE_NUM    0x038
#define R_QUEUE_READY  0x044
#define R_STATUS       0x070
#define R_DESC_LOW     0x080
#define R_DRIVER_LOW   0x090
#define R_DEVICE_LOW   0x0a0
#define R_CONFIG       0x100
#define WINDOW         0x1000

#define ST_UP (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER)

/* Header flags (the input's first byte). */
#define F_INDIRECT 1 /* negotiate INDIRECT_DESC */
#define F_SHADOW   2 /* keep a register shadow page, checked at the end */
#define F_RAW_GPA  4 /* queue areas as full 64-bit addresses, not offsets into RAM */
#define F_PUSH     8 /* give every chain back in the used ring */

static uint8_t *ram; /* exactly RAM_SIZE bytes of heap: ASan sees a byte past either end */
static struct vm vm;
static struct virtio_dev dev;
static uint32_t shadow[WINDOW / 4];
static bool irq_level, push;
static uint8_t scratch[0x10000];
static uint32_t copy_off, copy_len;

static void wr(uint64_t off, uint32_t val)
{
	dev.mmio.write(dev.mmio.opaque, off, 4, val);
}

static void wr64(uint64_t off, uint64_t val)
{
	wr(off, (uint32_t)val);
	wr(off + 4, (uint32_t)(val >> 32));
}

static bool seg_in_ram(const struct virtq_seg *s)
{
	return s->gpa >= RAM_GPA && s->len <= RAM_SIZE && s->gpa - RAM_GPA <= RAM_SIZE - s->len;
}

/* Everything virtio.h says of a chain virtq_pop took. */
static void check_chain(unsigned q, const struct virtq_chain *c)
{
	uint64_t out = 0, in = 0;

	FUZZ_CHECK(c->head < dev.vq[q].size);
	FUZZ_CHECK(c->nr >= 1 && c->nr <= VIRTQ_MAX_SIZE && c->nr_out <= c->nr);
	/* Without indirect tables a chain is a walk of the ring's table, each entry once. */
	FUZZ_CHECK(virtio_has(&dev, VIRTIO_F_INDIRECT_DESC) || c->nr <= dev.vq[q].size);
	for (unsigned i = 0; i < c->nr; i++) {
		FUZZ_CHECK(seg_in_ram(&c->seg[i]));
		FUZZ_CHECK(c->seg[i].write == (i >= c->nr_out));
		*(c->seg[i].write ? &in : &out) += c->seg[i].len;
	}
	FUZZ_CHECK(out == c->out_len && in == c->in_len && out + in <= UINT32_MAX);
}

/* The copies stay inside the chain's buffers and copy what they say they do. */
static void check_copies(const struct virtq_chain *c)
{
	uint32_t len = copy_len < sizeof(scratch) ? copy_len : sizeof(scratch);
	uint32_t want_out = c->out_len > copy_off ? c->out_len - copy_off : 0;
	uint32_t want_in = c->in_len > copy_off ? c->in_len - copy_off : 0;

	FUZZ_CHECK(virtq_read(&dev, c, copy_off, scratch, len) == (want_out < len ? want_out : len));
	FUZZ_CHECK(virtq_write(&dev, c, copy_off, scratch, len) == (want_in < len ? want_in : len));
}

/* The same chain, taken again after virtq_unpop. */
static void check_retake(unsigned q, const struct virtq_chain *c)
{
	static struct virtq_chain again;

	virtq_unpop(&dev, q);
	FUZZ_CHECK(virtq_pop(&dev, q, &again) == 1);
	FUZZ_CHECK(again.head == c->head && again.nr == c->nr && again.nr_out == c->nr_out);
	FUZZ_CHECK(!memcmp(again.seg, c->seg, c->nr * sizeof(c->seg[0])));
}

/*
 * Takes every chain queue q has (the first one twice with `retake`): a walk that does not
 * end is a libFuzzer timeout.
 */
static void drain(unsigned q, bool retake)
{
	static struct virtq_chain c;
	unsigned taken = 0;
	int r;

	for (;;) {
		bool running = virtio_running(&dev);

		r = virtq_pop(&dev, q, &c);
		FUZZ_CHECK(r == -1 || r == 0 || r == 1);
		if (r == -1 && running && q < dev.nr_queues)
			FUZZ_CHECK(dev.status & VIRTIO_STATUS_NEEDS_RESET);
		if (r != 1)
			break;
		/* No more than the ring holds: the guest's avail idx is at most QueueNum ahead. */
		FUZZ_CHECK(++taken <= dev.vq[q].size);
		check_chain(q, &c);
		if (retake && taken == 1)
			check_retake(q, &c);
		check_copies(&c);
		if (push)
			virtq_push(&dev, q, c.head, c.in_len);
	}
	virtio_interrupt(&dev);
}

static void fake_notify(struct virtio_dev *d, unsigned q)
{
	FUZZ_CHECK(d == &dev && q < d->nr_queues && d->vq[q].ready && virtio_running(d));
	drain(q, false);
}

static void fake_irq(void *opaque, bool level)
{
	FUZZ_CHECK(opaque == &irq_level);
	irq_level = level;
}

static const struct virtio_dev_ops fake_ops = { .notify = fake_notify };

static void dev_init(void)
{
	vm = (struct vm){ .ram_gpa = RAM_GPA, .ram_size = RAM_SIZE, .ram = ram };
	dev = (struct virtio_dev){
		.name = "virtio-fuzz",
		.device_id = VIRTIO_ID_RNG,
		.features = VIRTIO_BIT(0) | VIRTIO_BIT(5),
		.nr_queues = 2,
		.config_size = 6,
		.ops = &fake_ops,
		.set_irq = fake_irq,
		.irq_opaque = &irq_level,
	};
	dev.vq[0].size_max = VIRTQ_MAX_SIZE;
	dev.vq[1].size_max = 4;
	for (unsigned i = 0; i < dev.config_size; i++)
		dev.config[i] = (uint8_t)(0x10 + i);
	irq_level = true; /* virtio_init must lower it */
	virtio_init(&dev, BASE, &vm);
}

/* An edge the walk's checks compare against, give or take a few: where off-by-ones show. */
static uint64_t near(struct fuzz_in *in, uint64_t edge)
{
	return edge + (uint64_t)(int64_t)((int8_t)fuzz_u8(in) % 8);
}

static uint64_t area(struct fuzz_in *in, uint8_t flags)
{
	return (flags & F_RAW_GPA) ? fuzz_u64(in) : RAM_GPA + fuzz_u16(in);
}

/* QueueNum: the powers of 2 up to QueueNumMax, and a few that must be refused. */
static uint32_t queue_num(struct fuzz_in *in)
{
	uint8_t n = fuzz_u8(in) & 15;

	if (n <= 7)
		return 1U << n;
	if (n == 8)
		return 0;
	if (n == 9)
		return 6;
	if (n == 10)
		return 2 * VIRTQ_MAX_SIZE;
	return fuzz_u32(in);
}

/* A descriptor's length: small, an indirect table near its limit, near RAM's size, any. */
static uint32_t pick_len(struct fuzz_in *in)
{
	switch (fuzz_u8(in) % 4) {
	case 0:
		return fuzz_u8(in);
	case 1:
		return 16 * (uint32_t)near(in, VIRTQ_MAX_SIZE);
	case 2:
		return (uint32_t)near(in, RAM_SIZE);
	default:
		return fuzz_u32(in);
	}
}

/* A guest address: in RAM, ending near RAM's end, near its start, anywhere. */
static uint64_t pick_addr(struct fuzz_in *in, uint32_t len)
{
	switch (fuzz_u8(in) % 4) {
	case 0:
		return RAM_GPA + fuzz_u16(in) % RAM_SIZE;
	case 1:
		return near(in, RAM_GPA + RAM_SIZE - len);
	case 2:
		return near(in, RAM_GPA);
	default:
		return fuzz_u64(in);
	}
}

/* A ring or table index (head, next, avail idx): small, or near QueueNum. */
static uint16_t pick_index(struct fuzz_in *in, uint32_t num)
{
	uint8_t m = fuzz_u8(in);

	return (m & 1) ? (uint16_t)near(in, num) : m >> 1;
}

/* The queue and guest RAM as the input describes them, before the device sees any of it. */
struct plan {
	uint8_t flags;
	uint32_t num;
	uint64_t desc, avail, used;
	unsigned nr_writes, nr_rounds;
	uint16_t wr_off[8];
	uint32_t wr_val[8];
	uint8_t round_q[4];
	uint16_t round_idx[4];
};

/*
 * A patch of RAM over the image: a descriptor (of the ring's table or of any table) or a
 * ring field, with its numbers drawn toward the edges that plain bytes hardly ever hit.
 */
static void patch(struct fuzz_in *in, const struct plan *pl)
{
	uint8_t op = fuzz_u8(in), bytes[16];
	uint64_t gpa, addr;
	uint32_t len;
	unsigned n = 2;
	uint16_t v;

	switch (op % 3) {
	case 0:
		gpa = (op & 4) ? pick_addr(in, 16) : pl->desc;
		gpa += 16 * (uint64_t)pick_index(in, pl->num);
		len = pick_len(in);
		addr = pick_addr(in, len);
		memcpy(bytes, &addr, 8);
		memcpy(bytes + 8, &len, 4);
		bytes[12] = fuzz_u8(in);
		bytes[13] = 0;
		v = pick_index(in, pl->num);
		memcpy(bytes + 14, &v, 2);
		n = 16;
		break;
	case 1:
		gpa = pl->avail + 4 + 2 * (uint64_t)(fuzz_u8(in) % (pl->num ? pl->num : 1));
		v = pick_index(in, pl->num);
		memcpy(bytes, &v, 2);
		break;
	default:
		gpa = pl->avail + 2;
		v = pick_index(in, pl->num);
		memcpy(bytes, &v, 2);
	}
	if (gpa >= RAM_GPA && gpa - RAM_GPA <= RAM_SIZE - n)
		memcpy(ram + (gpa - RAM_GPA), bytes, n);
}

static void read_plan(struct fuzz_in *in, struct plan *pl)
{
	pl->flags = fuzz_u8(in);
	pl->num = queue_num(in);
	pl->desc = area(in, pl->flags);
	pl->avail = area(in, pl->flags);
	pl->used = area(in, pl->flags);
	pl->nr_writes = fuzz_u8(in) % 8;
	for (unsigned i = 0; i < pl->nr_writes; i++) {
		pl->wr_off[i] = fuzz_u16(in) % WINDOW;
		pl->wr_val[i] = fuzz_u32(in);
	}
	pl->nr_rounds = 1 + fuzz_u8(in) % 4;
	for (unsigned i = 0; i < pl->nr_rounds; i++) {
		pl->round_q[i] = fuzz_u8(in);
		pl->round_idx[i] = fuzz_u16(in);
	}
	copy_off = fuzz_u16(in);
	copy_len = fuzz_u16(in);
	push = pl->flags & F_PUSH;
}

/* The driver's side of virtio 1.2, 3.1.1, with what the plan says; then its extra writes. */
static void bring_up(const struct plan *pl)
{
	wr(R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(R_STATUS, ST_UP);
	wr(R_DRV_FEAT_SEL, 0);
	wr(R_DRV_FEAT, (pl->flags & F_INDIRECT) ? VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) : 0);
	wr(R_DRV_FEAT_SEL, 1);
	wr(R_DRV_FEAT, VIRTIO_BIT(VIRTIO_F_VERSION_1 - 32));
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK);
	wr(R_QUEUE_SEL, 0);
	wr(R_QUEUE_NUM, pl->num);
	wr64(R_DESC_LOW, pl->desc);
	wr64(R_DRIVER_LOW, pl->avail);
	wr64(R_DEVICE_LOW, pl->used);
	wr(R_QUEUE_READY, 1);
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	for (unsigned i = 0; i < pl->nr_writes; i++)
		wr(pl->wr_off[i] & ~3u, pl->wr_val[i]);
}

/*
 * What a register read returns is what the shadow page holds; past the largest config
 * space no read succeeds, and the page holds 0 (asked byte by byte only up to there: the
 * reads cost more than the rest of a run).
 */
static void check_shadow(void)
{
	const uint8_t *bytes = (const uint8_t *)shadow;
	uint64_t v;

	for (uint64_t off = 0; off < R_CONFIG; off += 4) {
		v = 0;
		FUZZ_CHECK(dev.mmio.read(dev.mmio.opaque, off, 4, &v) == 0);
		FUZZ_CHECK(shadow[off / 4] == (uint32_t)v);
	}
	for (uint64_t off = R_CONFIG; off < WINDOW; off++) {
		v = 0;
		if (off >= R_CONFIG + VIRTIO_CONFIG_MAX || dev.mmio.read(dev.mmio.opaque, off, 1, &v))
			v = 0;
		FUZZ_CHECK(bytes[off] == (uint8_t)v);
	}
}

/*
 * The input: the plan (flags, QueueNum, the three areas of queue 0, register writes after
 * the bring-up, rounds of taking chains, where in each chain and how much virtq_read and
 * virtq_write copy), patches, then guest RAM from its start. A round is a byte (the queue in
 * bits 1:0; bit 2: set the avail idx first, to the u16 that follows or, with bit 4, to a
 * few around last_avail + QueueNum; bit 3: take the first chain twice) and that u16.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fuzz_in patches;
	struct plan pl;
	unsigned nr_patches;

	if (!ram)
		ram = malloc(RAM_SIZE);
	read_plan(&in, &pl);
	nr_patches = fuzz_u8(&in) % 16;
	patches = in;
	for (unsigned i = 0; i < nr_patches; i++)
		patch(&in, &pl); /* to find where they end: the image overwrites these stores */
	memset(ram, 0, RAM_SIZE);
	memcpy(ram, in.p, in.n < RAM_SIZE ? in.n : RAM_SIZE);
	for (unsigned i = 0; i < nr_patches; i++)
		patch(&patches, &pl);

	dev_init();
	FUZZ_CHECK(!irq_level);
	if (pl.flags & F_SHADOW)
		virtio_shadow(&dev, shadow);
	bring_up(&pl);
	for (unsigned i = 0; i < pl.nr_rounds; i++) {
		unsigned q = (pl.round_q[i] & 3) % 3;
		uint16_t *idx = vm_gpa_ptr(&vm, pl.avail + 2, 2);
		uint16_t v = pl.round_idx[i];

		if (pl.round_q[i] & 16)
			v = (uint16_t)(dev.vq[0].last_avail + dev.vq[0].size + (int8_t)v % 8);
		if ((pl.round_q[i] & 4) && idx && pl.avail % 2 == 0)
			*idx = v;
		drain(q, pl.round_q[i] & 8);
	}
	FUZZ_CHECK(irq_level == (dev.interrupt_status != 0));
	if (pl.flags & F_SHADOW)
		check_shadow();
	return 0;
}
