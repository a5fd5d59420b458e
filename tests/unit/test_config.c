// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the runtime's VM config parser: the backend a VM asks for, and its defaults. */
#include <libfdt.h>
#include <string.h>

#include "config.h"
#include "unit.h"

static uint64_t dtb[1024];

/* A config with one VM node `name`: memory and vcpus, plus `prop` = `value` unless NULL. */
static int parse(const char *name, const char *prop, const char *value, struct vm_config *c)
{
	fdt32_t size[2] = { 0, cpu_to_fdt32(0x2000000) };

	CHECK_EQ(fdt_create(dtb, sizeof(dtb)), 0);
	CHECK_EQ(fdt_finish_reservemap(dtb), 0);
	CHECK_EQ(fdt_begin_node(dtb, ""), 0);
	CHECK_EQ(fdt_begin_node(dtb, name), 0);
	CHECK_EQ(fdt_property(dtb, "memory-size", size, sizeof(size)), 0);
	if (prop)
		CHECK_EQ(fdt_property_string(dtb, prop, value), 0);
	CHECK_EQ(fdt_end_node(dtb), 0);
	CHECK_EQ(fdt_end_node(dtb), 0);
	CHECK_EQ(fdt_finish(dtb), 0);
	memset(c, 0, sizeof(*c));
	return vm_config_parse(dtb, vm_config_node(dtb, 0), c);
}

static void test_backend_default(void)
{
	struct vm_config c;

	CHECK_EQ(parse("vm", NULL, NULL, &c), 0);
	CHECK(!strcmp(c.backend, "dv-sw"));
	CHECK_EQ(c.ram_size, 0x2000000);
	CHECK_EQ(c.nr_vcpus, 1);
	CHECK(c.name == NULL);
}

static void test_backend_named(void)
{
	struct vm_config c;

	CHECK_EQ(parse("vm@alpha", "backend", "dv-hw", &c), 0);
	CHECK(!strcmp(c.backend, "dv-hw"));
	CHECK(c.name && !strcmp(c.name, "alpha"));
	CHECK_EQ(parse("vm", "backend", "dv-sw", &c), 0);
	CHECK(!strcmp(c.backend, "dv-sw"));
}

/* Only the two names: no other spelling, case or prefix of one, nor an empty string. */
static void test_backend_refused(void)
{
	static const char *const bad[] = { "dv-xx", "DV-HW", "dv-h", "dv-hw ", "hw", "" };
	struct vm_config c;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(parse("vm", "backend", bad[i], &c), -1);
}

/* The policies next to it are still checked. */
static void test_policies(void)
{
	struct vm_config c;

	CHECK_EQ(parse("vm", "on-crash", "restart", &c), 0);
	CHECK_EQ(parse("vm", "on-poweroff", "reboot", &c), -1);
}

int main(void)
{
	RUN(test_backend_default);
	RUN(test_backend_named);
	RUN(test_backend_refused);
	RUN(test_policies);
	UNIT_EXIT();
}
