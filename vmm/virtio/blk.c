// SPDX-License-Identifier: BSD-2-Clause
/*
 * virtio-blk (virtio 1.2, 5.2): one request queue. Requests are checked here, then either
 * forwarded to the platform's block device or served from a disk image embedded in the
 * firmware (read-only: the firmware is flash). Write requests to a read-only disk are
 * answered VIRTIO_BLK_S_IOERR without reaching the backend (5.2.6.2).
 */
#include <stdio.h>
#include <string.h>

#include "vdev.h"

#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX  2
#define VIRTIO_BLK_F_GEOMETRY 4
#define VIRTIO_BLK_F_RO       5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH    9
#define VIRTIO_BLK_F_TOPOLOGY 10
#define BLK_HOST_FEATURES                                                                    \
	(VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_GEOMETRY) |             \
	 VIRTIO_BIT(VIRTIO_BLK_F_RO) | VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) |                   \
	 VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) | VIRTIO_BIT(VIRTIO_BLK_F_TOPOLOGY))

#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_ID_BYTES 20

/* Config space offsets (5.2.4). */
#define BLK_CFG_CAPACITY 0
#define BLK_CFG_SIZE_MAX 8
#define BLK_CFG_SEG_MAX  12
#define BLK_CFG_BLK_SIZE 20
#define BLK_CFG_SIZE     36

#define SECTOR 512U
#define REQ_HDR 16U

/*
 * The embedded backend copies a request's data in the exit that notified it, so a request
 * is bounded: the device offers segments of at most a page (SIZE_MAX; the least Linux takes)
 * and EMB_SEG_MAX of them, and answers a request for more data IOERR. One notification
 * serves at most QueueNum (128) requests, so an exit copies at most 8 MiB.
 */
#define EMB_SIZE_MAX 4096U
#define EMB_SEG_MAX  16U
#define EMB_REQ_MAX  (EMB_SIZE_MAX * EMB_SEG_MAX)

struct blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static void put_le32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/*
 * Writes the status byte (the last device-writable byte) and returns the chain. Out of line:
 * the paths that forward a request need no stack frame for it.
 */
static __attribute__((noinline)) enum vdev_verdict answer(struct vdev *v,
							   const struct virtq_chain *c,
							   uint32_t data_len, uint8_t status)
{
	virtq_write(&v->vio, c, c->in_len - 1, &status, 1);
	virtq_push(&v->vio, 0, c->head, data_len + 1);
	return VDEV_ANSWERED;
}

static enum vdev_verdict serve_embedded(struct vdev *v, const struct virtq_chain *c,
					const struct blk_req_hdr *h, uint32_t data_in)
{
	static const char id[VIRTIO_BLK_ID_BYTES] = "duvisor-embedded";
	uint32_t n;

	switch (h->type) {
	case VIRTIO_BLK_T_IN:
		if (data_in > EMB_REQ_MAX)
			return answer(v, c, 0, VIRTIO_BLK_S_IOERR);
		n = virtq_write(&v->vio, c, 0, v->disk + h->sector * SECTOR, data_in);
		return answer(v, c, n, VIRTIO_BLK_S_OK);
	case VIRTIO_BLK_T_GET_ID:
		n = virtq_write(&v->vio, c, 0, id, data_in < sizeof(id) ? data_in : sizeof(id));
		return answer(v, c, n, VIRTIO_BLK_S_OK);
	default: /* FLUSH: nothing is ever cached */
		return answer(v, c, 0, VIRTIO_BLK_S_OK);
	}
}

/* A request that passed its checks goes to the backend: the embedded image, or the host disk. */
static enum vdev_verdict serve(struct vdev *v, const struct virtq_chain *c,
			       const struct blk_req_hdr *h, uint32_t data_in)
{
	return v->disk ? serve_embedded(v, c, h, data_in) : VDEV_FORWARD;
}

/* Reads and writes of whole sectors inside the disk go on; others are answered IOERR. */
static enum vdev_verdict serve_rw(struct vdev *v, const struct virtq_chain *c,
				  const struct blk_req_hdr *h, uint32_t len, uint32_t data_in)
{
	if (len % SECTOR || h->sector > v->sectors || len / SECTOR > v->sectors - h->sector)
		return answer(v, c, 0, VIRTIO_BLK_S_IOERR);
	return serve(v, c, h, data_in);
}

/*
 * The header of a chain with at least REQ_HDR device-readable bytes, read once. Drivers give
 * it a buffer of its own, read here in place; one split over buffers (2.6.4 allows it) or
 * misaligned is copied out piece by piece.
 */
static bool read_hdr(struct vdev *v, const struct virtq_chain *c, struct blk_req_hdr *h)
{
	const uint64_t *p = vm_gpa_ptr(v->vio.vm, c->seg[0].gpa, REQ_HDR);

	if (c->seg[0].len < REQ_HDR || !p || (uintptr_t)p % 8)
		return virtq_read(&v->vio, c, 0, h, REQ_HDR) == REQ_HDR;
	h->type = (uint32_t)__atomic_load_n(&p[0], __ATOMIC_RELAXED);
	h->sector = __atomic_load_n(&p[1], __ATOMIC_RELAXED);
	return true;
}

/*
 * Every request is a 16-byte header the device reads and a status byte it writes; data in
 * between goes one way only, as the type says. A chain framed otherwise is malformed.
 */
static enum vdev_verdict blk_check(struct vdev *v, unsigned q, const struct virtq_chain *c)
{
	struct blk_req_hdr h;
	uint32_t data_out, data_in;

	(void)q;
	if (c->out_len < REQ_HDR || c->in_len < 1 || !read_hdr(v, c, &h)) {
		virtio_fail(&v->vio, "block request without its header or status byte");
		return VDEV_INVALID;
	}
	data_out = c->out_len - REQ_HDR;
	data_in = c->in_len - 1;
	switch (h.type) {
	case VIRTIO_BLK_T_IN:
		if (data_out)
			break;
		return serve_rw(v, c, &h, data_in, data_in);
	case VIRTIO_BLK_T_GET_ID:
		if (data_out)
			break;
		return serve(v, c, &h, data_in);
	case VIRTIO_BLK_T_OUT:
		if (data_in)
			break;
		if (v->read_only)
			return answer(v, c, 0, VIRTIO_BLK_S_IOERR);
		return serve_rw(v, c, &h, data_out, data_in);
	case VIRTIO_BLK_T_FLUSH:
		if (!virtio_has(&v->vio, VIRTIO_BLK_F_FLUSH))
			return answer(v, c, 0, VIRTIO_BLK_S_UNSUPP);
		return serve(v, c, &h, 0);
	default:
		return answer(v, c, 0, VIRTIO_BLK_S_UNSUPP);
	}
	virtio_fail(&v->vio, "block request type %u with data in the wrong direction", h.type);
	return VDEV_INVALID;
}

/*
 * After the backend is known: the bits of the config both backends derive alike. Without
 * indirect descriptors a request needs its header and status besides the data, so no more
 * than QueueNumMax - 2 data segments, and no more than the backend's `seg_max`.
 */
static void blk_common(struct vdev *v, uint32_t seg_max)
{
	if (v->read_only)
		v->vio.features |= VIRTIO_BIT(VIRTIO_BLK_F_RO);
	if (seg_max > v->vio.vq[0].size_max - 2)
		seg_max = v->vio.vq[0].size_max - 2;
	v->vio.features |= VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX);
	put_le32(v->vio.config + BLK_CFG_SEG_MAX, seg_max);
}

int vblk_init_host(struct vdev *v, struct vdev_host host)
{
	const struct dv_hdev *h = host.info;

	vdev_model(v, "virtio-blk", VIRTIO_ID_BLOCK, 1, BLK_CFG_SIZE, blk_check);
	vdev_bind_host(v, host);
	memcpy(v->vio.config, h->config, BLK_CFG_SIZE);
	v->sectors = get_le64(v->vio.config + BLK_CFG_CAPACITY);
	v->vio.features = h->features & BLK_HOST_FEATURES;
	v->read_only = h->features & VIRTIO_BIT(VIRTIO_BLK_F_RO);
	blk_common(v, UINT32_MAX);
	return 0;
}

int vblk_init_embedded(struct vdev *v, const uint8_t *image, uint64_t size)
{
	if (!size || size % SECTOR) {
		printf("virtio-blk: the embedded disk image is not a whole number of sectors\n");
		return -1;
	}
	vdev_model(v, "virtio-blk", VIRTIO_ID_BLOCK, 1, BLK_CFG_SIZE, blk_check);
	v->hdev = -1;
	v->disk = image;
	v->sectors = size / SECTOR;
	v->read_only = true;
	v->vio.vq[0].size_max = VIRTQ_MAX_SIZE;
	v->vio.features = VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) |
			  VIRTIO_BIT(VIRTIO_BLK_F_FLUSH);
	put_le64(v->vio.config + BLK_CFG_CAPACITY, v->sectors);
	put_le32(v->vio.config + BLK_CFG_SIZE_MAX, EMB_SIZE_MAX);
	put_le32(v->vio.config + BLK_CFG_BLK_SIZE, SECTOR);
	blk_common(v, EMB_SEG_MAX);
	return 0;
}
