// SPDX-License-Identifier: BSD-2-Clause
/*
 * Host tests of the virtio-mmio transport and split virtqueues, with a fake device model,
 * and of virtio-blk's bound on what one request copies from the embedded disk.
 */
#include <string.h>

#include "dev_access.h"
#include "vdev.h"

#define BASE     0x10001000ULL
#define RAM_GPA  0x80000000ULL
#define RAM_SIZE 0x10000ULL
#define QSZ      8 /* queue 0's size in most tests */

/* Guest-physical layout of the rings and buffers the tests build. */
#define DESC  (RAM_GPA + 0x1000)
#define AVAIL (RAM_GPA + 0x2000)
#define USED  (RAM_GPA + 0x3000)
#define DESC1 (RAM_GPA + 0x3800) /* queue 1 (size 4) */
#define AVAIL1 (RAM_GPA + 0x3900)
#define USED1 (RAM_GPA + 0x3a00)
#define IND   (RAM_GPA + 0x4000)
#define IND2  (RAM_GPA + 0x5000)
#define BUF   (RAM_GPA + 0x8000)

/* Register offsets (virtio 1.2, 4.2.2). */
#define R_MAGIC        0x000
#define R_VERSION      0x004
#define R_DEVICE_ID    0x008
#define R_VENDOR_ID    0x00c
#define R_DEV_FEAT     0x010
#define R_DEV_FEAT_SEL 0x014
#define R_DRV_FEAT     0x020
#define R_DRV_FEAT_SEL 0x024
#define R_QUEUE_SEL    0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM    0x038
#define R_QUEUE_READY  0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS   0x060
#define R_INT_ACK      0x064
#define R_STATUS       0x070
#define R_DESC_LOW     0x080
#define R_DESC_HIGH    0x084
#define R_DRIVER_LOW   0x090
#define R_DRIVER_HIGH  0x094
#define R_DEVICE_LOW   0x0a0
#define R_DEVICE_HIGH  0x0a4
#define R_SHM_SEL      0x0ac
#define R_SHM_LEN_LOW  0x0b0
#define R_SHM_LEN_HIGH 0x0b4
#define R_SHM_BASE_LOW 0x0b8
#define R_SHM_BASE_HIGH 0x0bc
#define R_QUEUE_RESET  0x0c0
#define R_CONFIG_GEN   0x0fc
#define R_CONFIG       0x100

#define ST_UP (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER)
#define FEAT_DEV (VIRTIO_BIT(0) | VIRTIO_BIT(5))
#define FEAT_ALL                                                                           \
	(VIRTIO_BIT(0) | VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC))

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));

#include "guest_ram.h"
static struct vm vm;
static struct virtio_dev dev;
/* The device the register accesses below go to: dev, unless a model's test says otherwise. */
static struct virtio_dev *cur = &dev;

/* What the device model was told. */
static struct {
	unsigned notify[VIRTIO_MAX_QUEUES];
	unsigned resets;
	unsigned irq_calls;
	bool irq;
	bool serve; /* notify pops every chain and pushes it back with its in_len */
	unsigned served;
} fake;

static void fake_notify(struct virtio_dev *d, unsigned q)
{
	struct virtq_chain c;

	CHECK(d == &dev);
	CHECK(q < d->nr_queues);
	if (q >= VIRTIO_MAX_QUEUES)
		return;
	fake.notify[q]++;
	if (!fake.serve)
		return;
	while (virtq_pop(d, q, &c) == 1) {
		virtq_push(d, q, c.head, c.in_len);
		fake.served++;
	}
	virtio_interrupt(d);
}

static void fake_reset(struct virtio_dev *d)
{
	CHECK(d == &dev);
	fake.resets++;
}

static void fake_irq(void *opaque, bool level)
{
	CHECK(opaque == &fake);
	fake.irq = level;
	fake.irq_calls++;
}

static const struct virtio_dev_ops fake_ops = {
	.notify = fake_notify,
	.reset = fake_reset,
};

static void put16(uint64_t gpa, uint16_t v)
{
	memcpy(g(gpa), &v, 2);
}

/* Makes chain `head` available on queue 0 (entry, then idx). */
static void avail_add(uint16_t head)
{
	uint16_t idx = get16(AVAIL + 2);

	put16(AVAIL + 4 + 2 * (idx % QSZ), head);
	put16(AVAIL + 2, idx + 1);
}

/* The accesses of dev_access.h, on dev.mmio. */
#define rdw(off, width, val) dev_read(&cur->mmio, off, width, val)
#define wrw(off, width, val) dev_write(&cur->mmio, off, width, val)
#define rd(off)              dev_read32(&cur->mmio, off)
#define wr(off, val)         dev_write32(&cur->mmio, off, val)

/* A fresh device: two queues (8 and 4 entries), 6 config bytes, zeroed guest RAM. */
static void setup(void)
{
	unsigned i;

	memset(ram, 0, sizeof(ram));
	memset(&fake, 0, sizeof(fake));
	vm = (struct vm){ .ram_gpa = RAM_GPA, .ram_size = RAM_SIZE, .ram = ram };
	dev = (struct virtio_dev){
		.name = "virtio-test",
		.device_id = VIRTIO_ID_RNG,
		/* bit 34 (RING_PACKED) belongs to the transport: it must not be offered */
		.features = FEAT_DEV | VIRTIO_BIT(34),
		.nr_queues = 2,
		.config_size = 6,
		.ops = &fake_ops,
		.set_irq = fake_irq,
		.irq_opaque = &fake,
	};
	dev.vq[0].size_max = QSZ;
	dev.vq[1].size_max = 4;
	for (i = 0; i < 8; i++)
		dev.config[i] = 0x10 + i;
	virtio_init(&dev, BASE, &vm);
	cur = &dev;
	fake.irq_calls = 0;
}

static void negotiate(uint64_t feat)
{
	wr(R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(R_STATUS, ST_UP);
	wr(R_DRV_FEAT_SEL, 0);
	wr(R_DRV_FEAT, (uint32_t)feat);
	wr(R_DRV_FEAT_SEL, 1);
	wr(R_DRV_FEAT, (uint32_t)(feat >> 32));
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK);
}

static void queue_setup(unsigned q, uint32_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
	wr(R_QUEUE_SEL, q);
	wr(R_QUEUE_NUM, num);
	wr(R_DESC_LOW, (uint32_t)desc);
	wr(R_DESC_HIGH, (uint32_t)(desc >> 32));
	wr(R_DRIVER_LOW, (uint32_t)avail);
	wr(R_DRIVER_HIGH, (uint32_t)(avail >> 32));
	wr(R_DEVICE_LOW, (uint32_t)used);
	wr(R_DEVICE_HIGH, (uint32_t)(used >> 32));
	wr(R_QUEUE_READY, 1);
}

/* Reset by the driver, then features `feat`, queue 0 (QSZ entries) and DRIVER_OK. */
static void bring_up(uint64_t feat)
{
	wr(R_STATUS, 0);
	memset(ram, 0, sizeof(ram));
	negotiate(feat);
	CHECK_EQ(rd(R_STATUS), ST_UP | VIRTIO_STATUS_FEATURES_OK);
	queue_setup(0, QSZ, DESC, AVAIL, USED);
	CHECK_EQ(rd(R_QUEUE_READY), 1);
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK(virtio_running(cur));
	memset(fake.notify, 0, sizeof(fake.notify));
	fake.resets = fake.irq_calls = 0;
}

static bool needs_reset(void)
{
	return rd(R_STATUS) & VIRTIO_STATUS_NEEDS_RESET;
}

/* ---- register file ---- */

static void t_virtio_identity(void)
{
	setup();
	CHECK_EQ(dev.mmio.base, BASE);
	CHECK_EQ(dev.mmio.size, 0x1000);
	CHECK(dev.mmio.opaque == &dev);
	CHECK(dev.vm == &vm);
	CHECK_EQ(rd(R_MAGIC), 0x74726976);
	CHECK_EQ(rd(R_VERSION), 2);
	CHECK_EQ(rd(R_DEVICE_ID), VIRTIO_ID_RNG);
	CHECK_EQ(rd(R_VENDOR_ID), 0x44564300);
	CHECK_EQ(rd(R_STATUS), 0);
	CHECK_EQ(rd(R_INT_STATUS), 0);
	CHECK_EQ(rd(R_CONFIG_GEN), 0);
	CHECK_EQ(rd(R_QUEUE_NUM_MAX), QSZ); /* QueueSel starts at 0 */
	wr(R_QUEUE_SEL, 1);
	CHECK_EQ(rd(R_QUEUE_NUM_MAX), 4);
	wr(R_QUEUE_SEL, 2);
	CHECK_EQ(rd(R_QUEUE_NUM_MAX), 0);
	CHECK_EQ(rd(R_QUEUE_READY), 0);
	wr(R_SHM_SEL, 0);
	CHECK_EQ(rd(R_SHM_LEN_LOW), 0xffffffff);
	CHECK_EQ(rd(R_SHM_LEN_HIGH), 0xffffffff);
	CHECK_EQ(rd(R_SHM_BASE_LOW), 0xffffffff);
	CHECK_EQ(rd(R_SHM_BASE_HIGH), 0xffffffff);
	CHECK_EQ(rd(R_QUEUE_RESET), 0);
	CHECK_EQ(rd(0x0f8), 0); /* reserved */
	/* read-only registers ignore writes */
	wr(R_MAGIC, 0);
	wr(R_DEVICE_ID, 7);
	wr(R_INT_STATUS, 3);
	CHECK_EQ(rd(R_MAGIC), 0x74726976);
	CHECK_EQ(rd(R_DEVICE_ID), VIRTIO_ID_RNG);
	CHECK_EQ(rd(R_INT_STATUS), 0);
}

/* Values past the limits of virtio.h are clamped by virtio_init. */
static void t_virtio_init_clamps(void)
{
	setup();
	dev.nr_queues = 5;
	dev.vq[0].size_max = 1024;
	dev.config_size = 1000;
	virtio_init(&dev, BASE, &vm);
	CHECK_EQ(dev.nr_queues, VIRTIO_MAX_QUEUES);
	CHECK_EQ(rd(R_QUEUE_NUM_MAX), VIRTQ_MAX_SIZE);
	CHECK_EQ(dev.config_size, VIRTIO_CONFIG_MAX);
	CHECK_EQ(dev.vq[0].size, VIRTQ_MAX_SIZE);
}

static void t_virtio_device_features(void)
{
	setup();
	wr(R_DEV_FEAT_SEL, 0);
	CHECK_EQ(rd(R_DEV_FEAT), FEAT_DEV | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC));
	wr(R_DEV_FEAT_SEL, 1);
	CHECK_EQ(rd(R_DEV_FEAT), VIRTIO_BIT(VIRTIO_F_VERSION_1 - 32)); /* not bit 34 */
	wr(R_DEV_FEAT_SEL, 2);
	CHECK_EQ(rd(R_DEV_FEAT), 0);
}

static void t_virtio_negotiate(void)
{
	setup();
	negotiate(VIRTIO_BIT(5) | VIRTIO_BIT(VIRTIO_F_VERSION_1));
	CHECK_EQ(rd(R_STATUS), ST_UP | VIRTIO_STATUS_FEATURES_OK);
	CHECK_EQ(dev.driver_features, VIRTIO_BIT(5) | VIRTIO_BIT(VIRTIO_F_VERSION_1));
	CHECK(virtio_has(&dev, 5));
	CHECK(virtio_has(&dev, VIRTIO_F_VERSION_1));
	CHECK(!virtio_has(&dev, 0));
	CHECK(!virtio_has(&dev, VIRTIO_F_INDIRECT_DESC));
	CHECK(!virtio_running(&dev));
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK(virtio_running(cur));
	CHECK_EQ(rd(R_STATUS), ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* FEATURES_OK is not kept for a set without VERSION_1 or with bits not offered (2.2.2). */
static void t_virtio_features_refused(void)
{
	static const uint64_t bad[] = {
		VIRTIO_BIT(0),                                     /* no VERSION_1 */
		VIRTIO_BIT(1) | VIRTIO_BIT(VIRTIO_F_VERSION_1),    /* bit 1 not offered */
		VIRTIO_BIT(34) | VIRTIO_BIT(VIRTIO_F_VERSION_1),   /* transport bit not offered */
		VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(VIRTIO_F_VERSION_1),
		VIRTIO_BIT(63) | VIRTIO_BIT(VIRTIO_F_VERSION_1),
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup();
		negotiate(bad[i]);
		CHECK_EQ(rd(R_STATUS), ST_UP);
		/* DRIVER_OK without FEATURES_OK is not taken either */
		wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
		CHECK_EQ(rd(R_STATUS), ST_UP);
		CHECK(!virtio_running(&dev));
		/* the driver may still try an acceptable set */
		negotiate(VIRTIO_BIT(VIRTIO_F_VERSION_1));
		CHECK_EQ(rd(R_STATUS), ST_UP | VIRTIO_STATUS_FEATURES_OK);
	}
}

static void t_virtio_features_locked(void)
{
	setup();
	negotiate(FEAT_ALL);
	CHECK_EQ(rd(R_STATUS) & VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_FEATURES_OK);
	wr(R_DRV_FEAT_SEL, 0);
	wr(R_DRV_FEAT, 0);
	wr(R_DRV_FEAT_SEL, 1);
	wr(R_DRV_FEAT, 0);
	CHECK_EQ(dev.driver_features, FEAT_ALL);
	/* status bits accumulate: a write without FEATURES_OK does not clear it */
	wr(R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	CHECK_EQ(rd(R_STATUS), ST_UP | VIRTIO_STATUS_FEATURES_OK);
	/* the driver cannot set NEEDS_RESET */
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_NEEDS_RESET);
	CHECK_EQ(rd(R_STATUS), ST_UP | VIRTIO_STATUS_FEATURES_OK);
	/* FAILED stops the device */
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK |
			     VIRTIO_STATUS_FAILED);
	CHECK(!virtio_running(&dev));
}

static void t_virtio_queue_setup(void)
{
	setup();
	negotiate(FEAT_ALL);
	queue_setup(0, QSZ, DESC + (1ULL << 32), AVAIL, USED); /* high halves are used */
	CHECK(needs_reset());
	wr(R_STATUS, 0);
	negotiate(FEAT_ALL);
	queue_setup(0, QSZ, DESC, AVAIL, USED);
	CHECK_EQ(rd(R_QUEUE_READY), 1);
	CHECK(dev.vq[0].ready);
	CHECK_EQ(dev.vq[0].size, QSZ);
	CHECK_EQ(dev.vq[0].desc_gpa, DESC);
	CHECK_EQ(dev.vq[0].avail_gpa, AVAIL);
	CHECK_EQ(dev.vq[0].used_gpa, USED);
	/* writes to a ready queue's registers are ignored */
	wr(R_QUEUE_NUM, 2);
	wr(R_DESC_LOW, (uint32_t)IND);
	wr(R_DRIVER_HIGH, 1);
	wr(R_DEVICE_LOW, 0);
	CHECK_EQ(dev.vq[0].size, QSZ);
	CHECK_EQ(dev.vq[0].desc_gpa, DESC);
	CHECK_EQ(dev.vq[0].avail_gpa, AVAIL);
	CHECK_EQ(dev.vq[0].used_gpa, USED);
	/* a smaller size on queue 1 */
	queue_setup(1, 2, DESC1, AVAIL1, USED1);
	CHECK_EQ(rd(R_QUEUE_READY), 1);
	CHECK_EQ(dev.vq[1].size, 2);
	wr(R_QUEUE_SEL, 0);
	CHECK_EQ(rd(R_QUEUE_READY), 1);
	/* the driver stops using queue 0, then may change it */
	dev.vq[0].last_avail = 3;
	dev.vq[0].used_idx = 2;
	wr(R_QUEUE_READY, 0);
	CHECK_EQ(rd(R_QUEUE_READY), 0);
	wr(R_QUEUE_NUM, 4);
	CHECK_EQ(dev.vq[0].size, 4);
	/* enabled again, it starts on fresh rings */
	wr(R_QUEUE_READY, 1);
	CHECK_EQ(rd(R_QUEUE_READY), 1);
	CHECK_EQ(dev.vq[0].last_avail, 0);
	CHECK_EQ(dev.vq[0].used_idx, 0);
	/* a queue that does not exist: nothing to set, nothing fails */
	wr(R_QUEUE_SEL, 2);
	queue_setup(2, 4, DESC, AVAIL, USED);
	CHECK_EQ(rd(R_QUEUE_READY), 0);
	CHECK(!needs_reset());
	CHECK_EQ(dev.interrupt_status, 0);
}

/* Each bad layout: NEEDS_RESET with a configuration interrupt, the queue not ready. */
static void t_virtio_queue_setup_invalid(void)
{
	static const struct {
		uint32_t num;
		uint64_t desc, avail, used;
	} bad[] = {
		{ 0, DESC, AVAIL, USED },
		{ 3, DESC, AVAIL, USED },
		{ 6, DESC, AVAIL, USED },
		{ 16, DESC, AVAIL, USED },              /* above QueueNumMax */
		{ QSZ, DESC + 8, AVAIL, USED },         /* alignment 16 */
		{ QSZ, DESC, AVAIL + 1, USED },         /* alignment 2 */
		{ QSZ, DESC, AVAIL, USED + 2 },         /* alignment 4 */
		{ QSZ, 0x1000, AVAIL, USED },           /* below RAM */
		{ QSZ, RAM_GPA + RAM_SIZE - 0x70, AVAIL, USED },    /* 128 bytes, past the end */
		{ QSZ, DESC, RAM_GPA + RAM_SIZE - 0x14, USED },     /* 22 bytes, past the end */
		{ QSZ, DESC, AVAIL, RAM_GPA + RAM_SIZE - 0x40 },    /* 70 bytes, past the end */
		{ QSZ, DESC, AVAIL, RAM_GPA + RAM_SIZE },
		{ QSZ, 0xfffffffffffffff0ULL, AVAIL, USED },        /* wraps */
	};
	unsigned i;
	int before;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		before = unit_failed_checks;
		setup();
		negotiate(FEAT_ALL);
		queue_setup(0, bad[i].num, bad[i].desc, bad[i].avail, bad[i].used);
		CHECK_EQ(rd(R_QUEUE_READY), 0);
		CHECK(!dev.vq[0].ready);
		CHECK(needs_reset());
		CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_CONFIG);
		CHECK(fake.irq);
		CHECK_EQ(vm.warnings, 1);
		if (unit_failed_checks != before)
			printf("  in bad layout %u\n", i);
	}
	/* fine: areas ending at the end of RAM (the used ring 2 bytes short: its alignment) */
	setup();
	negotiate(FEAT_ALL);
	queue_setup(0, QSZ, RAM_GPA + RAM_SIZE - 0x80, RAM_GPA + RAM_SIZE - 22,
		    RAM_GPA + RAM_SIZE - 72);
	CHECK_EQ(rd(R_QUEUE_READY), 1);
	CHECK(!needs_reset());
}

static void t_virtio_bad_widths(void)
{
	uint64_t v;

	setup();
	CHECK_EQ(rdw(R_MAGIC, 1, &v), -1);
	CHECK_EQ(rdw(R_MAGIC, 2, &v), -1);
	CHECK_EQ(rdw(R_MAGIC, 8, &v), -1);
	CHECK_EQ(rdw(R_MAGIC + 2, 4, &v), -1);
	CHECK_EQ(rdw(R_STATUS + 1, 1, &v), -1);
	CHECK_EQ(rdw(R_CONFIG_GEN, 8, &v), -1);
	CHECK_EQ(wrw(R_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE), -1);
	CHECK_EQ(wrw(R_STATUS, 2, VIRTIO_STATUS_ACKNOWLEDGE), -1);
	CHECK_EQ(wrw(R_STATUS, 8, VIRTIO_STATUS_ACKNOWLEDGE), -1);
	CHECK_EQ(wrw(R_STATUS + 2, 4, VIRTIO_STATUS_ACKNOWLEDGE), -1);
	CHECK_EQ(rd(R_STATUS), 0); /* none of them took effect */
	/* config space: 8-byte, misaligned and out-of-range accesses */
	CHECK_EQ(rdw(R_CONFIG, 8, &v), -1);
	CHECK_EQ(rdw(R_CONFIG + 1, 2, &v), -1);
	CHECK_EQ(rdw(R_CONFIG + 2, 4, &v), -1);
	CHECK_EQ(rdw(R_CONFIG + 6, 1, &v), -1); /* config_size is 6 */
	CHECK_EQ(rdw(R_CONFIG + 4, 4, &v), -1); /* aligned, but crosses the end */
	CHECK_EQ(rdw(R_CONFIG + 6, 2, &v), -1);
	CHECK_EQ(rdw(R_CONFIG + 3, 4, &v), -1);
	CHECK_EQ(rdw(0xffc, 4, &v), -1);
	CHECK_EQ(wrw(R_CONFIG, 8, 0), -1);
	CHECK_EQ(wrw(R_CONFIG + 6, 1, 0), -1);
	CHECK_EQ(wrw(R_CONFIG + 4, 4, 0), -1);
	CHECK_EQ(wrw(R_CONFIG + 1, 2, 0), -1);
}

static void t_virtio_config(void)
{
	uint64_t v;

	setup();
	CHECK_EQ(rdw(R_CONFIG, 1, &v), 0);
	CHECK_EQ(v, 0x10);
	CHECK_EQ(rdw(R_CONFIG + 5, 1, &v), 0);
	CHECK_EQ(v, 0x15);
	CHECK_EQ(rdw(R_CONFIG + 2, 2, &v), 0);
	CHECK_EQ(v, 0x1312);
	CHECK_EQ(rdw(R_CONFIG + 4, 2, &v), 0);
	CHECK_EQ(v, 0x1514);
	CHECK_EQ(rdw(R_CONFIG, 4, &v), 0);
	CHECK_EQ(v, 0x13121110);
	/* writes are accepted and ignored */
	CHECK_EQ(wrw(R_CONFIG, 4, 0xffffffff), 0);
	CHECK_EQ(wrw(R_CONFIG + 5, 1, 0), 0);
	CHECK_EQ(rdw(R_CONFIG, 4, &v), 0);
	CHECK_EQ(v, 0x13121110);
	CHECK_EQ(dev.config[5], 0x15);
	/* a change: new generation and a configuration interrupt */
	dev.config[0] = 0x99;
	virtio_config_changed(&dev);
	CHECK_EQ(rd(R_CONFIG_GEN), 1);
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_CONFIG);
	CHECK(fake.irq);
	CHECK_EQ(rdw(R_CONFIG, 1, &v), 0);
	CHECK_EQ(v, 0x99);
	wr(R_INT_ACK, VIRTIO_INT_CONFIG);
	CHECK_EQ(rd(R_INT_STATUS), 0);
	CHECK(!fake.irq);
	/* the generation survives a reset: a driver compares it across reads */
	wr(R_STATUS, 0);
	CHECK_EQ(rd(R_CONFIG_GEN), 1);
}

static void t_virtio_reset(void)
{
	setup();
	bring_up(FEAT_ALL);
	queue_setup(1, 4, DESC1, AVAIL1, USED1);
	wr(R_DEV_FEAT_SEL, 1);
	wr(R_QUEUE_SEL, 1);
	dev.vq[0].last_avail = 5;
	dev.vq[0].used_idx = 3;
	virtio_interrupt(&dev);
	virtio_config_changed(&dev);
	CHECK(fake.irq);
	wr(R_STATUS, 0);
	CHECK_EQ(fake.resets, 1);
	CHECK(!fake.irq);
	CHECK_EQ(rd(R_STATUS), 0);
	CHECK_EQ(rd(R_INT_STATUS), 0);
	CHECK_EQ(dev.driver_features, 0);
	CHECK_EQ(dev.dev_features_sel, 0);
	CHECK_EQ(dev.queue_sel, 0);
	CHECK_EQ(rd(R_QUEUE_READY), 0);
	wr(R_QUEUE_SEL, 1);
	CHECK_EQ(rd(R_QUEUE_READY), 0);
	for (unsigned q = 0; q < 2; q++) {
		CHECK(!dev.vq[q].ready);
		CHECK_EQ(dev.vq[q].size, dev.vq[q].size_max);
		CHECK_EQ(dev.vq[q].desc_gpa, 0);
		CHECK_EQ(dev.vq[q].avail_gpa, 0);
		CHECK_EQ(dev.vq[q].used_gpa, 0);
		CHECK_EQ(dev.vq[q].last_avail, 0);
		CHECK_EQ(dev.vq[q].used_idx, 0);
	}
	CHECK(!virtio_running(&dev));
	/* features may be negotiated again */
	negotiate(FEAT_ALL);
	CHECK_EQ(rd(R_STATUS), ST_UP | VIRTIO_STATUS_FEATURES_OK);
	/* virtio_reset (e.g. a VM reboot) is the same reset */
	bring_up(FEAT_ALL);
	virtio_interrupt(&dev);
	virtio_reset(&dev);
	CHECK_EQ(fake.resets, 1);
	CHECK(!fake.irq);
	CHECK_EQ(rd(R_STATUS), 0);
	CHECK_EQ(rd(R_INT_STATUS), 0);
	CHECK(!dev.vq[0].ready);
	CHECK_EQ(dev.driver_features, 0);
}

static void t_virtio_notify(void)
{
	setup();
	negotiate(FEAT_ALL);
	queue_setup(0, QSZ, DESC, AVAIL, USED);
	wr(R_QUEUE_NOTIFY, 0); /* before DRIVER_OK */
	CHECK_EQ(fake.notify[0], 0);
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK_EQ(fake.notify[0], 1); /* DRIVER_OK: every ready queue */
	CHECK_EQ(fake.notify[1], 0);
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK_EQ(fake.notify[0], 1); /* only when DRIVER_OK is newly set */
	wr(R_QUEUE_NOTIFY, 0);
	CHECK_EQ(fake.notify[0], 2);
	wr(R_QUEUE_NOTIFY, 1); /* not ready */
	wr(R_QUEUE_NOTIFY, 2); /* no such queue */
	wr(R_QUEUE_NOTIFY, 0x10000);
	CHECK_EQ(fake.notify[0], 2);
	CHECK_EQ(fake.notify[1], 0);
	virtio_fail(&dev, "test");
	wr(R_QUEUE_NOTIFY, 0);
	CHECK_EQ(fake.notify[0], 2);
}

/* A chain made available before DRIVER_OK is served when DRIVER_OK comes. */
static void t_virtio_driver_ok_serves(void)
{
	setup();
	fake.serve = true;
	negotiate(FEAT_ALL);
	queue_setup(0, QSZ, DESC, AVAIL, USED);
	put_desc(DESC, 3, BUF, 64, VIRTQ_DESC_F_WRITE, 0);
	avail_add(3);
	CHECK_EQ(fake.served, 0);
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK_EQ(fake.served, 1);
	CHECK_EQ(get16(USED + 2), 1);
	CHECK_EQ(get32(USED + 4), 3);
	CHECK_EQ(get32(USED + 8), 64);
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_USED);
	CHECK(fake.irq);
}

static void t_virtio_interrupt_line(void)
{
	setup();
	bring_up(FEAT_ALL);
	virtio_interrupt(&dev);
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_USED);
	CHECK(fake.irq);
	CHECK_EQ(fake.irq_calls, 1);
	virtio_interrupt(&dev); /* the line is already up: no call */
	CHECK_EQ(fake.irq_calls, 1);
	virtio_config_changed(&dev);
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_USED | VIRTIO_INT_CONFIG);
	wr(R_INT_ACK, VIRTIO_INT_CONFIG);
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_USED);
	CHECK(fake.irq);
	wr(R_INT_ACK, 0xfffffffe & ~VIRTIO_INT_CONFIG); /* undefined bits: nothing */
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_USED);
	wr(R_INT_ACK, VIRTIO_INT_USED);
	CHECK_EQ(rd(R_INT_STATUS), 0);
	CHECK(!fake.irq);
	CHECK_EQ(fake.irq_calls, 2);
}

/* VIRTQ_AVAIL_F_NO_INTERRUPT: skipped only when every ready queue asks for it. */
static void t_virtio_no_interrupt(void)
{
	setup();
	bring_up(FEAT_ALL);
	put16(AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
	virtio_interrupt(&dev);
	CHECK_EQ(rd(R_INT_STATUS), 0);
	CHECK(!fake.irq);
	queue_setup(1, 4, DESC1, AVAIL1, USED1); /* its flags are 0 */
	virtio_interrupt(&dev);
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_USED);
	CHECK(fake.irq);
	wr(R_INT_ACK, VIRTIO_INT_USED);
	put16(AVAIL1, VIRTQ_AVAIL_F_NO_INTERRUPT);
	virtio_interrupt(&dev);
	CHECK_EQ(rd(R_INT_STATUS), 0);
	put16(AVAIL, 0);
	virtio_interrupt(&dev);
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_USED);
}

/* ---- chains ---- */

/* c's head, its segments, the device-readable ones and the bytes each way. */
static void check_chain(const struct virtq_chain *c, unsigned head, unsigned nr, unsigned nr_out,
			uint32_t out_len, uint32_t in_len)
{
	CHECK_EQ(c->head, head);
	CHECK_EQ(c->nr, nr);
	CHECK_EQ(c->nr_out, nr_out);
	CHECK_EQ(c->out_len, out_len);
	CHECK_EQ(c->in_len, in_len);
}

static void check_seg(const struct virtq_seg *seg, uint64_t gpa, uint32_t len, bool write)
{
	CHECK_EQ(seg->gpa, gpa);
	CHECK_EQ(seg->len, len);
	CHECK(seg->write == write);
}

static void t_virtq_direct_chain(void)
{
	struct virtq_chain c;

	setup();
	bring_up(FEAT_ALL);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 0);
	/* out 16 at desc 5, in 32 at desc 2, in 8 at desc 7 */
	put_desc(DESC, 5, BUF, 16, VIRTQ_DESC_F_NEXT, 2);
	put_desc(DESC, 2, BUF + 0x100, 32, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 7);
	put_desc(DESC, 7, BUF + 0x200, 8, VIRTQ_DESC_F_WRITE, 1); /* next unused without NEXT */
	avail_add(5);
	put_desc(DESC, 0, BUF + 0x300, 4, 0, 0);
	avail_add(0);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	check_chain(&c, 5, 3, 1, 16, 40);
	check_seg(&c.seg[0], BUF, 16, false);
	check_seg(&c.seg[1], BUF + 0x100, 32, true);
	check_seg(&c.seg[2], BUF + 0x200, 8, true);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.head, 0);
	CHECK_EQ(c.nr, 1);
	CHECK_EQ(c.nr_out, 1);
	CHECK_EQ(c.in_len, 0);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 0);
	/* used ring: in the order pushed, idx after */
	virtq_push(&dev, 0, 0, 0);
	virtq_push(&dev, 0, 5, 40);
	CHECK_EQ(get16(USED + 2), 2);
	CHECK_EQ(get16(USED), 0); /* flags untouched */
	CHECK_EQ(get32(USED + 4), 0);
	CHECK_EQ(get32(USED + 8), 0);
	CHECK_EQ(get32(USED + 12), 5);
	CHECK_EQ(get32(USED + 16), 40);
	CHECK_EQ(dev.vq[0].used_idx, 2);
	CHECK(!fake.irq);
	virtio_interrupt(&dev);
	CHECK(fake.irq);
	CHECK(!needs_reset());
}

/* A chain exactly as long as the queue, and one of VIRTQ_MAX_SIZE via an indirect table. */
static void t_virtq_longest_chains(void)
{
	struct virtq_chain c;
	unsigned i;

	setup();
	bring_up(FEAT_ALL);
	for (i = 0; i < QSZ; i++)
		put_desc(DESC, i, BUF + i, 1, i + 1 < QSZ ? VIRTQ_DESC_F_NEXT : 0, i + 1);
	avail_add(0);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.nr, QSZ);
	CHECK_EQ(c.out_len, QSZ);
	put_desc(DESC, 1, IND, 16 * VIRTQ_MAX_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
	for (i = 0; i < VIRTQ_MAX_SIZE; i++)
		put_desc(IND, i, BUF, 2, VIRTQ_DESC_F_WRITE | (i + 1 < VIRTQ_MAX_SIZE ? VIRTQ_DESC_F_NEXT : 0),
			 i + 1);
	avail_add(1);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.nr, VIRTQ_MAX_SIZE);
	CHECK_EQ(c.nr_out, 0);
	CHECK_EQ(c.in_len, 2 * VIRTQ_MAX_SIZE);
	CHECK(!needs_reset());
}

static void t_virtq_indirect_chain(void)
{
	struct virtq_chain c;

	setup();
	bring_up(FEAT_ALL);
	/* a lone indirect descriptor (its WRITE flag means nothing): table 0 -> 2 -> 1 */
	put_desc(DESC, 4, IND, 48, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_WRITE, 0);
	put_desc(IND, 0, BUF, 10, VIRTQ_DESC_F_NEXT, 2);
	put_desc(IND, 2, BUF + 0x100, 20, VIRTQ_DESC_F_NEXT, 1);
	put_desc(IND, 1, BUF + 0x200, 30, VIRTQ_DESC_F_WRITE, 0);
	avail_add(4);
	/* direct descriptors, then one naming a table */
	put_desc(DESC, 6, BUF + 0x300, 5, VIRTQ_DESC_F_NEXT, 3);
	put_desc(DESC, 3, IND2, 16, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND2, 0, BUF + 0x400, 7, VIRTQ_DESC_F_WRITE, 0);
	avail_add(6);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.head, 4);
	CHECK_EQ(c.nr, 3);
	CHECK_EQ(c.nr_out, 2);
	CHECK_EQ(c.out_len, 30);
	CHECK_EQ(c.in_len, 30);
	CHECK_EQ(c.seg[0].gpa, BUF);
	CHECK_EQ(c.seg[1].gpa, BUF + 0x100);
	CHECK_EQ(c.seg[2].gpa, BUF + 0x200);
	CHECK(c.seg[2].write);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.head, 6);
	CHECK_EQ(c.nr, 2);
	CHECK_EQ(c.nr_out, 1);
	CHECK_EQ(c.seg[0].gpa, BUF + 0x300);
	CHECK_EQ(c.seg[1].gpa, BUF + 0x400);
	CHECK_EQ(c.seg[1].len, 7);
	CHECK(c.seg[1].write);
	CHECK(!needs_reset());
}

/* An indirect table need not be 8-byte aligned: table 0 -> 2 -> 1 at IND + 4. */
static void t_virtq_indirect_misaligned(void)
{
	struct virtq_chain c;

	setup();
	bring_up(FEAT_ALL);
	put_desc(DESC, 3, IND + 4, 48, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND + 4, 0, BUF, 16, VIRTQ_DESC_F_NEXT, 2);
	put_desc(IND + 4, 2, BUF + 0x100, 0x1234, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	put_desc(IND + 4, 1, BUF + 0x2000, 1, VIRTQ_DESC_F_WRITE, 0);
	avail_add(3);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	check_chain(&c, 3, 3, 1, 16, 0x1235);
	check_seg(&c.seg[0], BUF, 16, false);
	check_seg(&c.seg[1], BUF + 0x100, 0x1234, true);
	check_seg(&c.seg[2], BUF + 0x2000, 1, true);
	CHECK(!needs_reset());
}

/* The 16-bit indices wrap at 65536; ring slots are taken modulo the queue size. */
static void t_virtq_index_wrap(void)
{
	struct virtq_chain c;
	unsigned i;

	setup();
	bring_up(FEAT_ALL);
	dev.vq[0].last_avail = dev.vq[0].used_idx = 0xfffe;
	put16(AVAIL + 2, 0xfffe);
	put16(USED + 2, 0xfffe);
	for (i = 0; i < 3; i++) {
		put_desc(DESC, i, BUF + i, 1, VIRTQ_DESC_F_WRITE, 0);
		avail_add(i);
	}
	CHECK_EQ(get16(AVAIL + 2), 1);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
		CHECK_EQ(c.head, i);
		virtq_push(&dev, 0, c.head, i + 1);
	}
	CHECK_EQ(virtq_pop(&dev, 0, &c), 0);
	CHECK_EQ(get16(USED + 2), 1);
	CHECK_EQ(get32(USED + 4 + 8 * 6), 0); /* slot 0xfffe % 8 */
	CHECK_EQ(get32(USED + 4 + 8 * 7), 1);
	CHECK_EQ(get32(USED + 4 + 8 * 0), 2);
	CHECK_EQ(get32(USED + 4 + 8 * 0 + 4), 3);
	/* a full ring across the wrap is fine too: QSZ ahead */
	for (i = 0; i < QSZ; i++)
		avail_add(i % 3);
	for (i = 0; i < QSZ; i++)
		CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK(!needs_reset());
}

static void t_virtq_unpop(void)
{
	struct virtq_chain c;

	setup();
	bring_up(FEAT_ALL);
	put_desc(DESC, 2, BUF, 4, 0, 0);
	put_desc(DESC, 3, BUF, 4, 0, 0);
	avail_add(2);
	avail_add(3);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.head, 2);
	virtq_unpop(&dev, 0);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.head, 2);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.head, 3);
	virtq_unpop(&dev, 0);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.head, 3);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 0);
}

static void t_virtq_not_running(void)
{
	struct virtq_chain c;

	setup();
	negotiate(FEAT_ALL);
	queue_setup(0, QSZ, DESC, AVAIL, USED);
	put_desc(DESC, 0, BUF, 4, 0, 0);
	avail_add(0);
	CHECK_EQ(virtq_pop(&dev, 0, &c), -1); /* no DRIVER_OK yet */
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK_EQ(virtq_pop(&dev, 2, &c), -1); /* no such queue */
	CHECK_EQ(virtq_pop(&dev, 1, &c), 0);  /* not ready */
	virtq_push(&dev, 1, 0, 0);            /* ignored */
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	wr(R_QUEUE_SEL, 0);
	wr(R_QUEUE_READY, 0);
	virtq_push(&dev, 0, c.head, 0); /* the queue was stopped: ignored */
	CHECK_EQ(get16(USED + 2), 0);
	CHECK(!needs_reset());
}

static void t_virtq_read_write(void)
{
	struct virtq_chain c;
	uint8_t buf[16];

	setup();
	bring_up(FEAT_ALL);
	memcpy(g(BUF), "abc", 3);
	memcpy(g(BUF + 0x100), "defgh", 5);
	memcpy(g(BUF + 0x200), "WXYZ", 4); /* writable: never read */
	put_desc(DESC, 0, BUF, 3, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC, 1, BUF + 0x100, 5, VIRTQ_DESC_F_NEXT, 2);
	put_desc(DESC, 2, BUF + 0x200, 4, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 3);
	put_desc(DESC, 3, BUF + 0x300, 4, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(virtq_read(&dev, &c, 0, buf, sizeof(buf)), 8);
	CHECK(!memcmp(buf, "abcdefgh", 8));
	CHECK_EQ(buf[8], 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(virtq_read(&dev, &c, 2, buf, 4), 4);
	CHECK(!memcmp(buf, "cdef", 4));
	CHECK_EQ(virtq_read(&dev, &c, 3, buf, 2), 2);
	CHECK(!memcmp(buf, "de", 2));
	CHECK_EQ(virtq_read(&dev, &c, 7, buf, 10), 1);
	CHECK_EQ(buf[0], 'h');
	CHECK_EQ(virtq_read(&dev, &c, 8, buf, 10), 0);
	CHECK_EQ(virtq_read(&dev, &c, 0xfffffff0, buf, 10), 0);
	CHECK_EQ(virtq_write(&dev, &c, 0, "0123456789", 10), 8);
	CHECK(!memcmp(g(BUF + 0x200), "0123", 4));
	CHECK(!memcmp(g(BUF + 0x300), "4567", 4));
	CHECK_EQ(g(BUF + 0x304)[0], 0);
	CHECK_EQ(virtq_write(&dev, &c, 3, "xy", 2), 2);
	CHECK(!memcmp(g(BUF + 0x200), "012x", 4));
	CHECK(!memcmp(g(BUF + 0x300), "y567", 4));
	CHECK_EQ(virtq_write(&dev, &c, 8, "z", 1), 0);
	/* device-readable buffers are never written */
	CHECK(!memcmp(g(BUF), "abc", 3));
	CHECK(!memcmp(g(BUF + 0x100), "defgh", 5));
}

/* The rate limit: the first VM_MAX_WARNINGS failures are printed, then no more. */
static void t_virtio_fail_rate_limited(void)
{
	unsigned i;

	setup();
	for (i = 0; i < VM_MAX_WARNINGS + 4; i++)
		virtio_fail(&dev, "failure %u", i);
	CHECK_EQ(vm.warnings, VM_MAX_WARNINGS);
	CHECK(needs_reset());
	dev.vm = NULL; /* no VM to count against: still marks the device */
	wr(R_STATUS, 0);
	virtio_fail(&dev, "without a vm");
	CHECK(needs_reset());
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_CONFIG);
}

/* ---- invalid chains: each one fails the device until a reset ---- */

static uint64_t bad_feat;

/*
 * Builds the chain with `build` on a running device: the pop fails with NEEDS_RESET, a
 * configuration interrupt and one warning, further pops fail, and nothing is used; after
 * a reset and a new start a valid chain is taken again.
 */
static void bad_chain(void (*build)(void))
{
	struct virtq_chain c;

	setup();
	bring_up(bad_feat ? bad_feat : FEAT_ALL);
	bad_feat = 0;
	build();
	CHECK_EQ(virtq_pop(&dev, 0, &c), -1);
	CHECK(needs_reset());
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_CONFIG);
	CHECK(fake.irq);
	CHECK_EQ(vm.warnings, 1);
	CHECK(!virtio_running(&dev));
	CHECK_EQ(virtq_pop(&dev, 0, &c), -1);
	CHECK_EQ(get16(USED + 2), 0);
	/* a notify does not reach the model, a DRIVER_OK again does not revive it */
	wr(R_QUEUE_NOTIFY, 0);
	CHECK_EQ(fake.notify[0], 0);
	wr(R_STATUS, ST_UP | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK(!virtio_running(&dev));
	CHECK_EQ(fake.notify[0], 0);
	/* recovery */
	bring_up(FEAT_ALL);
	CHECK(!needs_reset());
	CHECK(!fake.irq);
	CHECK_EQ(rd(R_INT_STATUS), 0);
	put_desc(DESC, 1, BUF, 8, VIRTQ_DESC_F_WRITE, 0);
	avail_add(1);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.head, 1);
}

static void build_avail_too_far(void)
{
	put_desc(DESC, 0, BUF, 8, 0, 0);
	put16(AVAIL + 2, QSZ + 1);
}

static void build_avail_backwards(void)
{
	put_desc(DESC, 0, BUF, 8, 0, 0);
	put16(AVAIL + 2, 0xffff); /* "decremented" from 0: 65535 ahead */
}

/* Entry QSZ, just past the table, would be a valid descriptor. */
static void build_head_beyond(void)
{
	put_desc(DESC, QSZ, BUF, 8, 0, 0);
	avail_add(QSZ);
}

static void build_next_beyond(void)
{
	put_desc(DESC, 0, BUF, 8, VIRTQ_DESC_F_NEXT, QSZ);
	put_desc(DESC, QSZ, BUF, 8, 0, 0);
	avail_add(0);
}

static void build_loop(void)
{
	put_desc(DESC, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC, 1, BUF, 8, VIRTQ_DESC_F_NEXT, 2);
	put_desc(DESC, 2, BUF, 8, VIRTQ_DESC_F_NEXT, 0);
	avail_add(0);
}

static void build_self_loop(void)
{
	put_desc(DESC, 5, BUF, 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 5);
	avail_add(5);
}

static void build_buf_below_ram(void)
{
	put_desc(DESC, 0, RAM_GPA - 8, 8, 0, 0);
	avail_add(0);
}

static void build_buf_past_end(void)
{
	put_desc(DESC, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC, 1, RAM_GPA + RAM_SIZE - 4, 8, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
}

static void build_buf_wraps(void)
{
	put_desc(DESC, 0, 0xfffffffffffffff0ULL, 0x20, 0, 0);
	avail_add(0);
}

static void build_empty_buf_outside(void)
{
	put_desc(DESC, 0, 0x1000, 0, 0, 0);
	avail_add(0);
}

static void build_read_after_write(void)
{
	put_desc(DESC, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC, 1, BUF, 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	put_desc(DESC, 2, BUF, 8, 0, 0);
	avail_add(0);
}

/*
 * Lengths above 4 GiB in all: no test RAM is that large, so the VM claims 8 GiB of RAM; the
 * pop only forms pointers to the buffers and touches nothing past the real 64 KiB.
 */
static void build_too_long(void)
{
	vm.ram_size = 8ULL << 30;
	put_desc(DESC, 0, BUF, 0x80000000U, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC, 1, BUF, 0x80000000U, 0, 0);
	avail_add(0);
}

static void build_indirect_not_negotiated(void)
{
	put_desc(DESC, 0, IND, 16, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND, 0, BUF, 8, 0, 0);
	avail_add(0);
}

static void build_indirect_next(void)
{
	put_desc(DESC, 0, IND, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC, 1, BUF, 8, 0, 0);
	put_desc(IND, 0, BUF, 8, 0, 0);
	avail_add(0);
}

static void build_indirect_nested(void)
{
	put_desc(DESC, 0, IND, 32, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	put_desc(IND, 1, IND2, 16, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND2, 0, BUF, 8, 0, 0);
	avail_add(0);
}

static void build_indirect_len_odd(void)
{
	put_desc(DESC, 0, IND, 24, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND, 0, BUF, 8, 0, 0);
	avail_add(0);
}

static void build_indirect_len_zero(void)
{
	put_desc(DESC, 0, IND, 0, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(0);
}

static void build_indirect_outside(void)
{
	put_desc(DESC, 0, RAM_GPA + RAM_SIZE - 16, 32, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(0);
}

static void build_indirect_too_big(void)
{
	unsigned i;

	put_desc(DESC, 0, IND, 16 * (VIRTQ_MAX_SIZE + 1), VIRTQ_DESC_F_INDIRECT, 0);
	for (i = 0; i <= VIRTQ_MAX_SIZE; i++)
		put_desc(IND, i, BUF, 1, 0, 0);
	avail_add(0);
}

static void build_indirect_loop(void)
{
	put_desc(DESC, 0, IND, 48, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	put_desc(IND, 1, BUF, 8, VIRTQ_DESC_F_NEXT, 0);
	avail_add(0);
}

static void build_indirect_next_beyond(void)
{
	put_desc(DESC, 0, IND, 32, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 2); /* the table has 2 entries */
	put_desc(IND, 2, BUF, 8, 0, 0);
	avail_add(0);
}

static void build_indirect_buf_outside(void)
{
	put_desc(DESC, 0, IND, 16, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND, 0, 0x1000, 8, 0, 0);
	avail_add(0);
}

/* The same checks on a misaligned table, read bytewise: a buffer that ends past RAM. */
static void build_indirect_misaligned_outside(void)
{
	put_desc(DESC, 0, IND + 12, 32, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(IND + 12, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	put_desc(IND + 12, 1, RAM_GPA + RAM_SIZE - 4, 8, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
}

/* Direct descriptors, then a full indirect table: more than VIRTQ_MAX_SIZE segments. */
static void build_over_max_segments(void)
{
	unsigned i;

	put_desc(DESC, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC, 1, IND, 16 * VIRTQ_MAX_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
	for (i = 0; i < VIRTQ_MAX_SIZE; i++)
		put_desc(IND, i, BUF, 1, i + 1 < VIRTQ_MAX_SIZE ? VIRTQ_DESC_F_NEXT : 0, i + 1);
	avail_add(0);
}

#define BAD(name, feat)                    \
	static void t_virtq_bad_##name(void) \
	{                                  \
		bad_feat = (feat);         \
		bad_chain(build_##name);   \
	}

BAD(avail_too_far, 0)
BAD(avail_backwards, 0)
BAD(head_beyond, 0)
BAD(next_beyond, 0)
BAD(loop, 0)
BAD(self_loop, 0)
BAD(buf_below_ram, 0)
BAD(buf_past_end, 0)
BAD(buf_wraps, 0)
BAD(empty_buf_outside, 0)
BAD(read_after_write, 0)
BAD(too_long, 0)
BAD(indirect_not_negotiated, VIRTIO_BIT(VIRTIO_F_VERSION_1))
BAD(indirect_next, 0)
BAD(indirect_nested, 0)
BAD(indirect_len_odd, 0)
BAD(indirect_len_zero, 0)
BAD(indirect_outside, 0)
BAD(indirect_too_big, 0)
BAD(indirect_loop, 0)
BAD(indirect_next_beyond, 0)
BAD(indirect_buf_outside, 0)
BAD(indirect_misaligned_outside, 0)
BAD(over_max_segments, 0)

/* The length check is not stricter than it must be: exactly UINT32_MAX bytes is fine. */
static void t_virtq_longest_bytes(void)
{
	struct virtq_chain c;

	setup();
	bring_up(FEAT_ALL);
	vm.ram_size = 8ULL << 30; /* as in build_too_long */
	put_desc(DESC, 0, BUF, 0x80000000U, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC, 1, BUF, 0x7fffffffU, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	CHECK_EQ(virtq_pop(&dev, 0, &c), 1);
	CHECK_EQ(c.out_len, 0x80000000U);
	CHECK_EQ(c.in_len, 0x7fffffffU);
	CHECK(!needs_reset());
}

/* ---- the read-only register page ---- */

static uint32_t shadow[0x1000 / 4];

/* Every 32-bit register and every config byte reads the same from the page as through MMIO. */
static void check_shadow(const char *when)
{
	const uint8_t *bytes = (const uint8_t *)shadow;
	uint64_t v;

	for (uint64_t off = 0; off < R_CONFIG; off += 4) {
		CHECK_EQ(rdw(off, 4, &v), 0);
		if (shadow[off / 4] != (uint32_t)v)
			printf("  shadow %s: register 0x%03llx\n", when, (unsigned long long)off);
		CHECK_EQ(shadow[off / 4], (uint32_t)v);
	}
	for (uint64_t off = R_CONFIG; off < 0x1000; off++) {
		if (rdw(off, 1, &v))
			v = 0;
		CHECK_EQ(bytes[off], (uint8_t)v);
	}
}

static void t_virtio_shadow(void)
{
	setup();
	memset(shadow, 0xa5, sizeof(shadow));
	virtio_shadow(&dev, shadow);
	check_shadow("after virtio_shadow");
	wr(R_DEV_FEAT_SEL, 1);
	check_shadow("after DeviceFeaturesSel");
	wr(R_QUEUE_SEL, 1);
	check_shadow("after QueueSel");
	bring_up(FEAT_ALL);
	check_shadow("after bring-up");
	virtio_interrupt(&dev);
	check_shadow("after a used-buffer interrupt");
	CHECK_EQ(shadow[R_INT_STATUS / 4], VIRTIO_INT_USED);
	wr(R_INT_ACK, VIRTIO_INT_USED);
	check_shadow("after InterruptACK");
	CHECK_EQ(shadow[R_INT_STATUS / 4], 0);
	virtio_config_changed(&dev);
	check_shadow("after a config change");
	virtio_fail(&dev, "a test failure");
	check_shadow("after DEVICE_NEEDS_RESET");
	CHECK(shadow[R_STATUS / 4] & VIRTIO_STATUS_NEEDS_RESET);
	wr(R_STATUS, 0);
	check_shadow("after a driver reset");
	virtio_reset(&dev);
	check_shadow("after a device reset");
	virtio_shadow(&dev, NULL);
	wr(R_QUEUE_SEL, 0);
	CHECK_EQ(dev.shadow, NULL);
}

/* ---- virtio-blk on an embedded disk: what one request may copy ---- */

#define BLK_SECTORS  256 /* 128 KiB: longer than the bound, so the range check passes */
#define BLK_F_SIZE_MAX 1
#define BLK_F_SEG_MAX  2
#define BLK_REQ_MAX  (16 * 4096) /* SEG_MAX x SIZE_MAX */
#define BLK_HDR      (RAM_GPA + 0x6000)
#define BLK_STATUS   (RAM_GPA + 0x6100)

static uint8_t disk[BLK_SECTORS * 512];
static struct vdev blk;

static void blk_setup(void)
{
	setup();
	for (size_t i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i * 7 + i / 512);
	memset(&blk, 0, sizeof(blk));
	CHECK_EQ(vblk_init_embedded(&blk, disk, sizeof(disk)), 0);
	blk.vio.set_irq = fake_irq;
	blk.vio.irq_opaque = &fake;
	virtio_init(&blk.vio, BASE, &vm);
	cur = &blk.vio;
	bring_up(VIRTIO_BIT(VIRTIO_F_VERSION_1));
}

/*
 * A read of sector 0 into `nbuf` buffers of `len` bytes, all at BUF (RAM is small; each
 * overwrites the one before), then the status byte. Returns the status; *used the used length.
 */
static uint8_t blk_read(unsigned nbuf, uint32_t len, uint32_t *used)
{
	static uint16_t head;
	const uint32_t type = 0;
	unsigned i = 0;

	memset(g(BLK_HDR), 0, 16);
	memcpy(g(BLK_HDR), &type, 4);
	*g(BLK_STATUS) = 0xff;
	put_desc(DESC, i, BLK_HDR, 16, VIRTQ_DESC_F_NEXT, i + 1);
	for (i = 1; i <= nbuf; i++)
		put_desc(DESC, i, BUF, len, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, i + 1);
	put_desc(DESC, i, BLK_STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	wr(R_QUEUE_NOTIFY, 0);
	*used = get32(USED + 8 + 8 * (head++ % QSZ));
	return *g(BLK_STATUS);
}

static void t_blk_embedded_limits(void)
{
	blk_setup();
	wr(R_DEV_FEAT_SEL, 0);
	CHECK(rd(R_DEV_FEAT) & (1U << BLK_F_SIZE_MAX));
	CHECK(rd(R_DEV_FEAT) & (1U << BLK_F_SEG_MAX));
	CHECK_EQ(rd(R_CONFIG + 8), 4096);
	CHECK_EQ(rd(R_CONFIG + 12), 16);
}

/* Up to SEG_MAX x SIZE_MAX bytes are read; one sector more is IOERR, nothing copied. */
static void t_blk_embedded_request_bound(void)
{
	uint32_t used;

	blk_setup();
	CHECK_EQ(blk_read(2, BLK_REQ_MAX / 2, &used), 0);
	CHECK_EQ(used, BLK_REQ_MAX + 1);
	CHECK(!memcmp(g(BUF), disk + BLK_REQ_MAX / 2, BLK_REQ_MAX / 2));
	memset(g(BUF), 0xaa, 512);
	CHECK_EQ(blk_read(3, 43 * 512, &used), 1); /* 129 sectors */
	CHECK_EQ(used, 1);
	CHECK_EQ(*g(BUF), 0xaa);
	CHECK(!needs_reset());
	/* the device goes on: a sector read right after */
	CHECK_EQ(blk_read(1, 512, &used), 0);
	CHECK(!memcmp(g(BUF), disk, 512));
}

int main(void)
{
	RUN(t_virtio_identity);
	RUN(t_virtio_init_clamps);
	RUN(t_virtio_device_features);
	RUN(t_virtio_negotiate);
	RUN(t_virtio_features_refused);
	RUN(t_virtio_features_locked);
	RUN(t_virtio_queue_setup);
	RUN(t_virtio_queue_setup_invalid);
	RUN(t_virtio_bad_widths);
	RUN(t_virtio_config);
	RUN(t_virtio_reset);
	RUN(t_virtio_notify);
	RUN(t_virtio_driver_ok_serves);
	RUN(t_virtio_interrupt_line);
	RUN(t_virtio_no_interrupt);
	RUN(t_virtio_shadow);
	RUN(t_virtio_fail_rate_limited);
	RUN(t_virtq_direct_chain);
	RUN(t_virtq_longest_chains);
	RUN(t_virtq_longest_bytes);
	RUN(t_virtq_indirect_chain);
	RUN(t_virtq_indirect_misaligned);
	RUN(t_virtq_index_wrap);
	RUN(t_virtq_unpop);
	RUN(t_virtq_not_running);
	RUN(t_virtq_read_write);
	RUN(t_virtq_bad_avail_too_far);
	RUN(t_virtq_bad_avail_backwards);
	RUN(t_virtq_bad_head_beyond);
	RUN(t_virtq_bad_next_beyond);
	RUN(t_virtq_bad_loop);
	RUN(t_virtq_bad_self_loop);
	RUN(t_virtq_bad_buf_below_ram);
	RUN(t_virtq_bad_buf_past_end);
	RUN(t_virtq_bad_buf_wraps);
	RUN(t_virtq_bad_empty_buf_outside);
	RUN(t_virtq_bad_read_after_write);
	RUN(t_virtq_bad_too_long);
	RUN(t_virtq_bad_indirect_not_negotiated);
	RUN(t_virtq_bad_indirect_next);
	RUN(t_virtq_bad_indirect_nested);
	RUN(t_virtq_bad_indirect_len_odd);
	RUN(t_virtq_bad_indirect_len_zero);
	RUN(t_virtq_bad_indirect_outside);
	RUN(t_virtq_bad_indirect_too_big);
	RUN(t_virtq_bad_indirect_loop);
	RUN(t_virtq_bad_indirect_next_beyond);
	RUN(t_virtq_bad_indirect_buf_outside);
	RUN(t_virtq_bad_indirect_misaligned_outside);
	RUN(t_virtq_bad_over_max_segments);
	RUN(t_blk_embedded_limits);
	RUN(t_blk_embedded_request_bound);
	UNIT_EXIT();
}
