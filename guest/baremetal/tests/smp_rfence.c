// SPDX-License-Identifier: BSD-2-Clause
// SBI RFENCE on 4 vCPUs: fences to each and all started harts succeed, stopped ones are refused.
#include "sbi.h"
#include "smp.h"
#include "test.h"

#define NR_HARTS      4
#define ALL_HARTS     (-1UL) /* hart_mask_base: every started hart, mask ignored */
#define BIT(i)        (1UL << (i))
#define RANGE_START   0x80200000UL /* our own text */
#define RANGE_SIZE    0x2000UL
#define ALL_ADDRESSES (~0UL)
#define ASID          1

static void check(struct sbiret r, long error, const char *fence, unsigned long mask,
		  unsigned long base)
{
	expectf(r.error == error, "%s to mask 0x%lx base 0x%lx: error %ld, want %ld", fence, mask,
		base, r.error, error);
}

/* Every remote fence once to the harts named by (mask, base), all wanting `error`. */
static void fences(unsigned long mask, unsigned long base, long error)
{
	check(sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, mask, base, 0, 0, 0, 0), error,
	      "fence_i", mask, base);
	check(sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, mask, base, RANGE_START,
			RANGE_SIZE, 0, 0),
	      error, "sfence_vma of a range", mask, base);
	check(sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, mask, base, 0, ALL_ADDRESSES, 0,
			0),
	      error, "sfence_vma of everything", mask, base);
	check(sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, mask, base, RANGE_START,
			RANGE_SIZE, ASID, 0),
	      error, "sfence_vma_asid of a range", mask, base);
}

/* Secondary: only answers pings, so that hart 0 sees it still running after the fences. */
static void worker(unsigned long hartid, unsigned long opaque, unsigned long entry_pc)
{
	(void)hartid;
	(void)opaque;
	(void)entry_pc;
	while (smp_serve())
		;
}

static void ping_all(unsigned long targets)
{
	for (unsigned long h = 1; h < NR_HARTS; h++)
		if (targets & BIT(h))
			smp_ping(h);
}

static bool start_workers(void)
{
	bool ok = true;

	for (unsigned long h = 1; h < NR_HARTS; h++)
		ok &= expect_sbi(smp_start(h, worker, h), SBI_SUCCESS, "hart_start");
	if (ok)
		ping_all(0xe);
	return ok;
}

int main(unsigned long hartid)
{
	test_start("smp_rfence");
	expect_eq(hartid, 0, "booted on hart 0");
	smp_init(hartid);
	if (!start_workers())
		test_end();

	for (unsigned long h = 1; h < NR_HARTS; h++) {
		fences(BIT(h), 0, SBI_SUCCESS);
		ping_all(BIT(h));
	}
	fences(0xe, 0, SBI_SUCCESS);
	fences(0xf, 0, SBI_SUCCESS);
	fences(0x7, 1, SBI_SUCCESS);
	fences(0, ALL_HARTS, SBI_SUCCESS);
	ping_all(0xe);

	if (smp_stop(3)) {
		fences(0xe, 0, SBI_ERR_INVALID_PARAM);
		fences(BIT(3), 0, SBI_ERR_INVALID_PARAM);
		fences(0x3, 2, SBI_ERR_INVALID_PARAM);
		fences(BIT(NR_HARTS), 0, SBI_ERR_INVALID_PARAM);
		fences(0x1, NR_HARTS, SBI_ERR_INVALID_PARAM);
		fences(0, ALL_HARTS, SBI_SUCCESS);
		ping_all(0x6);
	}
	test_end();
}
