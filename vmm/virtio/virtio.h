/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * virtio over MMIO (virtio 1.2, 4.2.2, version 2 only) with split virtqueues (2.7): the
 * transport every device model of the runtime sits behind. A device model fills in what it
 * offers (ID, features, queues, config space) and gets the guest's notifications; it takes
 * validated chains with virtq_pop and gives them back with virtq_push.
 */
#ifndef VMM_VIRTIO_H
#define VMM_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "mmio.h"
#include "vm.h"

/* Feature bits (virtio 1.2, 6). */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1     32
#define VIRTIO_BIT(f)          (1ULL << (f))

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1U
#define VIRTIO_STATUS_DRIVER      2U
#define VIRTIO_STATUS_DRIVER_OK   4U
#define VIRTIO_STATUS_FEATURES_OK 8U
#define VIRTIO_STATUS_NEEDS_RESET 64U
#define VIRTIO_STATUS_FAILED      128U

/* InterruptStatus bits (4.2.2). */
#define VIRTIO_INT_USED   1U
#define VIRTIO_INT_CONFIG 2U

/* Device IDs (5). */
#define VIRTIO_ID_NET     1
#define VIRTIO_ID_BLOCK   2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG     4

/* Split virtqueue layout (2.7): descriptor flags, the available ring's flag, area sizes. */
#define VIRTQ_DESC_F_NEXT          1U
#define VIRTQ_DESC_F_WRITE         2U
#define VIRTQ_DESC_F_INDIRECT      4U
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1U
#define VIRTQ_DESC_BYTES(n)  (16ULL * (n))    /* 16-byte aligned */
#define VIRTQ_AVAIL_BYTES(n) (6ULL + 2ULL * (n)) /* 2-byte aligned */
#define VIRTQ_USED_BYTES(n)  (6ULL + 8ULL * (n)) /* 4-byte aligned */

#define VIRTIO_MAX_QUEUES 2
#define VIRTQ_MAX_SIZE    128 /* the largest QueueNumMax a device offers; bounds chains too */
#define VIRTIO_CONFIG_MAX 64

/* One buffer of a chain, checked to lie wholly inside guest RAM. */
struct virtq_seg {
	uint64_t gpa;
	uint32_t len;
	bool write; /* device-writable */
};

/* A descriptor chain as taken from the available ring; indirect tables are flattened. */
struct virtq_chain {
	uint16_t head;
	unsigned nr;       /* segments */
	unsigned nr_out;   /* the first nr_out are device-readable, the rest device-writable */
	uint32_t out_len;  /* bytes in device-readable segments */
	uint32_t in_len;   /* bytes in device-writable segments */
	struct virtq_seg seg[VIRTQ_MAX_SIZE];
};

struct virtq {
	uint32_t size;     /* QueueNum */
	uint32_t size_max; /* QueueNumMax, set by the device model */
	uint64_t desc_gpa, avail_gpa, used_gpa;
	/* The three areas in guest RAM, found once at QueueReady: RAM does not move. */
	const uint8_t *desc;
	const uint16_t *avail;
	uint8_t *used;
	uint16_t last_avail; /* next available-ring entry to take */
	uint16_t used_idx;   /* next used-ring entry to fill */
	bool ready;
};

struct virtio_dev;

struct virtio_dev_ops {
	/* The guest notified queue q (or set DRIVER_OK: q is then every ready queue in turn). */
	void (*notify)(struct virtio_dev *d, unsigned q);
	/* The guest reset the device: forget every chain taken and not pushed. */
	void (*reset)(struct virtio_dev *d);
};

/*
 * Locking: the transport and the device models run under the board lock (MMIO exits and
 * host-IRQ exits take it), so nothing here locks.
 */
struct virtio_dev {
	struct mmio_dev mmio;  /* registered on the VM's bus by the board */
	const char *name;      /* e.g. "virtio-blk", for messages */
	struct vm *vm;         /* guest RAM, via vm_gpa_ptr */

	/* What the device model offers; set before virtio_init's caller registers the device. */
	uint32_t device_id;
	uint64_t features;     /* device-specific bits; the transport adds VERSION_1 (and INDIRECT_DESC) */
	unsigned nr_queues;
	uint8_t config[VIRTIO_CONFIG_MAX];
	unsigned config_size;
	const struct virtio_dev_ops *ops;
	void *priv;

	/* The interrupt line to the vPLIC: level = InterruptStatus != 0. */
	void (*set_irq)(void *opaque, bool level);
	void *irq_opaque;

	/* Transport state, owned by transport.c. */
	uint32_t *shadow;      /* the register page as the guest's loads see it, or NULL */
	uint32_t status;
	uint32_t dev_features_sel, drv_features_sel, queue_sel;
	uint64_t driver_features;
	uint32_t interrupt_status;
	uint32_t config_generation;
	struct virtq vq[VIRTIO_MAX_QUEUES];
};

/*
 * Sets up the transport at `base` (4 KiB window) for a device whose ID, features, queues
 * (nr_queues, vq[i].size_max), config, ops and irq wiring are already filled in. Values
 * beyond the limits above (VIRTIO_MAX_QUEUES, VIRTQ_MAX_SIZE, VIRTIO_CONFIG_MAX) are clamped.
 */
void virtio_init(struct virtio_dev *d, uint64_t base, struct vm *vm);

/* The device back to its reset state, as if the driver had written 0 to Status. */
void virtio_reset(struct virtio_dev *d);

/*
 * Keeps `page` (4 KiB) equal to what the registers read from now on, for a guest whose loads
 * read that page instead of exiting; NULL: no shadow. Every change of a readable register
 * refreshes it: InterruptStatus alone on the data path (used buffers, ACK), the whole page
 * when anything else may have changed (any other write, a reset, DEVICE_NEEDS_RESET).
 */
void virtio_shadow(struct virtio_dev *d, uint32_t *page);

/* InterruptStatus := val; the line to the vPLIC follows it. */
void virtio_set_interrupt_status(struct virtio_dev *d, uint32_t val);

/* DRIVER_OK is set and neither DEVICE_NEEDS_RESET nor FAILED is: queues may be processed. */
static inline bool virtio_running(const struct virtio_dev *d)
{
	return (d->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET |
			     VIRTIO_STATUS_FAILED)) == VIRTIO_STATUS_DRIVER_OK;
}

/* Whether the driver accepted feature bit f. */
static inline bool virtio_has(const struct virtio_dev *d, unsigned f)
{
	return (d->driver_features >> f) & 1;
}

/* The config space changed: bump ConfigGeneration, raise a configuration change interrupt. */
void virtio_config_changed(struct virtio_dev *d);

/*
 * The guest handed over something invalid: the device logs `why` with its name and goes
 * into DEVICE_NEEDS_RESET (with a configuration change interrupt); it takes no more chains
 * until the guest resets it. Everything else keeps running.
 */
void virtio_fail(struct virtio_dev *d, const char *why, ...) __attribute__((format(printf, 2, 3)));

/*
 * Takes the next available chain of queue q into c, checking every descriptor: index below
 * the queue size, buffer inside guest RAM without wrapping, no loop, at most the queue size
 * descriptors in the ring's table and VIRTQ_MAX_SIZE in an indirect table and in the whole
 * chain, device-writable ones after device-readable ones, total lengths that fit 32 bits,
 * indirect tables only when negotiated and well-formed.
 * Returns 1 with a chain, 0 when none is available (or the queue is not ready), -1 when the
 * device is not running, q is not a queue of the device, or the chain was invalid
 * (virtio_fail has then been called).
 */
int virtq_pop(struct virtio_dev *d, unsigned q, struct virtq_chain *c);

/* Puts the chain virtq_pop just took back, to be taken again later (e.g. the backend is full). */
void virtq_unpop(struct virtio_dev *d, unsigned q);

/*
 * Returns chain `head` to the guest in the used ring with `len` bytes written (ignored when
 * the queue is no longer ready: a reset made the device forget its chains).
 */
void virtq_push(struct virtio_dev *d, unsigned q, uint16_t head, uint32_t len);

/*
 * A used-buffer notification to the guest (after one or more virtq_push). It is skipped when
 * every ready queue has VIRTQ_AVAIL_F_NO_INTERRUPT set (2.7.7: the device SHOULD NOT notify).
 */
void virtio_interrupt(struct virtio_dev *d);

/*
 * Copies between guest buffers of a chain and a flat buffer: from the device-readable
 * segments starting `off` bytes into them, or into the device-writable ones. They return
 * the bytes copied (less than len when the segments are shorter).
 */
uint32_t virtq_read(struct virtio_dev *d, const struct virtq_chain *c, uint32_t off, void *buf,
		    uint32_t len);
uint32_t virtq_write(struct virtio_dev *d, const struct virtq_chain *c, uint32_t off,
		     const void *buf, uint32_t len);

#endif
