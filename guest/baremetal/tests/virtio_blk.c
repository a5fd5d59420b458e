// SPDX-License-Identifier: BSD-2-Clause
// virtio-blk on the embedded read-only disk: init, reads, errors, GET_ID, interrupts, indirect.
#include <stddef.h>

#include "mmio.h"
#include "print.h"
#include "riscv.h"
#include "test.h"
#include "trap.h"
#include "virtio.h"


#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct vq_mem vq;
static struct vio dev = { .base = VIRTIO_SLOT(0), .q = &vq };
static struct vblk_io io[2];
static uint8_t buf[8 * SECTOR] __attribute__((aligned(16)));
static uint8_t buf2[SECTOR] __attribute__((aligned(16)));
static struct vq_desc itable[4] __attribute__((aligned(16)));
static uint64_t offered;

/* Per external interrupt taken: what the claim returned and InterruptStatus said. */
static volatile unsigned long irqs;
static volatile uint32_t irq_claim, irq_istatus;

static void fill(void *p, uint8_t v, unsigned long n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = v;
}

static bool blk_pending(void)
{
	return mmio_lwu(PLIC_PENDING0) & BLK_IRQ_BIT;
}

/* Waiting for an interrupt that cannot come would hang: end the test instead. */
static void require(bool cond, const char *what)
{
	if (!expect(cond, what))
		test_end();
}

/* Slot 0 holds the block device; slot 1 is an empty slot (DeviceID 0). */
static void probe(void)
{
	struct vio empty = { .base = VIRTIO_SLOT(1) };

	require(expect_eq(vio_rd(&dev, VIRTIO_MMIO_MAGIC), VIRTIO_MAGIC, "slot 0: MagicValue") &&
			expect_eq(vio_rd(&dev, VIRTIO_MMIO_VERSION), 2, "slot 0: Version") &&
			expect_eq(vio_rd(&dev, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK,
				  "slot 0: DeviceID"),
		"slot 0 is a virtio-mmio version 2 block device");
	gprintf("virtio_blk: slot 0: block device, vendor 0x%x\n",
		vio_rd(&dev, VIRTIO_MMIO_VENDOR_ID));
	expect_eq(vio_rd(&empty, VIRTIO_MMIO_MAGIC), VIRTIO_MAGIC, "slot 1: MagicValue");
	expect_eq(vio_rd(&empty, VIRTIO_MMIO_DEVICE_ID), 0, "slot 1: DeviceID 0 (no device)");
}

/*
 * 3.1.1 and 4.2.3.1 step by step, each status read back: reset, ACKNOWLEDGE, DRIVER,
 * features (VERSION_1 and RO must be offered), FEATURES_OK, queue 0, DRIVER_OK.
 */
static void init(void)
{
	offered = vio_device_features(&dev);
	gprintf("virtio_blk: device features 0x%lx\n", (unsigned long)offered);
	expect(offered & VIRTIO_BIT(VIRTIO_F_VERSION_1), "VERSION_1 offered");
	expect(offered & VIRTIO_BIT(VIRTIO_BLK_F_RO), "RO offered (the embedded disk)");
	vio_wr(&dev, VIRTIO_MMIO_QUEUE_SEL, 1);
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_QUEUE_NUM_MAX), 0, "QueueNumMax of queue 1 (none)");
	require(vio_init(&dev, VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_BLK_F_RO)),
		"the device initializes");
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS), 0, "no interrupt before any request");
}

static uint32_t cfg32(unsigned off)
{
	return vio_rd(&dev, VIRTIO_MMIO_CONFIG + off);
}

/* Capacity (le64 as two 32-bit reads, 4.2.2.2) and, byte by byte, the same value. */
static void config(void)
{
	uint32_t gen = vio_rd(&dev, VIRTIO_MMIO_CONFIG_GEN);
	uint64_t cap = (uint64_t)cfg32(VIRTIO_BLK_CFG_CAPACITY + 4) << 32 |
		       cfg32(VIRTIO_BLK_CFG_CAPACITY);
	uint64_t bytes = 0;

	expect_eq(cap, TEST_DISK_SECTORS, "capacity in sectors");
	for (unsigned i = 0; i < 8; i++)
		bytes |= mmio_lbu(dev.base + VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY + i)
			 << (8 * i);
	expect_eq(bytes, cap, "capacity read as 8 single bytes");
	if (offered & VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE))
		expect_eq(cfg32(VIRTIO_BLK_CFG_BLK_SIZE), SECTOR, "blk_size");
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_CONFIG_GEN), gen, "ConfigGeneration unchanged");
}

static void read_check(uint64_t sector, uint32_t len, const char *what)
{
	uint32_t used = 0;
	int st;

	fill(buf, 0x5a, len);
	st = vblk_request(&dev, &io[0], VIRTIO_BLK_T_IN, sector, buf, len, true, &used);
	if (expectf(st == VIRTIO_BLK_S_OK, "%s: status %d", what, st) &&
	    expectf(used == len + 1, "%s: used len %u, want %u (data + status)", what, used,
		    len + 1))
		vblk_check_data(buf, sector, len, what);
}

static void expect_status(uint32_t type, uint64_t sector, uint32_t len, bool dev_writes,
			  int want, const char *what)
{
	int st = vblk_request(&dev, &io[0], type, sector, buf, len, dev_writes, NULL);

	expectf(st == want, "%s: status %d, want %d", what, st, want);
}

/* Header, three device-writable pieces of one 2-sector read, status: 5 descriptors. */
static void split_read(void)
{
	static const uint32_t piece[] = { 100, 412, 512 };
	uint64_t sector = 5;
	struct vq_used_elem e;
	uint16_t i = 1;
	uint32_t off = 0;

	fill(buf, 0x5a, 2 * SECTOR);
	io[0] = (struct vblk_io){ .type = VIRTIO_BLK_T_IN, .sector = sector, .status = 0xff };
	vq.desc[0] = (struct vq_desc){ (uintptr_t)&io[0], VBLK_HDR_BYTES, VIRTQ_DESC_F_NEXT, 1 };
	for (unsigned p = 0; p < ARRAY_SIZE(piece); p++, i++) {
		vq.desc[i] = (struct vq_desc){ (uintptr_t)buf + off, piece[p],
					       VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, i + 1 };
		off += piece[p];
	}
	vq.desc[i] = (struct vq_desc){ (uintptr_t)&io[0].status, 1, VIRTQ_DESC_F_WRITE, 0 };
	vio_post(&dev, 0);
	vio_notify(&dev);
	if (!expect(vio_wait_used(&dev, 1), "split read: completed"))
		return;
	e = vio_take_used(&dev);
	expect_eq(e.len, 2 * SECTOR + 1, "split read: used len");
	expect_eq(io[0].status, VIRTIO_BLK_S_OK, "split read: status");
	vblk_check_data(buf, sector, 2 * SECTOR, "split read");
}

/*
 * Any framing (2.6.4): the header in two 8-byte pieces, the data and the status byte in
 * one device-writable buffer.
 */
static void any_framing(void)
{
	uint64_t sector = 9;
	struct vq_used_elem e;

	fill(buf, 0x5a, SECTOR + 1);
	io[0] = (struct vblk_io){ .type = VIRTIO_BLK_T_IN, .sector = sector, .status = 0xff };
	vq.desc[0] = (struct vq_desc){ (uintptr_t)&io[0], 8, VIRTQ_DESC_F_NEXT, 1 };
	vq.desc[1] = (struct vq_desc){ (uintptr_t)&io[0] + 8, 8, VIRTQ_DESC_F_NEXT, 2 };
	vq.desc[2] = (struct vq_desc){ (uintptr_t)buf, SECTOR + 1, VIRTQ_DESC_F_WRITE, 0 };
	vio_post(&dev, 0);
	vio_notify(&dev);
	if (!expect(vio_wait_used(&dev, 1), "any framing: completed"))
		return;
	e = vio_take_used(&dev);
	expect_eq(e.len, SECTOR + 1, "any framing: used len");
	expect_eq(buf[SECTOR], VIRTIO_BLK_S_OK, "any framing: status after the data");
	vblk_check_data(buf, sector, SECTOR, "any framing");
}

/* Two requests made available before one notify: heads 3 and 0, both answered. */
static void batch(void)
{
	struct vq_used_elem e[2];
	bool seen[2] = { false, false };

	fill(buf, 0x5a, SECTOR);
	fill(buf2, 0x5a, SECTOR);
	vblk_build(&dev, &io[0], 0, VIRTIO_BLK_T_IN, 10, buf, SECTOR, true);
	vblk_build(&dev, &io[1], 3, VIRTIO_BLK_T_IN, 100, buf2, SECTOR, true);
	vio_post(&dev, 3);
	vio_post(&dev, 0);
	vio_notify(&dev);
	if (!expect(vio_wait_used(&dev, 2), "batch: both requests completed"))
		return;
	for (unsigned i = 0; i < 2; i++) {
		e[i] = vio_take_used(&dev);
		if (expectf(e[i].id == 0 || e[i].id == 3, "batch: used id %u", e[i].id)) {
			expectf(!seen[e[i].id != 0], "batch: id %u used twice", e[i].id);
			seen[e[i].id != 0] = true;
		}
		expect_eq(e[i].len, SECTOR + 1, "batch: used len");
	}
	expect_eq(io[0].status, VIRTIO_BLK_S_OK, "batch: status of head 0");
	expect_eq(io[1].status, VIRTIO_BLK_S_OK, "batch: status of head 3");
	vblk_check_data(buf, 10, SECTOR, "batch: head 0");
	vblk_check_data(buf2, 100, SECTOR, "batch: head 3");
}

static void reads(void)
{
	read_check(0, 8 * SECTOR, "read of sectors 0..7");
	read_check(TEST_DISK_SECTORS - 1, SECTOR, "read of the last sector");
	split_read();
	any_framing();
	batch();
	/* Three times round the ring, one sector each. */
	for (unsigned i = 0; i < 3 * VQ_SIZE; i++)
		read_check((i * 37) % TEST_DISK_SECTORS, SECTOR, "ring wrap read");
	gprintf("virtio_blk: reads ok\n");
}

static void errors(void)
{
	static const char want_id[] = "duvisor-embedded";
	uint32_t used = 0;
	int st;

	expect_status(VIRTIO_BLK_T_IN, TEST_DISK_SECTORS, SECTOR, true, VIRTIO_BLK_S_IOERR,
		      "read at the capacity");
	expect_status(VIRTIO_BLK_T_IN, TEST_DISK_SECTORS - 1, 2 * SECTOR, true,
		      VIRTIO_BLK_S_IOERR, "read across the end");
	expect_status(VIRTIO_BLK_T_IN, 1ULL << 63, SECTOR, true, VIRTIO_BLK_S_IOERR,
		      "read at sector 2^63");
	expect_status(VIRTIO_BLK_T_IN, 0, 100, true, VIRTIO_BLK_S_IOERR,
		      "read of a partial sector");

	fill(buf, 0xa5, SECTOR);
	expect_status(VIRTIO_BLK_T_OUT, 0, SECTOR, false, VIRTIO_BLK_S_IOERR,
		      "write to the read-only disk");
	read_check(0, SECTOR, "sector 0 after the refused write");

	expect_status(0x99, 0, 0, true, VIRTIO_BLK_S_UNSUPP, "request type 0x99");

	fill(buf, 0xff, VIRTIO_BLK_ID_BYTES);
	st = vblk_request(&dev, &io[0], VIRTIO_BLK_T_GET_ID, 0, buf, VIRTIO_BLK_ID_BYTES, true,
			  &used);
	if (expectf(st == VIRTIO_BLK_S_OK, "GET_ID: status %d", st)) {
		expect_eq(used, VIRTIO_BLK_ID_BYTES + 1, "GET_ID: used len");
		/* The string and its NUL: what a driver relies on (a 20-byte ID has none). */
		for (unsigned i = 0; i < sizeof(want_id); i++)
			if (!expectf(buf[i] == (uint8_t)want_id[i], "GET_ID: byte %u is 0x%02x", i,
				     buf[i]))
				break;
	}
	gprintf("virtio_blk: errors ok\n");
}

static void on_external(struct trap_frame *f)
{
	(void)f;
	irq_claim = (uint32_t)mmio_lwu(PLIC_CLAIM0);
	irq_istatus = vio_rd(&dev, VIRTIO_MMIO_INT_STATUS);
	vio_wr(&dev, VIRTIO_MMIO_INT_ACK, irq_istatus);
	mmio_sw(PLIC_CLAIM0, irq_claim);
	irqs++;
	if (!expectf(irqs == 1, "external interrupt %lu, 1 expected (claim %u)", irqs, irq_claim))
		test_end();
}

static uint32_t claim(void)
{
	return (uint32_t)mmio_lwu(PLIC_CLAIM0);
}

static void complete(uint32_t id)
{
	mmio_sw(PLIC_CLAIM0, id);
}

/* Nothing claimable; what was claimed anyway is completed, so that nothing stays in service. */
static void expect_no_claim(const char *what)
{
	uint32_t id = claim();

	if (id)
		complete(id);
	expect_eq(id, 0, what);
}

/*
 * Used-buffer notifications: InterruptStatus bit 0 drives PLIC source 1 as a level until
 * InterruptACK clears it; an interrupt is taken end to end; NO_INTERRUPT suppresses it.
 */
static void interrupts(void)
{
	uint32_t id;

	mmio_sw(PLIC_PRIORITY(BLK_IRQ), 1);
	mmio_sw(PLIC_THRESHOLD0, 0);
	mmio_sw(PLIC_ENABLE0, BLK_IRQ_BIT);
	irq_disable();
	/* Every request so far raised bit 0: the PLIC's request served, the bit acknowledged. */
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS), VIRTIO_INT_USED,
		  "InterruptStatus after the requests so far");
	id = claim();
	expect_eq(id, BLK_IRQ, "claim after the requests so far");
	vio_wr(&dev, VIRTIO_MMIO_INT_ACK, VIRTIO_INT_USED);
	if (id)
		complete(id);
	expect(!blk_pending(), "PLIC source 1 not pending after ACK, claim and completion");
	expect_no_claim("nothing to claim after ACK, claim and completion");

	read_check(3, SECTOR, "polled read");
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS), VIRTIO_INT_USED,
		  "InterruptStatus after a request");
	expect(blk_pending(), "PLIC source 1 pending after a request");
	id = claim();
	expect_eq(id, BLK_IRQ, "claim returns source 1");
	/* Completed while InterruptStatus still holds the line high: pending again. */
	complete(id);
	expect(blk_pending(), "completion with InterruptStatus set pends source 1 again");
	id = claim();
	expect_eq(id, BLK_IRQ, "claim returns source 1 again");
	vio_wr(&dev, VIRTIO_MMIO_INT_ACK, VIRTIO_INT_CONFIG);
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS), VIRTIO_INT_USED,
		  "acknowledging bit 1 leaves bit 0");
	vio_wr(&dev, VIRTIO_MMIO_INT_ACK, VIRTIO_INT_USED);
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS), 0, "InterruptACK clears bit 0");
	complete(id);
	expect(!blk_pending(), "acknowledged, then completed: source 1 not pending");
	expect_no_claim("acknowledged, then completed: nothing to claim");

	trap_on_irq(IRQ_S_EXT, on_external);
	csr_set(sie, SIE_SEIE);
	irq_enable();
	read_check(4, SECTOR, "read with interrupts on");
	wait_irq_count(&irqs, 1);
	irq_disable();
	expect_eq(irq_claim, BLK_IRQ, "the interrupt claimed source 1");
	expect_eq(irq_istatus, VIRTIO_INT_USED, "the handler saw InterruptStatus bit 0");
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS), 0, "the handler's ACK cleared it");

	vq.avail.flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	read_check(5, SECTOR, "read with NO_INTERRUPT");
	expect_eq(vio_rd(&dev, VIRTIO_MMIO_INT_STATUS), 0, "NO_INTERRUPT: no InterruptStatus");
	expect(!blk_pending(), "NO_INTERRUPT: PLIC source 1 not pending");
	vq.avail.flags = 0;

	csr_clear(sie, SIE_SEIE);
	mmio_sw(PLIC_ENABLE0, 0);
	gprintf("virtio_blk: interrupts ok\n");
}

/* After a reset, INDIRECT_DESC negotiated: one ring descriptor naming a 3-entry table. */
static void indirect(void)
{
	uint64_t sector = 40;
	struct vq_used_elem e;

	if (!expect(offered & VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC), "INDIRECT_DESC offered"))
		return;
	require(vio_init(&dev, VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_BLK_F_RO) |
				       VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC)),
		"the device initializes again with INDIRECT_DESC");
	fill(buf, 0x5a, 8 * SECTOR);
	io[0] = (struct vblk_io){ .type = VIRTIO_BLK_T_IN, .sector = sector, .status = 0xff };
	itable[0] = (struct vq_desc){ (uintptr_t)&io[0], VBLK_HDR_BYTES, VIRTQ_DESC_F_NEXT, 1 };
	itable[1] = (struct vq_desc){ (uintptr_t)buf, 8 * SECTOR,
				      VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2 };
	itable[2] = (struct vq_desc){ (uintptr_t)&io[0].status, 1, VIRTQ_DESC_F_WRITE, 0 };
	vq.desc[5] = (struct vq_desc){ (uintptr_t)itable, 3 * sizeof(itable[0]),
				       VIRTQ_DESC_F_INDIRECT, 0 };
	vio_post(&dev, 5);
	vio_notify(&dev);
	if (!expect(vio_wait_used(&dev, 1), "indirect read: completed"))
		return;
	e = vio_take_used(&dev);
	expect_eq(e.id, 5, "indirect read: used id");
	expect_eq(e.len, 8 * SECTOR + 1, "indirect read: used len");
	expect_eq(io[0].status, VIRTIO_BLK_S_OK, "indirect read: status");
	vblk_check_data(buf, sector, 8 * SECTOR, "indirect read");
	/* A direct request still works beside the negotiated feature. */
	read_check(TEST_DISK_SECTORS - 8, 8 * SECTOR, "direct read with INDIRECT_DESC");
	gprintf("virtio_blk: indirect ok\n");
}

int main(void)
{
	test_start("virtio_blk");
	irq_disable();
	probe();
	init();
	config();
	reads();
	errors();
	interrupts();
	indirect();
	vio_reset(&dev);
	test_end();
}
