// SPDX-License-Identifier: BSD-2-Clause
// The test guests' virtio-mmio driver: checked initialization, split queues, blk requests.
#include "mmio.h"
#include "riscv.h"
#include "test.h"
#include "virtio.h"

#define TIMEBASE_HZ 10000000UL /* QEMU virt */

/* Orders ring and buffer accesses against each other and against the MMIO notify. */
static inline void vio_mb(void)
{
	asm volatile("fence iorw, iorw" : : : "memory");
}

uint32_t vio_rd(const struct vio *d, unsigned off)
{
	return (uint32_t)mmio_lwu(d->base + off);
}

void vio_wr(const struct vio *d, unsigned off, uint32_t v)
{
	mmio_sw(d->base + off, v);
}

uint64_t vio_device_features(const struct vio *d)
{
	uint64_t f;

	vio_wr(d, VIRTIO_MMIO_DEV_FEAT_SEL, 1);
	f = (uint64_t)vio_rd(d, VIRTIO_MMIO_DEV_FEAT) << 32;
	vio_wr(d, VIRTIO_MMIO_DEV_FEAT_SEL, 0);
	return f | vio_rd(d, VIRTIO_MMIO_DEV_FEAT);
}

void vio_reset(struct vio *d)
{
	vio_wr(d, VIRTIO_MMIO_STATUS, 0);
	expect_eq(vio_rd(d, VIRTIO_MMIO_STATUS), 0, "Status reads 0 after reset");
	expect_eq(vio_rd(d, VIRTIO_MMIO_INT_STATUS), 0, "InterruptStatus reads 0 after reset");
	d->features = 0;
	d->avail_idx = d->used_idx = 0;
}

static void zero(void *p, unsigned long n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

bool vio_negotiate(struct vio *d, uint64_t features, bool quiet)
{
	uint32_t want = VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER;
	uint32_t status;

	vio_reset(d);
	vio_wr(d, VIRTIO_MMIO_STATUS, VIRTIO_S_ACKNOWLEDGE);
	expect_eq(vio_rd(d, VIRTIO_MMIO_STATUS), VIRTIO_S_ACKNOWLEDGE, "Status after ACKNOWLEDGE");
	vio_wr(d, VIRTIO_MMIO_STATUS, want);
	expect_eq(vio_rd(d, VIRTIO_MMIO_STATUS), want, "Status after DRIVER");
	if (!quiet)
		expectf(!(features & ~vio_device_features(d)),
			"driver features 0x%lx not all offered (0x%lx)", (unsigned long)features,
			(unsigned long)vio_device_features(d));
	vio_wr(d, VIRTIO_MMIO_DRV_FEAT_SEL, 1);
	vio_wr(d, VIRTIO_MMIO_DRV_FEAT, (uint32_t)(features >> 32));
	vio_wr(d, VIRTIO_MMIO_DRV_FEAT_SEL, 0);
	vio_wr(d, VIRTIO_MMIO_DRV_FEAT, (uint32_t)features);
	vio_wr(d, VIRTIO_MMIO_STATUS, want | VIRTIO_S_FEATURES_OK);
	status = vio_rd(d, VIRTIO_MMIO_STATUS);
	d->features = features;
	if (quiet)
		return status & VIRTIO_S_FEATURES_OK;
	return expect_eq(status, want | VIRTIO_S_FEATURES_OK, "Status after FEATURES_OK");
}

void vio_queue_set(const struct vio *d, uint32_t num, uint64_t desc, uint64_t driver,
		   uint64_t device)
{
	vio_wr(d, VIRTIO_MMIO_QUEUE_SEL, d->queue);
	vio_wr(d, VIRTIO_MMIO_QUEUE_NUM, num);
	vio_wr(d, VIRTIO_MMIO_DESC_LOW, (uint32_t)desc);
	vio_wr(d, VIRTIO_MMIO_DESC_HIGH, (uint32_t)(desc >> 32));
	vio_wr(d, VIRTIO_MMIO_DRIVER_LOW, (uint32_t)driver);
	vio_wr(d, VIRTIO_MMIO_DRIVER_HIGH, (uint32_t)(driver >> 32));
	vio_wr(d, VIRTIO_MMIO_DEVICE_LOW, (uint32_t)device);
	vio_wr(d, VIRTIO_MMIO_DEVICE_HIGH, (uint32_t)(device >> 32));
}

bool vio_queue_init(struct vio *d)
{
	vio_wr(d, VIRTIO_MMIO_QUEUE_SEL, d->queue);
	if (!expect_eq(vio_rd(d, VIRTIO_MMIO_QUEUE_READY), 0, "QueueReady 0 after reset") ||
	    !expectf(vio_rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX) >= VQ_SIZE, "QueueNumMax %u below %u",
		     vio_rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX), VQ_SIZE))
		return false;
	zero(d->q, sizeof(*d->q));
	d->avail_idx = d->used_idx = 0;
	vio_queue_set(d, VQ_SIZE, (uintptr_t)d->q->desc, (uintptr_t)&d->q->avail,
		      (uintptr_t)&d->q->used);
	vio_wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
	return expect_eq(vio_rd(d, VIRTIO_MMIO_QUEUE_READY), 1, "QueueReady reads 1");
}

bool vio_driver_ok(const struct vio *d)
{
	uint32_t ok = VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER | VIRTIO_S_FEATURES_OK;

	vio_wr(d, VIRTIO_MMIO_STATUS, ok | VIRTIO_S_DRIVER_OK);
	return expect_eq(vio_rd(d, VIRTIO_MMIO_STATUS), ok | VIRTIO_S_DRIVER_OK,
			 "Status after DRIVER_OK");
}

bool vio_init(struct vio *d, uint64_t features)
{
	return vio_negotiate(d, features, false) && vio_queue_init(d) && vio_driver_ok(d);
}

void vio_post(struct vio *d, uint16_t head)
{
	d->q->avail.ring[d->avail_idx % VQ_SIZE] = head;
	/* The entry (and the chain) before the index that publishes it (2.7.13). */
	vio_mb();
	*(volatile uint16_t *)&d->q->avail.idx = ++d->avail_idx;
}

void vio_notify(const struct vio *d)
{
	vio_mb();
	vio_wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, d->queue);
}

uint16_t vio_used_idx(const struct vio *d)
{
	uint16_t idx = *(volatile uint16_t *)&d->q->used.idx;

	vio_mb();
	return idx;
}

bool vio_wait_used(const struct vio *d, uint16_t n)
{
	uint64_t deadline = rdtime() + TIMEBASE_HZ;

	while ((uint16_t)(vio_used_idx(d) - d->used_idx) < n)
		if (rdtime() > deadline)
			return false;
	return true;
}

struct vq_used_elem vio_take_used(struct vio *d)
{
	volatile struct vq_used_elem *e = &d->q->used.ring[d->used_idx++ % VQ_SIZE];

	return (struct vq_used_elem){ .id = e->id, .len = e->len };
}

static void set_desc(struct vio *d, uint16_t i, const void *addr, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	d->q->desc[i] = (struct vq_desc){ (uintptr_t)addr, len, flags, next };
}

uint16_t vblk_build(struct vio *d, struct vblk_io *io, uint16_t first, uint32_t type,
		    uint64_t sector, void *data, uint32_t len, bool dev_writes)
{
	uint16_t i = first;

	io->type = type;
	io->reserved = 0;
	io->sector = sector;
	io->status = 0xff;
	set_desc(d, i, io, VBLK_HDR_BYTES, VIRTQ_DESC_F_NEXT, (uint16_t)(i + 1));
	i++;
	if (len) {
		set_desc(d, i, data, len, VIRTQ_DESC_F_NEXT | (dev_writes ? VIRTQ_DESC_F_WRITE : 0),
			 (uint16_t)(i + 1));
		i++;
	}
	set_desc(d, i, &io->status, 1, VIRTQ_DESC_F_WRITE, 0);
	return (uint16_t)(i + 1);
}

int vblk_request(struct vio *d, struct vblk_io *io, uint32_t type, uint64_t sector,
		 void *data, uint32_t len, bool dev_writes, uint32_t *used_len)
{
	struct vq_used_elem e;

	vblk_build(d, io, 0, type, sector, data, len, dev_writes);
	vio_post(d, 0);
	vio_notify(d);
	if (!expectf(vio_wait_used(d, 1), "request type %u sector %lu: no used entry (Status 0x%x)",
		     type, (unsigned long)sector, vio_rd(d, VIRTIO_MMIO_STATUS)))
		return -1;
	e = vio_take_used(d);
	expect_eq(e.id, 0, "used entry's id is the chain's head");
	if (used_len)
		*used_len = e.len;
	return *(volatile uint8_t *)&io->status;
}

bool vblk_check_data(const uint8_t *data, uint64_t sector, uint32_t len, const char *what)
{
	uint64_t base = sector * SECTOR;

	for (uint32_t i = 0; i < len; i++)
		if (data[i] != test_disk_byte(base + i))
			return expectf(false, "%s: byte 0x%x from sector %lu: 0x%02x, want 0x%02x",
				       what, i, (unsigned long)sector, data[i],
				       test_disk_byte(base + i));
	return true;
}
