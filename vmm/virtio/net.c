// SPDX-License-Identifier: BSD-2-Clause
/*
 * virtio-net (virtio 1.2, 5.1): receiveq1 and transmitq1 forwarded to the platform's network
 * device; the guest's MAC comes from the VM config. The host device is negotiated without
 * offloads, so every packet carries the plain 12-byte virtio 1.x header both sides share.
 * Only chains the host device can take whole reach it: QEMU's virtio-net marks itself broken
 * on a transmit chain with no frame after the header, and keeps handing every received frame
 * to a receive buffer too small for it, dropping them all.
 */
#include <stdio.h>
#include <string.h>

#include "vdev.h"

#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5
#define NET_HDR_LEN      12
#define NET_CFG_MTU      10
#define NET_CFG_SIZE     12 /* mac, status, max_virtqueue_pairs, mtu */
#define NET_RX 0

/*
 * Frames without offloads: the MTU offered (VIRTIO_NET_F_MTU) plus the Ethernet header, and
 * an 802.1Q tag besides (a driver that took the MTU sends nothing longer than it "plus low
 * level ethernet header length", 5.1.4). A receive buffer must hold the header and an
 * untagged frame of that MTU: the 1526 bytes 5.1.6.3 asks of a driver without
 * VIRTIO_NET_F_MRG_RXBUF (Linux's small buffers are 12 + 1518).
 */
#define NET_MTU       1500
#define ETH_HDR_LEN   14
#define VLAN_TAG_LEN  4
#define NET_FRAME_MIN ETH_HDR_LEN
#define NET_FRAME_MAX (ETH_HDR_LEN + VLAN_TAG_LEN + NET_MTU)
#define NET_RX_MIN    (NET_HDR_LEN + ETH_HDR_LEN + NET_MTU)

/*
 * A transmit chain whose frame the host device must not see is completed here as if sent
 * (used length 0, as for every transmit chain) and dropped: the driver's queue keeps moving
 * and the host device keeps working. Out of line: the forwarding path needs no printf frame.
 */
static __attribute__((noinline, cold)) enum vdev_verdict
net_tx_drop(struct vdev *v, unsigned q, const struct virtq_chain *c)
{
	v->tx_dropped++;
	virtq_push(&v->vio, q, c->head, 0);
	if (vm_warn_ok(v->vio.vm))
		printf("%s@0x%llx: dropped a %u-byte transmit chain: frames are %u..%u bytes after "
		       "the %u-byte header (%lu dropped)\n",
		       v->vio.name, (unsigned long long)v->vio.mmio.base, c->out_len, NET_FRAME_MIN,
		       NET_FRAME_MAX, NET_HDR_LEN, v->tx_dropped);
	return VDEV_ANSWERED;
}

static enum vdev_verdict net_check(struct vdev *v, unsigned q, const struct virtq_chain *c)
{
	if (q == NET_RX)
		return vdev_check_oneway(v, c, true, NET_RX_MIN);
	if (vdev_check_oneway(v, c, false, 0) != VDEV_FORWARD)
		return VDEV_INVALID;
	if (c->out_len < NET_HDR_LEN + NET_FRAME_MIN || c->out_len > NET_HDR_LEN + NET_FRAME_MAX)
		return net_tx_drop(v, q, c);
	return VDEV_FORWARD;
}

int vnet_init(struct vdev *v, struct vdev_host host, const uint8_t mac[6])
{
	vdev_model(v, "virtio-net", VIRTIO_ID_NET, 2, NET_CFG_SIZE, net_check);
	v->vio.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_MTU);
	memcpy(v->vio.config, mac, 6);
	v->vio.config[NET_CFG_MTU] = (uint8_t)NET_MTU;
	v->vio.config[NET_CFG_MTU + 1] = (uint8_t)(NET_MTU >> 8);
	vdev_bind_host(v, host);
	return 0;
}
