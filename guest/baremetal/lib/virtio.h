/* SPDX-License-Identifier: BSD-2-Clause */
/* A small virtio-mmio driver for the test guests: checked init, one split queue, blk requests. */
#ifndef GUEST_VIRTIO_H
#define GUEST_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

/* The runtime's virtio-mmio slots: slot n at VIRTIO_SLOT(n), PLIC source 1 + n. */
#define VIRTIO_SLOT(n) (0x10001000UL + 0x1000UL * (n))
#define VIRTIO_IRQ(n)  (1 + (n))

/* The guest PLIC as the virtio tests use it: context 0 is vCPU 0's S-mode external interrupt. */
#define PLIC_BASE        0x0c000000UL
#define PLIC_PRIORITY(i) (PLIC_BASE + 4 * (i))
#define PLIC_PENDING0    (PLIC_BASE + 0x1000)
#define PLIC_ENABLE0     (PLIC_BASE + 0x2000)
#define PLIC_THRESHOLD0  (PLIC_BASE + 0x200000)
#define PLIC_CLAIM0      (PLIC_BASE + 0x200004)
#define BLK_IRQ          VIRTIO_IRQ(0)
#define BLK_IRQ_BIT      (1u << BLK_IRQ)

/* Register offsets (4.2.2). */
#define VIRTIO_MMIO_MAGIC         0x000
#define VIRTIO_MMIO_VERSION       0x004
#define VIRTIO_MMIO_DEVICE_ID     0x008
#define VIRTIO_MMIO_VENDOR_ID     0x00c
#define VIRTIO_MMIO_DEV_FEAT      0x010
#define VIRTIO_MMIO_DEV_FEAT_SEL  0x014
#define VIRTIO_MMIO_DRV_FEAT      0x020
#define VIRTIO_MMIO_DRV_FEAT_SEL  0x024
#define VIRTIO_MMIO_QUEUE_SEL     0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM     0x038
#define VIRTIO_MMIO_QUEUE_READY   0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY  0x050
#define VIRTIO_MMIO_INT_STATUS    0x060
#define VIRTIO_MMIO_INT_ACK       0x064
#define VIRTIO_MMIO_STATUS        0x070
#define VIRTIO_MMIO_DESC_LOW      0x080
#define VIRTIO_MMIO_DESC_HIGH     0x084
#define VIRTIO_MMIO_DRIVER_LOW    0x090
#define VIRTIO_MMIO_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_DEVICE_LOW    0x0a0
#define VIRTIO_MMIO_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_CONFIG_GEN    0x0fc
#define VIRTIO_MMIO_CONFIG        0x100

#define VIRTIO_MAGIC     0x74726976 /* "virt" */
#define VIRTIO_ID_NET    1
#define VIRTIO_ID_BLOCK  2

/* Status bits (2.1), InterruptStatus bits (4.2.2). */
#define VIRTIO_S_ACKNOWLEDGE 1U
#define VIRTIO_S_DRIVER      2U
#define VIRTIO_S_DRIVER_OK   4U
#define VIRTIO_S_FEATURES_OK 8U
#define VIRTIO_S_NEEDS_RESET 64U
#define VIRTIO_S_FAILED      128U
#define VIRTIO_INT_USED      1U
#define VIRTIO_INT_CONFIG    2U

/* Feature bits (6, 5.2.3). */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1     32
#define VIRTIO_BLK_F_RO        5
#define VIRTIO_BLK_F_BLK_SIZE  6
#define VIRTIO_BIT(f)          (1ULL << (f))

/* Split virtqueues (2.7). */
#define VIRTQ_DESC_F_NEXT          1U
#define VIRTQ_DESC_F_WRITE         2U
#define VIRTQ_DESC_F_INDIRECT      4U
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1U

/*
 * The queue size the tests use, and the descriptors their table really has: entries
 * VQ_SIZE .. VQ_TABLE - 1 are valid memory but not part of the queue, so that an index past
 * QueueNum is caught by the device's check, not by luck.
 */
#define VQ_SIZE  8
#define VQ_TABLE 16

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vq_used_elem {
	uint32_t id;
	uint32_t len;
};

/* The three areas of one queue, each at its alignment (16, 2, 4). */
struct vq_mem {
	struct vq_desc desc[VQ_TABLE];
	struct {
		uint16_t flags;
		uint16_t idx;
		uint16_t ring[VQ_SIZE];
		uint16_t used_event;
	} avail;
	struct {
		uint16_t flags;
		uint16_t idx;
		struct vq_used_elem ring[VQ_SIZE];
		uint16_t avail_event;
	} used __attribute__((aligned(4)));
} __attribute__((aligned(4096)));

/* virtio-blk requests (5.2.6). */
#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_ID_BYTES 20
#define VIRTIO_BLK_CFG_CAPACITY 0  /* le64 */
#define VIRTIO_BLK_CFG_BLK_SIZE 20 /* le32 */
#define SECTOR 512U

/* The header the device reads and the status byte it writes: one per request in flight. */
struct vblk_io {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
	uint8_t status;
} __attribute__((aligned(16)));
#define VBLK_HDR_BYTES 16U

/*
 * One queue of a device, queue `queue` (0 unless set) in `q`; `avail_idx` and `used_idx` are
 * the driver's shadows. A device with more queues has one of these per queue, same base.
 */
struct vio {
	uintptr_t base;
	struct vq_mem *q;
	uint64_t features; /* negotiated */
	uint16_t avail_idx;
	uint16_t used_idx;
	unsigned queue;
};

/* The embedded test disk (build/disk/pattern.img, tools/mkdisk-pattern.py): 128 sectors. */
#define TEST_DISK_SECTORS 128
static inline uint8_t test_disk_byte(uint64_t off)
{
	return (uint8_t)(off * 7 + off / SECTOR);
}

uint32_t vio_rd(const struct vio *d, unsigned off);
void vio_wr(const struct vio *d, unsigned off, uint32_t v);

/* The device's 64 feature bits, read through DeviceFeaturesSel 0 and 1. */
uint64_t vio_device_features(const struct vio *d);

/* Writes 0 to Status; checks that it reads 0 and InterruptStatus 0. Forgets the queue. */
void vio_reset(struct vio *d);

/*
 * The driver side of initialization up to FEATURES_OK (3.1.1 steps 1-6): reset,
 * ACKNOWLEDGE, DRIVER, `features` written as DriverFeatures, FEATURES_OK. True when
 * the status read back holds FEATURES_OK (a failed check is reported unless `quiet`).
 */
bool vio_negotiate(struct vio *d, uint64_t features, bool quiet);

/* Queue d->queue's QueueNum and area addresses (not QueueReady). */
void vio_queue_set(const struct vio *d, uint32_t num, uint64_t desc, uint64_t driver,
		   uint64_t device);

/*
 * Queue d->queue with VQ_SIZE entries in d->q (zeroed), QueueReady, each step checked;
 * the driver's indices start at 0. True when QueueReady reads 1.
 */
bool vio_queue_init(struct vio *d);

/* DRIVER_OK after FEATURES_OK and the queues; true when Status reads it back. */
bool vio_driver_ok(const struct vio *d);

/*
 * Whole initialization with queue d->queue of VQ_SIZE entries in d->q (zeroed): negotiate,
 * queue setup, QueueReady, DRIVER_OK, each step checked. True when the device is running.
 */
bool vio_init(struct vio *d, uint64_t features);

/* Makes chain `head` available (not yet notified). */
void vio_post(struct vio *d, uint16_t head);

/* QueueNotify for queue d->queue, after a barrier that publishes the rings. */
void vio_notify(const struct vio *d);

/* The device's used idx as it is in memory now. */
uint16_t vio_used_idx(const struct vio *d);

/* Waits (bounded, about a second) until `n` more used entries than consumed are there. */
bool vio_wait_used(const struct vio *d, uint16_t n);

/* The next used entry (after vio_wait_used said it is there). */
struct vq_used_elem vio_take_used(struct vio *d);

/*
 * Descriptors first, first + 1 (if len) and the next one: header (device-readable), data
 * (device-writable when dev_writes) and status (device-writable); io->status set to 0xff
 * beforehand. Returns the index after the last descriptor used.
 */
uint16_t vblk_build(struct vio *d, struct vblk_io *io, uint16_t first, uint32_t type,
		    uint64_t sector, void *data, uint32_t len, bool dev_writes);

/*
 * One request in descriptors 0..2: built, posted, notified, completed. Returns the status
 * byte, or -1 when it did not complete (reported). *used_len gets the used entry's len.
 */
int vblk_request(struct vio *d, struct vblk_io *io, uint32_t type, uint64_t sector,
		 void *data, uint32_t len, bool dev_writes, uint32_t *used_len);

/* Checks `len` bytes against the test disk from `sector` on; reports the first mismatch. */
bool vblk_check_data(const uint8_t *data, uint64_t sector, uint32_t len, const char *what);

#endif
