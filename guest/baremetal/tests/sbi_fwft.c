// SPDX-License-Identifier: BSD-2-Clause
// SBI FWFT: every feature ID got and set, flags, values, the lock; on 4 vCPUs, locks per hart.
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "smp.h"
#include "test.h"
#include "trap.h"

#define MISALIGNED SBI_FWFT_MISALIGNED_EXC_DELEG
#define LOCK       SBI_FWFT_SET_FLAG_LOCK

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void set(unsigned long feature, unsigned long value, unsigned long flags, long error)
{
	struct sbiret r = sbi_fwft_set(feature, value, flags);

	expectf(r.error == error && r.value == 0,
		"hart %lu: set(0x%lx, 0x%lx, 0x%lx): error %ld value %ld, want error %ld",
		smp_hartid(), feature, value, flags, r.error, r.value, error);
}

static void get(unsigned long feature, long error)
{
	struct sbiret r = sbi_fwft_get(feature);

	expectf(r.error == error && r.value == 0,
		"hart %lu: get(0x%lx): error %ld value %ld, want error %ld value 0", smp_hartid(),
		feature, r.error, r.value, error);
}

/* Reserved and platform-specific IDs, local and global: none implemented, so DENIED. */
static void reserved_features(void)
{
	static const unsigned long ids[] = { 6, 0x3fffffff, 0x40000000, 0x7fffffff,
					     0x80000000, 0xbfffffff, 0xc0000000, 0xffffffff };

	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
		get(ids[i], SBI_ERR_DENIED);
		set(ids[i], 0, 0, SBI_ERR_DENIED);
		set(ids[i], 1, LOCK, SBI_ERR_DENIED);
	}
}

/* Defined, but each needs a henvcfg bit for the guest that the minikernel keeps. */
static void unsupported_features(void)
{
	static const unsigned long ids[] = {
		SBI_FWFT_LANDING_PAD, SBI_FWFT_SHADOW_STACK, SBI_FWFT_DOUBLE_TRAP,
		SBI_FWFT_PTE_AD_HW_UPDATING, SBI_FWFT_POINTER_MASKING_PMLEN,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
		get(ids[i], SBI_ERR_NOT_SUPPORTED);
		set(ids[i], 0, 0, SBI_ERR_NOT_SUPPORTED);
		set(ids[i], 1, LOCK, SBI_ERR_NOT_SUPPORTED);
	}
}

/* Not delegated: 0 reads back, 0 may be set, 1 is denied, other values and flags invalid. */
static void misaligned_values(void)
{
	get(MISALIGNED, SBI_SUCCESS);
	get((1UL << 32) | MISALIGNED, SBI_SUCCESS);
	set(MISALIGNED, 0, 0, SBI_SUCCESS);
	set(MISALIGNED, 1, 0, SBI_ERR_DENIED);
	set(MISALIGNED, 2, 0, SBI_ERR_INVALID_PARAM);
	set(MISALIGNED, -1UL, 0, SBI_ERR_INVALID_PARAM);
	set(MISALIGNED, 0, 2, SBI_ERR_INVALID_PARAM);
	set(MISALIGNED, 0, LOCK | 1UL << 63, SBI_ERR_INVALID_PARAM);
	set(MISALIGNED, 1, LOCK, SBI_ERR_DENIED);
	/* neither of the refused ones locked it */
	set(MISALIGNED, 0, 0, SBI_SUCCESS);
}

/*
 * What "not delegated" means here: a misaligned load and store in RAM complete, and no
 * exception reaches the guest.
 */
static void misaligned_accesses(void)
{
	static volatile uint64_t buf[2];
	uintptr_t p = (uintptr_t)buf + 5;
	struct trap_info t;
	unsigned long got;

	trap_expect();
	asm volatile("sw %1, 0(%2)\n\tlw %0, 0(%2)" : "=&r"(got) : "r"(0x89abcdefU), "r"(p)
		     : "memory");
	if (trap_taken(&t))
		expectf(false, "misaligned access: exception %lu at 0x%lx", t.scause, t.sepc);
	expect_eq(got, 0xffffffff89abcdefUL, "misaligned load after store (sign-extended)");
	expect_eq(buf[0], 0xabcdef0000000000UL, "bytes 5..7 of the misaligned store");
	expect_eq(buf[1], 0x89UL, "byte 8 of the misaligned store");
}

/* Locked, a set is DENIED_LOCKED whatever the value; bad flags are still INVALID_PARAM. */
static void lock(void)
{
	set(MISALIGNED, 0, LOCK, SBI_SUCCESS);
	set(MISALIGNED, 0, 0, SBI_ERR_DENIED_LOCKED);
	set(MISALIGNED, 0, LOCK, SBI_ERR_DENIED_LOCKED);
	set(MISALIGNED, 1, 0, SBI_ERR_DENIED_LOCKED);
	set(MISALIGNED, 2, 0, SBI_ERR_DENIED_LOCKED);
	set(MISALIGNED, 0, 2, SBI_ERR_INVALID_PARAM);
	get(MISALIGNED, SBI_SUCCESS);
}

static volatile unsigned int hart1_runs;

/* Hart 1, first start: hart 0's lock is not its own; it locks, then stops. */
static void hart1_first(unsigned long hartid, unsigned long opaque, unsigned long pc)
{
	(void)hartid;
	(void)opaque;
	(void)pc;
	get(MISALIGNED, SBI_SUCCESS);
	set(MISALIGNED, 0, 0, SBI_SUCCESS);
	lock();
	smp_fetch_add(&hart1_runs, 1);
}

/* Hart 1, started again: the stop and start reset the hart, and with it the lock. */
static void hart1_again(unsigned long hartid, unsigned long opaque, unsigned long pc)
{
	(void)hartid;
	(void)opaque;
	(void)pc;
	set(MISALIGNED, 0, 0, SBI_SUCCESS);
	smp_fetch_add(&hart1_runs, 1);
}

static void run_hart1(smp_fn fn, unsigned int runs)
{
	struct sbiret r;

	if (!expect_sbi(smp_start(1, fn, 0), SBI_SUCCESS, "hart_start(1)"))
		return;
	while (hart1_runs < runs)
		;
	r = smp_settle(1, HSM_BIT(SBI_HSM_START_PENDING) | HSM_BIT(SBI_HSM_STARTED) |
				  HSM_BIT(SBI_HSM_STOP_PENDING));
	expectf(r.error == SBI_SUCCESS && r.value == SBI_HSM_STOPPED,
		"hart 1 status %ld error %ld, want STOPPED", r.value, r.error);
}

/* Only on a VM with a hart 1 (the 4-vCPU one); hart 0 holds its lock throughout. */
static void per_hart(void)
{
	if (sbi_hart_get_status(1).error)
		return;
	run_hart1(hart1_first, 1);
	run_hart1(hart1_again, 2);
	set(MISALIGNED, 0, 0, SBI_ERR_DENIED_LOCKED);
	gprintf("sbi_fwft: locks are per hart and end with a hart reset\n");
}

int main(unsigned long hartid)
{
	test_start("sbi_fwft");
	smp_init(hartid);
	expect_eq(sbi_probe_extension(SBI_EXT_FWFT).value, 1, "FWFT probed");
	reserved_features();
	unsupported_features();
	misaligned_values();
	misaligned_accesses();
	lock();
	expect_sbi(sbi_ecall(SBI_EXT_FWFT, 2, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		   "FWFT fid 2");
	per_hart();
	test_end();
}
