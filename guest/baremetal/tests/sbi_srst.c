// SPDX-License-Identifier: BSD-2-Clause
// SBI SRST: bad reset types and reasons are refused; a cold reboot boots us again, RAM kept.
#include "dtb.h"
#include "print.h"
#include "sbi.h"
#include "test.h"

#define SRST_MAGIC 0x5352535442303031UL /* "SRSTB001" */

/*
 * Left in free RAM (past the image, its bss and stacks) across the reboot: the reboot
 * reloads the image and the DTB but does not clear the rest of RAM.
 */
struct srst_note {
	uint64_t magic;
	uint64_t boot1_failures;
};

extern char __image_end[];

/*
 * Reserved types and reasons (SBI v2.0 ch. 10): the call must return INVALID_PARAM. Bad
 * reasons go with a shutdown, so that wrongly accepting one ends the run instead of looping.
 */
static void bad_arguments(void)
{
	expect_sbi(sbi_system_reset(3, SBI_SRST_REASON_NONE), SBI_ERR_INVALID_PARAM,
		   "reset type 3");
	expect_sbi(sbi_system_reset(0xefffffff, SBI_SRST_REASON_NONE), SBI_ERR_INVALID_PARAM,
		   "reset type 0xefffffff");
	expect_sbi(sbi_system_reset(SBI_SRST_SHUTDOWN, 2), SBI_ERR_INVALID_PARAM, "reset reason 2");
	expect_sbi(sbi_system_reset(SBI_SRST_SHUTDOWN, 0xdfffffff), SBI_ERR_INVALID_PARAM,
		   "reset reason 0xdfffffff");
	expect_sbi(sbi_ecall(SBI_EXT_SRST, 1, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		   "SRST fid 1");
}

static void first_boot(volatile struct srst_note *note)
{
	struct sbiret r;

	gprintf("sbi_srst: boot 1\n");
	bad_arguments();
	note->boot1_failures = test_failures();
	note->magic = SRST_MAGIC;
	r = sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
	expectf(false, "cold reboot returned: error %ld", r.error);
	note->magic = 0;
}

static void second_boot(volatile struct srst_note *note, unsigned long hartid,
			const void *dtb)
{
	gprintf("sbi_srst: boot 2\n");
	note->magic = 0;
	expect_eq(note->boot1_failures, 0, "failed checks in boot 1");
	expect_eq(hartid, 0, "a0 = hart id 0 after the reboot");
	expect(dtb_valid(dtb), "a1 points at a DTB after the reboot");
}

int main(unsigned long hartid, const void *dtb)
{
	volatile struct srst_note *note = (volatile struct srst_note *)__image_end;

	test_start("sbi_srst");
	if (note->magic == SRST_MAGIC)
		second_boot(note, hartid, dtb);
	else
		first_boot(note);
	test_end();
}
