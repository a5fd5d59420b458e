/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A unit test's guest RAM as a driver sees it: byte access by guest-physical address and
 * descriptors written the way a guest driver lays them out. The including file defines
 * RAM_GPA and its `ram` array first.
 */
#ifndef TESTS_GUEST_RAM_H
#define TESTS_GUEST_RAM_H

#include <stdint.h>
#include <string.h>

static inline uint8_t *g(uint64_t gpa)
{
	return ram + (gpa - RAM_GPA);
}

static inline uint16_t get16(uint64_t gpa)
{
	uint16_t v;

	memcpy(&v, g(gpa), 2);
	return v;
}

static inline uint32_t get32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, g(gpa), 4);
	return v;
}

/* A descriptor at index i of the table at `table` (as a guest driver writes it). */
static inline void put_desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len,
			    uint16_t flags, uint16_t next)
{
	uint8_t *p = g(table + 16 * i);

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

#endif
