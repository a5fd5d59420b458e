/* SPDX-License-Identifier: BSD-2-Clause */
/* Decoding the guest instruction behind an MMIO exit. */
#ifndef VMM_INSN_H
#define VMM_INSN_H

#include <stdint.h>

#include "mmio.h"

/*
 * Decode a load or store. `insn` is the raw instruction: 16 bits for a compressed one
 * (low two bits != 3), else 32 bits. On success fills width, write, sign_extend, reg and
 * insn_len of *a (not gpa) and returns 0; -1 for anything that is not an integer load/store.
 */
int insn_decode_mmio(uint32_t insn, struct mmio_access *a);

/*
 * Decode from htinst when the hardware gave a transformed load/store (bit 0 set);
 * returns -1 when htinst carries nothing usable (0, or a pseudo-instruction).
 */
int insn_decode_htinst(uint64_t htinst, struct mmio_access *a);

#endif
