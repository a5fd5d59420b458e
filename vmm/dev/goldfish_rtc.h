/* SPDX-License-Identifier: BSD-2-Clause */
/* "google,goldfish-rtc": the guest's wall clock, the host's plus an offset the guest sets. */
#ifndef VMM_DEV_GOLDFISH_RTC_H
#define VMM_DEV_GOLDFISH_RTC_H

#include <stdint.h>

#include "mmio.h"

#define GOLDFISH_RTC_WINDOW 0x1000
/* 32-bit registers; times are ns since 1970 */
#define RTC_TIME_LOW        0x00 /* reading it latches TIME_HIGH; writing it sets the time */
#define RTC_TIME_HIGH       0x04 /* the latched high half; the next TIME_LOW write takes it */
#define RTC_ALARM_LOW       0x08
#define RTC_ALARM_HIGH      0x0c
#define RTC_IRQ_ENABLED     0x10 /* bit 0 */
#define RTC_CLEAR_ALARM     0x14 /* write-only */
#define RTC_ALARM_STATUS    0x18 /* read-only: always 0, no alarm ever runs */
#define RTC_CLEAR_INTERRUPT 0x1c /* write-only */

struct goldfish_rtc {
	uint64_t (*host_ns)(const void *ctx); /* the host's wall clock now */
	const void *ctx;
	uint64_t offset;    /* the guest's time minus the host's, modulo 2^64 */
	uint32_t time_high;
	uint64_t alarm;
	uint32_t irq_enabled;
	struct mmio_dev dev;
};

/*
 * After this r->dev is ready for mmio_register(); the guest's clock starts as the host's.
 * Registers take aligned 32-bit accesses only, anything else is a bus error; other offsets
 * of the window read 0 and ignore writes. The alarm registers hold what is written, but no
 * alarm interrupt is ever raised: ALARM_STATUS reads 0, so a driver sees every alarm off.
 */
void goldfish_rtc_init(struct goldfish_rtc *r, uint64_t base,
		       uint64_t (*host_ns)(const void *ctx), const void *ctx);

/* A VM reset: the alarm and its interrupt enable are cleared; the time runs on as set. */
void goldfish_rtc_reset(struct goldfish_rtc *r);

#endif
