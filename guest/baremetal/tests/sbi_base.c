// SPDX-License-Identifier: BSD-2-Clause
// SBI BASE: versions, extension probing, machine ids, DVDEBUG counting; also the boot protocol.
#include "dtb.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"

#define SPEC_V2_0       0x2000000
#define IMPL_ID_DUVISOR 0x4456
#define RAM_BASE        0x80000000UL
#define RAM_END         0x82003000UL

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct sbiret base(unsigned long fid, unsigned long arg)
{
	return sbi_ecall(SBI_EXT_BASE, fid, arg, 0, 0, 0, 0, 0);
}

/* Linux boot protocol: hart id in a0, DTB in a1 inside RAM, MMU and interrupts off. */
static void check_boot(unsigned long hartid, const void *dtb)
{
	unsigned long d = (unsigned long)dtb;

	expect_eq(hartid, 0, "a0 = hart id 0");
	if (expect(dtb_valid(dtb), "a1 points at a DTB"))
		expectf(d >= RAM_BASE && d + dtb_size(dtb) <= RAM_END,
			"DTB at 0x%lx (+0x%x) lies in RAM", d, dtb_size(dtb));
	expect_eq(csr_read(satp), 0, "entered with satp = 0");
	expect_eq(csr_read(sstatus) & SSTATUS_SIE, 0, "entered with sstatus.SIE = 0");
}

static void check_versions(void)
{
	struct sbiret r;

	r = base(SBI_BASE_GET_SPEC_VERSION, 0);
	expect_eq(r.error, SBI_SUCCESS, "get_spec_version error");
	expect_eq(r.value, SPEC_V2_0, "spec version is 2.0");

	r = base(SBI_BASE_GET_IMPL_ID, 0);
	expect_eq(r.error, SBI_SUCCESS, "get_impl_id error");
	expect_eq(r.value, IMPL_ID_DUVISOR, "impl id");

	r = base(SBI_BASE_GET_IMPL_VERSION, 0);
	expect_eq(r.error, SBI_SUCCESS, "get_impl_version error");
}

static void check_machine_ids(void)
{
	static const unsigned long fids[] = {
		SBI_BASE_GET_MVENDORID, SBI_BASE_GET_MARCHID, SBI_BASE_GET_MIMPID,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(fids); i++)
		expectf(base(fids[i], 0).error == SBI_SUCCESS, "BASE fid %lu fails", fids[i]);
}

static void check_probe(void)
{
	static const unsigned long present[] = {
		SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE, SBI_EXT_HSM,
		SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_PMU, SBI_EXT_SUSP, SBI_EXT_FWFT, SBI_EXT_DVDEBUG,
		SBI_LEGACY_SET_TIMER, SBI_LEGACY_CONSOLE_PUTCHAR, SBI_LEGACY_SHUTDOWN,
	};
	/*
	 * Unoffered standard ones (CPPC, SSE), firmware/experimental/vendor ranges, a reserved
	 * legacy EID.
	 */
	static const unsigned long absent[] = {
		0x43505043, 0x535345, 0x0a000045, 0x08000000, 0x09000000, 0xffffffff, 0x9,
	};
	struct sbiret r;

	for (unsigned i = 0; i < ARRAY_SIZE(present); i++) {
		r = sbi_probe_extension(present[i]);
		expectf(r.error == SBI_SUCCESS && r.value != 0,
			"probe of implemented eid 0x%lx: error %ld value %ld", present[i], r.error,
			r.value);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(absent); i++) {
		r = sbi_probe_extension(absent[i]);
		expectf(r.error == SBI_SUCCESS && r.value == 0,
			"probe of absent eid 0x%lx: error %ld value %ld", absent[i], r.error,
			r.value);
	}
}

/* DVDEBUG counts its own call, so two calls in a row differ by exactly one exit. */
static void check_dvdebug(void)
{
	long a = sbi_dv_exits();
	long b = sbi_dv_exits();

	if (!expect(a > 0, "DVDEBUG returns an exit count"))
		return;
	expect_eq(b - a, 1, "back-to-back DVDEBUG calls differ by one exit");
}

int main(unsigned long hartid, const void *dtb)
{
	test_start("sbi_base");
	check_boot(hartid, dtb);
	check_versions();
	check_machine_ids();
	check_probe();
	check_dvdebug();
	test_end();
}
