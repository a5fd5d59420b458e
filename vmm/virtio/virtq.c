// SPDX-License-Identifier: BSD-2-Clause
/* Split virtqueues (virtio 1.2, 2.7): taking chains from the guest, checked, and returning them. */
#include <string.h>

#include "virtio.h"

/* Rings and descriptors are little-endian; so are RISC-V and the hosts the unit tests run on. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "virtqueues are little-endian");

#define DESC_FLAGS (VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_INDIRECT)

/* A descriptor, len widened for the bounds arithmetic; flags outside DESC_FLAGS mean nothing. */
struct desc {
	uint64_t addr;
	uint64_t len;
	uint32_t flags;
	uint16_t next;
};

static inline struct desc desc_decode(uint64_t addr, uint64_t word)
{
	return (struct desc){ addr, (uint32_t)word, (uint32_t)(word >> 32) & DESC_FLAGS,
			      (uint16_t)(word >> 48) };
}

/*
 * The guest may rewrite a descriptor while we look at it: it is read once, and only this copy
 * is used. The ring's table is 16-byte aligned (checked at QueueReady); an indirect one may
 * not be (rare), and a misaligned load may trap: it is then read bytewise.
 */
static inline struct desc desc_read(const uint8_t *table, size_t i)
{
	const uint8_t *src = table + 16 * i;
	uint64_t addr = 0, word = 0;

	if ((uintptr_t)table % 8) {
		for (unsigned k = 0; k < 8; k++) {
			addr |= (uint64_t)__atomic_load_n(&src[k], __ATOMIC_RELAXED) << (8 * k);
			word |= (uint64_t)__atomic_load_n(&src[8 + k], __ATOMIC_RELAXED) << (8 * k);
		}
	} else {
		addr = __atomic_load_n((const uint64_t *)src, __ATOMIC_RELAXED);
		word = __atomic_load_n((const uint64_t *)src + 1, __ATOMIC_RELAXED);
	}
	return desc_decode(addr, word);
}

/*
 * Where a walk through a chain stands: a local, not the chain being filled, so that a store
 * into the chain cannot make the compiler read the walk's state, or RAM's bounds, again.
 */
struct walk {
	uint64_t ram_gpa, ram_size; /* read once per chain: RAM does not move */
	const uint8_t *table;
	unsigned size;  /* entries in the table */
	unsigned taken; /* descriptors of this table taken so far */
	bool indirect;
	size_t nr, nr_out;
	uint64_t total, out_len; /* bytes in the chain, in its device-readable part */
};

/* vm_gpa_ptr's test on the walk's bounds: inside RAM, without wrapping around. */
static inline bool in_ram(const struct walk *w, uint64_t gpa, uint64_t len)
{
	return gpa >= w->ram_gpa && len <= w->ram_size && gpa - w->ram_gpa <= w->ram_size - len;
}

/* One buffer descriptor (not an indirect one) appended to the chain; 0 or -1 after a fail. */
static inline int add_seg(struct virtio_dev *d, unsigned q, struct virtq_chain *c, struct walk *w,
			  const struct desc *ds)
{
	bool write = ds->flags & VIRTQ_DESC_F_WRITE;

	if (w->nr == VIRTQ_MAX_SIZE) {
		virtio_fail(d, "queue %u: chain %u has more than %u descriptors", q, c->head,
			    VIRTQ_MAX_SIZE);
		return -1;
	}
	if (!in_ram(w, ds->addr, ds->len)) {
		virtio_fail(d, "queue %u: chain %u has a buffer 0x%llx+0x%x outside RAM", q, c->head,
			    (unsigned long long)ds->addr, (unsigned)ds->len);
		return -1;
	}
	if (!write && w->nr > w->nr_out) {
		virtio_fail(d, "queue %u: chain %u has a device-readable buffer after a writable one",
			    q, c->head);
		return -1;
	}
	w->total += ds->len;
	if (w->total > UINT32_MAX) {
		virtio_fail(d, "queue %u: chain %u is longer than 4 GiB", q, c->head);
		return -1;
	}
	c->seg[w->nr++] =
		(struct virtq_seg){ .gpa = ds->addr, .len = (uint32_t)ds->len, .write = write };
	if (!write) {
		w->nr_out++;
		w->out_len += ds->len;
	}
	return 0;
}

/* Switches the walk to the indirect table `ds` refers to (2.7.5.3); 0 or -1 after a fail. */
static inline int enter_indirect(struct virtio_dev *d, unsigned q, const struct virtq_chain *c,
				 struct walk *w, const struct desc *ds)
{
	const char *why = NULL;

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
	else if (!in_ram(w, ds->addr, ds->len))
		why = "an indirect table outside RAM";
	if (why) {
		virtio_fail(d, "queue %u: chain %u has %s (0x%llx+0x%x)", q, c->head, why,
			    (unsigned long long)ds->addr, (unsigned)ds->len);
		return -1;
	}
	/* The WRITE flag of the descriptor naming the table means nothing (2.7.5.3.2). */
	w->table = d->vm->ram + (ds->addr - w->ram_gpa);
	w->size = ds->len / 16;
	w->taken = 0;
	w->indirect = true;
	return 0;
}

/*
 * Follows the chain at c->head: zero or more descriptors of the ring's table, the last of
 * which may name an indirect table, whose own chain starts at its entry 0 (2.7.5.3.2).
 */
static inline int walk_chain(struct virtio_dev *d, unsigned q, const struct virtq *vq,
			     struct virtq_chain *c)
{
	struct walk w = {
		.ram_gpa = d->vm->ram_gpa,
		.ram_size = d->vm->ram_size,
		.table = vq->desc,
		.size = vq->size,
	};
	size_t i = c->head;
	struct desc ds;

	for (;;) {
		if (++w.taken > w.size) {
			virtio_fail(d, "queue %u: chain %u loops or is longer than its table (%u)", q,
				    c->head, w.size);
			return -1;
		}
		ds = desc_read(w.table, i);
		if (ds.flags & VIRTQ_DESC_F_INDIRECT) {
			if (enter_indirect(d, q, c, &w, &ds))
				return -1;
			i = 0;
			continue;
		}
		if (add_seg(d, q, c, &w, &ds))
			return -1;
		if (!(ds.flags & VIRTQ_DESC_F_NEXT))
			break;
		i = ds.next;
		if (i >= w.size) {
			virtio_fail(d, "queue %u: chain %u has next %u beyond its table (%u)", q,
				    c->head, (unsigned)i, w.size);
			return -1;
		}
	}
	c->nr = (unsigned)w.nr;
	c->nr_out = (unsigned)w.nr_out;
	c->out_len = (uint32_t)w.out_len;
	c->in_len = (uint32_t)(w.total - w.out_len);
	return 0;
}

/* The chain at ring entry last_avail, which the guest has made available. */
static __attribute__((noinline)) int take_chain(struct virtio_dev *d, unsigned q,
						 struct virtq *vq, struct virtq_chain *c)
{
	uint16_t head;

	/* The ring entries and descriptors were written before idx (2.7.13.3). */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	head = __atomic_load_n(&vq->avail[2 + vq->last_avail % vq->size], __ATOMIC_RELAXED);
	if (head >= vq->size) {
		virtio_fail(d, "queue %u: available head %u beyond the queue size %u", q, head,
			    vq->size);
		return -1;
	}
	c->head = head;
	if (walk_chain(d, q, vq, c))
		return -1;
	vq->last_avail++;
	return 1;
}

/* Split from take_chain so that the common "nothing new" answer costs a few instructions. */
int virtq_pop(struct virtio_dev *d, unsigned q, struct virtq_chain *c)
{
	struct virtq *vq;
	uint16_t idx, pending;

	if (q >= d->nr_queues || !virtio_running(d))
		return -1;
	vq = &d->vq[q];
	if (!vq->ready)
		return 0;
	idx = __atomic_load_n(&vq->avail[1], __ATOMIC_RELAXED);
	pending = (uint16_t)(idx - vq->last_avail);
	if (!pending)
		return 0;
	if (pending > vq->size) {
		virtio_fail(d, "queue %u: available idx %u is %u entries past %u (queue size %u)", q,
			    idx, pending, vq->last_avail, vq->size);
		return -1;
	}
	return take_chain(d, q, vq, c);
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
	uint16_t idx;

	if (q >= d->nr_queues || !d->vq[q].ready)
		return;
	vq = &d->vq[q];
	used = vq->used;
	idx = vq->used_idx;
	elem = (uint32_t *)(used + 4 + 8 * (size_t)(idx % vq->size));
	__atomic_store_n(&elem[0], (uint32_t)head, __ATOMIC_RELAXED);
	__atomic_store_n(&elem[1], len, __ATOMIC_RELAXED);
	/* The element before the index that publishes it (2.7.8.2). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	vq->used_idx = ++idx;
	__atomic_store_n((uint16_t *)(used + 2), idx, __ATOMIC_RELAXED);
}

/* Whether the driver asked for no used-buffer notifications on every ready queue. */
static bool all_suppressed(struct virtio_dev *d)
{
	/* Our used idx stores before the driver's flags, as its flags store before its idx read. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned q = 0; q < d->nr_queues; q++)
		if (d->vq[q].ready && !(__atomic_load_n(&d->vq[q].avail[0], __ATOMIC_RELAXED) &
					 VIRTQ_AVAIL_F_NO_INTERRUPT))
			return false;
	return true;
}

/* One already pending (the driver has not acknowledged it yet) stays as it is. */
void virtio_interrupt(struct virtio_dev *d)
{
	if (!(d->interrupt_status & VIRTIO_INT_USED) && !all_suppressed(d))
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
