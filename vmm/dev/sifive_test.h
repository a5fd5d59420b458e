/* SPDX-License-Identifier: BSD-2-Clause */
/* "sifive,test0": the syscon register through which a guest powers off, reboots or fails. */
#ifndef VMM_DEV_SIFIVE_TEST_H
#define VMM_DEV_SIFIVE_TEST_H

#include <stdint.h>

#include "mmio.h"
#include "vm.h"

#define SIFIVE_TEST_WINDOW 0x1000
/* What the low 16 bits of a write to offset 0 ask for; FAIL carries an exit code in 31:16. */
#define SIFIVE_TEST_FAIL     0x3333
#define SIFIVE_TEST_PASS     0x5555 /* power off */
#define SIFIVE_TEST_RESET    0x7777 /* reboot */

struct sifive_test {
	struct vm *vm;
	char why[48]; /* the report of the failure that ended the VM */
	struct mmio_dev dev;
};

/*
 * After this t->dev is ready for mmio_register(). Naturally aligned 2- and 4-byte accesses
 * are taken, others are bus errors. Reads give 0; writes other than the three commands at
 * offset 0 are ignored. The commands end the VM with vm_stop, as SBI SRST does: a failure
 * ends it as crashed with the code in the report.
 */
void sifive_test_init(struct sifive_test *t, uint64_t base, struct vm *vm);

#endif
