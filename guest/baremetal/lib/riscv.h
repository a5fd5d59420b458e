/* SPDX-License-Identifier: BSD-2-Clause */
/* CSR access, interrupt bits and counters for S-mode guest code. */
#ifndef GUEST_RISCV_H
#define GUEST_RISCV_H

#include <stdbool.h>
#include <stdint.h>

/* CSR numbers the assembler may not know by name. */
#define CSR_STIMECMP 0x14d
#define CSR_VSSTATUS 0x200
#define CSR_HSTATUS  0x600

#define SSTATUS_SIE (1UL << 1)

/* Bit positions shared by sie and sip (and by scause's exception code for interrupts). */
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9
#define SIE_SSIE (1UL << IRQ_S_SOFT)
#define SIE_STIE (1UL << IRQ_S_TIMER)
#define SIE_SEIE (1UL << IRQ_S_EXT)

#define SCAUSE_IRQ (1UL << 63)

/* Exception codes (privileged spec, scause). */
#define EXC_INSN_MISALIGNED 0
#define EXC_INSN_ACCESS     1
#define EXC_ILLEGAL_INSN    2
#define EXC_BREAKPOINT      3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS     5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS    7

/* Two levels, so that a CSR given as a macro (CSR_STIMECMP) becomes its number. */
#define CSR_STR_(x) #x
#define CSR_STR(x)  CSR_STR_(x)

#define csr_read(csr)                                                           \
	({                                                                      \
		unsigned long csr_v_;                                           \
		asm volatile("csrr %0, " CSR_STR(csr) : "=r"(csr_v_) : : "memory"); \
		csr_v_;                                                         \
	})

#define csr_write(csr, val) \
	asm volatile("csrw " CSR_STR(csr) ", %0" : : "rK"((unsigned long)(val)) : "memory")

#define csr_set(csr, bits) \
	asm volatile("csrs " CSR_STR(csr) ", %0" : : "rK"((unsigned long)(bits)) : "memory")

#define csr_clear(csr, bits) \
	asm volatile("csrc " CSR_STR(csr) ", %0" : : "rK"((unsigned long)(bits)) : "memory")

static inline uint64_t rdtime(void)
{
	uint64_t t;

	asm volatile("rdtime %0" : "=r"(t) : : "memory");
	return t;
}

/* Busy-waits until the time CSR reaches `t`: no wfi, so no exit on the way. */
static inline void spin_until(uint64_t t)
{
	while (rdtime() < t)
		;
}

static inline uint64_t rdcycle(void)
{
	uint64_t c;

	asm volatile("rdcycle %0" : "=r"(c) : : "memory");
	return c;
}

static inline uint64_t rdinstret(void)
{
	uint64_t n;

	asm volatile("rdinstret %0" : "=r"(n) : : "memory");
	return n;
}

static inline void wfi(void)
{
	asm volatile("wfi" : : : "memory");
}

static inline void irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline void irq_disable(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

#endif
