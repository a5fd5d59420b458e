/* SPDX-License-Identifier: BSD-2-Clause */
/* An empty virtio-mmio slot: the transport's identity registers with device ID 0 (no device). */
#ifndef VMM_DEV_VIRTIO_SLOT_H
#define VMM_DEV_VIRTIO_SLOT_H

#include <stdint.h>

#include "mmio.h"

#define VIRTIO_SLOT_SIZE 0x1000

/*
 * A driver probing the slot reads MagicValue "virt", Version 2 and DeviceID 0, which the
 * virtio 1.2 specification (4.2.2) defines as "no device here"; every other register reads
 * 0 and ignores writes. Only aligned 32-bit accesses are valid, as for any virtio-mmio device.
 */
struct virtio_slot {
	struct mmio_dev dev;
};

void virtio_slot_init(struct virtio_slot *s, uint64_t base);

#endif
