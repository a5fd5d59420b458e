// SPDX-License-Identifier: BSD-2-Clause
// Static PID 1 of the Linux guest: mounts the basic filesystems, then runs a tiny shell or the self-test.
/* For sched_setaffinity(2), sched_getcpu(3) and the CPU_* macros. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "io.h"
#include "perf.h"

#define MAX_ARGS	16
#define LINE_MAX_LEN	512
#define MAX_CPUS	1024
#define CPU_SYSFS	"/sys/devices/system/cpu"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct fs_mount {
	const char *type;
	const char *dir;
	unsigned long flags;
};

static const struct fs_mount base_mounts[] = {
	{ "proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "devtmpfs", "/dev", MS_NOSUID },
	{ "tmpfs", "/tmp", MS_NOSUID | MS_NODEV },
};

/* ---- small file helpers ---- */

static char *read_file(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (!buf || fd < 0)
		goto fail;
	/* procfs and sysfs files report size 0, so read until EOF. */
	for (;;) {
		if (len + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				goto fail;
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* Is @dir a mount point of filesystem @type (NULL: any type) in /proc/mounts? */
static bool is_mounted(const char *dir, const char *type)
{
	char *mounts = read_file("/proc/mounts");
	char *save = NULL, *line;
	bool found = false;

	if (!mounts)
		return false;
	for (line = strtok_r(mounts, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char mdir[256], mtype[64];

		if (sscanf(line, "%*s %255s %63s", mdir, mtype) != 2)
			continue;
		found = !strcmp(mdir, dir) && (!type || !strcmp(mtype, type));
	}
	free(mounts);
	return found;
}

/* Value of a "Key:   123 kB" line of /proc/meminfo, or -1. */
static long meminfo_kib(const char *meminfo, const char *key)
{
	size_t klen = strlen(key);
	const char *p = meminfo;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtol(p + klen + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* ---- CPU lists ("0-3,5") as the kernel prints them in sysfs ---- */

static int parse_cpulist(const char *list, bool *set)
{
	const char *p = list;
	int count = 0;

	memset(set, 0, MAX_CPUS * sizeof(*set));
	while (*p && *p != '\n') {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p)
			return -1;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (end == p)
				return -1;
		}
		if (lo < 0 || hi < lo || hi >= MAX_CPUS)
			return -1;
		for (; lo <= hi; lo++) {
			if (!set[lo])
				count++;
			set[lo] = true;
		}
		p = *end == ',' ? end + 1 : end;
	}
	return count;
}

static int read_cpulist(const char *path, bool *set)
{
	char *list = read_file(path);
	int count;

	if (!list)
		return -1;
	count = parse_cpulist(list, set);
	free(list);
	return count;
}

static int cpus_online(void)
{
	static bool set[MAX_CPUS];

	return read_cpulist(CPU_SYSFS "/online", set);
}

/* ---- boot ---- */

static void mount_base(const struct fs_mount *m)
{
	/* The kernel may have mounted devtmpfs on /dev already (CONFIG_DEVTMPFS_MOUNT). */
	if (is_mounted(m->dir, NULL))
		return;
	if (mkdir(m->dir, 0755) && errno != EEXIST)
		fprintf(stderr, "init: mkdir %s: %s\n", m->dir, strerror(errno));
	if (mount(m->type, m->dir, m->type, m->flags, NULL))
		fprintf(stderr, "init: mount %s on %s: %s\n", m->type, m->dir, strerror(errno));
}

/* The kernel hands init the console only if /dev/console existed in the initramfs. */
static void open_console(void)
{
	int fd;

	if (fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 && fcntl(2, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static bool cmdline_has(const char *word)
{
	char *cmdline = read_file("/proc/cmdline");
	char *save = NULL, *tok;
	bool found = false;

	if (!cmdline)
		return false;
	for (tok = strtok_r(cmdline, " \t\n", &save); tok && !found;
	     tok = strtok_r(NULL, " \t\n", &save))
		found = !strcmp(tok, word);
	free(cmdline);
	return found;
}

static void sys_reboot(int how)
{
	fflush(NULL);
	/* The console's last lines first: else the kernel's "reboot: Power down" cuts into them. */
	tcdrain(STDOUT_FILENO);
	sync();
	if (reboot(how))
		fprintf(stderr, "init: reboot: %s\n", strerror(errno));
}

/* PID 1 must never exit, or the kernel panics. */
static _Noreturn void power_off_forever(void)
{
	sys_reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* ---- self-test ---- */

struct selftest {
	int failed;
	char first[160];
};

static void check(struct selftest *st, const char *name, bool ok, const char *fmt, ...)
{
	char why[128] = "";
	va_list ap;

	if (ok) {
		printf("selftest: %s: ok\n", name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("selftest: %s: FAILED (%s)\n", name, why);
	if (!st->failed++)
		snprintf(st->first, sizeof(st->first), "%s (%s)", name, why);
}

/* A check that cannot run here: neither passed nor failed. */
static void skip(const char *name, const char *why)
{
	printf("selftest: %s: skipped (%s)\n", name, why);
}

static void test_mounts(struct selftest *st)
{
	for (size_t i = 0; i < ARRAY_SIZE(base_mounts); i++) {
		const struct fs_mount *m = &base_mounts[i];
		char name[32];

		snprintf(name, sizeof(name), "mount %s", m->dir);
		check(st, name, is_mounted(m->dir, m->type), "no %s on %s in /proc/mounts",
		      m->type, m->dir);
	}
}

static void test_chardev(struct selftest *st, const char *path, unsigned int maj,
			 unsigned int min)
{
	struct stat sb;
	char name[48];

	snprintf(name, sizeof(name), "chardev %s", path);
	if (stat(path, &sb)) {
		check(st, name, false, "stat: %s", strerror(errno));
		return;
	}
	check(st, name, S_ISCHR(sb.st_mode) && major(sb.st_rdev) == maj && minor(sb.st_rdev) == min,
	      "mode %o rdev %u:%u, want char %u:%u", sb.st_mode, major(sb.st_rdev),
	      minor(sb.st_rdev), maj, min);
}

static void test_uname(struct selftest *st)
{
	struct utsname u;

	if (uname(&u)) {
		check(st, "uname", false, "%s", strerror(errno));
		return;
	}
	/* "6.1" but not "6.10". */
	check(st, "uname", !strncmp(u.release, "6.1", 3) && !isdigit((unsigned char)u.release[3]),
	      "release %s", u.release);
}

/* Count the cpuN directories of sysfs whose N is a possible CPU. */
static int count_possible_cpu_nodes(const bool *possible)
{
	DIR *dir = opendir(CPU_SYSFS);
	struct dirent *de;
	int count = 0;

	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		char *end;
		long n;

		if (strncmp(de->d_name, "cpu", 3) || !isdigit((unsigned char)de->d_name[3]))
			continue;
		n = strtol(de->d_name + 3, &end, 10);
		if (!*end && n < MAX_CPUS && possible[n])
			count++;
	}
	closedir(dir);
	return count;
}

static void test_cpus(struct selftest *st)
{
	static bool possible[MAX_CPUS];
	int online = cpus_online();
	int npossible = read_cpulist(CPU_SYSFS "/possible", possible);
	int nodes = npossible > 0 ? count_possible_cpu_nodes(possible) : -1;

	check(st, "cpus", online > 0 && online == nodes,
	      "%d online, %d possible, %d possible cpu nodes", online, npossible, nodes);
}

#define WORK_BUF_SIZE	(64 * 1024)
#define WORK_ROUNDS	16

/*
 * A fixed amount of work with a deterministic result, the same on every CPU. The child fills
 * the buffer itself, so its pages fault in on the child's CPU; the floating-point part puts FP
 * registers in the state a vCPU switch has to carry.
 */
static uint64_t cpu_work(void)
{
	static unsigned char buf[WORK_BUF_SIZE];
	uint64_t hash = 0xcbf29ce484222325ULL, x = 88172645463325252ULL, bits;
	double fp = 0;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = x >> 56;
	}
	/* FNV-1a over the buffer, round after round. */
	for (int round = 0; round < WORK_ROUNDS; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			hash = (hash ^ buf[i]) * 0x100000001b3ULL;
			fp = fp * 0.5 + buf[i];
		}
	}
	memcpy(&bits, &fp, sizeof(bits));
	return hash ^ bits;
}

struct cpu_report {
	int cpu;		/* the CPU the child pinned itself to */
	int err;		/* errno of sched_setaffinity(2), 0 if it worked */
	int ran_on[2];		/* sched_getcpu() before and after the work */
	uint64_t result;
};

static _Noreturn void pinned_child(int cpu, int fd)
{
	struct cpu_report r = { .cpu = cpu, .ran_on = { -1, -1 } };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		r.err = errno;
	} else {
		r.ran_on[0] = sched_getcpu();
		r.result = cpu_work();
		r.ran_on[1] = sched_getcpu();
	}
	/* Writes below PIPE_BUF bytes are atomic: reports of concurrent children do not mix. */
	_exit(write(fd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
}

/* Reads @len bytes, fewer only at EOF; -1 on error. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

/*
 * Runs a child pinned to each CPU of @cpus, all at the same time, and files their reports by
 * CPU. False, with @why, if a child could not be run or did not report; a child that could not
 * pin itself still reports, with the errno.
 */
static bool run_pinned(const bool *cpus, struct cpu_report *reports, char *why, size_t len)
{
	static pid_t pids[MAX_CPUS];
	struct cpu_report r;
	int fds[2], status;
	bool ok = true;
	ssize_t n;

	memset(pids, 0, sizeof(pids));
	for (int cpu = 0; cpu < MAX_CPUS; cpu++)
		reports[cpu].cpu = -1;
	if (pipe(fds)) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return false;
	}
	fflush(NULL);
	for (int cpu = 0; cpu < MAX_CPUS && ok; cpu++) {
		if (!cpus[cpu])
			continue;
		pids[cpu] = fork();
		if (pids[cpu] == 0) {
			close(fds[0]);
			pinned_child(cpu, fds[1]);
		}
		if (pids[cpu] < 0) {
			snprintf(why, len, "fork: %s", strerror(errno));
			ok = false;
		}
	}
	close(fds[1]);
	/* EOF comes once every child has exited. */
	while ((n = read_full(fds[0], &r, sizeof(r))) == (ssize_t)sizeof(r)) {
		if (r.cpu >= 0 && r.cpu < MAX_CPUS && cpus[r.cpu] && reports[r.cpu].cpu < 0) {
			reports[r.cpu] = r;
		} else if (ok) {
			snprintf(why, len, "stray report for cpu%d", r.cpu);
			ok = false;
		}
	}
	if (n && ok) {
		snprintf(why, len, "pipe: %s", n < 0 ? strerror(errno) : "short report");
		ok = false;
	}
	close(fds[0]);
	for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (pids[cpu] <= 0)
			continue;
		while (waitpid(pids[cpu], &status, 0) < 0) {
			if (errno != EINTR) {
				status = -1;
				break;
			}
		}
		if (ok && (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status))) {
			snprintf(why, len, "child pinned to cpu%d: status 0x%x", cpu, status);
			ok = false;
		}
	}
	for (int cpu = 0; cpu < MAX_CPUS && ok; cpu++) {
		if (cpus[cpu] && reports[cpu].cpu < 0) {
			snprintf(why, len, "no report from cpu%d", cpu);
			ok = false;
		}
	}
	return ok;
}

/* Did the child pinned to @cpu stay there and get @want? */
static bool report_ok(const struct cpu_report *r, int cpu, uint64_t want, char *why, size_t len)
{
	if (r->err)
		snprintf(why, len, "cpu%d: sched_setaffinity: %s", cpu, strerror(r->err));
	else if (r->ran_on[0] != cpu || r->ran_on[1] != cpu)
		snprintf(why, len, "child pinned to cpu%d ran on cpu%d, then cpu%d", cpu,
			 r->ran_on[0], r->ran_on[1]);
	else if (r->result != want)
		snprintf(why, len, "cpu%d: result 0x%llx, want 0x%llx", cpu,
			 (unsigned long long)r->result, (unsigned long long)want);
	else
		return true;
	return false;
}

static void test_per_cpu_work(struct selftest *st)
{
	static bool online[MAX_CPUS];
	static struct cpu_report reports[MAX_CPUS];
	/* init's own result, not a constant: the FP part depends on how the compiler fused it. */
	uint64_t want = cpu_work();
	char why[128] = "no online CPU list";
	bool ok = read_cpulist(CPU_SYSFS "/online", online) > 0 &&
		  run_pinned(online, reports, why, sizeof(why));

	for (int cpu = 0; cpu < MAX_CPUS && ok; cpu++)
		ok = !online[cpu] || report_ok(&reports[cpu], cpu, want, why, sizeof(why));
	check(st, "per-cpu work", ok, "%s", why);
}

/* Writes 0 or 1 to cpuN/online; returns 0 or the errno. */
static int set_cpu_online(int cpu, bool on)
{
	char path[64];
	int fd, err = 0;

	snprintf(path, sizeof(path), CPU_SYSFS "/cpu%d/online", cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	/* The kernel has taken the CPU down or up by the time the write returns. */
	if (write(fd, on ? "1" : "0", 1) != 1)
		err = errno;
	if (close(fd) && !err)
		err = errno;
	return err;
}

/* Is the online CPU list exactly @want, after @cpu went @what? */
static bool online_list_is(const bool *want, int cpu, const char *what, char *why, size_t len)
{
	static bool now[MAX_CPUS];
	char *list = read_file(CPU_SYSFS "/online");
	bool ok = list && parse_cpulist(list, now) > 0 && !memcmp(now, want, sizeof(now));

	if (!ok) {
		if (list)
			list[strcspn(list, "\n")] = '\0';
		snprintf(why, len, "cpu%d %s, yet online is \"%s\"", cpu, what,
			 list ? list : "unreadable");
	}
	free(list);
	return ok;
}

/*
 * Takes @cpu offline and back online; @online is the online set before. A failure once the CPU
 * is offline still tries to bring it back, so the checks after this one see every CPU.
 */
static bool hotplug_cpu(int cpu, const bool *online, uint64_t want, char *why, size_t len)
{
	static bool expect[MAX_CPUS], only[MAX_CPUS];
	static struct cpu_report reports[MAX_CPUS];
	int err;

	memset(only, 0, sizeof(only));
	only[cpu] = true;
	memcpy(expect, online, sizeof(expect));
	expect[cpu] = false;
	err = set_cpu_online(cpu, false);
	if (err) {
		snprintf(why, len, "cpu%d offline: %s", cpu, strerror(err));
		return false;
	}
	if (!online_list_is(expect, cpu, "offline", why, len) ||
	    !run_pinned(only, reports, why, len))
		goto back_online;
	if (!reports[cpu].err) {
		snprintf(why, len, "cpu%d offline, yet sched_setaffinity to it worked", cpu);
		goto back_online;
	}
	err = set_cpu_online(cpu, true);
	if (err) {
		snprintf(why, len, "cpu%d online: %s", cpu, strerror(err));
		return false;
	}
	return online_list_is(online, cpu, "back online", why, len) &&
	       run_pinned(only, reports, why, len) &&
	       report_ok(&reports[cpu], cpu, want, why, len);
back_online:
	set_cpu_online(cpu, true);
	return false;
}

/* CPU 1, and the highest-numbered CPU if that is another one. */
static void test_cpu_hotplug(struct selftest *st)
{
	static bool online[MAX_CPUS];
	int n = read_cpulist(CPU_SYSFS "/online", online), last = MAX_CPUS - 1;
	char why[128];
	uint64_t want;
	bool ok;

	if (access(CPU_SYSFS "/cpu1/online", F_OK)) {
		skip("cpu hotplug", n == 1 ? "single CPU" : "no " CPU_SYSFS "/cpu1/online");
		return;
	}
	if (n < 0 || !online[1]) {
		check(st, "cpu hotplug", false, "cpu1 is not online");
		return;
	}
	while (!online[last])
		last--;
	want = cpu_work();
	ok = hotplug_cpu(1, online, want, why, sizeof(why)) &&
	     (last == 1 || hotplug_cpu(last, online, want, why, sizeof(why)));
	check(st, "cpu hotplug", ok, "%s", why);
}

static void test_meminfo(struct selftest *st)
{
	char *meminfo = read_file("/proc/meminfo");
	long total = meminfo ? meminfo_kib(meminfo, "MemTotal") : -1;

	check(st, "meminfo", total > 0, "MemTotal %ld kB", total);
	free(meminfo);
}

/* Only that the sleep returns and time moves on: the guest's timing is not ours to assert. */
static void test_timer(struct selftest *st)
{
	struct timespec t0, t1, req = { 0, 10 * 1000 * 1000 };
	int ret;

	if (clock_gettime(CLOCK_MONOTONIC, &t0)) {
		check(st, "timer", false, "clock_gettime: %s", strerror(errno));
		return;
	}
	while ((ret = nanosleep(&req, &req)) && errno == EINTR)
		;
	if (ret) {
		check(st, "timer", false, "nanosleep: %s", strerror(errno));
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check(st, "timer", t1.tv_sec > t0.tv_sec ||
	      (t1.tv_sec == t0.tv_sec && t1.tv_nsec > t0.tv_nsec),
	      "CLOCK_MONOTONIC stuck at %lld.%09ld", (long long)t1.tv_sec, t1.tv_nsec);
}

static void test_tmpfile(struct selftest *st)
{
	static const char path[] = "/tmp/selftest.dat";
	char out[8192], *in = NULL;
	int fd;
	bool ok;

	/* Not a repeating pattern, so a misplaced page would show. */
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)('a' + (i * 7 + i / 251) % 26);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ok = fd >= 0 && write_all(fd, out, sizeof(out));
	if (fd >= 0 && close(fd))
		ok = false;
	if (ok)
		in = read_file(path);
	check(st, "tmpfile", in && strlen(in) == sizeof(out) && !memcmp(in, out, sizeof(out)),
	      "%s", !ok ? "write failed" : !in ? "read failed" : "read back differs");
	free(in);
	unlink(path);
}

static void test_fork(struct selftest *st)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(42);
	if (pid < 0) {
		check(st, "fork", false, "fork: %s", strerror(errno));
		return;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			check(st, "fork", false, "waitpid: %s", strerror(errno));
			return;
		}
	}
	check(st, "fork", WIFEXITED(status) && WEXITSTATUS(status) == 42,
	      "child status 0x%x", status);
}

/* Sum of the per-CPU counts of the first /proc/interrupts line naming a timer. */
static long timer_irq_count(const char *interrupts)
{
	const char *line = interrupts;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char buf[256];

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (strstr(buf, "timer")) {
			char *p = strchr(buf, ':'), *end;
			long sum = 0;

			for (p = p ? p + 1 : buf;; p = end) {
				long n = strtol(p, &end, 10);

				if (end == p)
					break;
				sum += n;
			}
			return sum;
		}
		line = eol ? eol + 1 : NULL;
	}
	return -1;
}

static void test_interrupts(struct selftest *st)
{
	char *interrupts = read_file("/proc/interrupts");
	long count = interrupts ? timer_irq_count(interrupts) : -1;

	check(st, "interrupts", count > 0, count < 0 ? "no timer line" : "timer count %ld", count);
	free(interrupts);
}

static bool run_selftest(void)
{
	struct selftest st = { 0 };

	test_mounts(&st);
	test_chardev(&st, "/dev/console", 5, 1);
	test_chardev(&st, "/dev/null", 1, 3);
	test_uname(&st);
	test_meminfo(&st);
	test_timer(&st);
	test_tmpfile(&st);
	test_fork(&st);
	test_interrupts(&st);
	/* The SMP checks fork; cpus first, as the hotplug check takes CPUs down and back up. */
	test_cpus(&st);
	test_per_cpu_work(&st);
	test_cpu_hotplug(&st);
	if (!st.failed)
		printf("SELFTEST PASS\n");
	else if (st.failed == 1)
		printf("SELFTEST FAIL: %s\n", st.first);
	else
		printf("SELFTEST FAIL: %s and %d more\n", st.first, st.failed - 1);
	fflush(stdout);
	return !st.failed;
}

/* ---- shell builtins ---- */

static int sh_help(int argc, char **argv);

static int cat_file(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fflush(stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && !write_all(1, buf, n))
			break;
	if (n < 0)
		fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
	close(fd);
	return n < 0;
}

static int sh_cat(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: cat FILE...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++)
		ret |= cat_file(argv[i]);
	return ret;
}

static int list_dir(const char *path)
{
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);
	struct stat sb;

	if (n < 0) {
		/* ls of a plain file names the file, like ls(1). */
		if (errno == ENOTDIR && !stat(path, &sb)) {
			printf("%s\n", path);
			return 0;
		}
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, ".."))
			printf("%s%s\n", name, names[i]->d_type == DT_DIR ? "/" :
			       names[i]->d_type == DT_LNK ? "@" : "");
		free(names[i]);
	}
	free(names);
	return 0;
}

static int sh_ls(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2)
		return list_dir(".");
	for (int i = 1; i < argc; i++) {
		if (argc > 2)
			printf("%s:\n", argv[i]);
		ret |= list_dir(argv[i]);
	}
	return ret;
}

static int sh_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	printf("\n");
	return 0;
}

static int sh_uname(int argc, char **argv)
{
	struct utsname u;

	if (uname(&u)) {
		fprintf(stderr, "uname: %s\n", strerror(errno));
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "-a"))
		printf("%s %s %s %s %s\n", u.sysname, u.nodename, u.release, u.version, u.machine);
	else
		printf("%s\n", u.sysname);
	return 0;
}

static int sh_free(int argc, char **argv)
{
	char *meminfo = read_file("/proc/meminfo");

	(void)argc;
	(void)argv;
	if (!meminfo) {
		fprintf(stderr, "free: /proc/meminfo: %s\n", strerror(errno));
		return 1;
	}
	printf("%-6s %12s %12s %12s %12s\n", "KiB", "total", "free", "available", "cached");
	printf("%-6s %12ld %12ld %12ld %12ld\n", "Mem:", meminfo_kib(meminfo, "MemTotal"),
	       meminfo_kib(meminfo, "MemFree"), meminfo_kib(meminfo, "MemAvailable"),
	       meminfo_kib(meminfo, "Cached"));
	free(meminfo);
	return 0;
}

static int sh_dmesg(int argc, char **argv)
{
	char *buf = kernel_log(), *line, *save = NULL;

	(void)argc;
	(void)argv;
	if (!buf) {
		fprintf(stderr, "dmesg: %s\n", strerror(errno));
		return 1;
	}
	/* Drop the "<level>" prefix of each record, as dmesg(1) does. */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end = *line == '<' ? strchr(line, '>') : NULL;

		printf("%s\n", end ? end + 1 : line);
	}
	free(buf);
	return 0;
}

static int sh_mount(int argc, char **argv)
{
	if (argc == 1)
		return cat_file("/proc/mounts");
	if (argc != 5 || strcmp(argv[1], "-t")) {
		fprintf(stderr, "usage: mount [-t TYPE SRC DIR]\n");
		return 1;
	}
	if (mount(argv[3], argv[4], argv[2], 0, NULL)) {
		fprintf(stderr, "mount: %s on %s: %s\n", argv[3], argv[4], strerror(errno));
		return 1;
	}
	return 0;
}

/* Is @line a "KEY<blanks>: value" line of /proc/cpuinfo? Not "hart isa" for "hart". */
static bool cpuinfo_key_is(const char *line, const char *key)
{
	size_t len = strlen(key);

	if (strncmp(line, key, len))
		return false;
	line += len;
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == ':';
}

static int sh_cpus(int argc, char **argv)
{
	char *online = read_file(CPU_SYSFS "/online");
	char *cpuinfo = online ? read_file("/proc/cpuinfo") : NULL;
	char *save = NULL, *line;

	(void)argc;
	(void)argv;
	if (!cpuinfo) {
		fprintf(stderr, "cpus: %s: %s\n", online ? "/proc/cpuinfo" : CPU_SYSFS "/online",
			strerror(errno));
		free(online);
		return 1;
	}
	online[strcspn(online, "\n")] = '\0';
	printf("online: %s\n", online);
	for (line = strtok_r(cpuinfo, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (cpuinfo_key_is(line, "processor") || cpuinfo_key_is(line, "hart"))
			printf("%s\n", line);
	free(online);
	free(cpuinfo);
	return 0;
}

static int sh_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sys_reboot(RB_POWER_OFF);
	return 1;
}

static int sh_reboot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sys_reboot(RB_AUTOBOOT);
	return 1;
}

static int sh_selftest(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return !run_selftest();
}

struct builtin {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct builtin builtins[] = {
	{ "help", sh_help, "list the commands" },
	{ "ls", sh_ls, "ls [DIR...]: list directories" },
	{ "cat", sh_cat, "cat FILE...: print files" },
	{ "echo", sh_echo, "echo ARGS: print the arguments" },
	{ "uname", sh_uname, "uname [-a]: kernel name (all fields with -a)" },
	{ "free", sh_free, "free: memory use from /proc/meminfo" },
	{ "meminfo", sh_free, "meminfo: same as free" },
	{ "dmesg", sh_dmesg, "dmesg: print the kernel log" },
	{ "mount", sh_mount, "mount [-t TYPE SRC DIR]: list or add mounts" },
	{ "cpus", sh_cpus, "cpus: online CPUs and the hart of each" },
	{ "disk", sh_disk, "disk mount [DEV] | disk umount: ext4/ext2 of /dev/vda on /mnt" },
	{ "put", sh_put, "put FILE TEXT...: write TEXT and a newline to FILE, fsync it" },
	{ "sync", sh_sync, "sync: flush all filesystems" },
	{ "blk", sh_blk, "blk info | blk write-test: /dev/vda size and ro flag, or rewrite one sector" },
	{ "net", sh_net, "net up | net show: eth0 as 10.0.2.15/24 via 10.0.2.2, or its state" },
	{ "fetch", sh_fetch, "fetch HOST PORT: TCP hello, print the reply until the peer closes" },
	{ "rng", sh_rng, "rng [N]: N (<= 64) bytes of /dev/hwrng in hex" },
	{ "hvc", sh_hvc, "hvc: hello on the virtio console port, read a line, answer pong" },
	{ "perf", sh_perf, "perf: instructions of a known loop, and an SBI firmware event" },
	{ "date", sh_date, "date: the system time, in s since 1970 and as UTC" },
	{ "rtc", sh_rtc, "rtc [set EPOCH]: read /dev/rtc0, or set it to EPOCH s since 1970" },
	{ "rng-seed", sh_rng_seed, "rng-seed: did the DT's seed make the RNG ready before init" },
	{ "selftest", sh_selftest, "selftest: run the guest self-test" },
	{ "poweroff", sh_poweroff, "poweroff: sync and power off" },
	{ "reboot", sh_reboot, "reboot: sync and reboot" },
};

static int sh_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
		printf("  %-9s %s\n", builtins[i].name, builtins[i].help);
	return 0;
}

static void run_line(char *line)
{
	char *argv[MAX_ARGS + 1], *save = NULL;
	int argc = 0;

	for (char *tok = strtok_r(line, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_ARGS) {
			fprintf(stderr, "sh: too many arguments (max %d)\n", MAX_ARGS);
			return;
		}
		argv[argc++] = tok;
	}
	if (!argc)
		return;
	argv[argc] = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++) {
		if (!strcmp(argv[0], builtins[i].name)) {
			builtins[i].fn(argc, argv);
			return;
		}
	}
	fprintf(stderr, "sh: %s: unknown command (try help)\n", argv[0]);
}

/* Drops the rest of an over-long line instead of running it as the next command. */
static bool line_complete(const char *line)
{
	int c;

	if (strchr(line, '\n'))
		return true;
	while ((c = getchar()) != EOF && c != '\n')
		;
	if (c == EOF)
		return true;
	fprintf(stderr, "sh: line too long (max %d)\n", LINE_MAX_LEN - 2);
	return false;
}

static _Noreturn void shell(void)
{
	char line[LINE_MAX_LEN];

	for (;;) {
		printf("dv# ");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin)) {
			if (line_complete(line))
				run_line(line);
			fflush(NULL);
			continue;
		}
		if (ferror(stdin) && errno == EINTR) {
			clearerr(stdin);
			continue;
		}
		/* No more input will come: stop the VM instead of spinning on EOF. */
		printf("\ninit: end of console input, powering off\n");
		power_off_forever();
	}
}

/*
 * Retired instructions so far under QEMU -icount shift=0 (the cycle counter counts them);
 * the hypervisor's hcounteren/scounteren and OpenSBI's scounteren let user mode read it.
 */
static unsigned long long cycles_now(void)
{
	unsigned long long c;

	__asm__ volatile("rdcycle %0" : "=r"(c));
	return c;
}

int main(void)
{
	unsigned long long banner_cycle;
	struct utsname u;

	for (size_t i = 0; i < ARRAY_SIZE(base_mounts); i++)
		mount_base(&base_mounts[i]);
	open_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (uname(&u))
		strcpy(u.release, "?");
	printf("DuVisor-C guest init: Linux %s on %d vCPU(s)\n", u.release, cpus_online());
	banner_cycle = cycles_now();
	if (cmdline_has("dv.bench=io")) {
		bench_io();
		power_off_forever();
	}
	if (cmdline_has("dv.bench")) {
		printf("init: banner at cycle %llu\n", banner_cycle);
		power_off_forever();
	}
	if (cmdline_has("dv.selftest")) {
		run_selftest();
		power_off_forever();
	}
	shell();
}
