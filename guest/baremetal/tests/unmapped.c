// SPDX-License-Identifier: BSD-2-Clause
// Guest-physical addresses backed by nothing: loads, stores and fetches get access faults.
#include "riscv.h"
#include "test.h"
#include "trap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Below RAM, between devices, just past a device and RAM, above 4 GiB, far above. */
static const uintptr_t holes[] = {
	0x0, 0x1000, 0x20000000, 0x7ffff000, 0x10020000, 0x82003000, 0x100000000,
	0x1ffffffff000,
};

static void data_access(uintptr_t a)
{
	trap_expect();
	(void)*(volatile uint64_t *)a;
	expect_trap(EXC_LOAD_ACCESS, a, "load");
	trap_expect();
	(void)*(volatile uint8_t *)a;
	expect_trap(EXC_LOAD_ACCESS, a, "byte load");
	trap_expect();
	*(volatile uint64_t *)a = 0x1234;
	expect_trap(EXC_STORE_ACCESS, a, "store");
	trap_expect();
	*(volatile uint32_t *)a = 0x1234;
	expect_trap(EXC_STORE_ACCESS, a, "word store");
}

/* A call into the hole: the fetch faults at the target, and the handler "returns" to ra. */
static void fetch(uintptr_t a)
{
	struct trap_info t = { 0 };
	bool taken;

	trap_expect_return();
	((void (*)(void))a)();
	taken = trap_taken(&t);
	expectf(taken && t.scause == EXC_INSN_ACCESS && t.stval == a && t.sepc == a,
		"jump to 0x%lx: trap %d scause %lu stval 0x%lx sepc 0x%lx", (unsigned long)a,
		taken, t.scause, t.stval, t.sepc);
}

int main(void)
{
	test_start("unmapped");
	for (unsigned i = 0; i < ARRAY_SIZE(holes); i++)
		data_access(holes[i]);
	fetch(0x20000000);
	fetch(0x82003000);
	test_end();
}
