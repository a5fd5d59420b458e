// SPDX-License-Identifier: BSD-2-Clause
/* Split virtqueues (virtio 1.2, 2.7): taking chains from the guest, checked, and returning them. */
#include <string.h>

#include "virtio.h"

/* Rings and descriptors are little-endian; so are RISC-V and the hosts the unit tests run on. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "virtqueues are little-endian");

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(sizeof(struct desc) == 16, "struct desc is the 16-byte virtq_desc");

/* Where a walk through a descriptor table stands. */
struct walk {
	const uint8_t *table;
	unsigned size;  /* entries in the table */
	unsigned taken; /* descriptors of this table taken so far */
	bool indirect;
	uint64_t total; /* bytes in the chain so far */
};

/*
 * The guest may rewrite a descriptor while we look at it: copy it out once and use only the
 * copy. The compiler barrier keeps the compiler from reading guest memory again instead.
 */
static void desc_copy(const struct walk *w, unsigned i, struct desc *out)
{
	const uint8_t *src = w->table + 16 * i;

	/* The ring's table is 16-byte aligned (checked at QueueReady); an indirect one may not be. */
	if ((uintptr_t)src % 8) {
		memcpy(out, src, sizeof(*out));
	} else {
		const uint64_t *word = (const uint64_t *)src;
		uint64_t second = word[1];

		out->addr = word[0];
		out->len = (uint32_t)second;
		out->flags = (uint16_t)(second >> 32);
		out->next = (uint16_t)(second >> 48);
	}
	__asm__ __volatile__("" ::: "memory");
}

/* One buffer descriptor (not an indirect one) appended to the chain; 0 or -1 after a fail. */
static int add_seg(struct virtio_dev *d, unsigned q, struct virtq_chain *c, struct walk *w,
		   const struct desc *ds)
{
	bool write = ds->flags & VIRTQ_DESC_F_WRITE;
	struct virtq_seg *s;

	if (c->nr == VIRTQ_MAX_SIZE) {
		virtio_fail(d, "queue %u: chain %u has more than %u descriptors", q, c->head,
			    VIRTQ_MAX_SIZE);
		return -1;
	}
	/* vm_gpa_ptr also refuses a buffer that wraps around the address space. */
	if (!vm_gpa_ptr(d->vm, ds->addr, ds->len)) {
		virtio_fail(d, "queue %u: chain %u has a buffer 0x%llx+0x%x outside RAM", q, c->head,
			    (unsigned long long)ds->addr, ds->len);
		return -1;
	}
	if (!write && c->nr > c->nr_out) {
		virtio_fail(d, "queue %u: chain %u has a device-readable buffer after a writable one",
			    q, c->head);
		return -1;
	}
	w->total += ds->len;
	if (w->total > UINT32_MAX) {
		virtio_fail(d, "queue %u: chain %u is longer than 4 GiB", q, c->head);
		return -1;
	}
	s = &c->seg[c->nr++];
	s->gpa = ds->addr;
	s->len = ds->len;
	s->write = write;
	if (write) {
		c->in_len += ds->len;
	} else {
		c->nr_out++;
		c->out_len += ds->len;
	}
	return 0;
}

/* Switches the walk to the indirect table `ds` refers to (2.7.5.3); 0 or -1 after a fail. */
static int enter_indirect(struct virtio_dev *d, unsigned q, const struct virtq_chain *c,
			  struct walk *w, const struct desc *ds)
{
	const char *why = NULL;
	const uint8_t *table = NULL;

	if (!virtio_has(d, VIRTIO_F_INDIRECT_DESC))
		why = "an indirect descriptor, not negotiated";
	else if (w->indirect)
		why = "an indirect descriptor inside an indirect table";
	else if (ds->flags & VIRTQ_DESC_F_NEXT)
		why = "an indirect descriptor with NEXT set";
	else if (!ds->len || ds->len % 16)
		why = "an indirect table whose length is not a positive multiple of 16";
	else if (ds->len / 16 > VIRTQ_MAX_SIZE)
		why = "an indirect table of more than VIRTQ_MAX_SIZE descriptors";
	else if (!(table = vm_gpa_ptr(d->vm, ds->addr, ds->len)))
		why = "an indirect table outside RAM";
	if (why) {
		virtio_fail(d, "queue %u: chain %u has %s (0x%llx+0x%x)", q, c->head, why,
			    (unsigned long long)ds->addr, ds->len);
		return -1;
	}
	/* The WRITE flag of the descriptor naming the table means nothing (2.7.5.3.2). */
	w->table = table;
	w->size = ds->len / 16;
	w->taken = 0;
	w->indirect = true;
	return 0;
}

/*
 * Follows the chain at `head`: zero or more descriptors of the ring's table, the last of
 * which may name an indirect table, whose own chain starts at its entry 0 (2.7.5.3.2).
 */
static int walk_chain(struct virtio_dev *d, unsigned q, const uint8_t *table,
		      struct virtq_chain *c)
{
	struct walk w = { .table = table, .size = d->vq[q].size };
	unsigned i = c->head;
	struct desc ds;

	for (;;) {
		if (++w.taken > w.size) {
			virtio_fail(d, "queue %u: chain %u loops or is longer than its table (%u)", q,
				    c->head, w.size);
			return -1;
		}
		desc_copy(&w, i, &ds);
		if (ds.flags & VIRTQ_DESC_F_INDIRECT) {
			if (enter_indirect(d, q, c, &w, &ds))
				return -1;
			i = 0;
			continue;
		}
		if (add_seg(d, q, c, &w, &ds))
			return -1;
		if (!(ds.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		i = ds.next;
		if (i >= w.size) {
			virtio_fail(d, "queue %u: chain %u has next %u beyond its table (%u)", q,
				    c->head, i, w.size);
			return -1;
		}
	}
}

/* The chain at ring entry last_avail, which the guest has made available. */
static __attribute__((noinline)) int take_chain(struct virtio_dev *d, unsigned q,
						 const uint16_t *avail, struct virtq_chain *c)
{
	struct virtq *vq = &d->vq[q];
	const uint8_t *table = vm_gpa_ptr(d->vm, vq->desc_gpa, VIRTQ_DESC_BYTES(vq->size));
	uint16_t head;

	if (!table) {
		virtio_fail(d, "queue %u: rings outside RAM", q);
		return -1;
	}
	/* The ring entries and descriptors were written before idx (2.7.13.3). */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	head = __atomic_load_n(&avail[2 + vq->last_avail % vq->size], __ATOMIC_RELAXED);
	if (head >= vq->size) {
		virtio_fail(d, "queue %u: available head %u beyond the queue size %u", q, head,
			    vq->size);
		return -1;
	}
	c->head = head;
	c->nr = c->nr_out = 0;
	c->out_len = c->in_len = 0;
	if (walk_chain(d, q, table, c))
		return -1;
	vq->last_avail++;
	return 1;
}

/* Split from take_chain so that the common "nothing new" answer costs a few instructions. */
int virtq_pop(struct virtio_dev *d, unsigned q, struct virtq_chain *c)
{
	struct virtq *vq;
	const uint16_t *avail;
	uint16_t idx, pending;

	if (q >= d->nr_queues || !virtio_running(d))
		return -1;
	vq = &d->vq[q];
	if (!vq->ready)
		return 0;
	/* Checked when the queue was made ready; RAM does not move. */
	avail = vm_gpa_ptr(d->vm, vq->avail_gpa, VIRTQ_AVAIL_BYTES(vq->size));
	if (!avail) {
		virtio_fail(d, "queue %u: rings outside RAM", q);
		return -1;
	}
	idx = __atomic_load_n(&avail[1], __ATOMIC_RELAXED);
	pending = (uint16_t)(idx - vq->last_avail);
	if (!pending)
		return 0;
	if (pending > vq->size) {
		virtio_fail(d, "queue %u: available idx %u is %u entries past %u (queue size %u)", q,
			    idx, pending, vq->last_avail, vq->size);
		return -1;
	}
	return take_chain(d, q, avail, c);
}

void virtq_unpop(struct virtio_dev *d, unsigned q)
{
	if (q < d->nr_queues && d->vq[q].ready)
		d->vq[q].last_avail--;
}

void virtq_push(struct virtio_dev *d, unsigned q, uint16_t head, uint32_t len)
{
	struct virtq *vq;
	uint8_t *used;
	uint32_t *elem;

	if (q >= d->nr_queues || !d->vq[q].ready)
		return;
	vq = &d->vq[q];
	used = vm_gpa_ptr(d->vm, vq->used_gpa, VIRTQ_USED_BYTES(vq->size));
	if (!used)
		return;
	elem = (uint32_t *)(used + 4 + 8 * (vq->used_idx % vq->size));
	__atomic_store_n(&elem[0], (uint32_t)head, __ATOMIC_RELAXED);
	__atomic_store_n(&elem[1], len, __ATOMIC_RELAXED);
	/* The element before the index that publishes it (2.7.8.2). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	vq->used_idx++;
	__atomic_store_n((uint16_t *)(used + 2), vq->used_idx, __ATOMIC_RELAXED);
}

/* Whether the driver asked for no used-buffer notifications on every ready queue. */
static bool all_suppressed(struct virtio_dev *d)
{
	const uint16_t *avail;
	unsigned q;

	/* Our used idx stores before the driver's flags, as its flags store before its idx read. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (q = 0; q < d->nr_queues; q++) {
		if (!d->vq[q].ready)
			continue;
		avail = vm_gpa_ptr(d->vm, d->vq[q].avail_gpa, VIRTQ_AVAIL_BYTES(d->vq[q].size));
		if (!avail || !(__atomic_load_n(&avail[0], __ATOMIC_RELAXED) &
				VIRTQ_AVAIL_F_NO_INTERRUPT))
			return false;
	}
	return true;
}

void virtio_interrupt(struct virtio_dev *d)
{
	if (!all_suppressed(d))
		virtio_set_interrupt_status(d, d->interrupt_status | VIRTIO_INT_USED);
}

/* Copies between a flat buffer and the readable (to_guest false) or writable segments. */
static uint32_t chain_copy(struct virtio_dev *d, const struct virtq_chain *c, uint32_t off,
			   uint8_t *buf, uint32_t len, bool to_guest)
{
	unsigned i = to_guest ? c->nr_out : 0, end = to_guest ? c->nr : c->nr_out;
	uint32_t done = 0, n;
	uint8_t *p;

	for (; i < end && done < len; i++) {
		const struct virtq_seg *s = &c->seg[i];

		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = s->len - off < len - done ? s->len - off : len - done;
		p = vm_gpa_ptr(d->vm, s->gpa + off, n);
		if (!p)
			break;
		if (to_guest)
			memcpy(p, buf + done, n);
		else
			memcpy(buf + done, p, n);
		done += n;
		off = 0;
	}
	return done;
}

uint32_t virtq_read(struct virtio_dev *d, const struct virtq_chain *c, uint32_t off, void *buf,
		    uint32_t len)
{
	return chain_copy(d, c, off, buf, len, false);
}

uint32_t virtq_write(struct virtio_dev *d, const struct virtq_chain *c, uint32_t off,
		     const void *buf, uint32_t len)
{
	return chain_copy(d, c, off, (uint8_t *)buf, len, true);
}
