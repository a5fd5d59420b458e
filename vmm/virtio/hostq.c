// SPDX-License-Identifier: BSD-2-Clause
/*
 * Forwarding guest virtqueues to the platform's virtio device through the minikernel. The
 * guest's buffers go to the host queue in place (no copy): the guest and the host device
 * speak the same virtio 1.x formats, and the minikernel checks every buffer again before
 * the device sees it. A chain taken from the guest's available ring is submitted at once or,
 * when the host queue is full, put back and taken again once the host returns chains.
 */
#include <string.h>

#include "dv.h"
#include "vdev.h"

/* Only ever used under the board lock; too big for a vCPU thread's stack frame. */
static struct virtq_chain chain;

_Static_assert(VIRTQ_MAX_SIZE <= DV_DMA_MAX_SEGS, "a chain's segments fit the DMA area");

void vdev_bind_host(struct vdev *v, struct vdev_host host)
{
	v->hdev = host.index;
	v->host_irq = (unsigned)host.info->irq;
	for (unsigned q = 0; q < v->vio.nr_queues; q++)
		v->vio.vq[q].size_max = host.info->queue_size[q] < VIRTQ_MAX_SIZE
					      ? host.info->queue_size[q]
					      : VIRTQ_MAX_SIZE;
}

/*
 * The segments are built in the DMA area itself, sparing dv_hq_submit a copy. Empty ones
 * carry no bytes and are left out: QEMU's devices fail on a zero-sized buffer, and the
 * minikernel refuses one (the model's check ensures some bytes remain).
 */
static int submit(struct vdev *v, struct hostq *hq, unsigned q, const struct virtq_chain *c)
{
	struct dv_dma_seg *segs = dv_dma_area();
	const uint64_t ram_gpa = v->vio.vm->ram_gpa;
	unsigned n = 0;
	long id;

	for (unsigned i = 0; i < c->nr; i++)
		if (c->seg[i].len)
			segs[n++] = (struct dv_dma_seg){
				.off = c->seg[i].gpa - ram_gpa,
				.len = c->seg[i].len,
				.flags = c->seg[i].write ? DV_DMA_WRITE : 0,
			};
	id = dv_hq_submit((unsigned)v->hdev, q, segs, n);
	if (id == -DV_EBUSY)
		return 0;
	if (id < 0 || id >= VIRTQ_MAX_SIZE || hq->chain[id].live) {
		virtio_fail(&v->vio, "the host device refused a chain (%ld)", id);
		return -1;
	}
	hq->chain[id] =
		(struct hostq_chain){ .in_len = c->in_len, .guest_head = c->head, .live = true };
	hq->nr_live++;
	return 1;
}

/*
 * Takes at most a queue's worth of chains per call: chains the model answers itself free
 * their entries at once, and a guest refilling the ring from another vCPU must not keep this
 * exit going. What it makes available later, it notifies again.
 */
static void forward_notify(struct virtio_dev *d, unsigned q)
{
	struct vdev *v = (struct vdev *)d;
	struct hostq *hq = &v->hq[q];
	bool answered = false;
	int r;

	hq->backlog = false;
	for (uint32_t n = d->vq[q].size; n && (r = virtq_pop(d, q, &chain)) == 1; n--) {
		enum vdev_verdict verdict = v->check ? v->check(v, q, &chain) : VDEV_FORWARD;

		if (verdict == VDEV_INVALID)
			break;
		if (verdict == VDEV_ANSWERED) {
			answered = true;
			continue;
		}
		r = submit(v, hq, q, &chain);
		if (r == 0) {
			virtq_unpop(d, q);
			hq->backlog = true;
		}
		if (r <= 0)
			break;
	}
	if (answered)
		virtio_interrupt(d);
}

/*
 * Chains the host finished go back to the guest with the length the host device wrote,
 * never more than the chain could take: the guest must not be misled by a device either.
 */
static bool reap(struct vdev *v, unsigned q, struct dv_dma_done *done)
{
	struct hostq *hq = &v->hq[q];
	bool pushed = false;
	long n;

	do {
		n = dv_hq_reap((unsigned)v->hdev, q, done, DV_DMA_MAX_DONE);
		for (long i = 0; i < n; i++) {
			uint32_t id = done[i].id, len = done[i].len;
			struct hostq_chain *hc;

			if (id >= VIRTQ_MAX_SIZE || !hq->chain[id].live)
				continue;
			hc = &hq->chain[id];
			hc->live = false;
			hq->nr_live--;
			virtq_push(&v->vio, q, hc->guest_head, len < hc->in_len ? len : hc->in_len);
			pushed = true;
		}
	} while (n == DV_DMA_MAX_DONE);
	return pushed;
}

/* A queue with no chain live at the host has nothing to reap: its dv_hq_reap is spared. */
void vdev_host_irq(struct vdev *v)
{
	struct dv_dma_done *done = dv_dma_area();
	bool pushed = false;

	for (unsigned q = 0; q < v->vio.nr_queues; q++)
		if (v->hq[q].nr_live)
			pushed |= reap(v, q, done);
	if (pushed)
		virtio_interrupt(&v->vio);
	if (!virtio_running(&v->vio))
		return;
	for (unsigned q = 0; q < v->vio.nr_queues; q++)
		if (v->hq[q].backlog && v->vio.vq[q].ready)
			forward_notify(&v->vio, q);
}

/*
 * The guest reset its device (or the VM reboots): chains in flight at the host would still
 * be written into memory the guest no longer means for them, so the host device is reset too.
 */
static void forward_reset(struct virtio_dev *d)
{
	struct vdev *v = (struct vdev *)d;

	if (v->hdev >= 0)
		dv_hdev_reset((unsigned)v->hdev);
	memset(v->hq, 0, sizeof(v->hq));
}

static const struct virtio_dev_ops forward_ops = {
	.notify = forward_notify,
	.reset = forward_reset,
};

void vdev_model(struct vdev *v, const char *name, uint32_t device_id, unsigned nr_queues,
		unsigned config_size,
		enum vdev_verdict (*check)(struct vdev *v, unsigned q, const struct virtq_chain *c))
{
	v->vio.name = name;
	v->vio.device_id = device_id;
	v->vio.nr_queues = nr_queues;
	v->vio.config_size = config_size;
	v->vio.ops = &forward_ops;
	v->check = check;
}

enum vdev_verdict vdev_check_oneway(struct vdev *v, const struct virtq_chain *c, bool writable,
				    uint32_t min_len)
{
	uint32_t len = writable ? c->in_len : c->out_len;
	const char *way = writable ? "writable" : "readable";

	if (writable ? c->nr_out : c->nr - c->nr_out) {
		virtio_fail(&v->vio, "chain %u is not only device-%s", c->head, way);
		return VDEV_INVALID;
	}
	if (len < min_len) {
		virtio_fail(&v->vio, "chain %u has %u device-%s bytes, below the %u needed",
			    c->head, len, way, min_len);
		return VDEV_INVALID;
	}
	return VDEV_FORWARD;
}
