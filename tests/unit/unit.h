/* SPDX-License-Identifier: BSD-2-Clause */
/* A minimal host unit-test harness: one line per test case, parsed by tests/run.py. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <inttypes.h>
#include <stdio.h>

static int unit_failed_checks;
static int unit_failed_cases;

#define CHECK(cond)                                                                       \
	do {                                                                              \
		if (!(cond)) {                                                            \
			printf("  check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			unit_failed_checks++;                                             \
		}                                                                         \
	} while (0)

#define CHECK_EQ(a, b)                                                                    \
	do {                                                                              \
		uint64_t unit_a_ = (uint64_t)(a), unit_b_ = (uint64_t)(b);                \
		if (unit_a_ != unit_b_) {                                                 \
			printf("  check failed at %s:%d: %s == %s (0x%" PRIx64 " != 0x%" PRIx64 ")\n", \
			       __FILE__, __LINE__, #a, #b, unit_a_, unit_b_);               \
			unit_failed_checks++;                                             \
		}                                                                         \
	} while (0)

/* Runs one test case and prints `PASS unit:<name>` or `FAIL unit:<name>`. */
#define RUN(fn)                                                                           \
	do {                                                                              \
		int unit_before_ = unit_failed_checks;                                    \
		fn();                                                                     \
		if (unit_failed_checks == unit_before_) {                                 \
			printf("PASS unit:%s\n", #fn);                                    \
		} else {                                                                  \
			printf("FAIL unit:%s\n", #fn);                                    \
			unit_failed_cases++;                                              \
		}                                                                         \
	} while (0)

#define UNIT_EXIT() return unit_failed_cases ? 1 : 0

#endif
