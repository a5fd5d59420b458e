/* SPDX-License-Identifier: BSD-2-Clause */
/* The SBI unit tests' ecall: a call from a vCPU's exit page through sbi_dispatch, checked. */
#ifndef TESTS_UNIT_SBI_CALL_H
#define TESTS_UNIT_SBI_CALL_H

#include <string.h>

#include "sbi.h"
#include "unit.h"

#define SBI_CALL_PC 0x80001000UL

/*
 * Issues ecall (eid, fid) from vCPU v with a0..a[n-1] = a[0..n-1] (the other argument
 * registers as they were), lets each vCPU take what was posted to it, as its own thread would
 * before it next runs, and checks the pc stepped over the ecall and a2..a7 survived.
 */
static inline void sbi_call(struct vcpu *v, unsigned long eid, unsigned long fid,
			    const uint64_t *a, unsigned n)
{
	struct dv_exit *ex = v->exit;
	uint64_t args[6];

	ex->gpr[17] = eid;
	ex->gpr[16] = fid;
	memcpy(&ex->gpr[10], a, n * sizeof(*a));
	memcpy(args, &ex->gpr[10], sizeof(args));
	ex->pc = SBI_CALL_PC;
	vcpu_current = v;
	sbi_dispatch(v);
	for (unsigned i = 0; i < v->vm->nr_vcpus; i++)
		vcpu_take_posted(&v->vm->vcpu[i]);
	CHECK_EQ(ex->pc, SBI_CALL_PC + 4);
	for (unsigned i = 2; i < 6; i++)
		CHECK_EQ(ex->gpr[10 + i], args[i]);
	CHECK_EQ(ex->gpr[16], fid);
	CHECK_EQ(ex->gpr[17], eid);
}

#endif
