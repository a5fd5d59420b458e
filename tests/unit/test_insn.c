// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the MMIO load/store decoder (vmm/insn.c), plain and from htinst. */
#include <stdbool.h>
#include <string.h>

#include "insn.h"
#include "unit.h"

#define OPC_LOAD     0x03
#define OPC_LOAD_FP  0x07
#define OPC_STORE    0x23
#define OPC_STORE_FP 0x27
#define OPC_AMO      0x2f
#define OPC_OP       0x33

/* Base-ISA formats, from the field layout of the unprivileged spec. */
static uint32_t enc_i(int imm, unsigned rs1, unsigned funct3, unsigned rd, unsigned opcode)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
}

static uint32_t enc_s(int imm, unsigned rs2, unsigned rs1, unsigned funct3, unsigned opcode)
{
	uint32_t u = (uint32_t)imm & 0xfff;

	return (u >> 5) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (u & 0x1f) << 7 | opcode;
}

static unsigned bit(unsigned v, unsigned n)
{
	return (v >> n) & 1;
}

/* CL/CS: funct3 | uimm[5:3] | rs1' | two more offset bits | rd'/rs2' | quadrant 0. */
static uint16_t enc_cl(unsigned funct3, unsigned off, unsigned rs1p, unsigned rdp, bool dword)
{
	unsigned lo = dword ? ((off >> 6) & 3) : (bit(off, 2) << 1 | bit(off, 6));

	return funct3 << 13 | ((off >> 3) & 7) << 10 | rs1p << 7 | lo << 5 | rdp << 2;
}

static uint16_t c_lw(unsigned rdp, unsigned rs1p, unsigned off)
{
	return enc_cl(2, off, rs1p, rdp, false);
}

static uint16_t c_ld(unsigned rdp, unsigned rs1p, unsigned off)
{
	return enc_cl(3, off, rs1p, rdp, true);
}

static uint16_t c_sw(unsigned rs2p, unsigned rs1p, unsigned off)
{
	return enc_cl(6, off, rs1p, rs2p, false);
}

static uint16_t c_sd(unsigned rs2p, unsigned rs1p, unsigned off)
{
	return enc_cl(7, off, rs1p, rs2p, true);
}

/* CI loads from sp: funct3 | off[5] | rd | off[4:2|7:6] (W) or off[4:3|8:6] (D) | quadrant 2. */
static uint16_t c_lwsp(unsigned rd, unsigned off)
{
	return 2 << 13 | bit(off, 5) << 12 | rd << 7 | ((off >> 2) & 7) << 4 |
	       ((off >> 6) & 3) << 2 | 2;
}

static uint16_t c_ldsp(unsigned rd, unsigned off)
{
	return 3 << 13 | bit(off, 5) << 12 | rd << 7 | ((off >> 3) & 3) << 5 |
	       ((off >> 6) & 7) << 2 | 2;
}

/* CSS stores to sp: funct3 | off[5:2|7:6] (W) or off[5:3|8:6] (D) | rs2 | quadrant 2. */
static uint16_t c_swsp(unsigned rs2, unsigned off)
{
	return 6 << 13 | ((off >> 2) & 0xf) << 9 | ((off >> 6) & 3) << 7 | rs2 << 2 | 2;
}

static uint16_t c_sdsp(unsigned rs2, unsigned off)
{
	return 7 << 13 | ((off >> 3) & 7) << 10 | ((off >> 6) & 7) << 7 | rs2 << 2 | 2;
}

/* Decodes `insn` and checks every field; the access starts out poisoned to catch unset fields. */
static void expect(uint32_t insn, unsigned width, bool write, bool sign, unsigned reg, unsigned len)
{
	struct mmio_access a;

	memset(&a, 0xa5, sizeof(a));
	a.gpa = 0x1234;
	CHECK_EQ(insn_decode_mmio(insn, &a), 0);
	CHECK_EQ(a.width, width);
	CHECK_EQ(a.write, write);
	CHECK_EQ(a.sign_extend, sign);
	CHECK_EQ(a.reg, reg);
	CHECK_EQ(a.insn_len, len);
	CHECK_EQ(a.gpa, 0x1234);
}

static void expect_htinst(uint64_t htinst, unsigned width, bool write, bool sign, unsigned reg,
			  unsigned len)
{
	struct mmio_access a;

	memset(&a, 0xa5, sizeof(a));
	CHECK_EQ(insn_decode_htinst(htinst, &a), 0);
	CHECK_EQ(a.width, width);
	CHECK_EQ(a.write, write);
	CHECK_EQ(a.sign_extend, sign);
	CHECK_EQ(a.reg, reg);
	CHECK_EQ(a.insn_len, len);
}

static void reject(uint32_t insn)
{
	struct mmio_access a;

	CHECK_EQ(insn_decode_mmio(insn, &a), -1);
}

static void reject_htinst(uint64_t htinst)
{
	struct mmio_access a;

	CHECK_EQ(insn_decode_htinst(htinst, &a), -1);
}

struct kind {
	unsigned funct3, width;
	bool sign;
};

static const struct kind loads[] = {
	{ 0, 1, true },  /* LB */
	{ 1, 2, true },  /* LH */
	{ 2, 4, true },  /* LW */
	{ 3, 8, false }, /* LD */
	{ 4, 1, false }, /* LBU */
	{ 5, 2, false }, /* LHU */
	{ 6, 4, false }, /* LWU */
};

static const struct kind stores[] = {
	{ 0, 1, false }, /* SB */
	{ 1, 2, false }, /* SH */
	{ 2, 4, false }, /* SW */
	{ 3, 8, false }, /* SD */
};

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

/* The base register and offset must not matter, so each case uses a different pair. */
static void test_load32_every_width_and_rd(void)
{
	unsigned i, rd;

	for (i = 0; i < ARRAY_SIZE(loads); i++) {
		for (rd = 0; rd < 32; rd++) {
			uint32_t insn = enc_i((int)(rd * 97) - 2048, (rd + i) % 32, loads[i].funct3,
					      rd, OPC_LOAD);

			expect(insn, loads[i].width, false, loads[i].sign, rd, 4);
		}
	}
}

static void test_store32_every_width_and_rs2(void)
{
	unsigned i, rs2;

	for (i = 0; i < ARRAY_SIZE(stores); i++) {
		for (rs2 = 0; rs2 < 32; rs2++) {
			uint32_t insn = enc_s(2047 - (int)(rs2 * 131), rs2, 31 - rs2,
					      stores[i].funct3, OPC_STORE);

			expect(insn, stores[i].width, true, false, rs2, 4);
		}
	}
}

/* rd'/rs2' name x8..x15; the offset and base must not leak into the register. */
static void test_compressed_register_mapping(void)
{
	unsigned r;

	for (r = 0; r < 8; r++) {
		expect(c_lw(r, 7 - r, 124), 4, false, true, 8 + r, 2);
		expect(c_ld(r, r, 248), 8, false, false, 8 + r, 2);
		expect(c_sw(r, 7 - r, 4), 4, true, false, 8 + r, 2);
		expect(c_sd(r, r, 8 * r), 8, true, false, 8 + r, 2);
	}
}

static void test_compressed_sp_relative(void)
{
	unsigned r;

	for (r = 1; r < 32; r++) {
		expect(c_lwsp(r, 4 * (r + 32)), 4, false, true, r, 2);
		expect(c_ldsp(r, 8 * (r + 32)), 8, false, false, r, 2);
	}
	for (r = 0; r < 32; r++) {
		expect(c_swsp(r, 4 * r), 4, true, false, r, 2);
		expect(c_sdsp(r, 504 - 8 * r), 8, true, false, r, 2);
	}
}

/* Only the low half of a compressed instruction belongs to it. */
static void test_compressed_ignores_upper_half(void)
{
	expect(0xffff0000u | c_lw(2, 1, 0), 4, false, true, 10, 2);
	expect(0x12340000u | c_sdsp(1, 8), 8, true, false, 1, 2);
}

/* Words from riscv64-unknown-elf-as -march=rv64imafdc_zicsr, read back with objdump -d. */
static void test_gnu_as_words(void)
{
	expect(0x00058503, 1, false, true, 10, 4);  /* lb a0,0(a1) */
	expect(0xffc29003, 2, false, true, 0, 4);   /* lh zero,-4(t0) */
	expect(0x00c7a483, 4, false, true, 9, 4);   /* lw s1,12(a5) */
	expect(0x7f813f83, 8, false, false, 31, 4); /* ld t6,2040(sp) */
	expect(0x8000cf83, 1, false, false, 31, 4); /* lbu t6,-2048(ra) */
	expect(0x0066d603, 2, false, false, 12, 4); /* lhu a2,6(a3) */
	expect(0x00006003, 4, false, false, 0, 4);  /* lwu zero,0(zero) */
	expect(0x00a583a3, 1, true, false, 10, 4);  /* sb a0,7(a1) */
	expect(0xfe029fa3, 2, true, false, 0, 4);   /* sh zero,-1(t0) */
	expect(0x07f12223, 4, true, false, 31, 4);  /* sw t6,100(sp) */
	expect(0xfe143c23, 8, true, false, 1, 4);   /* sd ra,-8(s0) */
	expect(0x40dc, 4, false, true, 15, 2);      /* c.lw a5,4(s1) */
	expect(0x4000, 4, false, true, 8, 2);       /* c.lw s0,0(s0) */
	expect(0x7fe0, 8, false, false, 8, 2);      /* c.ld s0,248(a5) */
	expect(0xdce8, 4, true, false, 10, 2);      /* c.sw a0,124(s1) */
	expect(0xe41c, 8, true, false, 15, 2);      /* c.sd a5,8(s0) */
	expect(0x50fe, 4, false, true, 1, 2);       /* c.lwsp ra,252(sp) */
	expect(0x7ffe, 8, false, false, 31, 2);     /* c.ldsp t6,504(sp) */
	expect(0xc002, 4, true, false, 0, 2);       /* c.swsp zero,0(sp) */
	expect(0xe46e, 8, true, false, 27, 2);      /* c.sdsp s11,8(sp) */
}

/* The helpers above must agree with the assembler, or the exhaustive tests prove little. */
static void test_helpers_match_gnu_as(void)
{
	CHECK_EQ(enc_i(-4, 5, 1, 0, OPC_LOAD), 0xffc29003);    /* lh zero,-4(t0) */
	CHECK_EQ(enc_i(-2048, 1, 4, 31, OPC_LOAD), 0x8000cf83); /* lbu t6,-2048(ra) */
	CHECK_EQ(enc_s(7, 10, 11, 0, OPC_STORE), 0x00a583a3);  /* sb a0,7(a1) */
	CHECK_EQ(enc_s(-8, 1, 8, 3, OPC_STORE), 0xfe143c23);   /* sd ra,-8(s0) */
	CHECK_EQ(c_lw(7, 1, 4), 0x40dc);                        /* c.lw a5,4(s1) */
	CHECK_EQ(c_ld(0, 7, 248), 0x7fe0);                      /* c.ld s0,248(a5) */
	CHECK_EQ(c_sw(2, 1, 124), 0xdce8);                      /* c.sw a0,124(s1) */
	CHECK_EQ(c_sd(7, 0, 8), 0xe41c);                        /* c.sd a5,8(s0) */
	CHECK_EQ(c_lwsp(1, 252), 0x50fe);                       /* c.lwsp ra,252(sp) */
	CHECK_EQ(c_ldsp(31, 504), 0x7ffe);                      /* c.ldsp t6,504(sp) */
	CHECK_EQ(c_swsp(0, 0), 0xc002);                         /* c.swsp zero,0(sp) */
	CHECK_EQ(c_swsp(31, 100), 0xd2fe);                      /* c.swsp t6,100(sp) */
	CHECK_EQ(c_sdsp(27, 8), 0xe46e);                        /* c.sdsp s11,8(sp) */
}

/* C.LWSP and C.LDSP with rd = x0 are reserved encodings, not loads into x0. */
static void test_reject_reserved_compressed(void)
{
	reject(c_lwsp(0, 16));
	reject(c_ldsp(0, 16));
	reject(0x0000); /* the defined illegal instruction */
}

static void test_reject_fp(void)
{
	reject(0x00052507); /* flw fa0,0(a0) */
	reject(0x00853507); /* fld fa0,8(a0) */
	reject(0x00a53427); /* fsd fa0,8(a0) */
	reject(0x2508);     /* c.fld fa0,8(a0) */
	reject(0xa508);     /* c.fsd fa0,8(a0) */
	reject(0x2522);     /* c.fldsp fa0,8(sp) */
	reject(0xa42a);     /* c.fsdsp fa0,8(sp) */
	reject(enc_i(0, 1, 2, 2, OPC_LOAD_FP));
	reject(enc_s(0, 1, 2, 3, OPC_STORE_FP));
}

static void test_reject_amo_and_lr_sc(void)
{
	reject(0x00b6252f); /* amoadd.w a0,a1,(a2) */
	reject(0x1005b52f); /* lr.d a0,(a1) */
	reject(0x18b6252f); /* sc.w a0,a1,(a2) */
}

static void test_reject_non_memory(void)
{
	reject(0x00c58533); /* add a0,a1,a2 */
	reject(0x00150513); /* addi a0,a0,1 */
	reject(0x0028);     /* c.addi4spn a0,sp,8 */
	reject(0x0505);     /* c.addi a0,1 */
	reject(0x852e);     /* c.mv a0,a1 */
	reject(enc_i(0, 1, 2, 3, OPC_OP));
	reject(0xffffffff);
}

/* LDU (funct3 7) and SQ and beyond (4..7) do not exist on RV64. */
static void test_reject_reserved_funct3(void)
{
	unsigned f;

	reject(enc_i(0, 1, 7, 2, OPC_LOAD));
	for (f = 4; f < 8; f++)
		reject(enc_s(0, 1, 2, f, OPC_STORE));
}

/*
 * A transformed load/store is the 32-bit form with a zero immediate and the address offset
 * in the rs1 field; bit 1 is set when the trapping instruction was 32-bit, clear when 16-bit.
 */
static void test_htinst_transformed_32bit(void)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(loads); i++)
		expect_htinst(enc_i(0, 0, loads[i].funct3, 7 + i, OPC_LOAD), loads[i].width, false,
			      loads[i].sign, 7 + i, 4);
	for (i = 0; i < ARRAY_SIZE(stores); i++)
		expect_htinst(enc_s(0, 20 + i, 3, stores[i].funct3, OPC_STORE), stores[i].width,
			      true, false, 20 + i, 4);
	expect_htinst(0x00002483, 4, false, true, 9, 4); /* lw s1,0(zero), from lw s1,12(a5) */
}

static void test_htinst_transformed_compressed(void)
{
	expect_htinst(0x00002783 & ~2u, 4, false, true, 15, 2); /* from c.lw a5,4(s1) */
	expect_htinst(enc_i(0, 0, 3, 31, OPC_LOAD) & ~2u, 8, false, false, 31, 2); /* c.ldsp */
	expect_htinst(enc_s(0, 10, 0, 2, OPC_STORE) & ~2u, 4, true, false, 10, 2); /* c.sw */
	expect_htinst(enc_s(0, 0, 0, 3, OPC_STORE) & ~2u, 8, true, false, 0, 2);   /* c.sdsp zero */
}

/* 0 means "no information"; bit 0 clear marks the guest page-table walk pseudo-instructions. */
static void test_htinst_rejects(void)
{
	reject_htinst(0);
	reject_htinst(0x00002000);
	reject_htinst(0x00003000);
	reject_htinst(0x00002020);
	reject_htinst(0x00003020);
	reject_htinst(enc_i(0, 0, 2, 10, OPC_LOAD) & ~1u);
	reject_htinst(0x00b0252f); /* transformed amoadd.w a0,a1,(a2): amoadd.w a0,a1,(zero) */
	reject_htinst(enc_i(0, 0, 2, 10, OPC_LOAD_FP));
	reject_htinst(0x100000000ull | enc_i(0, 0, 2, 10, OPC_LOAD));
}

int main(void)
{
	RUN(test_load32_every_width_and_rd);
	RUN(test_store32_every_width_and_rs2);
	RUN(test_compressed_register_mapping);
	RUN(test_compressed_sp_relative);
	RUN(test_compressed_ignores_upper_half);
	RUN(test_gnu_as_words);
	RUN(test_helpers_match_gnu_as);
	RUN(test_reject_reserved_compressed);
	RUN(test_reject_fp);
	RUN(test_reject_amo_and_lr_sc);
	RUN(test_reject_non_memory);
	RUN(test_reject_reserved_funct3);
	RUN(test_htinst_transformed_32bit);
	RUN(test_htinst_transformed_compressed);
	RUN(test_htinst_rejects);
	UNIT_EXIT();
}
