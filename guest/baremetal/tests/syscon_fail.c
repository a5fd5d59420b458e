// SPDX-License-Identifier: BSD-2-Clause
// The test device's failure command: the VM ends as crashed, with the guest's code.
#include "mmio.h"
#include "print.h"
#include "test.h"

#define CODE 42

int main(void)
{
	test_start("syscon_fail");
	gprintf("syscon_fail: failing with code %d\n", CODE);
	mmio_sw(FINISHER_BASE, FINISHER_FAIL | CODE << 16);
	expect(false, "0x3333 did not end the VM");
	test_end();
}
