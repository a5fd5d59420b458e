// SPDX-License-Identifier: BSD-2-Clause
/* DVDEBUG, our firmware-specific SBI extension: lets benchmarks count exits per operation. */
#include "sbi.h"

/* In the SBI firmware-specific EID range 0x0A000000..0x0AFFFFFF. */
#define SBI_EXT_DVDEBUG 0x0A000044

#define DVDEBUG_EXIT_COUNT 0

/*
 * Every exit of the calling vCPU so far but its reads of cycle and instret, which is how a
 * benchmark reads its clock around the operations it counts exits of; the run loop has
 * already counted this one.
 */
static long dvdebug_exit_count(const struct vcpu *v)
{
	unsigned long sum = 0;
	unsigned i;

	for (i = 0; i < EXIT_NR; i++)
		sum += i == EXIT_COUNTER ? 0 : v->exits[i];
	return sum;
}

static struct sbi_ret dvdebug_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };

	(void)eid;
	if (fid == DVDEBUG_EXIT_COUNT)
		ret.value = dvdebug_exit_count(v);
	else
		ret.error = SBI_ERR_NOT_SUPPORTED;
	return ret;
}

static const struct sbi_ext sbi_dvdebug = {
	.name = "dvdebug",
	.eid_lo = SBI_EXT_DVDEBUG,
	.eid_hi = SBI_EXT_DVDEBUG,
	.handle = dvdebug_handle,
};
SBI_EXTENSION(sbi_dvdebug);
