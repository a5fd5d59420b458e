// SPDX-License-Identifier: BSD-2-Clause
// A hostile virtio-blk driver: malformed chains, queues and accesses stop the device until a reset.
#include "dtb.h"
#include "mmio.h"
#include "print.h"
#include "riscv.h"
#include "test.h"
#include "trap.h"
#include "virtio.h"


#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE 0x20

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct vq_mem vq;
static struct vio dev = { .base = VIRTIO_SLOT(0), .q = &vq };
static struct vblk_io io;
static uint8_t buf[SECTOR] __attribute__((aligned(16)));
static struct vq_desc itable[4] __attribute__((aligned(16)));
static struct vq_desc itable2[4] __attribute__((aligned(16)));
static uint64_t ram_end;

#define F_V1  VIRTIO_BIT(VIRTIO_F_VERSION_1)
#define F_IND VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC)

static bool blk_pending(void)
{
	return mmio_lwu(PLIC_PENDING0) & BLK_IRQ_BIT;
}

static uint32_t claim(void)
{
	return (uint32_t)mmio_lwu(PLIC_CLAIM0);
}

static void complete(uint32_t id)
{
	mmio_sw(PLIC_CLAIM0, id);
}

/*
 * The device's interrupt reached the PLIC: source 1 is pending and claimable. Claimed, it
 * is completed by the caller (after lowering the line), so that nothing stays in service.
 */
static bool claim_blk(const char *what)
{
	uint32_t id;

	expectf(blk_pending(), "%s: PLIC source 1 not pending", what);
	id = claim();
	if (id && id != BLK_IRQ)
		complete(id);
	return expectf(id == BLK_IRQ, "%s: claim returned %u, want %u", what, id, BLK_IRQ);
}

/* Completes source 1 with its line low: nothing may be pending or claimable after. */
static void complete_blk(const char *what)
{
	uint32_t id;

	complete(BLK_IRQ);
	expectf(!blk_pending(), "%s: PLIC source 1 pending after completion", what);
	id = claim();
	if (id)
		complete(id);
	expectf(id == 0, "%s: claim returned %u after completion", what, id);
}

static void set(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	vq.desc[i] = (struct vq_desc){ addr, len, flags, next };
}

static uint64_t addr(const void *p)
{
	return (uintptr_t)p;
}

/* A well-formed read of sector 1 in descriptors 0..2: the bad cases spoil one thing of it. */
static void good_chain(void)
{
	vblk_build(&dev, &io, 0, VIRTIO_BLK_T_IN, 1, buf, SECTOR, true);
}

/* The same read as a 3-entry indirect table (48 bytes). */
static void good_table(struct vq_desc *t)
{
	io = (struct vblk_io){ .type = VIRTIO_BLK_T_IN, .sector = 1, .status = 0xff };
	t[0] = (struct vq_desc){ addr(&io), VBLK_HDR_BYTES, VIRTQ_DESC_F_NEXT, 1 };
	t[1] = (struct vq_desc){ addr(buf), SECTOR, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2 };
	t[2] = (struct vq_desc){ addr(&io.status), 1, VIRTQ_DESC_F_WRITE, 0 };
	t[3] = t[2];
}

/* ---- the malformed chains; each makes head 0 (or the named head) available ---- */

static void outside_ram(void)
{
	good_chain();
	vq.desc[1].addr = 0x1000;
	vio_post(&dev, 0);
}

static void past_ram_end(void)
{
	good_chain();
	vq.desc[1].addr = ram_end - SECTOR / 2;
	vio_post(&dev, 0);
}

static void at_a_device(void)
{
	good_chain();
	vq.desc[1].addr = UART_BASE;
	vio_post(&dev, 0);
}

/* addr + len wraps past 2^64 and ends inside RAM. */
static void wrapping(void)
{
	good_chain();
	vq.desc[1].addr = 0xfffffffffffffff0ULL;
	vq.desc[1].len = 0x80000210;
	vio_post(&dev, 0);
}

/* 0 -> 1 -> 0, all device-readable, so that only the loop is wrong. */
static void loop(void)
{
	good_chain();
	set(1, addr(buf), SECTOR, VIRTQ_DESC_F_NEXT, 0);
	vio_post(&dev, 0);
}

/* NEXT on every descriptor of the queue: the chain never ends within VQ_SIZE. */
static void too_long(void)
{
	for (unsigned i = 0; i < VQ_SIZE; i++)
		set(i, addr(buf), 16, VIRTQ_DESC_F_NEXT, (uint16_t)((i + 1) % VQ_SIZE));
	vio_post(&dev, 0);
}

/* next = QueueNum: the table in memory has a valid entry there, the queue does not. */
static void next_past_size(void)
{
	good_chain();
	vq.desc[1].next = VQ_SIZE;
	vq.desc[VQ_SIZE] = vq.desc[2];
	vio_post(&dev, 0);
}

static void next_far(void)
{
	good_chain();
	vq.desc[0].next = 0xffff;
	vio_post(&dev, 0);
}

/*
 * Head = QueueNum, where the table in memory has a valid descriptor: one naming a good
 * indirect table, so that nothing but the head index is wrong.
 */
static void head_past_size(void)
{
	good_table(itable);
	set(VQ_SIZE, addr(itable), 3 * sizeof(struct vq_desc), VIRTQ_DESC_F_INDIRECT, 0);
	vio_post(&dev, VQ_SIZE);
}

/* avail idx VQ_SIZE + 1 entries ahead, each entry a valid head. */
static void avail_jump(void)
{
	good_chain();
	for (unsigned i = 0; i < VQ_SIZE; i++)
		vq.avail.ring[i] = 0;
	asm volatile("fence rw, rw" : : : "memory");
	*(volatile uint16_t *)&vq.avail.idx = VQ_SIZE + 1;
}

/* Header, data (device-writable), then the status byte device-readable. */
static void readable_after_writable(void)
{
	good_chain();
	vq.desc[2].flags = 0;
	vio_post(&dev, 0);
}

static void indirect_table_in_desc0(uint32_t len, uint16_t flags)
{
	set(0, addr(itable), len, flags, 1);
	set(1, addr(&io.status), 1, VIRTQ_DESC_F_WRITE, 0);
	vio_post(&dev, 0);
}

static void indirect_unnegotiated(void)
{
	good_table(itable);
	indirect_table_in_desc0(3 * sizeof(struct vq_desc), VIRTQ_DESC_F_INDIRECT);
}

static void indirect_next(void)
{
	good_table(itable);
	indirect_table_in_desc0(3 * sizeof(struct vq_desc),
				VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT);
}

/* 3.5 descriptors: the first three are a good request. */
static void indirect_len(void)
{
	good_table(itable);
	indirect_table_in_desc0(56, VIRTQ_DESC_F_INDIRECT);
}

static void indirect_empty(void)
{
	good_table(itable);
	indirect_table_in_desc0(0, VIRTQ_DESC_F_INDIRECT);
}

static void indirect_nested(void)
{
	good_table(itable2);
	itable[0] = (struct vq_desc){ addr(itable2), 3 * sizeof(struct vq_desc),
				      VIRTQ_DESC_F_INDIRECT, 0 };
	indirect_table_in_desc0(sizeof(struct vq_desc), VIRTQ_DESC_F_INDIRECT);
}

static void indirect_outside_ram(void)
{
	set(0, 0x1000, 3 * sizeof(struct vq_desc), VIRTQ_DESC_F_INDIRECT, 0);
	vio_post(&dev, 0);
}

static void indirect_loop(void)
{
	good_table(itable);
	itable[1].flags = VIRTQ_DESC_F_NEXT;
	itable[1].next = 0;
	indirect_table_in_desc0(3 * sizeof(struct vq_desc), VIRTQ_DESC_F_INDIRECT);
}

/* next = 3 in a 3-entry table whose memory has a 4th valid entry. */
static void indirect_next_past_table(void)
{
	good_table(itable);
	itable[1].next = 3;
	indirect_table_in_desc0(3 * sizeof(struct vq_desc), VIRTQ_DESC_F_INDIRECT);
}

static void read_into_readable(void)
{
	vblk_build(&dev, &io, 0, VIRTIO_BLK_T_IN, 1, buf, SECTOR, false);
	vio_post(&dev, 0);
}

static void write_from_writable(void)
{
	vblk_build(&dev, &io, 0, VIRTIO_BLK_T_OUT, 1, buf, SECTOR, true);
	vio_post(&dev, 0);
}

static void no_status(void)
{
	io = (struct vblk_io){ .type = VIRTIO_BLK_T_IN, .sector = 1 };
	set(0, addr(&io), VBLK_HDR_BYTES, 0, 0);
	vio_post(&dev, 0);
}

static void short_header(void)
{
	good_chain();
	vq.desc[0].len = 8;
	vio_post(&dev, 0);
}

struct chain_case {
	const char *name;
	bool indirect; /* negotiate INDIRECT_DESC */
	void (*build)(void);
};

static const struct chain_case chain_cases[] = {
	{ "descriptor outside RAM", false, outside_ram },
	{ "descriptor across RAM's end", false, past_ram_end },
	{ "descriptor at a device", false, at_a_device },
	{ "descriptor wrapping past 2^64", false, wrapping },
	{ "chain that loops", false, loop },
	{ "chain longer than the queue", false, too_long },
	{ "next index past the queue size", false, next_past_size },
	{ "next index 0xffff", false, next_far },
	{ "available head past the queue size", true, head_past_size },
	{ "available idx more than the queue size ahead", false, avail_jump },
	{ "device-readable after device-writable", false, readable_after_writable },
	{ "indirect without INDIRECT_DESC", false, indirect_unnegotiated },
	{ "indirect with NEXT", true, indirect_next },
	{ "indirect table of 56 bytes", true, indirect_len },
	{ "indirect table of 0 bytes", true, indirect_empty },
	{ "indirect inside indirect", true, indirect_nested },
	{ "indirect table outside RAM", true, indirect_outside_ram },
	{ "indirect chain that loops", true, indirect_loop },
	{ "indirect next past its table", true, indirect_next_past_table },
	{ "read into a device-readable buffer", false, read_into_readable },
	{ "write from a device-writable buffer", false, write_from_writable },
	{ "request without a status byte", false, no_status },
	{ "request with an 8-byte header", false, short_header },
};

/* ---- verdicts ---- */

static void expect_needs_reset(const char *what)
{
	uint32_t st = vio_rd(&dev, VIRTIO_MMIO_STATUS);
	uint32_t is = vio_rd(&dev, VIRTIO_MMIO_INT_STATUS);

	expectf(st & VIRTIO_S_NEEDS_RESET, "%s: Status 0x%x without DEVICE_NEEDS_RESET", what, st);
	expectf(is & VIRTIO_INT_CONFIG, "%s: InterruptStatus 0x%x without bit 1", what, is);
}

/*
 * Reset (completing the claimed interrupt, if any, once the reset has lowered the line),
 * initialize again and read one sector: the device works again, its interrupt too.
 */
static void recover(const char *what, bool claimed)
{
	uint32_t used = 0;
	int st;

	vio_reset(&dev);
	if (claimed)
		complete_blk(what);
	if (!vio_init(&dev, F_V1)) {
		expectf(false, "%s: the device does not initialize again", what);
		return;
	}
	for (unsigned i = 0; i < SECTOR; i++)
		buf[i] = 0x5a;
	st = vblk_request(&dev, &io, VIRTIO_BLK_T_IN, 2, buf, SECTOR, true, &used);
	if (expectf(st == VIRTIO_BLK_S_OK && used == SECTOR + 1,
		    "%s: read after the reset: status %d, used len %u", what, st, used))
		vblk_check_data(buf, 2, SECTOR, what);
	expectf(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS) == VIRTIO_INT_USED,
		"%s: InterruptStatus 0x%x after the read", what,
		vio_rd(&dev, VIRTIO_MMIO_INT_STATUS));
	claimed = claim_blk(what);
	vio_wr(&dev, VIRTIO_MMIO_INT_ACK, VIRTIO_INT_USED);
	if (claimed)
		complete_blk(what);
}

static void done(const char *what, unsigned failures_before)
{
	if (test_failures() == failures_before)
		gprintf("virtio_bad: %s: ok\n", what);
}

/*
 * One malformed chain, notified: DEVICE_NEEDS_RESET with a configuration change interrupt,
 * and nothing in the used ring. The first case also checks that the stopped device takes
 * no chain, not even a repaired one, and that DRIVER_OK does not restart it.
 */
static void chain_case(const struct chain_case *c, bool check_stopped)
{
	unsigned before = test_failures();
	bool claimed;

	if (!vio_init(&dev, F_V1 | (c->indirect ? F_IND : 0)))
		return;
	c->build();
	vio_notify(&dev);
	expect_needs_reset(c->name);
	claimed = claim_blk(c->name);
	expectf(vio_used_idx(&dev) == 0, "%s: used idx moved to %u", c->name, vio_used_idx(&dev));
	if (check_stopped) {
		good_chain();
		vio_post(&dev, 0);
		vio_notify(&dev);
		vio_wr(&dev, VIRTIO_MMIO_STATUS,
		       vio_rd(&dev, VIRTIO_MMIO_STATUS) | VIRTIO_S_DRIVER_OK);
		vio_notify(&dev);
		expectf(vio_used_idx(&dev) == 0, "%s: a stopped device used a good chain", c->name);
		expect(vio_rd(&dev, VIRTIO_MMIO_STATUS) & VIRTIO_S_NEEDS_RESET,
		       "DEVICE_NEEDS_RESET stays until a reset");
	}
	recover(c->name, claimed);
	done(c->name, before);
}

/* ---- queues the device must refuse at QueueReady ---- */

struct queue_case {
	const char *name;
	uint32_t num; /* QueueNum, unless num_above_max */
	uint64_t desc, driver, device; /* 0: the real area */
	bool num_above_max; /* QueueNum = 2 * QueueNumMax */
};

static void queue_case(const struct queue_case *c)
{
	unsigned before = test_failures();
	uint32_t num = c->num;
	bool claimed;

	if (!vio_negotiate(&dev, F_V1, false))
		return;
	if (c->num_above_max)
		num = 2 * vio_rd(&dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
	vio_queue_set(&dev, num, c->desc ? c->desc : addr(vq.desc),
		      c->driver ? c->driver : addr(&vq.avail),
		      c->device ? c->device : addr(&vq.used));
	vio_wr(&dev, VIRTIO_MMIO_QUEUE_READY, 1);
	expect_needs_reset(c->name);
	claimed = claim_blk(c->name);
	expectf(vio_rd(&dev, VIRTIO_MMIO_QUEUE_READY) == 0, "%s: QueueReady reads 1", c->name);
	recover(c->name, claimed);
	done(c->name, before);
}

static void queue_cases(void)
{
	const struct queue_case cases[] = {
		{ "descriptor area outside RAM", VQ_SIZE, 0x1000, 0, 0, false },
		{ "driver area outside RAM", VQ_SIZE, 0, 0x1000, 0, false },
		{ "device area across RAM's end", VQ_SIZE, 0, 0, ram_end - 8, false },
		{ "misaligned descriptor area", VQ_SIZE, addr(vq.desc) + 8, 0, 0, false },
		{ "QueueNum 0", 0, 0, 0, 0, false },
		{ "QueueNum not a power of 2", 6, 0, 0, 0, false },
		{ "QueueNum above QueueNumMax", 0, 0, 0, 0, true },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		queue_case(&cases[i]);
}

/* ---- feature negotiation the device must refuse, without needing a reset ---- */

static void feature_case(const char *what, uint64_t features)
{
	unsigned before = test_failures();
	uint32_t want = VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER;

	expectf(!vio_negotiate(&dev, features, true), "%s: FEATURES_OK accepted", what);
	expectf(vio_rd(&dev, VIRTIO_MMIO_STATUS) == want, "%s: Status 0x%x, want 0x%x", what,
		vio_rd(&dev, VIRTIO_MMIO_STATUS), want);
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS), 0, "no interrupt for refused features");
	expect(!blk_pending(), "PLIC source 1 not pending for refused features");
	/* 3.1.1: a driver that cannot go on sets FAILED. */
	vio_wr(&dev, VIRTIO_MMIO_STATUS, want | VIRTIO_S_FAILED);
	expect(vio_rd(&dev, VIRTIO_MMIO_STATUS) & VIRTIO_S_FAILED, "FAILED reads back");
	recover(what, false);
	done(what, before);
}

static void feature_cases(void)
{
	uint64_t offered = vio_device_features(&dev);
	unsigned bit = VIRTIO_F_EVENT_IDX;

	while (offered & VIRTIO_BIT(bit))
		bit = (bit + 1) % 64;
	gprintf("virtio_bad: offering feature bit %u, which the device does not offer\n", bit);
	feature_case("FEATURES_OK with a feature not offered", F_V1 | VIRTIO_BIT(bit));
	feature_case("FEATURES_OK without VERSION_1", 0);
}

/*
 * ---- accesses of the wrong width ----
 * Loads read the device's read-only register page (no exit): any width returns the bytes the
 * registers hold there, 0 where there is none. Stores of a wrong width are bus errors, which
 * change nothing.
 */

static void bad_widths(void)
{
	const char *what = "accesses of the wrong width";
	unsigned before = test_failures();
	uint64_t capacity;
	uint32_t running;
	uintptr_t b = dev.base;

	if (!vio_init(&dev, F_V1))
		return;
	running = vio_rd(&dev, VIRTIO_MMIO_STATUS);
	capacity = vio_rd(&dev, VIRTIO_MMIO_CONFIG) |
		   (uint64_t)vio_rd(&dev, VIRTIO_MMIO_CONFIG + 4) << 32;
	expect_eq(mmio_ld(b + VIRTIO_MMIO_MAGIC), 2ULL << 32 | VIRTIO_MAGIC,
		  "64-bit load of MagicValue and Version");
	expect_eq(mmio_lbu(b + VIRTIO_MMIO_STATUS), running & 0xff, "8-bit load of Status");
	expect_eq(mmio_lhu(b + VIRTIO_MMIO_VERSION), 2, "16-bit load of Version");
	expect_eq(mmio_lwu(b + VIRTIO_MMIO_MAGIC + 2), VIRTIO_MAGIC >> 16 | 2 << 16,
		  "misaligned 32-bit load across MagicValue and Version");
	expect_eq(mmio_ld(b + VIRTIO_MMIO_CONFIG), capacity, "64-bit load of the capacity");
	expect_eq(mmio_lwu(b + 0xffc), 0, "32-bit load at the window's end");
	/* Each of these, accepted, would reset the device. */
	expect_store_fault(b + VIRTIO_MMIO_STATUS, mmio_sd, "64-bit store to Status");
	expect_store_fault(b + VIRTIO_MMIO_STATUS, mmio_sb, "8-bit store to Status");
	expect_store_fault(b + VIRTIO_MMIO_STATUS, mmio_sh, "16-bit store to Status");
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_STATUS), running, "Status after the refused stores");
	/* A chain waits: a refused notify must not hand it over. */
	good_chain();
	vio_post(&dev, 0);
	expect_store_fault(b + VIRTIO_MMIO_QUEUE_NOTIFY, mmio_sd, "64-bit store to QueueNotify");
	expect_store_fault(b + VIRTIO_MMIO_QUEUE_NOTIFY, mmio_sb, "8-bit store to QueueNotify");
	expect_eq(vio_used_idx(&dev), 0, "refused notifies: used idx");
	vio_notify(&dev);
	if (expect(vio_wait_used(&dev, 1), "the chain completes on a good notify")) {
		vio_take_used(&dev);
		expect_eq(io.status, VIRTIO_BLK_S_OK, "status of the chain after the bus errors");
		vblk_check_data(buf, 1, SECTOR, "read after the bus errors");
	}
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_STATUS), running, "Status after the bus errors");
	if (claim_blk(what)) {
		vio_wr(&dev, VIRTIO_MMIO_INT_ACK, VIRTIO_INT_USED);
		complete_blk(what);
	}
	done(what, before);
}

/* The UART, straight through THR: the rest of the platform is unharmed. */
static void uart_line(void)
{
	static const char line[] = "virtio_bad: direct THR line after the attacks\n";

	for (const char *p = line; *p; p++) {
		while (!(mmio_lbu(UART_BASE + UART_LSR) & LSR_THRE))
			;
		mmio_sb(UART_BASE + UART_THR, (uint8_t)*p);
	}
}

int main(unsigned long hartid, const void *dtb)
{
	uint64_t base = 0, size = 0;

	(void)hartid;
	test_start("virtio_bad");
	irq_disable();
	if (!expect(dtb_memory(dtb, &base, &size), "the DTB has a memory node"))
		test_end();
	ram_end = base + size;
	mmio_sw(PLIC_PRIORITY(BLK_IRQ), 1);
	mmio_sw(PLIC_ENABLE0, BLK_IRQ_BIT);
	mmio_sw(PLIC_THRESHOLD0, 0);
	if (!expect_eq(vio_rd(&dev, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK,
		       "slot 0 holds the block device"))
		test_end();
	for (unsigned i = 0; i < ARRAY_SIZE(chain_cases); i++)
		chain_case(&chain_cases[i], i == 0);
	queue_cases();
	feature_cases();
	bad_widths();
	vio_reset(&dev);
	uart_line();
	test_end();
}
