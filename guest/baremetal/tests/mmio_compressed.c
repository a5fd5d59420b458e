// SPDX-License-Identifier: BSD-2-Clause
// MMIO through compressed loads and stores: c.lw c.ld c.sw c.sd and the sp-based forms.
#include "mmio.h"
#include "riscv.h"
#include "test.h"
#include "trap.h"

/* Pattern words as c.lw sees them (sign-extended) and as c.ld sees the whole. */
#define PATTERN_LO ((uint64_t)(int64_t)(int32_t)(uint32_t)TESTDEV_PATTERN_VAL)
#define PATTERN_HI ((uint64_t)(int64_t)(int32_t)(uint32_t)(TESTDEV_PATTERN_VAL >> 32))

/*
 * `insn rd, off(rs)` with rd and rs fixed to named registers of x8..x15 (the only ones
 * the CL/CS formats can encode), so that the runtime's register decoding is exercised.
 */
#define C_LOAD(insn, rd, rs, off, addr)                                          \
	({                                                                       \
		register uint64_t d_ asm(rd);                                    \
		register uintptr_t b_ asm(rs) = (addr);                          \
		asm volatile(".option push\n\t.option rvc\n\t"                   \
			     insn " " rd ", " #off "(" rs ")\n\t.option pop"     \
			     : "=r"(d_)                                          \
			     : "r"(b_)                                           \
			     : "memory");                                        \
		d_;                                                              \
	})

/* The same with rd == rs: the loaded value replaces the base. */
#define C_LOAD_SELF(insn, r, off, addr)                                          \
	({                                                                       \
		register uint64_t v_ asm(r) = (addr);                            \
		asm volatile(".option push\n\t.option rvc\n\t"                   \
			     insn " " r ", " #off "(" r ")\n\t.option pop"       \
			     : "+r"(v_)                                          \
			     :                                                   \
			     : "memory");                                        \
		v_;                                                              \
	})

#define C_STORE(insn, rs2, rs1, off, addr, val)                                  \
	do {                                                                     \
		register uint64_t v_ asm(rs2) = (val);                           \
		register uintptr_t b_ asm(rs1) = (addr);                         \
		asm volatile(".option push\n\t.option rvc\n\t"                   \
			     insn " " rs2 ", " #off "(" rs1 ")\n\t.option pop"   \
			     :                                                   \
			     : "r"(v_), "r"(b_)                                  \
			     : "memory");                                        \
	} while (0)

/*
 * The CI/CSS forms address off sp: point sp into the device for exactly one instruction,
 * with interrupts off. t0 keeps the real sp; the trap entry does not rely on sp.
 */
#define C_LOADSP(insn, off, base)                                                \
	({                                                                       \
		uint64_t v_;                                                     \
		asm volatile(".option push\n\t.option rvc\n\t"                   \
			     "mv t0, sp\n\tmv sp, %1\n\t" insn " %0, " #off "(sp)\n\t" \
			     "mv sp, t0\n\t.option pop"                          \
			     : "=&r"(v_)                                         \
			     : "r"(base)                                         \
			     : "t0", "memory");                                  \
		v_;                                                              \
	})

#define C_STORESP(insn, off, base, val)                                          \
	asm volatile(".option push\n\t.option rvc\n\t"                           \
		     "mv t0, sp\n\tmv sp, %1\n\t" insn " %0, " #off "(sp)\n\t"   \
		     "mv sp, t0\n\t.option pop"                                  \
		     :                                                           \
		     : "r"((uint64_t)(val)), "r"(base)                           \
		     : "t0", "memory")

#define DEV(off) (TESTDEV_BASE + (off))

static unsigned long writes;

static void clw(void)
{
	expect_eq(C_LOAD("c.lw", "a1", "a0", 0x40, DEV(0)), PATTERN_LO, "c.lw a1, 0x40(a0)");
	expect_eq(C_LOAD("c.lw", "s0", "a5", 0x4, DEV(0x40)), PATTERN_HI, "c.lw s0, 4(a5)");
	expect_eq(C_LOAD("c.lw", "a5", "s1", 0x0, DEV(0x44)), PATTERN_HI, "c.lw a5, 0(s1)");
	expect_eq(C_LOAD_SELF("c.lw", "a3", 0x24, DEV(0x1c)), PATTERN_LO, "c.lw a3, 0x24(a3)");
}

static void cld(void)
{
	expect_eq(C_LOAD("c.ld", "a2", "s1", 0x40, DEV(0)), TESTDEV_PATTERN_VAL,
		  "c.ld a2, 0x40(s1)");
	expect_eq(C_LOAD("c.ld", "s1", "a4", 0x8, DEV(0x38)), TESTDEV_PATTERN_VAL,
		  "c.ld s1, 8(a4)");
	expect_eq(C_LOAD_SELF("c.ld", "s0", 0x40, DEV(0)), TESTDEV_PATTERN_VAL,
		  "c.ld s0, 0x40(s0)");
}

/* Stores with compressed forms, read back with plain loads; c.sw must keep its neighbour. */
static void csw_csd(void)
{
	C_STORE("c.sd", "a0", "a1", 0x8, DEV(0), 0x1122334455667788ULL);
	C_STORE("c.sw", "s1", "a2", 0x4, DEV(0x8), 0xcafef00dULL);
	C_STORE("c.sw", "a5", "s0", 0x3c, DEV(0), 0x80000001ULL);
	C_STORE("c.sd", "s0", "a3", 0x0, DEV(0x30), 0xfedcba9876543210ULL);
	writes += 4;
	expect_eq(mmio_ld(DEV(0x8)), 0xcafef00d55667788ULL, "c.sd then c.sw of its high word");
	expect_eq(mmio_lwu(DEV(0x3c)), 0x80000001ULL, "c.sw a5, 0x3c(s0)");
	expect_eq(mmio_ld(DEV(0x30)), 0xfedcba9876543210ULL, "c.sd s0, 0(a3)");
	expect_eq(C_LOAD("c.lw", "a4", "a2", 0x3c, DEV(0)), 0xffffffff80000001ULL,
		  "c.lw sign-extends a stored word");
}

static void sp_forms(void)
{
	irq_disable();
	expect_eq(C_LOADSP("c.lwsp", 0x40, DEV(0)), PATTERN_LO, "c.lwsp 0x40(sp)");
	expect_eq(C_LOADSP("c.lwsp", 0x4, DEV(0x40)), PATTERN_HI, "c.lwsp 4(sp)");
	expect_eq(C_LOADSP("c.ldsp", 0x30, DEV(0x10)), TESTDEV_PATTERN_VAL, "c.ldsp 0x30(sp)");
	C_STORESP("c.sdsp", 0x10, DEV(0x8), 0x0102030405060708ULL);
	C_STORESP("c.swsp", 0x24, DEV(0), 0x90abcdefULL);
	writes += 2;
	expect_eq(mmio_ld(DEV(0x18)), 0x0102030405060708ULL, "c.sdsp 0x10(sp)");
	expect_eq(C_LOADSP("c.ldsp", 0x18, DEV(0)), 0x0102030405060708ULL, "c.ldsp 0x18(sp)");
	expect_eq(C_LOADSP("c.lwsp", 0x4, DEV(0x20)), 0xffffffff90abcdefULL,
		  "c.swsp then c.lwsp (sign-extended)");
}

/* Misaligned compressed accesses: access faults, and the handler steps over 2 bytes. */
static void misaligned(void)
{
	trap_expect();
	C_LOAD("c.lw", "a0", "a1", 0x0, DEV(0x2));
	expect_trap(EXC_LOAD_ACCESS, DEV(0x2), "misaligned c.lw");
	trap_expect();
	C_STORE("c.sd", "a2", "a3", 0x8, DEV(0x4), 0);
	expect_trap(EXC_STORE_ACCESS, DEV(0xc), "misaligned c.sd");
	trap_expect();
	C_LOADSP("c.ldsp", 0x0, DEV(0x41));
	expect_trap(EXC_LOAD_ACCESS, DEV(0x41), "misaligned c.ldsp");
	trap_expect();
	C_STORESP("c.swsp", 0x4c, DEV(0), 0);
	expect_trap(EXC_STORE_ACCESS, DEV(0x4c), "c.swsp past the device's end");
}

int main(void)
{
	uint64_t count0;

	test_start("mmio_compressed");
	count0 = mmio_lwu(DEV(TESTDEV_COUNT));
	clw();
	cld();
	csw_csd();
	sp_forms();
	misaligned();
	expect_eq(mmio_lwu(DEV(TESTDEV_COUNT)) - count0, writes,
		  "write counter counts compressed stores only when accepted");
	test_end();
}
