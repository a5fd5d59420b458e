// SPDX-License-Identifier: BSD-2-Clause
/*
 * virtio-console (virtio 1.2, 5.3): a second console port, forwarded to the platform's
 * console device (on QEMU a virtconsole on virtio-serial). Single port, no multiport.
 */
#include "vdev.h"

#define CONSOLE_CFG_SIZE 12 /* cols, rows, max_nr_ports, emerg_wr */
#define CONSOLE_RX 0

static enum vdev_verdict console_check(struct vdev *v, unsigned q, const struct virtq_chain *c)
{
	return vdev_check_oneway(v, c, q == CONSOLE_RX, 1);
}

int vconsole_init(struct vdev *v, struct vdev_host host)
{
	vdev_model(v, "virtio-console", VIRTIO_ID_CONSOLE, 2, CONSOLE_CFG_SIZE, console_check);
	vdev_bind_host(v, host);
	return 0;
}
