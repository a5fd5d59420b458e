// SPDX-License-Identifier: BSD-2-Clause
/* QEMU virt's test device (SiFive test finisher): poweroff, reboot and failure for the guest. */
#include <stdio.h>

#include "sifive_test.h"

static bool access_ok(uint64_t off, unsigned width)
{
	return (width == 2 || width == 4) && off % width == 0;
}

static int test_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	(void)opaque;
	if (!access_ok(off, width))
		return -1;
	*val = 0;
	return 0;
}

static int test_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct sifive_test *t = opaque;

	if (!access_ok(off, width))
		return -1;
	if (off)
		return 0;
	switch (val & 0xffff) {
	case SIFIVE_TEST_PASS:
		vm_stop(t->vm, VM_POWEROFF, "guest test device: poweroff");
		break;
	case SIFIVE_TEST_RESET:
		vm_stop(t->vm, VM_REBOOT, "guest test device: reboot");
		break;
	case SIFIVE_TEST_FAIL:
		/* Not while the VM ends: the report of a failure that ended it names that code. */
		if (__atomic_load_n(&t->vm->end, __ATOMIC_ACQUIRE) == VM_RUNNING)
			snprintf(t->why, sizeof(t->why), "guest test device: fail, code %u",
				 (unsigned)(val >> 16 & 0xffff));
		vm_stop(t->vm, VM_CRASH, t->why);
		break;
	}
	return 0;
}

void sifive_test_init(struct sifive_test *t, uint64_t base, struct vm *vm)
{
	*t = (struct sifive_test){
		.vm = vm,
		.dev = {
			.name = "sifive,test0",
			.base = base,
			.size = SIFIVE_TEST_WINDOW,
			.opaque = t,
			.read = test_read,
			.write = test_write,
		},
	};
}
