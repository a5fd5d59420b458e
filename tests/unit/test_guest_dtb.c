// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the guest DTB: the RTC, the test device and its syscon nodes, the rng-seed. */
#include <libfdt.h>
#include <string.h>

#include "guest_dtb.h"
#include "unit.h"

static struct vm vm;
static char dtb[0x10000];

static void build(const uint8_t *seed, size_t len)
{
	struct vm_config cfg = { .bootargs = "console=ttyS0" };
	struct guest_boot boot = {
		.host_isa = "rv64imafdch_sstc",
		.bootargs = cfg.bootargs,
		.rng_seed = seed,
		.rng_seed_len = len,
	};

	vm.nr_vcpus = 2;
	vm.timebase_hz = 10000000;
	vm.ram_gpa = 0x80000000;
	vm.ram_size = 0x8000000;
	CHECK_EQ(guest_dtb_build(dtb, sizeof(dtb), &vm, &cfg, &boot), 0);
	CHECK_EQ(fdt_check_header(dtb), 0);
}

/* The property of the node at `path`, which must be `len` bytes long (-1: any). */
static const void *prop(const char *path, const char *name, int len)
{
	int got = -1;
	const void *p = fdt_getprop(dtb, fdt_path_offset(dtb, path), name, &got);

	CHECK(p != NULL);
	if (len >= 0)
		CHECK_EQ(got, len);
	return p;
}

static uint32_t u32(const char *path, const char *name)
{
	const fdt32_t *p = prop(path, name, 4);

	return p ? fdt32_ld(p) : 0xdeadbeef;
}

static void check_reg(const char *path, uint64_t base, uint64_t size)
{
	const fdt64_t *reg = prop(path, "reg", 16);

	if (reg) {
		CHECK_EQ(fdt64_ld(&reg[0]), base);
		CHECK_EQ(fdt64_ld(&reg[1]), size);
	}
}

static void test_dtb_rtc(void)
{
	build(NULL, 0);
	CHECK(!strcmp(prop("/soc/rtc@101000", "compatible", -1), "google,goldfish-rtc"));
	check_reg("/soc/rtc@101000", 0x101000, 0x1000);
	CHECK_EQ(u32("/soc/rtc@101000", "interrupts"), 11);
	CHECK_EQ(u32("/soc/rtc@101000", "interrupt-parent"), u32("/soc/plic@c000000", "phandle"));
}

/* QEMU virt's test device, and poweroff and reboot nodes that write to it. */
static void test_dtb_syscon(void)
{
	static const char compatible[] = "sifive,test1\0sifive,test0\0syscon";
	uint32_t test;

	build(NULL, 0);
	CHECK(!memcmp(prop("/soc/test@100000", "compatible", sizeof(compatible)), compatible,
		      sizeof(compatible)));
	check_reg("/soc/test@100000", 0x100000, 0x1000);
	test = u32("/soc/test@100000", "phandle");
	CHECK_EQ(fdt_node_offset_by_phandle(dtb, test), fdt_path_offset(dtb, "/soc/test@100000"));
	CHECK(!strcmp(prop("/poweroff", "compatible", -1), "syscon-poweroff"));
	CHECK_EQ(u32("/poweroff", "regmap"), test);
	CHECK_EQ(u32("/poweroff", "offset"), 0);
	CHECK_EQ(u32("/poweroff", "value"), 0x5555);
	CHECK(!strcmp(prop("/reboot", "compatible", -1), "syscon-reboot"));
	CHECK_EQ(u32("/reboot", "regmap"), test);
	CHECK_EQ(u32("/reboot", "offset"), 0);
	CHECK_EQ(u32("/reboot", "value"), 0x7777);
}

/* The seed given, byte for byte; none given, no property at all. */
static void test_dtb_rng_seed(void)
{
	uint8_t seed[64];
	const void *p;

	for (unsigned i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(i * 37 + 1);
	build(seed, sizeof(seed));
	p = prop("/chosen", "rng-seed", 64);
	CHECK(p && !memcmp(p, seed, sizeof(seed)));
	build(NULL, 0);
	CHECK(fdt_getprop(dtb, fdt_path_offset(dtb, "/chosen"), "rng-seed", NULL) == NULL);
	CHECK(!strcmp(prop("/chosen", "bootargs", -1), "console=ttyS0"));
}

/* h, z and AIA never reach a guest; Sstc only where the minikernel found stimecmp usable. */
static void test_guest_isa(void)
{
	char isa[64];

	guest_isa(isa, sizeof(isa), "rv64imafdch_zicsr_sstc_zba", true);
	CHECK(!strcmp(isa, "rv64imafdc_zicsr_sstc_zba"));
	guest_isa(isa, sizeof(isa), "rv64imafdch_zicsr_sstc_zba", false);
	CHECK(!strcmp(isa, "rv64imafdc_zicsr_zba"));
	guest_isa(isa, sizeof(isa), "rv64imafdchz_zicsr_sstc", false);
	CHECK(!strcmp(isa, "rv64imafdc_zicsr"));
	guest_isa(isa, sizeof(isa), "rv64imafdch_sstcfoo_sstc", false);
	CHECK(!strcmp(isa, "rv64imafdc_sstcfoo"));
	guest_isa(isa, sizeof(isa), "rv64imafdch_zba_smaia_ssaia_sstc", true);
	CHECK(!strcmp(isa, "rv64imafdc_zba_sstc"));
}

int main(void)
{
	RUN(test_guest_isa);
	RUN(test_dtb_rtc);
	RUN(test_dtb_syscon);
	RUN(test_dtb_rng_seed);
	UNIT_EXIT();
}
