/* SPDX-License-Identifier: BSD-2-Clause */
/* Measuring an operation in the benchmark guests: instructions (rdcycle under -icount) and exits. */
#ifndef GUEST_BENCH_MEASURE_H
#define GUEST_BENCH_MEASURE_H

#include <stdint.h>

#include "print.h"
#include "riscv.h"
#include "sbi.h"

#define WARMUP 100
#define ITERS  1000

struct sample {
	uint64_t cycles;
	long exits; /* -1: DVDEBUG not offered (native) */
	unsigned iters;
	unsigned window; /* of tools/qemu-plugin/insn_window.c: its markers bracket the loop */
};

/*
 * Runs `op` `warm` times, then `n` times between two rdcycle reads, which are between two
 * DVDEBUG calls so that those stay out of the instruction count. Each use gets a window of
 * its own (1 to 15), whose markers bracket the loop alone.
 */
#define MEASURE_N(s, op, warm, n) MEASURE_W(s, op, warm, n, __COUNTER__ % 15 + 1)
#define MEASURE_W(s, op, warm, n, k)                                     \
	do {                                                             \
		uint64_t c0_;                                            \
		long e0_;                                                \
		for (unsigned i_ = 0; i_ < (warm); i_++)                 \
			op;                                              \
		e0_ = sbi_dv_exits();                                    \
		c0_ = rdcycle();                                         \
		asm volatile("addi x0, x0, %0" : : "i"(0x7d0 + (k)));    \
		for (unsigned i_ = 0; i_ < (n); i_++)                    \
			op;                                              \
		asm volatile("addi x0, x0, %0" : : "i"(0x7e0 + (k)));    \
		(s)->cycles = rdcycle() - c0_;                           \
		(s)->exits = e0_ < 0 ? -1 : sbi_dv_exits() - e0_ - 1;   \
		(s)->iters = (n);                                        \
		(s)->window = (k);                                       \
	} while (0)

#define MEASURE(s, op) MEASURE_N(s, op, WARMUP, ITERS)

/* Exits per op with one decimal, rounded; DVDEBUG itself was already subtracted. */
static void report(const char *name, const struct sample *s)
{
	unsigned long tenths = 0;

	if (s->exits > 0)
		tenths = ((unsigned long)s->exits * 10 + s->iters / 2) / s->iters;

	gprintf("BENCH %s insns=%lu exits=%lu.%lu window=%u iters=%u\n", name,
		(unsigned long)(s->cycles / s->iters), tenths / 10, tenths % 10, s->window,
		s->iters);
}

#endif
