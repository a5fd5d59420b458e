// SPDX-License-Identifier: BSD-2-Clause
// Guest RAM through the stage-2 map: free pages, each 2 MiB boundary, the 4 KiB tail, the end.
#include "dtb.h"
#include "print.h"
#include "riscv.h"
#include "test.h"
#include "trap.h"

#define RAM_BASE  0x80000000UL
#define RAM_END   0x82003000UL /* 32 MiB of superpages + 12 KiB of 4 KiB pages */
#define PAGE      0x1000UL
#define SUPERPAGE 0x200000UL

extern char __image_end[];

/* Distinct per address, so that two pages aliasing one frame cannot both read back right. */
static uint64_t tag(uintptr_t a)
{
	return a * 0x9e3779b97f4a7c15ULL ^ 0xa5a5a5a5a5a5a5a5ULL;
}

static void put(uintptr_t a)
{
	*(volatile uint64_t *)a = tag(a);
}

static bool check(uintptr_t a, const char *where)
{
	uint64_t got = *(volatile uint64_t *)a;

	return expectf(got == tag(a), "%s: 0x%lx reads 0x%lx, want 0x%lx", where,
		       (unsigned long)a, (unsigned long)got, (unsigned long)tag(a));
}

/*
 * The first and last dword of every free page in [lo, hi): that covers both sides of
 * each 2 MiB boundary and the 4 KiB leaves at the top. All are written before any is
 * read, so aliasing shows. Stops reporting after the first bad page.
 */
static void free_pages(uintptr_t lo, uintptr_t hi)
{
	for (uintptr_t p = lo; p < hi; p += PAGE) {
		put(p);
		put(p + PAGE - 8);
	}
	for (uintptr_t p = lo; p < hi; p += PAGE)
		if (!check(p, "page start") || !check(p + PAGE - 8, "page end"))
			return;
}

/* Named again, so that a failure at a boundary says so. */
static void boundaries(uintptr_t lo, uintptr_t hi)
{
	unsigned n = 0;

	for (uintptr_t b = (lo + SUPERPAGE) & ~(SUPERPAGE - 1); b < hi; b += SUPERPAGE) {
		check(b - 8, "below a 2 MiB boundary");
		check(b, "above a 2 MiB boundary");
		n++;
	}
	gprintf("superpage: 0x%lx..0x%lx free, %u 2 MiB boundaries in it\n", (unsigned long)lo,
		(unsigned long)hi, n);
}

/*
 * The last three 4 KiB pages of RAM, as far as the DTB leaves them free, and at least the
 * dword just below the DTB. The DTB itself must read (its magic) and so must RAM's last dword.
 */
static void tail(uintptr_t dtb_start)
{
	for (uintptr_t p = RAM_END - 3 * PAGE; p < RAM_END; p += PAGE) {
		uintptr_t end = p + PAGE <= dtb_start ? p + PAGE : dtb_start;

		if (end <= p)
			continue;
		put(p);
		put(end - 8);
		check(p, "4 KiB page start");
		check(end - 8, "4 KiB page end");
	}
	put(dtb_start - 8);
	check(dtb_start - 8, "just below the DTB");
	expect(dtb_valid((const void *)dtb_start), "the DTB page reads back its magic");
	/* Tail pages in the DTB's area are only read: a fault is an unexpected trap, and fails. */
	for (uintptr_t p = RAM_END - 3 * PAGE; p < RAM_END; p += PAGE) {
		(void)*(volatile uint64_t *)p;
		(void)*(volatile uint64_t *)(p + PAGE - 8);
	}
}

static void past_the_end(void)
{
	trap_expect();
	(void)*(volatile uint64_t *)RAM_END;
	expect_trap(EXC_LOAD_ACCESS, RAM_END, "load from the first byte past RAM");
	trap_expect();
	*(volatile uint8_t *)RAM_END = 1;
	expect_trap(EXC_STORE_ACCESS, RAM_END, "store to the first byte past RAM");
}

int main(unsigned long hartid, const void *dtb)
{
	uintptr_t lo = (uintptr_t)__image_end;
	uintptr_t hi = (uintptr_t)dtb & ~(PAGE - 1);
	uint64_t base = 0, size = 0;

	(void)hartid;
	test_start("superpage");
	gprintf("superpage: DTB at 0x%lx, 0x%x bytes\n", (unsigned long)dtb, dtb_size(dtb));
	if (expect(dtb_memory(dtb, &base, &size), "the DTB has a memory node")) {
		expect_eq(base, RAM_BASE, "RAM base in the DTB");
		expect_eq(base + size, RAM_END, "RAM end in the DTB");
	}
	if (!expectf(lo < hi && (uintptr_t)dtb < RAM_END, "no free RAM: image end 0x%lx, DTB 0x%lx",
		     (unsigned long)lo, (unsigned long)dtb))
		test_end();
	free_pages(lo, hi);
	boundaries(lo, hi);
	tail((uintptr_t)dtb);
	past_the_end();
	test_end();
}
