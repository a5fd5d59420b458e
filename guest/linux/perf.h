// SPDX-License-Identifier: BSD-2-Clause
/* The init's perf command: the SBI PMU seen through perf_event_open(2). */
#ifndef GUEST_LINUX_PERF_H
#define GUEST_LINUX_PERF_H

/* Shell builtin: prints greppable "perf: ..." lines and returns 0 on success. */
int sh_perf(int argc, char **argv);	/* perf */

#endif
