// SPDX-License-Identifier: BSD-2-Clause
// The test device as a syscon: its DT nodes, reads, bad accesses and ignored writes; then
// 0x7777 reboots the VM and, in the second boot, 0x5555 powers it off.
#include "dtb.h"
#include "mmio.h"
#include "print.h"
#include "riscv.h"
#include "test.h"
#include "trap.h"

#define SYSCON_MAGIC 0x5359534330303031UL /* "SYSC0001" */

/* Left in free RAM across the reboot, which keeps RAM past the image. */
struct syscon_note {
	uint64_t magic;
	uint64_t boot1_failures;
};

extern char __image_end[];

/* A "syscon-<what>" node at the root that writes `value` at offset 0 of the test device. */
static void check_action_node(const void *dtb, const char *node, const char *compat,
			      uint32_t value)
{
	uint32_t len = 0, tlen = 0;
	const void *v = dtb_prop(dtb, node, "value", &len);
	const void *regmap = dtb_prop(dtb, node, "regmap", &len);
	const void *phandle = dtb_prop(dtb, "test@100000", "phandle", &tlen);

	expect(dtb_compatible(dtb, node, compat), compat);
	expectf(v && dtb_cell(v, 0) == value, "%s value 0x%x", node, value);
	expectf(regmap && phandle && dtb_cell(regmap, 0) == dtb_cell(phandle, 0),
		"%s regmap is the test device", node);
}

static void check_dt(const void *dtb)
{
	expect(dtb_compatible(dtb, "test@100000", "sifive,test0"), "test@100000 is sifive,test0");
	expect(dtb_compatible(dtb, "test@100000", "syscon"), "test@100000 is a syscon");
	check_action_node(dtb, "poweroff", "syscon-poweroff", FINISHER_PASS);
	check_action_node(dtb, "reboot", "syscon-reboot", FINISHER_RESET);
}

/* A refused store of a command must fault and do nothing. */
static void expect_refused(uintptr_t addr, void (*store)(uintptr_t, uint64_t), uint64_t v,
			   const char *what)
{
	trap_expect();
	store(addr, v);
	expect_trap(EXC_STORE_ACCESS, addr, what);
}

static void check_registers(void)
{
	expect_eq(mmio_lwu(FINISHER_BASE), 0, "lw reads 0");
	expect_eq(mmio_lhu(FINISHER_BASE + 2), 0, "lh reads 0");
	expect_load_fault(FINISHER_BASE, mmio_lbu, "lb");
	expect_load_fault(FINISHER_BASE, mmio_ld, "ld");
	expect_load_fault(FINISHER_BASE + 2, mmio_lwu, "misaligned lw");
	expect_refused(FINISHER_BASE, mmio_sd, FINISHER_PASS, "sd of 0x5555");
	expect_refused(FINISHER_BASE, mmio_sb, 0x55, "sb of 0x55");
	expect_refused(FINISHER_BASE + 1, mmio_sh, FINISHER_PASS, "misaligned sh of 0x5555");
	/* Ignored: other values, other offsets. Still running afterwards is the check. */
	mmio_sw(FINISHER_BASE, 0x1234);
	mmio_sw(FINISHER_BASE, FINISHER_PASS << 16);
	mmio_sw(FINISHER_BASE + 4, FINISHER_PASS);
	mmio_sh(FINISHER_BASE + 2, FINISHER_RESET);
	gprintf("syscon: ignored writes ignored\n");
}

int main(unsigned long hartid, const void *dtb)
{
	volatile struct syscon_note *note = (volatile struct syscon_note *)__image_end;

	(void)hartid;
	test_start("syscon");
	check_dt(dtb);
	if (note->magic != SYSCON_MAGIC) {
		gprintf("syscon: boot 1\n");
		check_registers();
		note->boot1_failures = test_failures();
		note->magic = SYSCON_MAGIC;
		mmio_sw(FINISHER_BASE, FINISHER_RESET);
		note->magic = 0;
		expect(false, "0x7777 did not reboot");
		test_end();
	}
	gprintf("syscon: boot 2\n");
	note->magic = 0;
	expect_eq(note->boot1_failures, 0, "failed checks in boot 1");
	test_report();
	mmio_sh(FINISHER_BASE, FINISHER_PASS);
	expect(false, "0x5555 did not power off");
	test_end();
}
