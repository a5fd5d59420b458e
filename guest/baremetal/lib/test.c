// SPDX-License-Identifier: BSD-2-Clause
// Test verdict bookkeeping for the guests.
#include <stdarg.h>

#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

static const char *name = "guest";
static unsigned failures;

void test_start(const char *test)
{
	name = test;
	gprintf("%s: start\n", name);
}

const char *test_name(void)
{
	return name;
}

bool expect(bool cond, const char *what)
{
	if (!cond) {
		failures++;
		gprintf("FAIL: %s: %s\n", name, what);
	}
	return cond;
}

bool expectf(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (!cond) {
		failures++;
		gprintf("FAIL: %s: ", name);
		va_start(ap, fmt);
		gvprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	return cond;
}

bool expect_eq(uint64_t got, uint64_t want, const char *what)
{
	if (got != want) {
		failures++;
		gprintf("FAIL: %s: %s (got 0x%lx, want 0x%lx)\n", name, what,
			(unsigned long)got, (unsigned long)want);
	}
	return got == want;
}

bool expect_sbi(struct sbiret r, long error, const char *what)
{
	return expectf(r.error == error, "%s: error %ld, want %ld", what, r.error, error);
}

bool expect_trap(unsigned long scause, unsigned long stval, const char *what)
{
	struct trap_info info;

	if (!trap_taken(&info))
		return expectf(false, "%s: no exception (want scause %lu)", what, scause);
	return expectf(info.scause == scause && (stval == ANY_STVAL || info.stval == stval),
		       "%s: scause %lu stval 0x%lx (want scause %lu stval 0x%lx)", what,
		       info.scause, info.stval, scause, stval);
}

void expect_load_fault(uintptr_t addr, uint64_t (*load)(uintptr_t), const char *what)
{
	trap_expect();
	(void)load(addr);
	expect_trap(EXC_LOAD_ACCESS, addr, what);
}

void expect_store_fault(uintptr_t addr, void (*store)(uintptr_t, uint64_t), const char *what)
{
	trap_expect();
	store(addr, 0);
	expect_trap(EXC_STORE_ACCESS, addr, what);
}

unsigned test_failures(void)
{
	return failures;
}

bool test_report(void)
{
	if (failures)
		gprintf("FAIL: %s: %u check(s) failed\n", name, failures);
	else
		gprintf("PASS: %s\n", name);
	return !failures;
}

void test_end(void)
{
	sbi_shutdown(!test_report());
}
