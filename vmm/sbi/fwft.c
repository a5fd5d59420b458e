// SPDX-License-Identifier: BSD-2-Clause
/* SBI Firmware Features extension: the hart features a guest may read, set and lock. */
#include "sbi.h"

#define SBI_EXT_FWFT 0x46574654

#define FWFT_SET 0
#define FWFT_GET 1

#define FWFT_SET_FLAG_LOCK 1UL

/* Feature IDs (SBI v3.0 ch. 18); from 6 on, reserved or platform-specific. */
#define FWFT_MISALIGNED_EXC_DELEG 0
#define FWFT_NR_DEFINED           6

/*
 * Misaligned loads and stores never reach the guest as exceptions: QEMU performs them,
 * and on a hart that traps them OpenSBI emulates them in M-mode, since it keeps them out
 * of medeleg (hedeleg, which delegates them on to VS-mode, only matters for those
 * OpenSBI cannot emulate, such as atomics). So delegation is off, and neither medeleg
 * nor hedeleg is the runtime's to change.
 */
#define MISALIGNED_NOT_DELEGATED 0

/*
 * Reserved and platform-specific IDs (we implement none) are DENIED. Of the defined
 * features, LANDING_PAD, SHADOW_STACK, DOUBLE_TRAP, PTE_AD_HW_UPDATING and
 * POINTER_MASKING_PMLEN would each be a henvcfg field for the guest (LPE, SSE, DTE,
 * ADUE, PMM), and henvcfg belongs to the minikernel, which offers no way to set them.
 */
static long fwft_feature(uint32_t feature)
{
	if (feature >= FWFT_NR_DEFINED)
		return SBI_ERR_DENIED;
	/* an answer to a probe, not an unknown call: no warning */
	if (feature != FWFT_MISALIGNED_EXC_DELEG)
		return SBI_ERR_NOT_SUPPORTED_ANSWER;
	return SBI_SUCCESS;
}

/*
 * Setting the value a feature has succeeds (ch. 18); a lock holds until the hart resets.
 * Checked in OpenSBI's and KVM's order: feature, flags, lock, value.
 */
static long fwft_set(struct vcpu *v, uint32_t feature, unsigned long value, unsigned long flags)
{
	long err = fwft_feature(feature);

	if (err)
		return err;
	if (flags & ~FWFT_SET_FLAG_LOCK)
		return SBI_ERR_INVALID_PARAM;
	if (v->fwft_locked & 1U << feature)
		return SBI_ERR_DENIED_LOCKED;
	if (value > 1)
		return SBI_ERR_INVALID_PARAM;
	/* the spec's own example: a hypervisor passing the delegation through denies changes */
	if (value != MISALIGNED_NOT_DELEGATED)
		return SBI_ERR_DENIED;
	if (flags & FWFT_SET_FLAG_LOCK)
		v->fwft_locked |= 1U << feature;
	return SBI_SUCCESS;
}

static struct sbi_ret fwft_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	const uint64_t *a = &v->exit->gpr[10];
	struct sbi_ret ret = { SBI_SUCCESS, 0 };

	(void)eid;
	/* feature is a 32-bit parameter: the spec has us use only the low 32 bits of a0 */
	switch (fid) {
	case FWFT_SET:
		ret.error = fwft_set(v, (uint32_t)a[0], a[1], a[2]);
		break;
	case FWFT_GET:
		ret.error = fwft_feature((uint32_t)a[0]);
		if (!ret.error)
			ret.value = MISALIGNED_NOT_DELEGATED;
		break;
	default:
		ret.error = SBI_ERR_NOT_SUPPORTED;
	}
	return ret;
}

static const struct sbi_ext sbi_fwft = {
	.name = "fwft",
	.eid_lo = SBI_EXT_FWFT,
	.eid_hi = SBI_EXT_FWFT,
	.handle = fwft_handle,
};
SBI_EXTENSION(sbi_fwft);
