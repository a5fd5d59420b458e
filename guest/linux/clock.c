// SPDX-License-Identifier: BSD-2-Clause
/* The init's clock commands (system time, /dev/rtc0), the kernel log, the rng-seed check. */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

#define RTC_DEV "/dev/rtc0"
/* klogctl(2) actions; glibc has no names for them. */
#define KLOG_READ_ALL    3
#define KLOG_SIZE_BUFFER 10

/* "<who>: <seconds since 1970> (<UTC text>)" */
static void print_time(const char *who, time_t t)
{
	char text[64] = "?";
	struct tm tm;

	if (gmtime_r(&t, &tm))
		strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("%s: %lld (%s)\n", who, (long long)t, text);
}

int sh_date(int argc, char **argv)
{
	struct timespec ts;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: date\n");
		return 1;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts)) {
		fprintf(stderr, "date: error: %s\n", strerror(errno));
		return 1;
	}
	print_time("date", ts.tv_sec);
	return 0;
}

/* struct rtc_time is struct tm's first nine fields, so the RTC ioctls can take a struct tm. */
_Static_assert(offsetof(struct rtc_time, tm_isdst) == offsetof(struct tm, tm_isdst) &&
	       sizeof(struct rtc_time) <= sizeof(struct tm), "struct rtc_time begins struct tm");

static int rtc_read(int fd, time_t *t)
{
	struct tm tm = { 0 };

	if (ioctl(fd, RTC_RD_TIME, &tm))
		return -1;
	*t = timegm(&tm);
	return 0;
}

static int rtc_set(int fd, time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(fd, RTC_SET_TIME, &tm);
}

/* rtc: read /dev/rtc0; rtc set EPOCH: set it, then read it back. The system time stays. */
int sh_rtc(int argc, char **argv)
{
	long long epoch = 0;
	char *end = NULL;
	time_t t;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "set"))
		epoch = strtoll(argv[2], &end, 10);
	if (argc != 1 && (!end || *end || end == argv[2] || epoch < 0)) {
		fprintf(stderr, "usage: rtc [set EPOCH] (EPOCH: seconds since 1970)\n");
		return 1;
	}
	fd = open(RTC_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (argc == 3 && rtc_set(fd, (time_t)epoch)) || rtc_read(fd, &t)) {
		fprintf(stderr, "rtc: error: %s: %s\n", RTC_DEV, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	print_time("rtc", t);
	return 0;
}

char *kernel_log(void)
{
	int size = klogctl(KLOG_SIZE_BUFFER, NULL, 0), len;
	char *log = size > 0 ? malloc(size + 1) : NULL;

	len = log ? klogctl(KLOG_READ_ALL, log, size) : -1;
	if (len < 0) {
		free(log);
		return NULL;
	}
	log[len] = '\0';
	return log;
}

/*
 * Linux 6.1 takes /chosen/rng-seed out of the device tree before it is unflattened, so the
 * property is never in /proc/device-tree; what shows that it was there is the kernel log: the
 * seed is credited at once (RANDOM_TRUST_BOOTLOADER), so "crng init done" comes before init.
 */
int sh_rng_seed(int argc, char **argv)
{
	char *log, *crng, *init;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: rng-seed\n");
		return 1;
	}
	log = kernel_log();
	if (!log) {
		fprintf(stderr, "rng-seed: error: kernel log: %s\n", strerror(errno));
		return 1;
	}
	crng = strstr(log, "crng init done");
	init = strstr(log, "Run /init as init process");
	if (crng && (!init || crng < init))
		printf("rng-seed: crng init done before init\n");
	else
		printf("rng-seed: crng %s\n",
		       crng ? "init done after init started" : "not initialised");
	printf("rng-seed: /proc/device-tree/chosen/rng-seed %s\n",
	       access("/proc/device-tree/chosen/rng-seed", F_OK) ? "absent" : "present");
	free(log);
	return 0;
}
