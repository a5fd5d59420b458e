/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest traps: expected exceptions are recorded and stepped over, interrupts go to callbacks. */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include <stdbool.h>

/* Saved by start.S's trap entry; regs[0] is unused, regs[2] is the interrupted sp. */
struct trap_frame {
	unsigned long regs[32];
	unsigned long sepc;
	unsigned long scause;
	unsigned long stval;
	unsigned long pad;
};

struct trap_info {
	unsigned long scause;
	unsigned long stval;
	unsigned long sepc;
};

/*
 * Expect one synchronous exception. When it comes, it is recorded and the faulting
 * instruction is skipped (its length read at sepc: the MMU is off). An exception that
 * comes while none is expected fails the test and powers off.
 */
void trap_expect(void);

/*
 * Like trap_expect, but resume at the interrupted ra instead of stepping: for a call
 * to an address that cannot be fetched, which then "returns" to its caller.
 */
void trap_expect_return(void);

/* Stop expecting; true and *info filled if an exception was taken since trap_expect. */
bool trap_taken(struct trap_info *info);

/*
 * Handle interrupt `irq` (IRQ_S_*) with `fn` (NULL: unexpected again). The callback must
 * clear the interrupt's source; an interrupt with no callback fails the test.
 */
typedef void (*irq_fn)(struct trap_frame *f);
void trap_on_irq(unsigned irq, irq_fn fn);

/*
 * Sleep in wfi until an interrupt callback has raised *count to `want`. Checks with
 * sstatus.SIE clear and then waits (wfi wakes on a pending interrupt even then), so an
 * interrupt between the check and the wfi is not lost. Returns with sstatus.SIE set.
 */
void wait_irq_count(volatile unsigned long *count, unsigned long want);

/* Called from start.S. */
void trap_handler(struct trap_frame *f);

#endif
