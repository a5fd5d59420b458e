/* SPDX-License-Identifier: BSD-2-Clause */
/* Emulating a guest load or store that faulted on an MMIO window as an access to a device model. */
#ifndef VMM_MMIO_EMUL_H
#define VMM_MMIO_EMUL_H

#include <stdint.h>

#include "dv_abi.h"
#include "mmio.h"

enum mmio_result {
	MMIO_DONE,
	MMIO_UNMAPPED,  /* no device covers the access */
	MMIO_BAD_INSN,  /* the instruction is not a load/store matching the fault, or unreadable */
	MMIO_BUS_ERROR, /* the device refused the access */
	MMIO_MISS,      /* mmio_emulate_cached only: not an access the bus decoded before */
};

/* Exit causes (scause) of the guest-page faults that reach MMIO emulation. */
#define MMIO_CAUSE_LOAD_GPF  21
#define MMIO_CAUSE_STORE_GPF 23

/*
 * Emulate the guest-page fault recorded in `ex` as an access to a device on `bus`.
 * gpa = (ex->htval << 2) | (ex->tval & 3). The instruction comes from ex->htinst when it is
 * a transformed load/store, else from `fetch` (reads the instruction at guest-virtual gva:
 * 16 bits, and 16 more when the low 2 bits of the first are 3; returns 0 or negative).
 *
 * On MMIO_DONE: for a store, the low `width` bytes of gpr[reg] went to the device (x0 reads
 * as 0); for a load, gpr[reg] got the value zero- or sign-extended to 64 bits (gpr[0] is never
 * written); ex->pc advanced by insn_len. On any other result ex is unchanged.
 * MMIO_UNMAPPED also covers an unusable or mismatched instruction when no device is at gpa.
 * If `acc` is not NULL it receives the access: gpa always, the rest once decoded (else 0).
 */
enum mmio_result mmio_emulate(struct mmio_bus *bus, struct dv_exit *ex,
			      long (*fetch)(uint64_t gva, uint32_t *insn), struct mmio_access *acc);

#endif
