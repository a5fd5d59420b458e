/* SPDX-License-Identifier: BSD-2-Clause */
/* Generating the guest's device tree from the VM config and the host's ISA. */
#ifndef VMM_GUEST_DTB_H
#define VMM_GUEST_DTB_H

#include <stddef.h>

#include "config.h"
#include "vm.h"

/* What the DTB tells the guest beyond the VM config. */
struct guest_boot {
	const char *host_isa;
	const char *bootargs;
	uint64_t initrd_start, initrd_end; /* guest-physical; equal when there is none */
	const uint8_t *rng_seed; /* /chosen/rng-seed; none when rng_seed_len is 0 */
	size_t rng_seed_len;
};

/* Writes the guest DTB into buf; 0, or a negative libfdt error. */
int guest_dtb_build(void *buf, size_t size, const struct vm *vm, const struct vm_config *cfg,
		    const struct guest_boot *boot);

/*
 * The guest's riscv,isa: the host's without what a guest cannot use (h, DV-Ext z, the AIA's
 * smaia and ssaia, and Sstc where the minikernel found stimecmp unusable whatever the
 * host's string says).
 */
void guest_isa(char *out, size_t size, const char *host_isa, bool sstc);

#endif
