// SPDX-License-Identifier: BSD-2-Clause
/* The virtio-mmio register file (virtio 1.2, 4.2.2, version 2): status, features, queues. */
#include <stdarg.h>
#include <stdio.h>

#include "virtio.h"

/* Register offsets (4.2.2). */
#define MMIO_MAGIC         0x000
#define MMIO_VERSION       0x004
#define MMIO_DEVICE_ID     0x008
#define MMIO_VENDOR_ID     0x00c
#define MMIO_DEV_FEAT      0x010
#define MMIO_DEV_FEAT_SEL  0x014
#define MMIO_DRV_FEAT      0x020
#define MMIO_DRV_FEAT_SEL  0x024
#define MMIO_QUEUE_SEL     0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM     0x038
#define MMIO_QUEUE_READY   0x044
#define MMIO_QUEUE_NOTIFY  0x050
#define MMIO_INT_STATUS    0x060
#define MMIO_INT_ACK       0x064
#define MMIO_STATUS        0x070
#define MMIO_DESC_LOW      0x080
#define MMIO_DESC_HIGH     0x084
#define MMIO_DRIVER_LOW    0x090
#define MMIO_DRIVER_HIGH   0x094
#define MMIO_DEVICE_LOW    0x0a0
#define MMIO_DEVICE_HIGH   0x0a4
#define MMIO_SHM_LEN_LOW   0x0b0
#define MMIO_SHM_BASE_HIGH 0x0bc
#define MMIO_CONFIG_GEN    0x0fc
#define MMIO_CONFIG        0x100
#define MMIO_WINDOW        0x1000

#define VIRTIO_MAGIC     0x74726976 /* "virt" */
#define VIRTIO_VENDOR_ID 0x44564300 /* "DVC\0" read as a big-endian word: DuVisor-C */

/* Feature bits 24..41 belong to the transport (2.2); a device model offers only the others. */
#define TRANSPORT_FEATURES (((1ULL << 42) - 1) & ~((1ULL << 24) - 1))

#define STATUS_DRIVER_BITS                                                              \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK |   \
	 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_FAILED)

static uint64_t offered(const struct virtio_dev *d)
{
	return (d->features & ~TRANSPORT_FEATURES) | VIRTIO_BIT(VIRTIO_F_VERSION_1) |
	       VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC);
}

static int virtio_read(void *opaque, uint64_t off, unsigned width, uint64_t *val);

/* The shadow takes what the register read returns: one source of truth for both. */
static void shadow_word(struct virtio_dev *d, uint64_t off)
{
	uint64_t val = 0;

	virtio_read(d, off, 4, &val);
	d->shadow[off / 4] = (uint32_t)val;
}

/* Every register and config byte; the rest of the page stays as virtio_shadow left it, 0. */
static void shadow_sync(struct virtio_dev *d)
{
	uint8_t *bytes = (uint8_t *)d->shadow;
	uint64_t off, val;

	if (!d->shadow)
		return;
	for (off = 0; off < MMIO_CONFIG; off += 4)
		shadow_word(d, off);
	for (off = MMIO_CONFIG; off < MMIO_CONFIG + d->config_size; off++) {
		val = 0;
		virtio_read(d, off, 1, &val);
		bytes[off] = (uint8_t)val;
	}
}

void virtio_shadow(struct virtio_dev *d, uint32_t *page)
{
	d->shadow = page;
	for (unsigned i = 0; page && i < MMIO_WINDOW / 4; i++)
		page[i] = 0;
	shadow_sync(d);
}

/* The interrupt line follows InterruptStatus != 0; only changes are passed on. */
void virtio_set_interrupt_status(struct virtio_dev *d, uint32_t val)
{
	bool was = d->interrupt_status != 0;

	d->interrupt_status = val;
	if (d->shadow)
		shadow_word(d, MMIO_INT_STATUS);
	if (was != (val != 0) && d->set_irq)
		d->set_irq(d->irq_opaque, val != 0);
}

void virtio_config_changed(struct virtio_dev *d)
{
	d->config_generation++;
	shadow_sync(d);
	virtio_set_interrupt_status(d, d->interrupt_status | VIRTIO_INT_CONFIG);
}

void virtio_fail(struct virtio_dev *d, const char *why, ...)
{
	char msg[160];
	va_list ap;

	d->status |= VIRTIO_STATUS_NEEDS_RESET;
	shadow_sync(d);
	virtio_set_interrupt_status(d, d->interrupt_status | VIRTIO_INT_CONFIG);
	if (d->vm && !vm_warn_ok(d->vm))
		return;
	va_start(ap, why);
	vsnprintf(msg, sizeof(msg), why, ap);
	va_end(ap);
	printf("%s@0x%llx: DEVICE_NEEDS_RESET: %s\n", d->name ? d->name : "virtio",
	       (unsigned long long)d->mmio.base, msg);
}

/* Back to the state after virtio_init; the device model is told separately. */
static void transport_reset(struct virtio_dev *d)
{
	unsigned i;

	d->status = 0;
	d->dev_features_sel = d->drv_features_sel = d->queue_sel = 0;
	d->driver_features = 0;
	for (i = 0; i < VIRTIO_MAX_QUEUES; i++) {
		struct virtq *vq = &d->vq[i];

		vq->ready = false;
		vq->size = vq->size_max;
		vq->desc_gpa = vq->avail_gpa = vq->used_gpa = 0;
		vq->last_avail = vq->used_idx = 0;
	}
	d->interrupt_status = 0;
	shadow_sync(d);
	if (d->set_irq)
		d->set_irq(d->irq_opaque, false);
}

void virtio_reset(struct virtio_dev *d)
{
	transport_reset(d);
	if (d->ops && d->ops->reset)
		d->ops->reset(d);
}

/* The queue QueueSel points at, or NULL when there is no such queue. */
static struct virtq *selected(struct virtio_dev *d)
{
	return d->queue_sel < d->nr_queues ? &d->vq[d->queue_sel] : NULL;
}

/*
 * Why the selected queue's layout cannot be used (2.7 sizes and alignments), or NULL with
 * the areas found in RAM.
 */
static const char *queue_map(struct virtio_dev *d, struct virtq *vq)
{
	if (!vq->size || (vq->size & (vq->size - 1)))
		return "QueueNum is not a power of 2";
	if (vq->size > vq->size_max)
		return "QueueNum is above QueueNumMax";
	if (vq->desc_gpa % 16 || vq->avail_gpa % 2 || vq->used_gpa % 4)
		return "misaligned queue area";
	if (!(vq->desc = vm_gpa_ptr(d->vm, vq->desc_gpa, VIRTQ_DESC_BYTES(vq->size))))
		return "descriptor area outside RAM";
	if (!(vq->avail = vm_gpa_ptr(d->vm, vq->avail_gpa, VIRTQ_AVAIL_BYTES(vq->size))))
		return "driver area outside RAM";
	if (!(vq->used = vm_gpa_ptr(d->vm, vq->used_gpa, VIRTQ_USED_BYTES(vq->size))))
		return "device area outside RAM";
	return NULL;
}

static void queue_set_ready(struct virtio_dev *d, struct virtq *vq, uint32_t val)
{
	const char *why;

	if (val == 0) {
		vq->ready = false;
		return;
	}
	if (val != 1 || vq->ready)
		return;
	why = queue_map(d, vq);
	if (why) {
		virtio_fail(d, "queue %u: %s (QueueNum %u, desc 0x%llx, driver 0x%llx, device 0x%llx)",
			    (unsigned)(vq - d->vq), why, vq->size, (unsigned long long)vq->desc_gpa,
			    (unsigned long long)vq->avail_gpa, (unsigned long long)vq->used_gpa);
		return;
	}
	/* A queue starts on zeroed rings (4.2.3.2): both indices from 0. */
	vq->last_avail = vq->used_idx = 0;
	vq->ready = true;
}

static void set_low(uint64_t *reg, uint32_t val)
{
	*reg = (*reg & ~0xffffffffULL) | val;
}

static void set_high(uint64_t *reg, uint32_t val)
{
	*reg = (*reg & 0xffffffffULL) | (uint64_t)val << 32;
}

/* QueueNum and the area addresses of a queue that is not ready (4.2.2 forbids the rest). */
static void queue_write(struct virtio_dev *d, uint64_t off, uint32_t val)
{
	struct virtq *vq = selected(d);

	if (!vq)
		return;
	if (off == MMIO_QUEUE_READY) {
		queue_set_ready(d, vq, val);
		return;
	}
	if (vq->ready)
		return;
	switch (off) {
	case MMIO_QUEUE_NUM:
		vq->size = val;
		break;
	case MMIO_DESC_LOW:
		set_low(&vq->desc_gpa, val);
		break;
	case MMIO_DESC_HIGH:
		set_high(&vq->desc_gpa, val);
		break;
	case MMIO_DRIVER_LOW:
		set_low(&vq->avail_gpa, val);
		break;
	case MMIO_DRIVER_HIGH:
		set_high(&vq->avail_gpa, val);
		break;
	case MMIO_DEVICE_LOW:
		set_low(&vq->used_gpa, val);
		break;
	case MMIO_DEVICE_HIGH:
		set_high(&vq->used_gpa, val);
		break;
	}
}

static bool features_acceptable(const struct virtio_dev *d)
{
	return !(d->driver_features & ~offered(d)) && virtio_has(d, VIRTIO_F_VERSION_1);
}

/*
 * Status bits only accumulate until a write of 0 resets the device (2.1: the driver never
 * clears one). FEATURES_OK stays only for an acceptable feature set (2.2.2), DRIVER_OK only
 * after FEATURES_OK; NEEDS_RESET is the device's and the driver cannot set it.
 */
static void status_write(struct virtio_dev *d, uint32_t val)
{
	uint32_t old = d->status, next;
	unsigned q;

	if (val == 0) {
		virtio_reset(d);
		return;
	}
	next = old | (val & STATUS_DRIVER_BITS);
	if ((next & ~old & VIRTIO_STATUS_FEATURES_OK) && !features_acceptable(d))
		next &= ~VIRTIO_STATUS_FEATURES_OK;
	if (!(next & VIRTIO_STATUS_FEATURES_OK))
		next &= ~VIRTIO_STATUS_DRIVER_OK;
	d->status = next;
	/* A driver may have made buffers available before DRIVER_OK (3.1.1). */
	if ((next & ~old & VIRTIO_STATUS_DRIVER_OK) && virtio_running(d) && d->ops && d->ops->notify)
		for (q = 0; q < d->nr_queues; q++)
			if (d->vq[q].ready && virtio_running(d))
				d->ops->notify(d, q);
}

static void notify(struct virtio_dev *d, uint32_t val)
{
	if (val < d->nr_queues && d->vq[val].ready && virtio_running(d) && d->ops &&
	    d->ops->notify)
		d->ops->notify(d, val);
}

/* Little-endian config space, read with naturally aligned 1/2/4-byte accesses. */
static int config_access(const struct virtio_dev *d, uint64_t off, unsigned width)
{
	if ((width != 1 && width != 2 && width != 4) || off % width)
		return -1;
	return off - MMIO_CONFIG + width <= d->config_size ? 0 : -1;
}

static int virtio_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	struct virtio_dev *d = opaque;
	struct virtq *vq = selected(d);
	unsigned i;

	if (off >= MMIO_CONFIG) {
		if (config_access(d, off, width))
			return -1;
		*val = 0;
		for (i = 0; i < width; i++)
			*val |= (uint64_t)d->config[off - MMIO_CONFIG + i] << (8 * i);
		return 0;
	}
	if (width != 4 || off % 4)
		return -1;
	switch (off) {
	case MMIO_MAGIC:
		*val = VIRTIO_MAGIC;
		break;
	case MMIO_VERSION:
		*val = 2;
		break;
	case MMIO_DEVICE_ID:
		*val = d->device_id;
		break;
	case MMIO_VENDOR_ID:
		*val = VIRTIO_VENDOR_ID;
		break;
	case MMIO_DEV_FEAT:
		*val = d->dev_features_sel < 2 ? (uint32_t)(offered(d) >> (32 * d->dev_features_sel))
					       : 0;
		break;
	case MMIO_QUEUE_NUM_MAX:
		*val = vq ? vq->size_max : 0;
		break;
	case MMIO_QUEUE_READY:
		*val = vq ? vq->ready : 0;
		break;
	case MMIO_INT_STATUS:
		*val = d->interrupt_status;
		break;
	case MMIO_STATUS:
		*val = d->status;
		break;
	case MMIO_CONFIG_GEN:
		*val = d->config_generation;
		break;
	default:
		/* No shared memory regions: every length and base reads as -1 (4.2.2). */
		*val = off >= MMIO_SHM_LEN_LOW && off <= MMIO_SHM_BASE_HIGH ? 0xffffffffU : 0;
	}
	return 0;
}

/* Every register write but the data path's two; out of line, so they need no stack frame. */
static __attribute__((noinline)) void setup_write(struct virtio_dev *d, uint64_t off, uint32_t v)
{
	switch (off) {
	case MMIO_DEV_FEAT_SEL:
		d->dev_features_sel = v;
		break;
	case MMIO_DRV_FEAT:
		if (d->status & VIRTIO_STATUS_FEATURES_OK)
			break;
		if (d->drv_features_sel == 0)
			set_low(&d->driver_features, v);
		else if (d->drv_features_sel == 1)
			set_high(&d->driver_features, v);
		break;
	case MMIO_DRV_FEAT_SEL:
		if (!(d->status & VIRTIO_STATUS_FEATURES_OK))
			d->drv_features_sel = v;
		break;
	case MMIO_QUEUE_SEL:
		d->queue_sel = v;
		break;
	case MMIO_QUEUE_NUM:
	case MMIO_QUEUE_READY:
	case MMIO_DESC_LOW:
	case MMIO_DESC_HIGH:
	case MMIO_DRIVER_LOW:
	case MMIO_DRIVER_HIGH:
	case MMIO_DEVICE_LOW:
	case MMIO_DEVICE_HIGH:
		queue_write(d, off, v);
		break;
	case MMIO_STATUS:
		status_write(d, v);
		break;
	}
	/* Rare, and selectors change what several registers read. */
	shadow_sync(d);
}

static int virtio_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct virtio_dev *d = opaque;
	uint32_t v = (uint32_t)val;

	if (off >= MMIO_CONFIG)
		return config_access(d, off, width); /* the config space is read-only */
	if (width != 4 || off % 4)
		return -1;
	/* The data path's two refresh the shadow themselves, and only what changed. */
	if (off == MMIO_QUEUE_NOTIFY)
		notify(d, v);
	else if (off == MMIO_INT_ACK)
		virtio_set_interrupt_status(d, d->interrupt_status & ~v);
	else
		setup_write(d, off, v);
	return 0;
}

void virtio_init(struct virtio_dev *d, uint64_t base, struct vm *vm)
{
	unsigned i;

	d->mmio = (struct mmio_dev){
		.name = d->name,
		.base = base,
		.size = MMIO_WINDOW,
		.opaque = d,
		.read = virtio_read,
		.write = virtio_write,
	};
	d->vm = vm;
	if (d->nr_queues > VIRTIO_MAX_QUEUES)
		d->nr_queues = VIRTIO_MAX_QUEUES;
	if (d->config_size > VIRTIO_CONFIG_MAX)
		d->config_size = VIRTIO_CONFIG_MAX;
	for (i = 0; i < VIRTIO_MAX_QUEUES; i++) {
		if (i >= d->nr_queues)
			d->vq[i].size_max = 0;
		else if (d->vq[i].size_max > VIRTQ_MAX_SIZE)
			d->vq[i].size_max = VIRTQ_MAX_SIZE;
	}
	d->config_generation = 0;
	transport_reset(d);
}
