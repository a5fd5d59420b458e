// SPDX-License-Identifier: BSD-2-Clause
/* Host tests of the virtio-net model: which chains reach the (fake) host device, and the rest. */
#include <string.h>

#include "dev_access.h"
#include "fake_dv.h"
#include "vdev.h"

#define BASE     0x10001000ULL
#define RAM_GPA  0x80000000ULL
#define RAM_SIZE 0x20000ULL
#define QSZ      8
#define RX       0
#define TX       1

/* Guest-physical layout: each queue's three areas, then buffers. */
#define DESC(q)  (RAM_GPA + 0x1000 + 0x3000 * (q))
#define AVAIL(q) (DESC(q) + 0x1000)
#define USED(q)  (DESC(q) + 0x2000)
#define BUF      (RAM_GPA + 0x8000)

#define HDR       12
#define FRAME_MAX 1518 /* 1500 (the MTU offered) + 14 + an 802.1Q tag */
#define RX_MIN    1526 /* 12 + 1514 */

/* Register offsets (virtio 1.2, 4.2.2); the config space (5.1.4) starts at R_CONFIG. */
#define R_DEV_FEAT     0x010
#define R_DEV_FEAT_SEL 0x014
#define R_DRV_FEAT     0x020
#define R_DRV_FEAT_SEL 0x024
#define R_QUEUE_SEL    0x030
#define R_QUEUE_NUM    0x038
#define R_QUEUE_READY  0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS   0x060
#define R_INT_ACK      0x064
#define R_STATUS       0x070
#define R_DESC_LOW     0x080
#define R_DRIVER_LOW   0x090
#define R_DEVICE_LOW   0x0a0
#define R_CONFIG       0x100

#define ST_OK                                                                              \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |    \
	 VIRTIO_STATUS_DRIVER_OK)
#define NET_F_MTU 3
#define NET_F_MAC 5

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));

#include "guest_ram.h"
static struct vm vm;
static struct vdev net;
static struct dv_hdev host = {
	.device_id = VIRTIO_ID_NET, .nr_queues = 2, .queue_size = { 64, 64 }, .irq = 33,
};
static const uint8_t mac[6] = { 2, 0x44, 0x56, 0, 0, 1 };
static uint16_t avail_idx[2];
static bool irq;

#define rd(off)      dev_read32(&net.vio.mmio, off)
#define wr(off, val) dev_write32(&net.vio.mmio, off, val)

static void set_irq(void *opaque, bool level)
{
	CHECK(opaque == &net);
	irq = level;
}

/* Chain `head` made available on queue q and the queue notified. */
static void post(unsigned q, uint16_t head)
{
	uint16_t idx = avail_idx[q]++;

	memcpy(g(AVAIL(q) + 4 + 2 * (idx % QSZ)), &head, 2);
	memcpy(g(AVAIL(q) + 2), &avail_idx[q], 2);
	wr(R_QUEUE_NOTIFY, q);
}

/* The device as a driver leaves it after initialization: MAC and MTU, both queues, DRIVER_OK. */
static void setup(void)
{
	memset(ram, 0, sizeof(ram));
	memset(avail_idx, 0, sizeof(avail_idx));
	memset(&net, 0, sizeof(net));
	fake_dv_reset();
	irq = false;
	vm = (struct vm){ .ram_gpa = RAM_GPA, .ram_size = RAM_SIZE, .ram = ram };
	CHECK_EQ(vnet_init(&net, (struct vdev_host){ &host, 0 }, mac), 0);
	net.vio.set_irq = set_irq;
	net.vio.irq_opaque = &net;
	virtio_init(&net.vio, BASE, &vm);
	wr(R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(R_DRV_FEAT_SEL, 0);
	wr(R_DRV_FEAT, (1U << NET_F_MAC) | (1U << NET_F_MTU));
	wr(R_DRV_FEAT_SEL, 1);
	wr(R_DRV_FEAT, 1); /* VERSION_1 */
	wr(R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	for (unsigned q = 0; q < 2; q++) {
		wr(R_QUEUE_SEL, q);
		wr(R_QUEUE_NUM, QSZ);
		wr(R_DESC_LOW, (uint32_t)DESC(q));
		wr(R_DRIVER_LOW, (uint32_t)AVAIL(q));
		wr(R_DEVICE_LOW, (uint32_t)USED(q));
		wr(R_QUEUE_READY, 1);
	}
	wr(R_STATUS, ST_OK);
	CHECK_EQ(rd(R_STATUS), ST_OK);
}

/* What the guest sees of queue q's used ring: entries so far, and entry i. */
static uint16_t used_idx(unsigned q)
{
	return get16(USED(q) + 2);
}

static void check_used(unsigned q, unsigned i, uint32_t head, uint32_t len)
{
	CHECK_EQ(get32(USED(q) + 4 + 8 * (i % QSZ)), head);
	CHECK_EQ(get32(USED(q) + 8 + 8 * (i % QSZ)), len);
}

static void ack(void)
{
	wr(R_INT_ACK, rd(R_INT_STATUS));
}

static void t_net_features(void)
{
	setup();
	wr(R_DEV_FEAT_SEL, 0);
	CHECK_EQ(rd(R_DEV_FEAT), (1U << NET_F_MAC) | (1U << NET_F_MTU) | (1U << 28));
	/* mac 02:44:56:00:00:01, status, max_virtqueue_pairs, mtu 1500 */
	CHECK_EQ(rd(R_CONFIG), 0x00564402);
	CHECK_EQ(rd(R_CONFIG + 4), 0x00000100);
	CHECK_EQ(rd(R_CONFIG + 8), 1500U << 16);
}

/* A frame of 14 .. 1518 bytes after the header goes to the host, segments as they are. */
static void t_net_tx_good(void)
{
	setup();
	put_desc(DESC(TX), 0, BUF, HDR, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC(TX), 1, BUF + 0x100, 14, 0, 0);
	post(TX, 0);
	CHECK_EQ(fake_dv.submits, 1);
	CHECK_EQ(fake_dv.last_q, TX);
	CHECK_EQ(fake_dv.nr_seg, 2);
	CHECK_EQ(fake_dv.seg[0].off, BUF - RAM_GPA);
	CHECK_EQ(fake_dv.seg[0].len, HDR);
	CHECK_EQ(fake_dv.seg[1].len, 14);
	CHECK_EQ(used_idx(TX), 0);
	/* the longest, header and frame in one buffer */
	put_desc(DESC(TX), 2, BUF, HDR + FRAME_MAX, 0, 0);
	post(TX, 2);
	CHECK_EQ(fake_dv.submits, 2);
	CHECK_EQ(fake_dv.seg[2].len, HDR + FRAME_MAX);
	/* the host finishes both: the guest gets them back with length 0 */
	fake_dv.done[0] = (struct dv_dma_done){ 0, 0 };
	fake_dv.done[1] = (struct dv_dma_done){ 1, 0 };
	fake_dv.nr_done = 2;
	vdev_host_irq(&net);
	CHECK_EQ(used_idx(TX), 2);
	check_used(TX, 0, 0, 0);
	check_used(TX, 1, 2, 0);
	CHECK(irq);
	CHECK_EQ(net.tx_dropped, 0);
	CHECK_EQ(rd(R_STATUS), ST_OK);
}

/*
 * A transmit chain the host must not see is completed at once (used length 0, an interrupt)
 * and counted; the device keeps running, and the next good frame still goes out.
 */
static void tx_dropped(void (*build)(void), const char *what)
{
	setup();
	build();
	post(TX, 0);
	if (fake_dv.submits)
		printf("  %s: submitted to the host\n", what);
	CHECK_EQ(fake_dv.submits, 0);
	CHECK_EQ(used_idx(TX), 1);
	check_used(TX, 0, 0, 0);
	CHECK(irq);
	CHECK_EQ(rd(R_INT_STATUS), VIRTIO_INT_USED);
	CHECK_EQ(net.tx_dropped, 1);
	CHECK_EQ(rd(R_STATUS), ST_OK);
	ack();
	put_desc(DESC(TX), 5, BUF, HDR + 60, 0, 0);
	post(TX, 5);
	CHECK_EQ(fake_dv.submits, 1);
	CHECK_EQ(used_idx(TX), 1);
	CHECK(!irq);
}

static void build_header_only(void)
{
	put_desc(DESC(TX), 0, BUF, HDR, 0, 0);
}

static void build_header_and_empty(void)
{
	put_desc(DESC(TX), 0, BUF, HDR, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC(TX), 1, BUF + 0x100, 0, 0, 0);
}

static void build_all_empty(void)
{
	put_desc(DESC(TX), 0, BUF, 0, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC(TX), 1, BUF + 0x100, 0, 0, 0);
}

static void build_short_header(void)
{
	put_desc(DESC(TX), 0, BUF, HDR - 4, 0, 0);
}

static void build_runt(void)
{
	put_desc(DESC(TX), 0, BUF, HDR, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC(TX), 1, BUF + 0x100, 13, 0, 0);
}

static void build_oversize(void)
{
	put_desc(DESC(TX), 0, BUF, HDR, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC(TX), 1, BUF + 0x100, FRAME_MAX + 1, 0, 0);
}

static void build_huge(void)
{
	put_desc(DESC(TX), 0, BUF, 0x10000, 0, 0);
}

static void t_net_tx_header_only(void)
{
	tx_dropped(build_header_only, "header only");
}

static void t_net_tx_empty_frame(void)
{
	tx_dropped(build_header_and_empty, "header and an empty buffer");
}

static void t_net_tx_all_empty(void)
{
	tx_dropped(build_all_empty, "only empty buffers");
}

static void t_net_tx_short_header(void)
{
	tx_dropped(build_short_header, "8 bytes");
}

static void t_net_tx_runt(void)
{
	tx_dropped(build_runt, "a 13-byte frame");
}

static void t_net_tx_oversize(void)
{
	tx_dropped(build_oversize, "a 1519-byte frame");
}

static void t_net_tx_huge(void)
{
	tx_dropped(build_huge, "64 KiB");
}

/* Dropped chains among good ones: each answered once, in its turn; the good ones forwarded. */
static void t_net_tx_mixed(void)
{
	setup();
	put_desc(DESC(TX), 0, BUF, HDR + 60, 0, 0);
	put_desc(DESC(TX), 1, BUF, HDR, 0, 0);
	put_desc(DESC(TX), 2, BUF, HDR + 100, 0, 0);
	put_desc(DESC(TX), 3, BUF, HDR + 2000, 0, 0);
	for (uint16_t h = 0; h < 4; h++) {
		uint16_t idx = avail_idx[TX]++;

		memcpy(g(AVAIL(TX) + 4 + 2 * idx), &h, 2);
	}
	memcpy(g(AVAIL(TX) + 2), &avail_idx[TX], 2);
	wr(R_QUEUE_NOTIFY, TX);
	CHECK_EQ(fake_dv.submits, 2);
	CHECK_EQ(fake_dv.seg[0].len, HDR + 60);
	CHECK_EQ(fake_dv.seg[1].len, HDR + 100);
	CHECK_EQ(used_idx(TX), 2);
	check_used(TX, 0, 1, 0);
	check_used(TX, 1, 3, 0);
	CHECK_EQ(net.tx_dropped, 2);
	CHECK_EQ(rd(R_STATUS), ST_OK);
}

/* A device-writable buffer on the transmit queue is malformed, not a frame to drop. */
static void t_net_tx_writable(void)
{
	setup();
	put_desc(DESC(TX), 0, BUF, HDR + 60, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC(TX), 1, BUF + 0x100, 16, VIRTQ_DESC_F_WRITE, 0);
	post(TX, 0);
	CHECK_EQ(fake_dv.submits, 0);
	CHECK_EQ(used_idx(TX), 0);
	CHECK(rd(R_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	CHECK_EQ(net.tx_dropped, 0);
}

/* Empty buffers inside a good chain carry nothing: the host gets the chain without them. */
static void t_net_empty_segments_skipped(void)
{
	setup();
	put_desc(DESC(TX), 0, BUF, HDR, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC(TX), 1, BUF + 0x100, 0, VIRTQ_DESC_F_NEXT, 2);
	put_desc(DESC(TX), 2, BUF + 0x200, 60, VIRTQ_DESC_F_NEXT, 3);
	put_desc(DESC(TX), 3, BUF + 0x300, 0, 0, 0);
	post(TX, 0);
	CHECK_EQ(fake_dv.submits, 1);
	CHECK_EQ(fake_dv.nr_seg, 2);
	CHECK_EQ(fake_dv.seg[0].off, BUF - RAM_GPA);
	CHECK_EQ(fake_dv.seg[1].off, BUF + 0x200 - RAM_GPA);
	CHECK_EQ(fake_dv.seg[1].len, 60);
	put_desc(DESC(RX), 0, BUF + 0x1000, 0, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC(RX), 1, BUF + 0x1000, RX_MIN, VIRTQ_DESC_F_WRITE, 0);
	post(RX, 0);
	CHECK_EQ(fake_dv.submits, 2);
	CHECK_EQ(fake_dv.nr_seg, 3);
	CHECK_EQ(fake_dv.seg[2].len, RX_MIN);
	CHECK_EQ(fake_dv.seg[2].flags, DV_DMA_WRITE);
	CHECK_EQ(rd(R_STATUS), ST_OK);
}

/* Receive buffers of 1526 bytes or more, in one piece or several, go to the host. */
static void t_net_rx_good(void)
{
	setup();
	put_desc(DESC(RX), 0, BUF, RX_MIN, VIRTQ_DESC_F_WRITE, 0);
	post(RX, 0);
	put_desc(DESC(RX), 1, BUF + 0x1000, HDR, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	put_desc(DESC(RX), 2, BUF + 0x2000, RX_MIN - HDR, VIRTQ_DESC_F_WRITE, 0);
	post(RX, 1);
	CHECK_EQ(fake_dv.submits, 2);
	CHECK_EQ(fake_dv.last_q, RX);
	fake_dv.done[0] = (struct dv_dma_done){ 1, 72 };
	fake_dv.nr_done = 1;
	vdev_host_irq(&net);
	CHECK_EQ(used_idx(RX), 1);
	check_used(RX, 0, 1, 72);
	CHECK_EQ(rd(R_STATUS), ST_OK);
}

/*
 * A receive buffer too small for a whole frame never reaches the host (its device would
 * drop every frame on it): the guest's device needs a reset; the host device is untouched.
 */
static void t_net_rx_too_small(void)
{
	setup();
	put_desc(DESC(RX), 0, BUF, RX_MIN - 1, VIRTQ_DESC_F_WRITE, 0);
	post(RX, 0);
	CHECK_EQ(fake_dv.submits, 0);
	CHECK_EQ(fake_dv.hdev_resets, 0);
	CHECK_EQ(used_idx(RX), 0);
	CHECK(rd(R_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	CHECK(rd(R_INT_STATUS) & VIRTIO_INT_CONFIG);
	/* nothing more is taken until the driver resets the device */
	put_desc(DESC(TX), 0, BUF, HDR + 60, 0, 0);
	post(TX, 0);
	CHECK_EQ(fake_dv.submits, 0);
	wr(R_STATUS, 0);
	CHECK_EQ(fake_dv.hdev_resets, 1);
	CHECK_EQ(rd(R_STATUS), 0);
}

int main(void)
{
	RUN(t_net_features);
	RUN(t_net_tx_good);
	RUN(t_net_tx_header_only);
	RUN(t_net_tx_empty_frame);
	RUN(t_net_tx_all_empty);
	RUN(t_net_tx_short_header);
	RUN(t_net_tx_runt);
	RUN(t_net_tx_oversize);
	RUN(t_net_tx_huge);
	RUN(t_net_tx_mixed);
	RUN(t_net_tx_writable);
	RUN(t_net_empty_segments_skipped);
	RUN(t_net_rx_good);
	RUN(t_net_rx_too_small);
	UNIT_EXIT();
}
