/* SPDX-License-Identifier: BSD-2-Clause */
/* The host's wall clock: its RTC as read at boot, carried forward by the time CSR. */
#ifndef VMM_WALLCLOCK_H
#define VMM_WALLCLOCK_H

#include <stdint.h>

#define NS_PER_S 1000000000ULL

struct wallclock {
	uint64_t boot_ns;     /* the host RTC at boot, ns since 1970 (0 without a host RTC) */
	uint64_t boot_time;   /* the time CSR at that instant */
	uint64_t timebase_hz; /* time CSR ticks per second, below 2^32 (an FDT cell) */
};

/* The wall clock, in ns since 1970, when the time CSR reads `time`. */
uint64_t wallclock_ns(const struct wallclock *c, uint64_t time);

#endif
