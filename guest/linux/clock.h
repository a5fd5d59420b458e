// SPDX-License-Identifier: BSD-2-Clause
/* The init's commands for the wall clock and the boot-time entropy; the kernel log. */
#ifndef GUEST_LINUX_CLOCK_H
#define GUEST_LINUX_CLOCK_H

/* Shell builtins: each prints greppable "<name>: ..." lines and returns 0 on success. */
int sh_date(int argc, char **argv);	/* date */
int sh_rtc(int argc, char **argv);	/* rtc [set EPOCH] */
int sh_rng_seed(int argc, char **argv);	/* rng-seed */

/* The kernel log (syslog(2) read-all), NUL-terminated, for the caller to free; NULL on error. */
char *kernel_log(void);

#endif
