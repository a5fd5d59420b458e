// SPDX-License-Identifier: BSD-2-Clause
/*
 * virtio-net (virtio 1.2, 5.1): receiveq1 and transmitq1 forwarded to the platform's network
 * device; the guest's MAC comes from the VM config. The host device is negotiated without
 * offloads, so every packet carries the plain 12-byte virtio 1.x header both sides share.
 */
#include <string.h>

#include "vdev.h"

#define VIRTIO_NET_F_MAC 5
#define NET_HDR_LEN      12
#define NET_CFG_SIZE     8 /* mac, status */
#define NET_RX 0

static enum vdev_verdict net_check(struct vdev *v, unsigned q, const struct virtq_chain *c)
{
	return vdev_check_oneway(v, c, q == NET_RX, NET_HDR_LEN);
}

int vnet_init(struct vdev *v, struct vdev_host host, const uint8_t mac[6])
{
	vdev_model(v, "virtio-net", VIRTIO_ID_NET, 2, NET_CFG_SIZE, net_check);
	v->vio.features = VIRTIO_BIT(VIRTIO_NET_F_MAC);
	memcpy(v->vio.config, mac, 6);
	vdev_bind_host(v, host);
	return 0;
}
