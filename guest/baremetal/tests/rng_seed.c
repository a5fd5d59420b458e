// SPDX-License-Identifier: BSD-2-Clause
// /chosen/rng-seed: 64 bytes, different after a reboot. Prints a hash of each boot's seed,
// so that a test can also compare the seeds of two machine boots.
#include "dtb.h"
#include "print.h"
#include "sbi.h"
#include "test.h"

#define SEED_MAGIC 0x524e475330303031UL /* "RNGS0001" */

/* Left in free RAM across the reboot, which keeps RAM past the image. */
struct seed_note {
	uint64_t magic;
	uint64_t boot1_failures;
	uint64_t boot1_hash;
	uint32_t boot1_len;
};

extern char __image_end[];

/* FNV-1a, 64-bit: enough to tell seeds apart, and it says nothing useful about them. */
static uint64_t hash(const uint8_t *p, uint32_t len)
{
	uint64_t h = 0xcbf29ce484222325UL;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3UL;
	return h;
}

/* Prints this boot's seed; its length (0: none) and hash in *len and *h. */
static void read_seed(const void *dtb, unsigned boot, uint32_t *len, uint64_t *h)
{
	const uint8_t *seed = dtb_prop(dtb, "chosen", "rng-seed", len);

	if (!seed) {
		*len = 0;
		*h = 0;
		gprintf("rng_seed: boot %u: no /chosen/rng-seed\n", boot);
		return;
	}
	*h = hash(seed, *len);
	gprintf("rng_seed: boot %u: %u bytes, hash %016lx\n", boot, *len, (unsigned long)*h);
	expect_eq(*len, 64, "the seed is 64 bytes");
}

int main(unsigned long hartid, const void *dtb)
{
	volatile struct seed_note *note = (volatile struct seed_note *)__image_end;
	uint32_t len;
	uint64_t h;

	(void)hartid;
	test_start("rng_seed");
	if (note->magic != SEED_MAGIC) {
		read_seed(dtb, 1, &len, &h);
		note->boot1_len = len;
		note->boot1_hash = h;
		note->boot1_failures = test_failures();
		note->magic = SEED_MAGIC;
		sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
		expect(false, "reboot returned");
		test_end();
	}
	note->magic = 0;
	read_seed(dtb, 2, &len, &h);
	expect_eq(note->boot1_failures, 0, "failed checks in boot 1");
	expect_eq(len, note->boot1_len, "both boots have a seed, or neither");
	expect(!len || h != note->boot1_hash, "the reboot brought a fresh seed");
	test_end();
}
