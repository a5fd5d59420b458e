// SPDX-License-Identifier: BSD-2-Clause
/* SBI Base extension: versions, implementation identity and extension probing. */
#include "sbi.h"

#define SBI_EXT_BASE 0x10

#define BASE_GET_SPEC_VERSION 0
#define BASE_GET_IMPL_ID      1
#define BASE_GET_IMPL_VERSION 2
#define BASE_PROBE_EXTENSION  3
#define BASE_GET_MVENDORID    4
#define BASE_GET_MARCHID      5
#define BASE_GET_MIMPID       6

/* Major in bits 30:24, minor in 23:0. */
#define SBI_SPEC_VERSION ((2UL << 24) | 0)
/* "DV": not in the spec's table of registered implementation ids. */
#define SBI_IMPL_ID      0x4456
#define SBI_IMPL_VERSION 1

static struct sbi_ret base_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };

	(void)eid;
	switch (fid) {
	case BASE_GET_SPEC_VERSION:
		ret.value = SBI_SPEC_VERSION;
		break;
	case BASE_GET_IMPL_ID:
		ret.value = SBI_IMPL_ID;
		break;
	case BASE_GET_IMPL_VERSION:
		ret.value = SBI_IMPL_VERSION;
		break;
	case BASE_PROBE_EXTENSION:
		ret.value = sbi_find(v->exit->gpr[10]) != NULL;
		break;
	/* 0 is always a legal value of these CSRs, and it hides the host's identity. */
	case BASE_GET_MVENDORID:
	case BASE_GET_MARCHID:
	case BASE_GET_MIMPID:
		break;
	default:
		ret.error = SBI_ERR_NOT_SUPPORTED;
	}
	return ret;
}

static const struct sbi_ext sbi_base = {
	.name = "base",
	.eid_lo = SBI_EXT_BASE,
	.eid_hi = SBI_EXT_BASE,
	.handle = base_handle,
};
SBI_EXTENSION(sbi_base);
