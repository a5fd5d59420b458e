// SPDX-License-Identifier: BSD-2-Clause
// VM-exit micro-benchmarks: instructions (rdcycle under -icount) and exits per operation.
#include <stdbool.h>

#include "dtb.h"
#include "measure.h"
#include "mmio.h"
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "trap.h"
#include "uart_ops.h"

static volatile unsigned long ticks;

#ifdef BENCH_NATIVE
/* No test device natively: QEMU's PLIC priority register of source 1 is a plain RW word. */
#define MMIO_TARGET 0x0c000004UL
#else
#define MMIO_TARGET TESTDEV_BASE
#endif

/* BASE get_spec_version inline, so that no call overhead is counted. */
static inline void null_sbi(void)
{
	register unsigned long a0 asm("a0") = 0;
	register unsigned long a1 asm("a1") = 0;
	register unsigned long a6 asm("a6") = SBI_BASE_GET_SPEC_VERSION;
	register unsigned long a7 asm("a7") = SBI_EXT_BASE;

	asm volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
}

static void on_timer_sstc(struct trap_frame *f)
{
	(void)f;
	csr_write(CSR_STIMECMP, ~0UL);
	ticks++;
}

static void on_timer_sbi(struct trap_frame *f)
{
	(void)f;
	sbi_set_timer(~0ULL);
	ticks++;
}

/* One round trip: a deadline in the past, the interrupt, the handler disarming. */
static inline void timer_round_sstc(void)
{
	unsigned long want = ticks + 1;

	csr_write(CSR_STIMECMP, 0);
	while (ticks < want)
		;
}

static inline void timer_round_sbi(void)
{
	unsigned long want = ticks + 1;

	sbi_set_timer(0);
	while (ticks < want)
		;
}

static void timers(bool sstc)
{
	struct sample s;

	csr_set(sie, SIE_STIE);
	irq_enable();
	if (sstc) {
		trap_on_irq(IRQ_S_TIMER, on_timer_sstc);
		MEASURE(&s, timer_round_sstc());
		report("timer_sstc", &s);
	}
	trap_on_irq(IRQ_S_TIMER, on_timer_sbi);
	MEASURE(&s, timer_round_sbi());
	report("timer_sbi", &s);
	irq_disable();
}

/*
 * Under -icount QEMU runs one hart at a time until the next timer deadline: with none
 * armed, this hart would run the whole benchmark before a VM started beside it (make
 * bench's two-VM run) got a turn. A deadline 1 ms ahead, waited out with interrupts off,
 * hands that VM its first turn; it keeps deadlines near from then on.
 */
static void yield_to_other_harts(void)
{
	uint64_t until = rdtime() + 10000;

	csr_write(CSR_STIMECMP, until);
	while (rdtime() < until)
		;
	csr_write(CSR_STIMECMP, ~0UL);
}

int main(unsigned long hartid, const void *dtb)
{
	uint64_t entry = rdcycle();
	bool sstc = dtb_has_isa_ext(dtb, "sstc");
	struct sample s;

	(void)hartid;
	/* The boot benchmark's native baseline: instructions from reset to an S-mode payload. */
	gprintf("BENCH entry cycle=%llu\n", (unsigned long long)entry);
	gprintf("bench: %s, sstc %s, %u iterations\n",
#ifdef BENCH_NATIVE
		"native",
#else
		"guest",
#endif
		sstc ? "yes" : "no", ITERS);
	if (sstc)
		yield_to_other_harts();
	MEASURE(&s, null_sbi());
	report("null_sbi", &s);
	MEASURE(&s, mmio_lw(MMIO_TARGET));
	report("mmio_read", &s);
	MEASURE(&s, mmio_sw(MMIO_TARGET, 1));
	report("mmio_write", &s);
	/* Each is hundreds of accesses: fewer rounds keep the run short and the log small. */
	MEASURE_N(&s, uart_probe(), 10, 100);
	report("uart_probe", &s);
	MEASURE_N(&s, uart_line(), 10, 100);
	report("uart_line", &s);
	timers(sstc);
	return 0;
}
