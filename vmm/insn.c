// SPDX-License-Identifier: BSD-2-Clause
/* Decoding the RV64 integer loads and stores (base and C extension) that cause MMIO exits. */
#include <stdbool.h>

#include "insn.h"

#define OPC_LOAD  0x03
#define OPC_STORE 0x23

/* Quadrants (bits 1:0) of a compressed instruction; 3 means "not compressed". */
#define C_Q0 0
#define C_Q2 2

/* funct3 (bits 15:13) of the RV64C loads and stores; the FP ones use the remaining codes. */
#define C_LW 2
#define C_LD 3
#define C_SW 6
#define C_SD 7

static unsigned bits(uint32_t insn, unsigned hi, unsigned lo)
{
	return (insn >> lo) & ((1U << (hi - lo + 1)) - 1);
}

static void set_access(struct mmio_access *a, unsigned width, bool write, bool sign_extend,
		       unsigned reg, unsigned insn_len)
{
	a->width = width;
	a->write = write;
	a->sign_extend = sign_extend;
	a->reg = reg;
	a->insn_len = insn_len;
}

/* funct3 of LOAD: bits 1:0 give log2(width), bit 2 means unsigned; LDU (7) is RV128 only. */
static int decode_load(uint32_t insn, struct mmio_access *a)
{
	unsigned funct3 = bits(insn, 14, 12);

	if (funct3 == 7)
		return -1;
	set_access(a, 1U << (funct3 & 3), false, funct3 < 3, bits(insn, 11, 7), 4);
	return 0;
}

/* funct3 of STORE is log2(width); 4 (SQ) and up are reserved on RV64. */
static int decode_store(uint32_t insn, struct mmio_access *a)
{
	unsigned funct3 = bits(insn, 14, 12);

	if (funct3 > 3)
		return -1;
	set_access(a, 1U << funct3, true, false, bits(insn, 24, 20), 4);
	return 0;
}

static int decode_32(uint32_t insn, struct mmio_access *a)
{
	switch (bits(insn, 6, 0)) {
	case OPC_LOAD:
		return decode_load(insn, a);
	case OPC_STORE:
		return decode_store(insn, a);
	default:
		return -1;
	}
}

/* C.LW/C.LD/C.SW/C.SD name their data register as rd'/rs2' in bits 4:2, meaning x8..x15. */
static int decode_c_q0(uint16_t insn, struct mmio_access *a)
{
	unsigned reg = 8 + bits(insn, 4, 2);

	switch (bits(insn, 15, 13)) {
	case C_LW:
		set_access(a, 4, false, true, reg, 2);
		return 0;
	case C_LD:
		set_access(a, 8, false, false, reg, 2);
		return 0;
	case C_SW:
		set_access(a, 4, true, false, reg, 2);
		return 0;
	case C_SD:
		set_access(a, 8, true, false, reg, 2);
		return 0;
	default:
		return -1;
	}
}

/* The sp-relative forms: loads name rd in bits 11:7 (x0 reserved), stores rs2 in bits 6:2. */
static int decode_c_q2(uint16_t insn, struct mmio_access *a)
{
	unsigned rd = bits(insn, 11, 7), rs2 = bits(insn, 6, 2);

	switch (bits(insn, 15, 13)) {
	case C_LW:
		if (!rd)
			return -1;
		set_access(a, 4, false, true, rd, 2);
		return 0;
	case C_LD:
		if (!rd)
			return -1;
		set_access(a, 8, false, false, rd, 2);
		return 0;
	case C_SW:
		set_access(a, 4, true, false, rs2, 2);
		return 0;
	case C_SD:
		set_access(a, 8, true, false, rs2, 2);
		return 0;
	default:
		return -1;
	}
}

/* A compressed instruction is only the low half; whatever the caller left above it is ignored. */
int insn_decode_mmio(uint32_t insn, struct mmio_access *a)
{
	switch (bits(insn, 1, 0)) {
	case C_Q0:
		return decode_c_q0((uint16_t)insn, a);
	case C_Q2:
		return decode_c_q2((uint16_t)insn, a);
	case 3:
		return decode_32(insn, a);
	default:
		return -1;
	}
}

/*
 * A transformed instruction is the 32-bit form of the trapping one with bit 1 telling
 * whether that was 32-bit (1) or compressed (0). Anything without bit 0 set is either
 * nothing (0) or a pseudo-instruction for a guest page-table walk, neither of which
 * describes the guest's own load or store.
 */
int insn_decode_htinst(uint64_t htinst, struct mmio_access *a)
{
	unsigned len = (htinst & 2) ? 4 : 2;

	if (!(htinst & 1) || (htinst >> 32))
		return -1;
	if (decode_32((uint32_t)htinst | 2, a))
		return -1;
	a->insn_len = len;
	return 0;
}
