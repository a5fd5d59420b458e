/* SPDX-License-Identifier: BSD-2-Clause */
/* The VM config (a DTB compiled from a firmware/vm/ source) as the runtime reads it. */
#ifndef VMM_CONFIG_H
#define VMM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define VM_MAX_VIRTIO 8

/* The virtio devices a VM config can ask for, in its `virtio-devices` list. */
enum vm_virtio {
	VM_VIRTIO_BLK,
	VM_VIRTIO_NET,
	VM_VIRTIO_CONSOLE,
	VM_VIRTIO_RNG,
};

struct vm_config {
	uint64_t ram_gpa, ram_size;
	unsigned nr_vcpus;
	const char *guest;    /* name of the image blob holding the guest payload */
	const char *bootargs; /* the guest's /chosen/bootargs */
	bool testdev;         /* add the duvisor,mmio-test device */
	bool uart_shadow;     /* the UART's loads read a shadow while they can (else all exit) */
	unsigned nr_virtio;   /* virtio devices, in slot order */
	enum vm_virtio virtio[VM_MAX_VIRTIO];
	const char *disk;     /* a blob name: the embedded disk image; NULL: the host's disk */
	uint8_t mac[6];       /* the virtio-net device's MAC address */
};

/* 0, or -1 with a message when the config is malformed. */
int vm_config_parse(const void *fdt, struct vm_config *c);

#endif
