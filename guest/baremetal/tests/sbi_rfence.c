// SPDX-License-Identifier: BSD-2-Clause
// SBI RFENCE: fences to ourselves succeed, bad hart masks are refused, hfence is not offered.
#include "sbi.h"
#include "test.h"

#define ALL_ADDRESSES (~0UL) /* size -1: flush the whole address space */

static struct sbiret rfence(unsigned long fid, unsigned long mask, unsigned long base,
			    unsigned long start, unsigned long size, unsigned long id)
{
	return sbi_ecall(SBI_EXT_RFENCE, fid, mask, base, start, size, id, 0);
}

static void good_fences(void)
{
	expect_sbi(rfence(SBI_RFENCE_FENCE_I, 1, 0, 0, 0, 0), SBI_SUCCESS, "fence_i to hart 0");
	expect_sbi(rfence(SBI_RFENCE_FENCE_I, 0, -1UL, 0, 0, 0), SBI_SUCCESS, "fence_i to all");
	expect_sbi(rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, 0, ALL_ADDRESSES, 0), SBI_SUCCESS,
		   "sfence_vma all to hart 0");
	expect_sbi(rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, 0x80200000, 0x1000, 0), SBI_SUCCESS,
		   "sfence_vma of one page");
	expect_sbi(rfence(SBI_RFENCE_SFENCE_VMA, 0, -1UL, 0, ALL_ADDRESSES, 0), SBI_SUCCESS,
		   "sfence_vma to all");
	expect_sbi(rfence(SBI_RFENCE_SFENCE_VMA_ASID, 1, 0, 0, ALL_ADDRESSES, 0), SBI_SUCCESS,
		   "sfence_vma_asid asid 0");
	expect_sbi(rfence(SBI_RFENCE_SFENCE_VMA_ASID, 1, 0, 0x80200000, 0x1000, 5), SBI_SUCCESS,
		   "sfence_vma_asid of one page, asid 5");
}

static void bad_masks(void)
{
	expect_sbi(rfence(SBI_RFENCE_FENCE_I, 2, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM,
		   "fence_i to hart 1");
	expect_sbi(rfence(SBI_RFENCE_FENCE_I, 1, 7, 0, 0, 0), SBI_ERR_INVALID_PARAM,
		   "fence_i to hart 7 (base 7)");
	expect_sbi(rfence(SBI_RFENCE_SFENCE_VMA, 1UL << 40, 0, 0, ALL_ADDRESSES, 0),
		   SBI_ERR_INVALID_PARAM, "sfence_vma to hart 40");
	expect_sbi(rfence(SBI_RFENCE_SFENCE_VMA_ASID, 1, 1, 0, ALL_ADDRESSES, 0),
		   SBI_ERR_INVALID_PARAM, "sfence_vma_asid to hart 1");
}

/* A guest without the H extension has no use for hfence: all four are NOT_SUPPORTED. */
static void hfences(void)
{
	for (unsigned long fid = SBI_RFENCE_HFENCE_GVMA_VMID; fid <= SBI_RFENCE_HFENCE_VVMA; fid++)
		expectf(rfence(fid, 1, 0, 0, ALL_ADDRESSES, 0).error == SBI_ERR_NOT_SUPPORTED,
			"hfence fid %lu: want NOT_SUPPORTED", fid);
	expect_sbi(rfence(7, 1, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, "fid 7");
}

int main(void)
{
	test_start("sbi_rfence");
	good_fences();
	bad_masks();
	hfences();
	test_end();
}
