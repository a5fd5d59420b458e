// SPDX-License-Identifier: BSD-2-Clause
// Unknown SBI extensions and functions: NOT_SUPPORTED every time, and the VM runs on.
#include "sbi.h"
#include "test.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct call {
	unsigned long eid, fid;
};

static const struct call bogus[] = {
	{ 0x12345678, 0 },		/* unassigned */
	{ 0x0a000045, 0 },		/* firmware range, next to DVDEBUG */
	{ 0x0a000000, 0 },		/* firmware range, first */
	{ 0x08000000, 0 },		/* experimental range */
	{ 0x08ffffff, 3 },
	{ 0x09000000, 0 },		/* vendor range */
	{ 0x9, 0 },			/* reserved legacy EIDs */
	{ 0xf, 0 },
	{ 0x43505043, 0 },		/* CPPC: standard, but not offered */
	{ 0xffffffff, 0 },
	{ SBI_EXT_BASE, 7 },		/* known extensions, unknown functions */
	{ SBI_EXT_BASE, 0x7fffffff },
	{ SBI_EXT_TIME, 1 },
	{ SBI_EXT_IPI, 1 },
	{ SBI_EXT_RFENCE, 7 },
	{ SBI_EXT_HSM, 4 },
	{ SBI_EXT_SRST, 1 },
	{ SBI_EXT_DBCN, 3 },
	{ SBI_EXT_PMU, 9 },
	{ SBI_EXT_SUSP, 1 },
	{ SBI_EXT_FWFT, 2 },
	{ SBI_EXT_DVDEBUG, 1 },
	{ SBI_EXT_DVDEBUG, ~0UL },
};

int main(void)
{
	test_start("sbi_bogus");
	for (unsigned i = 0; i < ARRAY_SIZE(bogus); i++) {
		struct sbiret r = sbi_ecall(bogus[i].eid, bogus[i].fid, 1, 2, 3, 4, 5, 6);

		expectf(r.error == SBI_ERR_NOT_SUPPORTED, "eid 0x%lx fid 0x%lx: error %ld",
			bogus[i].eid, bogus[i].fid, r.error);
	}
	/* Still alive and still served. */
	expect_eq(sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0, 0).error,
		  SBI_SUCCESS, "BASE after the bogus calls");
	test_end();
}
