// SPDX-License-Identifier: BSD-2-Clause
/* The init's perf command: a loop's instructions and a firmware event, with perf_event_open(2). */
/* For sched_setaffinity(2), sched_getcpu(3), the CPU_* macros and REG_PC. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "perf.h"

/* The loop's iterations, two instructions each (addi, bnez). */
#define LOOP_ITERS	1000000UL
#define TRAPS		10

/*
 * Linux's riscv_pmu_sbi takes a raw event with bit 63 set as SBI firmware event (bits 15:0
 * its code): here 4, the illegal-instruction traps the firmware (the hypervisor) handles.
 */
#define RAW_SBI_FIRMWARE	(1ULL << 63)
#define SBI_FW_ILLEGAL_INSN	4

static long perf_open(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	return syscall(SYS_perf_event_open, attr, pid, cpu, -1, 0UL);
}

static int read_count(int fd, uint64_t *count)
{
	return read(fd, count, sizeof(*count)) == (ssize_t)sizeof(*count) ? 0 : -1;
}

static void known_loop(void)
{
	__asm__ volatile("li t0, %0\n1:\taddi t0, t0, -1\n\tbnez t0, 1b"
			 : : "i"(LOOP_ITERS) : "t0");
}

/*
 * The instructions retired on @cpu while the loop runs: the difference of two readings.
 * The first reading after Linux starts the counter is off by what instret held then (the
 * hypervisor cannot set it: Linux logs that the start failed), differences are exact. The
 * event counts the CPU, not this task, so that a context switch does not start it again.
 */
static int count_loop(int cpu, uint64_t *count)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_INSTRUCTIONS,
	};
	uint64_t before, after;
	int fd = perf_open(&attr, -1, cpu);

	if (fd < 0) {
		printf("perf: instructions: perf_event_open: %s\n", strerror(errno));
		return -1;
	}
	if (read_count(fd, &before) || (known_loop(), read_count(fd, &after))) {
		printf("perf: instructions: read: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	*count = after - before;
	return 0;
}

static void skip_insn(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)info;
	uc->uc_mcontext.__gregs[REG_PC] += 4;
}

/* hlv.b zero, (zero): a hypervisor load, which traps from VU-mode as a virtual instruction. */
static void hlv(void)
{
	__asm__ volatile(".4byte 0x60004073" : : : "memory");
}

/*
 * This task's illegal-instruction traps that the hypervisor handled: TRAPS hypervisor loads,
 * each a virtual-instruction trap that the hypervisor hands to the guest as illegal. An
 * illegal instruction the hardware delivers to the guest directly is not one.
 */
static int count_traps(uint64_t *count)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_RAW,
		.size = sizeof(attr),
		.config = RAW_SBI_FIRMWARE | SBI_FW_ILLEGAL_INSN,
	};
	struct sigaction sa = { .sa_sigaction = skip_insn, .sa_flags = SA_SIGINFO };
	int fd = perf_open(&attr, 0, -1);

	if (fd < 0) {
		printf("perf: firmware event: perf_event_open: %s\n", strerror(errno));
		return -1;
	}
	sigaction(SIGILL, &sa, NULL);
	for (int i = 0; i < TRAPS; i++)
		hlv();
	if (read_count(fd, count)) {
		printf("perf: firmware event: read: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* In a child: pinning, the signal handler and the traps stay out of init itself. */
static _Noreturn void perf_child(void)
{
	int cpu = sched_getcpu();
	uint64_t insns, traps;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		printf("perf: sched_setaffinity: %s\n", strerror(errno));
		_exit(1);
	}
	if (count_loop(cpu, &insns) || count_traps(&traps))
		_exit(1);
	printf("perf: instructions: %llu counted on cpu %d for a loop of %lu\n",
	       (unsigned long long)insns, cpu, 2 * LOOP_ITERS);
	printf("perf: SBI firmware event %d (illegal instructions): %llu for %d hlv.b\n",
	       SBI_FW_ILLEGAL_INSN, (unsigned long long)traps, TRAPS);
	fflush(stdout);
	_exit(0);
}

int sh_perf(int argc, char **argv)
{
	int status;
	pid_t pid;

	(void)argc;
	(void)argv;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		perf_child();
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("perf: fork: %s\n", strerror(errno));
		return 1;
	}
	return !WIFEXITED(status) || WEXITSTATUS(status);
}
