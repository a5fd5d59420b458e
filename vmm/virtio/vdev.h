/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runtime's virtio device models: block, network, console and entropy. Each sits behind
 * the virtio-mmio transport (virtio.h). Their backends are the platform's own virtio devices,
 * driven by the minikernel on the VM's behalf (hostq.c forwards the guest's chains, buffers
 * in place), or for the block device also a disk image embedded in the firmware.
 */
#ifndef VMM_VDEV_H
#define VMM_VDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "dv_abi.h"
#include "virtio.h"

/* A guest chain in flight at the host, under the id the host gave it. */
struct hostq_chain {
	uint32_t in_len; /* its device-writable bytes: the most the host may report */
	uint16_t guest_head;
	bool live;
};

/* Forwarding state of one guest queue. */
struct hostq {
	struct hostq_chain chain[VIRTQ_MAX_SIZE]; /* by host chain id */
	unsigned nr_live;
	bool backlog; /* a chain waits in the guest's ring for room in the host queue */
};

/* What a device model decides about a chain before it is forwarded. */
enum vdev_verdict {
	VDEV_FORWARD, /* hand it to the host queue as it is */
	VDEV_ANSWERED, /* answered by the model itself (already pushed to the used ring) */
	VDEV_INVALID,  /* malformed: virtio_fail has been called */
};

struct vdev {
	struct virtio_dev vio;
	int hdev;             /* index of the host device in the boot info, -1 for none */
	unsigned host_irq;    /* its host IRQ, 0 for none */
	struct hostq hq[VIRTIO_MAX_QUEUES];
	/* Called for each chain a forwarding device takes, before it is submitted. */
	enum vdev_verdict (*check)(struct vdev *v, unsigned q, const struct virtq_chain *c);
	/* Block devices. */
	const uint8_t *disk;  /* the embedded image, NULL when the disk is the host's */
	uint64_t sectors;
	bool read_only;
	/* Network devices: transmit chains answered without reaching the host (net.c). */
	unsigned long tx_dropped;
};

/* A host device to forward to: the boot info's entry and its index. */
struct vdev_host {
	const struct dv_hdev *info;
	int index;
};

/*
 * Device constructors. Each fills v->vio (ID, features, queues, config, ops) for the
 * transport; the caller wires the interrupt and calls virtio_init. 0, or -1 with a message.
 */
int vblk_init_host(struct vdev *v, struct vdev_host host);
int vblk_init_embedded(struct vdev *v, const uint8_t *image, uint64_t size);
int vnet_init(struct vdev *v, struct vdev_host host, const uint8_t mac[6]);
int vconsole_init(struct vdev *v, struct vdev_host host);
int vrng_init(struct vdev *v, struct vdev_host host);

/*
 * hostq.c: the forwarding path shared by every device with a host backend. vdev_model sets
 * what every model sets first (name, device ID, queues, config size, its chain check, the
 * forwarding ops); vdev_bind_host then ties it to its host device.
 */
void vdev_model(struct vdev *v, const char *name, uint32_t device_id, unsigned nr_queues,
		unsigned config_size,
		enum vdev_verdict (*check)(struct vdev *v, unsigned q, const struct virtq_chain *c));
void vdev_bind_host(struct vdev *v, struct vdev_host host);
/* A chain that must be wholly device-writable (or wholly readable) with min_len bytes. */
enum vdev_verdict vdev_check_oneway(struct vdev *v, const struct virtq_chain *c, bool writable,
				    uint32_t min_len);
/* The host device's IRQ fired: return what it finished to the guest, forward what waits. */
void vdev_host_irq(struct vdev *v);

#endif
