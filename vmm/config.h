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
	const char *name;     /* the unit address of its node vm@<name>; NULL: none */
	const char *guest;    /* name of the image blob holding the guest payload */
	const char *initrd;   /* blob names: the initrd, words added to bootargs, the runtime */
	const char *cmdline;
	const char *runtime;
	const char *backend;  /* "dv-sw" or "dv-hw": the minikernel refuses what the host cannot run */
	const char *bootargs; /* the guest's /chosen/bootargs */
	bool testdev;         /* add the duvisor,mmio-test device */
	bool uart_shadow;     /* the UART's loads read a shadow while they can (else all exit) */
	unsigned nr_virtio;   /* virtio devices, in slot order */
	enum vm_virtio virtio[VM_MAX_VIRTIO];
	const char *disk;     /* a blob name: the embedded disk image; NULL: the host's disk */
	uint8_t mac[6];       /* the virtio-net device's MAC address */
};

/* The offset of the config's i-th VM node (a root child named vm or vm@...), or -1. */
int vm_config_node(const void *fdt, unsigned i);
/* The VM of node `vm`: 0, or -1 with a message when the config is malformed. */
int vm_config_parse(const void *fdt, int vm, struct vm_config *c);

#endif
