/* SPDX-License-Identifier: BSD-2-Clause */
/* Test verdicts: failed checks print `FAIL: <test>: <what>`, test_end prints `PASS: <test>`. */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "sbi.h"

/* Names the test for every verdict line; call first. */
void test_start(const char *name);
const char *test_name(void);

/* Counts a failure and prints `FAIL: <test>: <what>` unless `cond` holds; returns cond. */
bool expect(bool cond, const char *what);

/* Like expect, with a printf-style description. */
bool expectf(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like expect(got == want), also printing both values on failure. */
bool expect_eq(uint64_t got, uint64_t want, const char *what);

/* Checks that an SBI call returned error code `error`. */
bool expect_sbi(struct sbiret r, long error, const char *what);

/*
 * For a trap_expect()ed access: checks that one exception with this scause and stval
 * was taken (stval ~0UL: any), printing what came instead.
 */
bool expect_trap(unsigned long scause, unsigned long stval, const char *what);

#define ANY_STVAL (~0UL)

/* `load`/`store` at addr must raise an access fault there (scause 5 / 7, stval = addr). */
void expect_load_fault(uintptr_t addr, uint64_t (*load)(uintptr_t), const char *what);
void expect_store_fault(uintptr_t addr, void (*store)(uintptr_t, uint64_t), const char *what);

unsigned test_failures(void);

/*
 * Prints the one final verdict line: `PASS: <test>` when nothing failed, else
 * `FAIL: <test>: <n> check(s) failed`. True when passed.
 */
bool test_report(void);

/* test_report, then SRST shutdown. */
__attribute__((noreturn)) void test_end(void);

#endif
