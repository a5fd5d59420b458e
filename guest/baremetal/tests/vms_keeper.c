// SPDX-License-Identifier: BSD-2-Clause
/*
 * A VM of a several-VM image that keeps data while another VM misbehaves: it fills its RAM
 * with a pattern, waits for a key on its UART (typed once the other VM has done its worst:
 * probed every guest-physical address, crashed, restarted), then checks every word.
 */
#include "dtb.h"
#include "mmio.h"
#include "print.h"
#include "test.h"

#define UART_BASE 0x10000000UL
#define UART_LSR_DR 0x01
#define DTB_ROOM  0x10000UL /* the runtime puts the DTB in RAM's top 64 KiB */

extern char __image_end[];

static uint64_t pattern(uintptr_t a)
{
	return a * 0x9e3779b97f4a7c15UL ^ 0x5a5a5a5a5a5a5a5aUL;
}

int main(unsigned long hartid, const void *dtb)
{
	uint64_t base = 0, size = 0, bad = 0;
	uintptr_t from, to;
	int c;

	(void)hartid;
	test_start("vms_keeper");
	if (!expect(dtb_memory(dtb, &base, &size), "the DTB names the RAM"))
		test_end();
	from = (uintptr_t)__image_end;
	to = (base + size - DTB_ROOM) & ~0xfffUL;
	for (uintptr_t a = from; a < to; a += 8)
		*(volatile uint64_t *)a = pattern(a);
	gprintf("vms_keeper: %lu KiB of RAM filled; press a key\n", (unsigned long)(to - from) >> 10);
	while (!(mmio_lbu(UART_BASE + 5) & UART_LSR_DR))
		;
	c = mmio_lbu(UART_BASE);
	for (uintptr_t a = from; a < to; a += 8)
		bad += *(volatile uint64_t *)a != pattern(a);
	expectf(!bad, "%lu words of RAM changed", (unsigned long)bad);
	gprintf("vms_keeper: got '%c'; %lu KiB of RAM checked, %lu words changed\n", c,
		(unsigned long)(to - from) >> 10, (unsigned long)bad);
	test_end();
}
