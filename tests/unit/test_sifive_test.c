// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the sifive,test0 model: which writes end the VM, and how. */
#include <string.h>

#include "dev_access.h"
#include "fake_dv.h"
#include "sifive_test.h"

#define BASE 0x100000ULL

static struct vm vm;
static struct dv_exit ex;
static struct sifive_test t;

static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	memset(&ex, 0, sizeof(ex));
	fake_dv_reset();
	vm.nr_vcpus = 1;
	vm.vcpu[0].vm = &vm;
	vm.vcpu[0].exit = &ex;
	sifive_test_init(&t, BASE, &vm);
}

static void expect_end(int end, const char *why)
{
	CHECK_EQ(vm.end, end);
	CHECK(vm.end_why && !strcmp(vm.end_why, why));
}

static void test_finisher_init(void)
{
	setup();
	CHECK_EQ(t.dev.base, BASE);
	CHECK_EQ(t.dev.size, 0x1000);
	CHECK(t.dev.opaque == &t);
	CHECK(t.dev.read && t.dev.write);
	CHECK_EQ(dev_read32(&t.dev, 0), 0);
	CHECK_EQ(vm.end, VM_RUNNING);
}

static void test_finisher_poweroff(void)
{
	setup();
	dev_write32(&t.dev, 0, 0x5555);
	expect_end(VM_POWEROFF, "guest test device: poweroff");
	/* 16 bits are enough, and bits 31:16 do not matter for it. */
	setup();
	CHECK_EQ(dev_write(&t.dev, 0, 2, 0x5555), 0);
	expect_end(VM_POWEROFF, "guest test device: poweroff");
	setup();
	dev_write32(&t.dev, 0, 0xabcd5555);
	expect_end(VM_POWEROFF, "guest test device: poweroff");
}

static void test_finisher_reboot(void)
{
	setup();
	dev_write32(&t.dev, 0, 0x7777);
	expect_end(VM_REBOOT, "guest test device: reboot");
	/* What ended the VM first stands. */
	dev_write32(&t.dev, 0, 0x5555);
	expect_end(VM_REBOOT, "guest test device: reboot");
}

static void test_finisher_fail_code(void)
{
	setup();
	dev_write32(&t.dev, 0, 0x3333 | 42 << 16);
	expect_end(VM_CRASH, "guest test device: fail, code 42");
	/* A second failure while the VM ends does not rewrite the first one's report. */
	dev_write32(&t.dev, 0, 0x3333 | 7 << 16);
	expect_end(VM_CRASH, "guest test device: fail, code 42");
	setup();
	dev_write32(&t.dev, 0, 0xffff3333);
	expect_end(VM_CRASH, "guest test device: fail, code 65535");
	setup();
	CHECK_EQ(dev_write(&t.dev, 0, 2, 0x3333), 0);
	expect_end(VM_CRASH, "guest test device: fail, code 0");
	/* After a reboot the next failure reports its own code. */
	vm.end = VM_RUNNING;
	dev_write32(&t.dev, 0, 0x3333 | 9 << 16);
	expect_end(VM_CRASH, "guest test device: fail, code 9");
}

/* Other values, other offsets and refused accesses leave the VM running. */
static void test_finisher_ignored(void)
{
	static const uint32_t values[] = { 0, 1, 0x1234, 0x5554, 0x7776, 0x3334, 0x55550000 };
	uint64_t val;

	setup();
	for (unsigned i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		dev_write32(&t.dev, 0, values[i]);
	dev_write32(&t.dev, 4, 0x5555);
	dev_write32(&t.dev, 0xffc, 0x7777);
	CHECK_EQ(dev_write(&t.dev, 2, 2, 0x5555), 0);
	CHECK_EQ(dev_write(&t.dev, 0, 1, 0x55), -1);
	CHECK_EQ(dev_write(&t.dev, 0, 8, 0x5555), -1);
	CHECK_EQ(dev_write(&t.dev, 1, 2, 0x5555), -1);
	CHECK_EQ(dev_write(&t.dev, 2, 4, 0x5555), -1);
	CHECK_EQ(dev_read(&t.dev, 0, 1, &val), -1);
	CHECK_EQ(dev_read(&t.dev, 0, 8, &val), -1);
	CHECK_EQ(dev_read(&t.dev, 6, 4, &val), -1);
	CHECK_EQ(val, 0xdeadbeefdeadbeefULL);
	CHECK_EQ(dev_read(&t.dev, 2, 2, &val), 0);
	CHECK_EQ(val, 0);
	CHECK_EQ(dev_read32(&t.dev, 0x10), 0);
	CHECK_EQ(vm.end, VM_RUNNING);
	CHECK(vm.end_why == NULL);
}

int main(void)
{
	RUN(test_finisher_init);
	RUN(test_finisher_poweroff);
	RUN(test_finisher_reboot);
	RUN(test_finisher_fail_code);
	RUN(test_finisher_ignored);
	UNIT_EXIT();
}
