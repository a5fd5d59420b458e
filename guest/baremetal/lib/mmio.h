/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest platform's devices and explicit-width, uncompressed MMIO loads and stores. */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include <stdint.h>

#define UART_BASE 0x10000000UL

/* QEMU virt's test device: writing FINISHER_PASS / RESET / FAIL | code << 16 at offset 0. */
#define FINISHER_BASE  0x100000UL
#define FINISHER_FAIL  0x3333
#define FINISHER_PASS  0x5555
#define FINISHER_RESET 0x7777

/* The goldfish RTC: 32-bit registers, ns since 1970. */
#define RTC_BASE            0x101000UL
#define RTC_TIME_LOW        0x00 /* reading it latches TIME_HIGH */
#define RTC_TIME_HIGH       0x04
#define RTC_ALARM_LOW       0x08
#define RTC_ALARM_HIGH      0x0c
#define RTC_IRQ_ENABLED     0x10
#define RTC_ALARM_STATUS    0x18
#define RTC_IRQ             11

/* "duvisor,mmio-test": 64 bytes of scratch, a read-only pattern, a write counter. */
#define TESTDEV_BASE        0x10010000UL
#define TESTDEV_SCRATCH_LEN 0x40
#define TESTDEV_PATTERN     0x40
#define TESTDEV_COUNT       0x48
#define TESTDEV_END         0x4c /* first offset that is a bus error */
#define TESTDEV_PATTERN_VAL 0xf1e2d3c4b5a69788UL

/*
 * One instruction each, with compression off: the width, signedness and 32-bit encoding
 * that the runtime has to decode are exactly the ones named.
 */
#define MMIO_LOAD(insn)                                                          \
	static inline uint64_t mmio_##insn(uintptr_t addr)                       \
	{                                                                        \
		uint64_t v;                                                      \
		asm volatile(".option push\n\t.option norvc\n\t" #insn " %0, 0(%1)\n\t" \
			     ".option pop"                                       \
			     : "=r"(v)                                           \
			     : "r"(addr)                                         \
			     : "memory");                                        \
		return v;                                                        \
	}

#define MMIO_STORE(insn)                                                         \
	static inline void mmio_##insn(uintptr_t addr, uint64_t v)               \
	{                                                                        \
		asm volatile(".option push\n\t.option norvc\n\t" #insn " %0, 0(%1)\n\t" \
			     ".option pop"                                       \
			     :                                                   \
			     : "r"(v), "r"(addr)                                 \
			     : "memory");                                        \
	}

MMIO_LOAD(lb)
MMIO_LOAD(lbu)
MMIO_LOAD(lh)
MMIO_LOAD(lhu)
MMIO_LOAD(lw)
MMIO_LOAD(lwu)
MMIO_LOAD(ld)
MMIO_STORE(sb)
MMIO_STORE(sh)
MMIO_STORE(sw)
MMIO_STORE(sd)

#endif
