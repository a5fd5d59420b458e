// SPDX-License-Identifier: BSD-2-Clause
// virtio-net on the host's network device: malformed frames are completed without reaching
// it, a receive buffer too small for a frame stops the guest's device, and the host device
// keeps sending and receiving (an ARP exchange with QEMU's user network) through all of it.
#include "print.h"
#include "riscv.h"
#include "test.h"
#include "virtio.h"

#define NET_F_MTU     3
#define NET_F_MAC     5
#define NET_HDR       12
#define NET_MTU       1500
#define FRAME_MAX     1518 /* NET_MTU + the Ethernet header + an 802.1Q tag */
#define RX_MIN        1526 /* the header and an untagged frame of NET_MTU */
#define NR_RX         4
#define RX_SMALL_HEAD NR_RX
#define TIMEBASE_HZ   10000000UL /* QEMU virt */
#define WAIT_SECONDS  5

static struct vq_mem rxq, txq;
static struct vio rx = { .base = VIRTIO_SLOT(0), .q = &rxq, .queue = 0 };
static struct vio tx = { .base = VIRTIO_SLOT(0), .q = &txq, .queue = 1 };
static uint8_t rxbuf[NR_RX][2048] __attribute__((aligned(16)));
static uint8_t txhdr[NET_HDR] __attribute__((aligned(16)));
static uint8_t frame[2048] __attribute__((aligned(16)));
static uint8_t mac[6];

static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };
static const uint8_t host_ip[4] = { 10, 0, 2, 2 };

/* Waiting for what cannot come would hang: end the test instead. */
static void require(bool cond, const char *what)
{
	if (!expect(cond, what))
		test_end();
}

static void desc(struct vio *q, uint16_t i, const void *addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	q->q->desc[i] = (struct vq_desc){ (uintptr_t)addr, len, flags, next };
}

/* Like vio_wait_used, but for the host's network too: up to WAIT_SECONDS. */
static bool wait_used(const struct vio *q)
{
	uint64_t deadline = rdtime() + WAIT_SECONDS * TIMEBASE_HZ;

	while (vio_used_idx(q) == q->used_idx)
		if (rdtime() > deadline)
			return false;
	return true;
}

static bool bytes_eq(const uint8_t *a, const uint8_t *b, unsigned n)
{
	while (n--)
		if (*a++ != *b++)
			return false;
	return true;
}

/* Slot 0 is a network device offering its MAC and an MTU of 1500. */
static void probe(void)
{
	uint64_t offered = vio_device_features(&rx);
	uint32_t w0, w1;

	require(expect_eq(vio_rd(&rx, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_NET, "slot 0: DeviceID"),
		"slot 0 is a network device");
	expectf((offered & VIRTIO_BIT(NET_F_MAC)) && (offered & VIRTIO_BIT(NET_F_MTU)),
		"MAC and MTU offered (0x%lx)", (unsigned long)offered);
	w0 = vio_rd(&rx, VIRTIO_MMIO_CONFIG);
	w1 = vio_rd(&rx, VIRTIO_MMIO_CONFIG + 4);
	for (unsigned i = 0; i < 4; i++)
		mac[i] = (uint8_t)(w0 >> (8 * i));
	mac[4] = (uint8_t)w1;
	mac[5] = (uint8_t)(w1 >> 8);
	expect_eq(vio_rd(&rx, VIRTIO_MMIO_CONFIG + 8) >> 16, NET_MTU, "config mtu");
	gprintf("virtio_net_bad: mac %02x:%02x:%02x:%02x:%02x:%02x\n", mac[0], mac[1], mac[2],
		mac[3], mac[4], mac[5]);
}

/* Initialization with both queues; then NR_RX receive buffers of 2048 bytes. */
static void up(void)
{
	require(vio_negotiate(&rx, VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(NET_F_MAC) |
					   VIRTIO_BIT(NET_F_MTU), false) &&
			vio_queue_init(&rx) && vio_queue_init(&tx) && vio_driver_ok(&rx),
		"the device is running");
	for (uint16_t i = 0; i < NR_RX; i++) {
		desc(&rx, i, rxbuf[i], sizeof(rxbuf[i]), VIRTQ_DESC_F_WRITE, 0);
		vio_post(&rx, i);
	}
	vio_notify(&rx);
}

static bool running(void)
{
	return !(vio_rd(&rx, VIRTIO_MMIO_STATUS) & (VIRTIO_S_NEEDS_RESET | VIRTIO_S_FAILED));
}

/*
 * The chain at tx descriptor 0 sent: it must come back used with length 0 and a used-buffer
 * interrupt, the device still running. False (reported) when it does not.
 */
static bool tx_completes(const char *what)
{
	struct vq_used_elem e;

	vio_post(&tx, 0);
	vio_notify(&tx);
	if (!expectf(running(), "%s: the device stopped (Status 0x%x)", what,
		     vio_rd(&rx, VIRTIO_MMIO_STATUS)) ||
	    !expectf(wait_used(&tx), "%s: never completed", what))
		return false;
	e = vio_take_used(&tx);
	expect_eq(e.id, 0, "used id is the chain's head");
	expect_eq(e.len, 0, "a sent frame's used length");
	expectf(vio_rd(&rx, VIRTIO_MMIO_INT_STATUS) & VIRTIO_INT_USED,
		"%s: no used-buffer interrupt", what);
	vio_wr(&rx, VIRTIO_MMIO_INT_ACK, VIRTIO_INT_USED);
	return true;
}

/* A transmit chain of the 12-byte header and `len` frame bytes (no frame buffer when < 0). */
static void tx_bad(const char *what, long len)
{
	desc(&tx, 0, txhdr, NET_HDR, len < 0 ? 0 : VIRTQ_DESC_F_NEXT, 1);
	desc(&tx, 1, frame, len < 0 ? 0 : (uint32_t)len, 0, 0);
	if (tx_completes(what))
		gprintf("virtio_net_bad: %s: completed, not sent\n", what);
}

/* Broadcast "who has 10.0.2.2, tell 10.0.2.15" (RFC 826), padded to 60 bytes. */
static void tx_arp(void)
{
	static const uint8_t arp[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	uint8_t *p = frame;

	for (unsigned i = 0; i < 60; i++)
		frame[i] = 0;
	for (unsigned i = 0; i < 6; i++) {
		p[i] = 0xff;
		p[6 + i] = mac[i];
		p[22 + i] = mac[i];
	}
	p[12] = 0x08;
	p[13] = 0x06;
	for (unsigned i = 0; i < 8; i++)
		p[14 + i] = arp[i];
	for (unsigned i = 0; i < 4; i++) {
		p[28 + i] = guest_ip[i];
		p[38 + i] = host_ip[i];
	}
	desc(&tx, 0, txhdr, NET_HDR, VIRTQ_DESC_F_NEXT, 1);
	desc(&tx, 1, frame, 60, 0, 0);
	if (tx_completes("ARP request"))
		gprintf("virtio_net_bad: ARP request sent\n");
}

/* Whether receive buffer i holds "10.0.2.2 is at ..." addressed to us. */
static bool is_arp_reply(unsigned i, uint32_t len)
{
	const uint8_t *f = rxbuf[i] + NET_HDR;

	return len >= NET_HDR + 42 && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 &&
	       f[21] == 2 && bytes_eq(f + 28, host_ip, 4) && bytes_eq(f + 32, mac, 6);
}

/* The ARP reply arrives; other frames (QEMU may send some) go back to the ring. */
static void rx_arp_reply(const char *when)
{
	uint64_t deadline = rdtime() + WAIT_SECONDS * TIMEBASE_HZ;

	while (rdtime() < deadline) {
		struct vq_used_elem e;

		if (vio_used_idx(&rx) == rx.used_idx)
			continue;
		e = vio_take_used(&rx);
		if (!expectf(e.id < NR_RX && e.len <= sizeof(rxbuf[0]), "rx used id %u len %u",
			     e.id, e.len))
			return;
		if (is_arp_reply(e.id, e.len)) {
			const uint8_t *f = rxbuf[e.id] + NET_HDR;

			gprintf("virtio_net_bad: %s: ARP reply, 10.0.2.2 is at "
				"%02x:%02x:%02x:%02x:%02x:%02x\n",
				when, f[22], f[23], f[24], f[25], f[26], f[27]);
			return;
		}
		vio_post(&rx, (uint16_t)e.id);
		vio_notify(&rx);
	}
	expectf(false, "%s: no ARP reply within %u s", when, WAIT_SECONDS);
}

/*
 * A receive buffer too small for a whole frame is not handed to the host: the guest's
 * device needs a reset (a configuration interrupt says so), and after one it works again.
 */
static void rx_too_small(void)
{
	desc(&rx, RX_SMALL_HEAD, rxbuf[0], RX_MIN - 1, VIRTQ_DESC_F_WRITE, 0);
	vio_post(&rx, RX_SMALL_HEAD);
	vio_notify(&rx);
	expectf(vio_rd(&rx, VIRTIO_MMIO_STATUS) & VIRTIO_S_NEEDS_RESET,
		"a %u-byte receive buffer: no DEVICE_NEEDS_RESET (Status 0x%x)", RX_MIN - 1,
		vio_rd(&rx, VIRTIO_MMIO_STATUS));
	expect(vio_rd(&rx, VIRTIO_MMIO_INT_STATUS) & VIRTIO_INT_CONFIG,
	       "DEVICE_NEEDS_RESET raised a configuration interrupt");
	gprintf("virtio_net_bad: a %u-byte receive buffer: DEVICE_NEEDS_RESET\n", RX_MIN - 1);
	up();
}

int main(void)
{
	test_start("virtio_net_bad");
	probe();
	up();
	tx_bad("header only", -1);
	tx_bad("empty frame buffer", 0);
	tx_bad("13-byte frame", 13);
	tx_bad("1519-byte frame", FRAME_MAX + 1);
	tx_arp();
	rx_arp_reply("after the bad frames");
	rx_too_small();
	tx_arp();
	rx_arp_reply("after a reset");
	test_end();
}
