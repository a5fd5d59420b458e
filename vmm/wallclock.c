// SPDX-License-Identifier: BSD-2-Clause
/* The host's wall clock now: its reading at boot plus the time CSR ticks since, in ns. */
#include "wallclock.h"

uint64_t wallclock_ns(const struct wallclock *c, uint64_t time)
{
	uint64_t ticks = time - c->boot_time, hz = c->timebase_hz;

	if (!hz)
		return c->boot_ns;
	/* Whole seconds first: ticks * 10^9 would overflow after half an hour at 10 MHz. */
	return c->boot_ns + ticks / hz * NS_PER_S + ticks % hz * NS_PER_S / hz;
}
