/* SPDX-License-Identifier: BSD-2-Clause */
/* The VM config (a DTB compiled from a firmware/vm/ source) as the runtime reads it. */
#ifndef VMM_CONFIG_H
#define VMM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

struct vm_config {
	uint64_t ram_gpa, ram_size;
	unsigned nr_vcpus;
	const char *guest;    /* name of the image blob holding the guest payload */
	const char *bootargs; /* the guest's /chosen/bootargs */
	bool testdev;         /* add the duvisor,mmio-test device */
};

/* 0, or -1 with a message when the config is malformed. */
int vm_config_parse(const void *fdt, struct vm_config *c);

#endif
