/* SPDX-License-Identifier: BSD-2-Clause */
/* SBI SUSP for the test guests: a resume entry for the boot hart, a wake-up timer, checks. */
#ifndef GUEST_SUSPEND_H
#define GUEST_SUSPEND_H

#include <stdint.h>

#include "sbi.h"

/* What runs after the resume, with a0 and a1 as the resume delivered them. */
typedef void (*resume_fn)(unsigned long hartid, unsigned long opaque);

/* The resume_addr suspend_to_ram hands over: sets up gp, both stacks and stvec again. */
void resume_entry(void);

/* From the boot hart: system_suspend(type, resume_entry, opaque), resuming in fn. */
struct sbiret suspend_to_ram(unsigned long type, resume_fn fn, unsigned long opaque);

/*
 * The timer that is to wake a suspend of the calling hart: `lead` ticks ahead, sie.STIE
 * set. Until the resume is checked, an interrupt from it means the deadline passed before
 * the suspend call (a slow host): it is moved on, as the suspend needs one ahead. After
 * that, each interrupt is counted and disarms the timer.
 */
void wake_timer_arm(uint64_t lead);

/*
 * First thing after the resume: SBI v2.0 table 13.2's state (sstatus.SIE and satp 0, a0
 * and a1 as wanted). Reads sstatus before anything can change it.
 */
void expect_resume(unsigned long hartid, unsigned long want_hartid, unsigned long opaque,
		   unsigned long want_opaque);

/*
 * After expect_resume: the wake-up was wake_timer_arm's. Not before its deadline, and with
 * its interrupt pending (taken here, with sie.STIE and sstatus.SIE set: QEMU 7.2's VS-mode
 * sip shows SSIP only).
 */
void expect_timer_woke(void);

#endif
