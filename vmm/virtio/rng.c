// SPDX-License-Identifier: BSD-2-Clause
/*
 * virtio-rng (virtio 1.2, 5.4): the guest's entropy requests go to the platform's entropy
 * device, so the bytes come from a real source of the host, never from the runtime.
 */
#include "vdev.h"

static enum vdev_verdict rng_check(struct vdev *v, unsigned q, const struct virtq_chain *c)
{
	(void)q;
	return vdev_check_oneway(v, c, true, 1);
}

int vrng_init(struct vdev *v, struct vdev_host host)
{
	vdev_model(v, "virtio-rng", VIRTIO_ID_RNG, 1, 0, rng_check);
	vdev_bind_host(v, host);
	return 0;
}
