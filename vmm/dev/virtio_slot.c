// SPDX-License-Identifier: BSD-2-Clause
/* An empty virtio-mmio slot (virtio 1.2, 4.2.2): present on the bus, holding no device. */
#include "virtio_slot.h"

#define VIRTIO_MMIO_MAGIC     0x000
#define VIRTIO_MMIO_VERSION   0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MAGIC_VALUE    0x74726976 /* "virt" */

static int slot_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	(void)opaque;
	if (width != 4 || off % 4)
		return -1;
	switch (off) {
	case VIRTIO_MMIO_MAGIC:
		*val = VIRTIO_MAGIC_VALUE;
		break;
	case VIRTIO_MMIO_VERSION:
		*val = 2;
		break;
	default:
		*val = 0;
	}
	return 0;
}

static int slot_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	(void)opaque;
	(void)val;
	return width == 4 && !(off % 4) ? 0 : -1;
}

void virtio_slot_init(struct virtio_slot *s, uint64_t base)
{
	*s = (struct virtio_slot){
		.dev = {
			.name = "virtio-mmio (empty)",
			.base = base,
			.size = VIRTIO_SLOT_SIZE,
			.opaque = s,
			.read = slot_read,
			.write = slot_write,
		},
	};
}
