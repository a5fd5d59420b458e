/* SPDX-License-Identifier: BSD-2-Clause */
/* SBI for the guest: the extension registry and the call dispatcher. */
#ifndef VMM_SBI_H
#define VMM_SBI_H

#include "vm.h"

/* SBI error codes (SBI spec v2.0, table 1). */
#define SBI_SUCCESS               0
#define SBI_ERR_FAILED            -1
#define SBI_ERR_NOT_SUPPORTED     -2
#define SBI_ERR_INVALID_PARAM     -3
#define SBI_ERR_DENIED            -4
#define SBI_ERR_INVALID_ADDRESS   -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED   -7
#define SBI_ERR_ALREADY_STOPPED   -8
#define SBI_ERR_NO_SHMEM          -9
#define SBI_ERR_DENIED_LOCKED     -14 /* SBI v3.0 */

/*
 * A handler's NOT_SUPPORTED for a function it serves (a PMU event no counter counts), where
 * SBI_ERR_NOT_SUPPORTED means an unknown function: the guest gets SBI_ERR_NOT_SUPPORTED all
 * the same, but no warning, since asking is how a guest finds out.
 */
#define SBI_ERR_NOT_SUPPORTED_ANSWER -0x100

struct sbi_ret {
	long error;
	long value;
};

/*
 * One SBI extension: `handle` serves function `fid` of extension `eid` for vCPU `v`,
 * with the call's arguments in v->exit->gpr[10..15]. Legacy (v0.1) extensions set
 * `legacy`: only error is returned, in a0.
 */
struct sbi_ext {
	const char *name;
	unsigned long eid_lo, eid_hi;
	int legacy;
	int may_stop; /* may stop, suspend or reset a vCPU, or end the VM (see sbi_serve) */
	struct sbi_ret (*handle)(struct vcpu *v, unsigned long eid, unsigned long fid);
};

/* Registers an extension at link time: no central table to edit. */
#define SBI_EXTENSION(ext) \
	static const struct sbi_ext *const sbi_ext_ptr_##ext \
		__attribute__((section("sbi_exts"), used)) = &ext

/* The extension serving `eid`, or NULL. */
const struct sbi_ext *sbi_find(unsigned long eid);

/*
 * Suspends the calling vCPU until an interrupt (SBI HSM hart_suspend, SUSP system_suspend):
 * it is SUSPENDED while it waits in WFI. Unless retentive it then resumes at `addr` with
 * a0 = its id, a1 = `opaque`, satp = 0 and sstatus.SIE = 0; SBI_ERR_INVALID_ADDRESS when
 * the guest cannot execute at addr.
 */
long sbi_suspend(struct vcpu *v, enum vcpu_suspend kind, unsigned long addr,
		 unsigned long opaque);

/*
 * Serve the SBI call in v's exit page: a7 = eid, a6 = fid, a0..a5 = arguments; writes
 * a0 (and a1 for v0.2+ calls) and steps the pc past the ecall.
 */
void sbi_dispatch(struct vcpu *v);

/*
 * The parts of sbi_dispatch, inline for dv-hw's fast exits (vmm/dv_hw.c), which serve a call
 * without the run loop when its extension cannot stop the vCPU (!may_stop).
 */

/* The error the guest gets, and the warning for an unknown call: out of line, cold. */
long sbi_error(struct vcpu *v, long error);

/* A guest mostly repeats its last call (set_timer, send_ipi): the search is skipped then. */
static inline const struct sbi_ext *sbi_ext_of(struct vcpu *v, unsigned long eid)
{
	const struct sbi_ext *ext = v->sbi_last;

	if (!ext || eid < ext->eid_lo || eid > ext->eid_hi) {
		ext = sbi_find(eid);
		if (ext)
			v->sbi_last = ext;
	}
	return ext;
}

static inline void sbi_serve(struct vcpu *v, const struct sbi_ext *ext)
{
	long error = SBI_ERR_NOT_SUPPORTED, value = 0;
	struct dv_exit *ex;

	if (ext) {
		struct sbi_ret ret = ext->handle(v, v->exit->gpr[17], v->exit->gpr[16]);

		error = ret.error;
		value = ret.value;
	}
	ex = v->exit;
	if (!ext || !ext->legacy)
		ex->gpr[11] = value;
	/* The handlers leave a6 and a7 alone, so the report can read them. */
	ex->gpr[10] = error < 0 ? sbi_error(v, error) : error;
	ex->pc += 4; /* the ecall */
}

#endif
