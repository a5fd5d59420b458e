// SPDX-License-Identifier: BSD-2-Clause
/*
 * The DMA gate: the host's virtio-mmio devices (version 2, split queues), driven here for the
 * VM they are granted to. With no IOMMU a device reaches all of memory, so the runtime never
 * sees their registers or rings: it hands over buffers as offsets into the VM's RAM, and only
 * buffers checked to lie inside that RAM become descriptors.
 */
#include <string.h>

#include "mk.h"

/* virtio-mmio registers (virtio 1.2, 4.2.2); the 64-bit queue addresses are low, high words. */
#define VIO_MAGIC         0x000
#define VIO_VERSION       0x004
#define VIO_DEVICE_ID     0x008
#define VIO_DEV_FEAT      0x010
#define VIO_DEV_FEAT_SEL  0x014
#define VIO_DRV_FEAT      0x020
#define VIO_DRV_FEAT_SEL  0x024
#define VIO_QUEUE_SEL     0x030
#define VIO_QUEUE_NUM_MAX 0x034
#define VIO_QUEUE_NUM     0x038
#define VIO_QUEUE_READY   0x044
#define VIO_QUEUE_NOTIFY  0x050
#define VIO_INT_STATUS    0x060
#define VIO_INT_ACK       0x064
#define VIO_STATUS        0x070
#define VIO_QUEUE_DESC    0x080
#define VIO_QUEUE_DRIVER  0x090
#define VIO_QUEUE_DEVICE  0x0a0
#define VIO_CONFIG_GEN    0x0fc
#define VIO_CONFIG        0x100
#define VIO_MAGIC_VIRT    0x74726976 /* "virt" */

#define ST_ACKNOWLEDGE 1U
#define ST_DRIVER      2U
#define ST_DRIVER_OK   4U
#define ST_FEATURES_OK 8U

#define BIT(n) (1ULL << (n))
#define VIRTIO_F_VERSION_1 BIT(32)

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))

/*
 * What each class may negotiate besides VIRTIO_F_VERSION_1: only bits whose meaning lies in
 * the requests the runtime builds. Nothing that changes the ring (indirect descriptors would
 * let the device follow a table in the VM's RAM that was never checked; no packed rings, no
 * event index), nothing that adds queues.
 */
static const struct hclass {
	const char *name;
	unsigned queues;
	uint64_t features;
} hclass[] = {
	[1] = { "net", 2, BIT(5) },                                  /* MAC */
	[2] = { "blk", 1, BIT(1) | BIT(2) | BIT(4) | BIT(5) | BIT(6) | BIT(9) | BIT(10) },
	[3] = { "console", 2, 0 },                                   /* receiveq0, transmitq0 */
	[4] = { "rng", 1, 0 },
};

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};
#define VQ_NEXT  1
#define VQ_WRITE 2

/* A queue's rings, in one page of minikernel memory the runtime cannot reach. */
struct vq_page {
	struct vq_desc desc[DV_DMA_MAX_SEGS];
	struct {
		uint16_t flags, idx, ring[DV_DMA_MAX_SEGS];
	} avail;
	struct {
		uint16_t flags, idx;
		struct {
			uint32_t id, len;
		} ring[DV_DMA_MAX_SEGS];
	} used __attribute__((aligned(4)));
};
_Static_assert(sizeof(struct vq_page) <= PAGE_SIZE, "a queue's rings fit in a page");
_Static_assert(DV_DMA_MAX_SEGS <= 255, "descriptor indices fit in a byte");

/*
 * Free descriptors form a list through next[], private to the minikernel: the device writes
 * the used ring and could lie there, so nothing it wrote is ever followed. A chain in flight
 * keeps its links in next[] and its length in chain[head].
 */
struct hq {
	struct vq_page *ring;
	uint16_t size, nr_free, avail_idx, last_used;
	uint8_t free_head;
	uint8_t next[DV_DMA_MAX_SEGS];
	uint8_t chain[DV_DMA_MAX_SEGS];
};

struct mk_hdev {
	struct dv_hdev info;
	struct mk_vm *vm; /* the VM it is granted to */
	uint32_t lock;    /* its queues and registers: submit, reap, reset and its IRQ, from any hart */
	bool live;        /* set up; false after a failed reset */
	struct hq q[DV_HDEV_QUEUES];
};

static struct mk_hdev hdevs[MK_MAX_VIRTIO];
static unsigned nr_hdevs;

static uint32_t rd(const struct mk_hdev *d, unsigned reg)
{
	return *(volatile uint32_t *)(d->info.pa + reg);
}

/* What was stored to rings and buffers must be visible to the device before it is told. */
static void wr(const struct mk_hdev *d, unsigned reg, uint32_t val)
{
	__asm__ volatile("fence iorw, iorw" ::: "memory");
	*(volatile uint32_t *)(d->info.pa + reg) = val;
}

static void wr64(const struct mk_hdev *d, unsigned reg, uint64_t val)
{
	wr(d, reg, (uint32_t)val);
	wr(d, reg + 4, (uint32_t)(val >> 32));
}

/* Status 0 stops the device; once it reads back 0, the device no longer touches memory. */
static int dev_reset(const struct mk_hdev *d)
{
	wr(d, VIO_STATUS, 0);
	for (unsigned i = 0; i < 1000000; i++)
		if (!rd(d, VIO_STATUS))
			return 0;
	return -1;
}

static const char *queue_start(struct mk_hdev *d, unsigned i)
{
	struct hq *q = &d->q[i];
	uint32_t max;

	wr(d, VIO_QUEUE_SEL, i);
	max = rd(d, VIO_QUEUE_NUM_MAX);
	if (!max || rd(d, VIO_QUEUE_READY))
		return "a queue is missing";
	if (!q->ring && !(q->ring = (struct vq_page *)mm_alloc(PAGE_SIZE, PAGE_SIZE, true)))
		return "out of memory";
	memset(q->ring, 0, sizeof(*q->ring));
	/* Split queues have power-of-two sizes. */
	for (q->size = DV_DMA_MAX_SEGS; q->size > max; q->size >>= 1)
		;
	q->nr_free = q->size;
	q->free_head = 0;
	q->avail_idx = q->last_used = 0;
	for (unsigned k = 0; k < q->size; k++) {
		q->next[k] = (uint8_t)(k + 1);
		q->chain[k] = 0;
	}
	wr(d, VIO_QUEUE_NUM, q->size);
	wr64(d, VIO_QUEUE_DESC, (uint64_t)q->ring->desc);
	wr64(d, VIO_QUEUE_DRIVER, (uint64_t)&q->ring->avail);
	wr64(d, VIO_QUEUE_DEVICE, (uint64_t)&q->ring->used);
	wr(d, VIO_QUEUE_READY, 1);
	d->info.queue_size[i] = q->size;
	return NULL;
}

/* Resets the device and sets it up from scratch (virtio 1.2, 3.1.1), same rings. */
static const char *dev_start(struct mk_hdev *d)
{
	uint64_t feat;
	const char *err;

	if (dev_reset(d))
		return "does not reset";
	wr(d, VIO_STATUS, ST_ACKNOWLEDGE);
	wr(d, VIO_STATUS, ST_ACKNOWLEDGE | ST_DRIVER);
	wr(d, VIO_DEV_FEAT_SEL, 1);
	feat = (uint64_t)rd(d, VIO_DEV_FEAT) << 32;
	wr(d, VIO_DEV_FEAT_SEL, 0);
	feat |= rd(d, VIO_DEV_FEAT);
	feat &= VIRTIO_F_VERSION_1 | hclass[d->info.device_id].features;
	if (!(feat & VIRTIO_F_VERSION_1))
		return "lacks VIRTIO_F_VERSION_1";
	wr(d, VIO_DRV_FEAT_SEL, 1);
	wr(d, VIO_DRV_FEAT, (uint32_t)(feat >> 32));
	wr(d, VIO_DRV_FEAT_SEL, 0);
	wr(d, VIO_DRV_FEAT, (uint32_t)feat);
	wr(d, VIO_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);
	if (!(rd(d, VIO_STATUS) & ST_FEATURES_OK))
		return "refuses the features offered";
	d->info.features = feat;
	for (unsigned i = 0; i < d->info.nr_queues; i++)
		if ((err = queue_start(d, i)))
			return err;
	wr(d, VIO_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
	return NULL;
}

/* A device that failed its set-up is left reset, so that it never reaches memory. */
static const char *dev_restart(struct mk_hdev *d)
{
	const char *err = dev_start(d);

	d->live = !err;
	if (err)
		dev_reset(d);
	return err;
}

/* 4-byte reads, again while the device changes the config space under them. */
static void read_config(struct mk_hdev *d)
{
	uint32_t gen, *cfg = (uint32_t *)d->info.config;
	unsigned tries = 0;

	do {
		gen = rd(d, VIO_CONFIG_GEN);
		for (unsigned i = 0; i < DV_HDEV_CONFIG / 4; i++)
			cfg[i] = rd(d, VIO_CONFIG + 4 * i);
	} while (rd(d, VIO_CONFIG_GEN) != gen && ++tries < 8);
}

/* The usable devices, in FDT order. */
static void hdev_probe(void)
{
	for (unsigned i = 0; i < mk_plat.nr_virtio; i++) {
		struct mk_hdev *d = &hdevs[nr_hdevs];
		uint64_t pa = mk_plat.virtio_pa[i];
		const char *err;
		unsigned id;

		d->info = (struct dv_hdev){ .pa = pa, .irq = mk_plat.virtio_irq[i] };
		/* The minikernel reaches devices through its map of the low gigabyte (mm.c). */
		if (pa + PAGE_SIZE > (1UL << 30) || rd(d, VIO_MAGIC) != VIO_MAGIC_VIRT) {
			mk_printf("mk: virtio-mmio at 0x%lx: not reachable or not virtio, not used\n", pa);
			continue;
		}
		id = rd(d, VIO_DEVICE_ID);
		if (!id)
			continue;
		if (rd(d, VIO_VERSION) != 2) {
			mk_printf("mk: virtio-mmio at 0x%lx: legacy (version 1) transport, not used\n", pa);
			continue;
		}
		if (id >= sizeof(hclass) / sizeof(hclass[0]) || !hclass[id].name) {
			mk_printf("mk: virtio-mmio at 0x%lx: device ID %u not supported, not used\n", pa, id);
			continue;
		}
		d->info.device_id = id;
		d->info.nr_queues = hclass[id].queues;
		if ((err = dev_restart(d))) {
			mk_printf("mk: virtio-%s at 0x%lx: %s, not used\n", hclass[id].name, pa, err);
			continue;
		}
		read_config(d);
		mk_printf("mk: virtio-%s at 0x%lx irq %lu: %u queue(s) of %u, features 0x%lx\n",
			  hclass[id].name, pa, d->info.irq, d->info.nr_queues, d->info.queue_size[0],
			  d->info.features);
		nr_hdevs++;
	}
}

/* The first device of class `name` (NULL: any) granted to vm (NULL: to none), or NULL. */
static struct mk_hdev *find(const struct mk_vm *vm, const char *name)
{
	for (unsigned i = 0; i < nr_hdevs; i++)
		if (hdevs[i].vm == vm &&
		    (!name || !strcmp(hclass[hdevs[i].info.device_id].name, name)))
			return &hdevs[i];
	return NULL;
}

/* Grants vm the first device of class `name` (NULL: any) not granted yet, if there is one. */
static const char *grant(struct mk_vm *vm, struct dv_boot_info *bi, const char *name)
{
	struct mk_hdev *d = find(NULL, name);

	if (!d || vm->nr_hdevs == DV_MAX_HDEVS)
		return d ? "more than 4 per VM" : "none left";
	d->vm = vm;
	bi->hdev[vm->nr_hdevs] = d->info;
	vm->hdev[vm->nr_hdevs++] = d;
	bi->nr_hdevs = vm->nr_hdevs;
	if (d->info.irq)
		vm->irqs[vm->nr_irqs++] = (unsigned)d->info.irq;
	mk_printf("mk: %s: host virtio-%s at 0x%lx\n", vm->name, hclass[d->info.device_id].name,
		  d->info.pa);
	return NULL;
}

/*
 * Sets the devices up (once) and grants vm one device of each class `classes` names (NUL-
 * separated, len bytes), the first not granted yet in FDT order; with len 0 every device,
 * when no other VM has one. NULL, or what is short (also said).
 */
const char *mk_hdev_grant(struct mk_vm *vm, struct dv_boot_info *bi, const char *classes,
			  int len)
{
	static bool probed;
	const char *err;

	if (!probed)
		hdev_probe();
	probed = true;
	for (int at = 0; at < len; at += (int)strlen(classes + at) + 1)
		if ((err = grant(vm, bi, classes + at))) {
			mk_printf("mk: %s asks for a host virtio-%s: %s\n", vm->name, classes + at,
				  err);
			return "a host virtio device is short";
		}
	for (unsigned i = 0; !len && i < nr_hdevs; i++)
		if (hdevs[i].vm) {
			mk_printf("mk: %s asks for the host virtio devices, already granted to %s\n",
				  vm->name, hdevs[i].vm->name);
			return "a host device granted twice";
		}
	while (!len && !grant(vm, bi, NULL))
		;
	return NULL;
}

/* Acknowledges the interrupt of vm's devices behind host IRQ irq: whether there were any. */
bool mk_hdev_irq(struct mk_vm *vm, unsigned irq)
{
	bool mine = false;

	for (unsigned i = 0; i < nr_hdevs; i++) {
		struct mk_hdev *d = &hdevs[i];

		if (d->vm == vm && d->info.irq == irq) {
			/* Another hart may be resetting it: a reset rewrites every register. */
			mk_lock(&d->lock);
			wr(d, VIO_INT_ACK, rd(d, VIO_INT_STATUS));
			mk_unlock(&d->lock);
			mine = true;
		}
	}
	return mine;
}

/* The caller's device hdev, when its VM has one and it has the queue. */
static struct mk_hdev *granted(struct mk_hart *h, uint64_t hdev, uint64_t queue)
{
	struct mk_hdev *d = h->exit && hdev < h->vm->nr_hdevs ? h->vm->hdev[hdev] : NULL;

	return d && queue < d->info.nr_queues ? d : NULL;
}

/*
 * Each segment is read from the runtime's page once and only that copy is checked and used:
 * another hart of the runtime may rewrite the page meanwhile. Descriptors are written as they
 * pass; they are free ones, and none reaches the avail ring unless all n pass.
 */
static long submit(struct mk_vm *vm, struct mk_hdev *d, unsigned qi,
		   const struct dv_dma_seg *seg, uint64_t n, uint64_t *id)
{
	struct hq *q = &d->q[qi];
	unsigned i = q->free_head, head = q->free_head;
	bool writing = false;

	if (!n || n > q->size)
		return -DV_EINVAL;
	if (!d->live || n > q->nr_free)
		return -DV_EBUSY;
	for (unsigned k = 0; k < n; k++, i = q->next[i]) {
		uint64_t off = READ_ONCE(seg[k].off);
		uint32_t len = READ_ONCE(seg[k].len), flags = READ_ONCE(seg[k].flags);

		if ((flags & ~DV_DMA_WRITE) || !len || (writing && !flags))
			return -DV_EINVAL;
		if (off > vm->ram_size || len > vm->ram_size - off)
			return -DV_EPERM;
		writing = flags;
		q->ring->desc[i] = (struct vq_desc){ vm->ram_pa + off, len,
			(uint16_t)((k + 1 < n ? VQ_NEXT : 0) | (writing ? VQ_WRITE : 0)), q->next[i] };
	}
	q->chain[head] = (uint8_t)n;
	q->free_head = (uint8_t)i;
	q->nr_free -= n;
	q->ring->avail.ring[q->avail_idx % q->size] = (uint16_t)head;
	__asm__ volatile("fence w, w" ::: "memory");
	q->ring->avail.idx = ++q->avail_idx;
	wr(d, VIO_QUEUE_NOTIFY, qi);
	*id = head;
	return 0;
}

long mk_hq_submit(struct mk_hart *h, uint64_t hdev, uint64_t queue, uint64_t n, uint64_t *id)
{
	struct mk_hdev *d = granted(h, hdev, queue);
	long err;

	*id = 0;
	if (!d)
		return -DV_EINVAL;
	mk_lock(&d->lock);
	err = submit(h->vm, d, (unsigned)queue,
		     (const struct dv_dma_seg *)((char *)h->exit + DV_EXIT_DMA), n, id);
	mk_unlock(&d->lock);
	return err;
}

static void free_chain(struct hq *q, unsigned head)
{
	unsigned tail = head;

	for (unsigned k = 1; k < q->chain[head]; k++)
		tail = q->next[tail];
	q->next[tail] = q->free_head;
	q->free_head = (uint8_t)head;
	q->nr_free += q->chain[head];
	q->chain[head] = 0;
}

/*
 * A used entry counts only when it names the head of a chain in flight, and one pass looks at
 * no more entries than the queue holds: a device that lies cannot corrupt the free list nor
 * keep the minikernel here.
 */
static unsigned reap(struct hq *q, struct dv_dma_done *done, uint64_t max)
{
	uint16_t idx = READ_ONCE(q->ring->used.idx);
	unsigned n = 0;

	__asm__ volatile("fence r, rw" ::: "memory");
	for (unsigned k = 0; k < q->size && n < max && q->last_used != idx; k++, q->last_used++) {
		uint32_t id = READ_ONCE(q->ring->used.ring[q->last_used % q->size].id);
		uint32_t len = READ_ONCE(q->ring->used.ring[q->last_used % q->size].len);

		if (id >= q->size || !q->chain[id])
			continue;
		free_chain(q, id);
		done[n++] = (struct dv_dma_done){ id, len };
	}
	return n;
}

long mk_hq_reap(struct mk_hart *h, uint64_t hdev, uint64_t queue, uint64_t max, uint64_t *n)
{
	struct mk_hdev *d = granted(h, hdev, queue);

	*n = 0;
	if (!d)
		return -DV_EINVAL;
	mk_lock(&d->lock);
	if (d->live)
		*n = reap(&d->q[queue], (struct dv_dma_done *)((char *)h->exit + DV_EXIT_DMA),
			  max < DV_DMA_MAX_DONE ? max : DV_DMA_MAX_DONE);
	mk_unlock(&d->lock);
	return 0;
}

/* Chains in flight are dropped with the device's reset: none of their buffers is used again. */
long mk_hdev_reset(struct mk_hart *h, uint64_t hdev)
{
	struct mk_hdev *d = granted(h, hdev, 0);
	const char *err;

	if (!d)
		return -DV_EINVAL;
	mk_lock(&d->lock);
	err = dev_restart(d);
	mk_unlock(&d->lock);
	if (err) {
		mk_printf("mk: virtio-%s at 0x%lx: %s after a reset, not used\n",
			  hclass[d->info.device_id].name, d->info.pa, err);
		return -DV_EBUSY;
	}
	return 0;
}
