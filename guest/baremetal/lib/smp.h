/* SPDX-License-Identifier: BSD-2-Clause */
/* Secondary harts for the SMP guests: HSM start onto own stacks, requests from hart 0, atomics. */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stdbool.h>

#include "sbi.h"

/* Hart ids 1 .. SMP_MAX_HARTS - 1 have stacks here; hart 0 runs on start.S's. */
#define SMP_MAX_HARTS 8

#define HSM_BIT(state) (1UL << (state))

/*
 * What a secondary runs: a0 and a1 as hart_start delivered them and the address it was
 * entered at. When it returns, the hart stops itself with hart_stop.
 */
typedef void (*smp_fn)(unsigned long hartid, unsigned long opaque, unsigned long entry_pc);

/* The start_addr smp_start hands to hart_start (assembly: sets up stacks and traps). */
void smp_entry(void);

/* Records the boot hart's id (main's a0) for smp_hartid(); call before enabling interrupts. */
void smp_init(unsigned long boot_hartid);

/* This hart's id, also inside trap handlers. */
static inline unsigned long smp_hartid(void)
{
	unsigned long id;

	/* Nothing else in the guests uses tp: it holds the hart id. */
	asm volatile("mv %0, tp" : "=r"(id));
	return id;
}

/* A full barrier for flags shared between harts. */
static inline void smp_mb(void)
{
	asm volatile("fence rw, rw" : : : "memory");
}

/* Atomically adds `v` to *p; returns the value before. */
static inline unsigned int smp_fetch_add(volatile unsigned int *p, unsigned int v)
{
	unsigned int old;

	asm volatile("amoadd.w.aqrl %0, %2, %1" : "=r"(old), "+A"(*p) : "r"(v) : "memory");
	return old;
}

/* Starts `hartid` (1 .. SMP_MAX_HARTS - 1) at smp_entry, running fn(hartid, opaque, pc). */
struct sbiret smp_start(unsigned long hartid, smp_fn fn, unsigned long opaque);

/*
 * Polls hart_get_status(hartid) while the state is one of the HSM_BIT()s in `transient`;
 * returns the first other answer (or the error).
 */
struct sbiret smp_settle(unsigned long hartid, unsigned long transient);

/*
 * Requests from hart 0 to a running secondary, which serves them by calling smp_serve()
 * in its loop. smp_ping returns once the secondary has answered, so it is alive.
 */
void smp_ping(unsigned long hartid);
void smp_request_stop(unsigned long hartid);

/*
 * From a secondary, with every other hart STOPPED: SBI SUSP suspend to RAM, resuming at
 * smp_entry, which then runs fn(hartid, opaque, entry pc) as after a start. Only returns
 * on failure.
 */
struct sbiret smp_system_suspend(smp_fn fn, unsigned long opaque);

/* Asks a serving secondary to stop and waits for HSM to say STOPPED; false (a FAIL line) if not. */
bool smp_stop(unsigned long hartid);

/* In a secondary's loop: answers a pending ping; false once it is asked to stop. */
bool smp_serve(void);

#endif
