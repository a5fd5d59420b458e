// SPDX-License-Identifier: BSD-2-Clause
// Secondary harts: the HSM entry with per-hart stacks, start and status helpers, ping and stop.
#include "print.h"
#include "sbi.h"
#include "smp.h"
#include "test.h"

#define SMP_STACK_SIZE      4096
#define SMP_TRAP_STACK_SIZE 4096
#define SMP_SLOT_SIZE       (SMP_STACK_SIZE + SMP_TRAP_STACK_SIZE)

#define STR_(x) #x
#define STR(x)  STR_(x)

/* What hart 0 leaves for each secondary; the volatile fields are polled across harts. */
struct smp_hart {
	smp_fn fn;
	volatile unsigned long ping; /* bumped by hart 0 */
	volatile unsigned long pong; /* copied from ping by the secondary */
	volatile bool stop;
};

static struct smp_hart harts[SMP_MAX_HARTS];

/* Slot i belongs to hart i + 1: its main stack, then the trap stack that sscratch holds. */
static unsigned char smp_stacks[SMP_MAX_HARTS - 1][SMP_SLOT_SIZE]
	__attribute__((aligned(16), used));

/* Called from smp_entry only, on the hart's own stack. */
__attribute__((noreturn)) void smp_secondary_main(unsigned long hartid, unsigned long opaque,
						  unsigned long entry_pc);

/*
 * hart_start leaves only a0 (hart id) and a1 (opaque) defined, with the MMU and interrupts
 * off: set gp, this hart's stacks, stvec, and tp = hart id before any C code runs.
 */
asm("	.pushsection .text, \"ax\"\n"
    "	.balign 4\n"
    "	.globl smp_entry\n"
    "smp_entry:\n"
    /* First, so that it is the pc the hart was really started at. */
    "	auipc	t2, 0\n"
    "	.option push\n"
    "	.option norelax\n"
    "	la	gp, __global_pointer$\n"
    "	.option pop\n"
    /* Hart 0 and ids past the table have no slot: a0 - 1 compared unsigned catches both. */
    "	addi	t0, a0, -1\n"
    "	li	t1, " STR(SMP_MAX_HARTS) " - 1\n"
    "	bgeu	t0, t1, 1f\n"
    "	li	t1, " STR(SMP_SLOT_SIZE) "\n"
    "	mul	t0, t0, t1\n"
    "	la	t1, smp_stacks\n"
    "	add	t0, t0, t1\n"
    "	li	t1, " STR(SMP_STACK_SIZE) "\n"
    "	add	sp, t0, t1\n"
    "	li	t1, " STR(SMP_SLOT_SIZE) "\n"
    "	add	t0, t0, t1\n"
    "	csrw	sscratch, t0\n"
    "	csrw	sie, zero\n"
    "	la	t0, trap_entry\n"
    "	csrw	stvec, t0\n"
    "	mv	tp, a0\n"
    "	mv	a2, t2\n"
    "	tail	smp_secondary_main\n"
    /* Without a stack no C can run, not even a FAIL line: power off, so no PASS follows. */
    "1:	li	a0, " STR(SBI_SRST_SHUTDOWN) "\n"
    "	li	a1, " STR(SBI_SRST_REASON_FAILURE) "\n"
    "	li	a6, 0\n"
    "	li	a7, " STR(SBI_EXT_SRST) "\n"
    "	ecall\n"
    "2:	wfi\n"
    "	j	2b\n"
    "	.popsection\n");

void smp_init(unsigned long boot_hartid)
{
	asm volatile("mv tp, %0" : : "r"(boot_hartid));
}

void smp_secondary_main(unsigned long hartid, unsigned long opaque, unsigned long entry_pc)
{
	struct sbiret r;

	harts[hartid].fn(hartid, opaque, entry_pc);
	r = sbi_hart_stop();
	gprintf("FAIL: %s: hart %lu: hart_stop returned error %ld\n", test_name(), hartid,
		r.error);
	sbi_shutdown(1);
}

struct sbiret smp_start(unsigned long hartid, smp_fn fn, unsigned long opaque)
{
	struct smp_hart *h = &harts[hartid];

	if (!expectf(hartid > 0 && hartid < SMP_MAX_HARTS, "smp_start: no stacks for hart %lu",
		     hartid))
		return (struct sbiret){ .error = SBI_ERR_FAILED };
	h->fn = fn;
	h->stop = false;
	/* The hart may read these before hart_start even returns here. */
	smp_mb();
	return sbi_hart_start(hartid, (unsigned long)smp_entry, opaque);
}

struct sbiret smp_system_suspend(smp_fn fn, unsigned long opaque)
{
	harts[smp_hartid()].fn = fn;
	return sbi_system_suspend(SBI_SUSP_SUSPEND_TO_RAM, (unsigned long)smp_entry, opaque);
}

struct sbiret smp_settle(unsigned long hartid, unsigned long transient)
{
	struct sbiret r;

	do {
		r = sbi_hart_get_status(hartid);
	} while (!r.error && (unsigned long)r.value < 64 && (transient & HSM_BIT(r.value)));
	return r;
}

void smp_ping(unsigned long hartid)
{
	struct smp_hart *h = &harts[hartid];
	unsigned long token = h->ping + 1;

	h->ping = token;
	while (h->pong != token)
		;
	/* Whatever the hart wrote before answering is visible from here on. */
	smp_mb();
}

void smp_request_stop(unsigned long hartid)
{
	harts[hartid].stop = true;
}

bool smp_stop(unsigned long hartid)
{
	struct sbiret r;

	smp_request_stop(hartid);
	r = smp_settle(hartid, HSM_BIT(SBI_HSM_STARTED) | HSM_BIT(SBI_HSM_STOP_PENDING));
	return expectf(r.error == SBI_SUCCESS && r.value == SBI_HSM_STOPPED,
		       "hart %lu after its stop: status %ld error %ld", hartid, r.value, r.error);
}

bool smp_serve(void)
{
	struct smp_hart *h = &harts[smp_hartid()];
	unsigned long token = h->ping;

	if (h->pong != token) {
		/* Our earlier writes reach hart 0 before the answer does. */
		smp_mb();
		h->pong = token;
	}
	return !h->stop;
}
