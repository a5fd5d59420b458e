// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests of the guest SBI: the dispatcher and every extension, including their error paths. */
#include <stdlib.h>
#include <string.h>

#include "fake_dv.h"
#include "sbi_call.h"

#define EXT_BASE    0x10UL
#define EXT_TIME    0x54494D45UL
#define EXT_IPI     0x735049UL
#define EXT_RFENCE  0x52464E43UL
#define EXT_HSM     0x48534DUL
#define EXT_SRST    0x53525354UL
#define EXT_DBCN    0x4442434EUL
#define EXT_SUSP    0x53555350UL
#define EXT_FWFT    0x46574654UL
#define EXT_DVDEBUG 0x0A000044UL

#define RAM_GPA  0x80000000UL
#define RAM_SIZE 0x10000UL

#define ERR(x)   ((uint64_t)(long)(x))
#define A1_MARK  0x5a5a5a5a5a5a5a5aUL

struct env {
	struct vm vm;
	struct dv_exit ex[DV_MAX_VCPUS];
};

/* A VM of `n` vCPUs, vCPU 0 started and the others stopped, with zeroed RAM. */
static void env_init(struct env *e, unsigned n)
{
	unsigned i;

	memset(e, 0, sizeof(*e));
	fake_dv_reset();
	e->vm.id = 1;
	e->vm.nr_vcpus = n;
	e->vm.ram_gpa = RAM_GPA;
	e->vm.ram_size = RAM_SIZE;
	e->vm.ram = calloc(1, RAM_SIZE);
	e->vm.timebase_hz = 10000000;
	for (i = 0; i < n; i++) {
		e->vm.vcpu[i].id = i;
		e->vm.vcpu[i].vm = &e->vm;
		e->vm.vcpu[i].exit = &e->ex[i];
		e->vm.vcpu[i].state = i ? VCPU_STOPPED : VCPU_STARTED;
	}
}

static void env_done(struct env *e)
{
	free(e->vm.ram);
}

/* ecall (eid, fid, a0..a2) from vCPU v, with a1 preset to A1_MARK where the call has none. */
static void ecall3(struct vcpu *v, unsigned long eid, unsigned long fid, unsigned long a0,
		   unsigned long a1, unsigned long a2)
{
	sbi_call(v, eid, fid, (const uint64_t[]){ a0, a1, a2 }, 3);
}

static void ecall(struct vcpu *v, unsigned long eid, unsigned long fid, unsigned long a0)
{
	ecall3(v, eid, fid, a0, A1_MARK, 0);
}

static void check_ret(const struct vcpu *v, long error, long value)
{
	CHECK_EQ(v->exit->gpr[10], ERR(error));
	CHECK_EQ(v->exit->gpr[11], ERR(value));
}

/* Legacy calls return in a0 only. */
static void check_legacy_ret(const struct vcpu *v, long a0)
{
	CHECK_EQ(v->exit->gpr[10], ERR(a0));
	CHECK_EQ(v->exit->gpr[11], A1_MARK);
}

static void t_sbi_find(void)
{
	static const unsigned long served[] = { EXT_BASE, EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM,
						EXT_SRST, EXT_DBCN, EXT_SUSP, EXT_FWFT,
						EXT_DVDEBUG };
	const struct sbi_ext *ext;
	unsigned long eid;
	unsigned i;

	for (i = 0; i < sizeof(served) / sizeof(served[0]); i++) {
		ext = sbi_find(served[i]);
		CHECK(ext != NULL);
		if (ext) {
			CHECK(ext->eid_lo <= served[i] && served[i] <= ext->eid_hi);
			CHECK_EQ(ext->legacy, 0);
		}
	}
	for (eid = 0; eid <= 8; eid++) {
		ext = sbi_find(eid);
		CHECK(ext != NULL && ext->legacy);
	}
	CHECK(sbi_find(0x09) == NULL);
	CHECK(sbi_find(0x0F) == NULL);
	CHECK(sbi_find(0x4442434F) == NULL);
	CHECK(sbi_find(EXT_DVDEBUG + 1) == NULL);
	CHECK(sbi_find(0x10UL | (1UL << 32)) == NULL);
}

static void t_sbi_unknown_eid(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[1];
	ecall(v, 0x12345678, 0, 7);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	/* a reserved legacy EID is not a legacy call: a1 is written too */
	ecall(v, 0x09, 0, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	/* the experimental range */
	ecall(v, 0x08000000, 0, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	env_done(&e);
}

static void t_sbi_base(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	ecall(v, EXT_BASE, 0, 0);
	check_ret(v, 0, 0x2000000);
	ecall(v, EXT_BASE, 1, 0);
	check_ret(v, 0, 0x4456);
	ecall(v, EXT_BASE, 2, 0);
	check_ret(v, 0, 1);
	ecall(v, EXT_BASE, 3, EXT_TIME);
	check_ret(v, 0, 1);
	ecall(v, EXT_BASE, 3, EXT_DVDEBUG);
	check_ret(v, 0, 1);
	ecall(v, EXT_BASE, 3, EXT_SUSP);
	check_ret(v, 0, 1);
	ecall(v, EXT_BASE, 3, EXT_FWFT);
	check_ret(v, 0, 1);
	ecall(v, EXT_BASE, 3, 0x01);
	check_ret(v, 0, 1);
	ecall(v, EXT_BASE, 3, 0x12345);
	check_ret(v, 0, 0);
	ecall(v, EXT_BASE, 3, 0x504D55); /* PMU (test_pmu.c) */
	check_ret(v, 0, 1);
	ecall(v, EXT_BASE, 4, 0);
	check_ret(v, 0, 0);
	ecall(v, EXT_BASE, 5, 0);
	check_ret(v, 0, 0);
	ecall(v, EXT_BASE, 6, 0);
	check_ret(v, 0, 0);
	ecall(v, EXT_BASE, 7, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	env_done(&e);
}

static void t_sbi_time(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	v->exit->hvip = DV_HVIP_VSTIP | DV_HVIP_VSSIP;
	ecall(v, EXT_TIME, 0, 0x123456789UL);
	check_ret(v, 0, 0);
	CHECK_EQ(v->exit->timer, 0x123456789UL);
	CHECK_EQ(v->exit->req, DV_REQ_TIMER);
	CHECK_EQ(v->exit->hvip, DV_HVIP_VSSIP);
	CHECK_EQ(e.ex[1].req, 0);
	v->exit->req = 0;
	ecall(v, EXT_TIME, 1, 5);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	CHECK_EQ(v->exit->req, 0);
	CHECK_EQ(v->exit->timer, 0x123456789UL);
	env_done(&e);
}

static struct vcpu *started;
static bool start_fails;

static int fake_start_vcpu(struct vcpu *v)
{
	started = v;
	return start_fails ? -1 : 0;
}

static uint64_t vssip(const struct env *e, unsigned i)
{
	return e->ex[i].hvip & DV_HVIP_VSSIP;
}

static void clear_hvip(struct env *e)
{
	unsigned i;

	for (i = 0; i < DV_MAX_VCPUS; i++)
		e->ex[i].hvip = 0;
}

/* 4 vCPUs: 0..2 started, 3 stopped. */
static void env_init_ipi(struct env *e)
{
	env_init(e, 4);
	e->vm.vcpu[1].state = VCPU_STARTED;
	e->vm.vcpu[2].state = VCPU_STARTED;
}

static void t_sbi_ipi(void)
{
	struct env e;
	struct vcpu *v;

	env_init_ipi(&e);
	v = &e.vm.vcpu[0];
	fake_dv.kicks = 0;
	ecall3(v, EXT_IPI, 0, 0x3, 0, 0);
	check_ret(v, 0, 0);
	CHECK(vssip(&e, 0) && vssip(&e, 1) && !vssip(&e, 2) && !vssip(&e, 3));
	CHECK_EQ(e.ex[1].hvip, DV_HVIP_VSSIP);
	/* the other vCPU's hart is interrupted so that it sees the IPI; the caller's is not */
	CHECK_EQ(fake_dv.kicks, 1);
	CHECK_EQ(fake_dv.last_kick, 1);

	clear_hvip(&e);
	ecall3(v, EXT_IPI, 0, 0x1, 2, 0);
	check_ret(v, 0, 0);
	CHECK(!vssip(&e, 0) && !vssip(&e, 1) && vssip(&e, 2) && !vssip(&e, 3));

	/* base -1: every started vCPU, whatever the mask says */
	clear_hvip(&e);
	ecall3(v, EXT_IPI, 0, 0, -1UL, 0);
	check_ret(v, 0, 0);
	CHECK(vssip(&e, 0) && vssip(&e, 1) && vssip(&e, 2) && !vssip(&e, 3));

	/* an empty mask names nobody */
	clear_hvip(&e);
	ecall3(v, EXT_IPI, 0, 0, 1, 0);
	check_ret(v, 0, 0);
	CHECK(!vssip(&e, 0) && !vssip(&e, 1) && !vssip(&e, 2));
	env_done(&e);
}

static void t_sbi_ipi_errors(void)
{
	static const unsigned long bad[][2] = {
		{ 0x9, 0 },          /* vCPU 3 is stopped: vCPU 0 must not get it either */
		{ 0x11, 0 },         /* vCPU 4 does not exist */
		{ 0x1, 4 },          /* base past the last vCPU */
		{ 0, 4 },            /* ... even with an empty mask */
		{ 1UL << 63, 1 },    /* a bit that would shift out of the word */
		{ 0x3, 2 },          /* base 2: vCPUs 2 and 3 */
		{ 0x1, -2UL },
	};
	struct env e;
	struct vcpu *v;
	unsigned i;

	env_init_ipi(&e);
	v = &e.vm.vcpu[1];
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ecall3(v, EXT_IPI, 0, bad[i][0], bad[i][1], 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
		CHECK(!vssip(&e, 0) && !vssip(&e, 1) && !vssip(&e, 2) && !vssip(&e, 3));
	}
	ecall3(v, EXT_IPI, 1, 0x1, 0, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	CHECK(!vssip(&e, 0));
	env_done(&e);
}

/* A suspended vCPU can be sent an IPI (it is what wakes it); start-pending ones cannot. */
static void t_sbi_ipi_suspended(void)
{
	struct env e;
	struct vcpu *v;

	env_init_ipi(&e);
	v = &e.vm.vcpu[0];
	e.vm.vcpu[3].state = VCPU_SUSPENDED;
	ecall3(v, EXT_IPI, 0, 0x8, 0, 0);
	check_ret(v, 0, 0);
	CHECK(vssip(&e, 3));
	e.vm.vcpu[3].state = VCPU_START_PENDING;
	clear_hvip(&e);
	ecall3(v, EXT_IPI, 0, 0x8, 0, 0);
	check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	CHECK(!vssip(&e, 3));
	env_done(&e);
}

static void clear_req(struct env *e)
{
	unsigned i;

	for (i = 0; i < DV_MAX_VCPUS; i++)
		e->ex[i].req = 0;
}

static void t_sbi_rfence(void)
{
	struct env e;
	struct vcpu *v;
	unsigned long fid;

	env_init_ipi(&e);
	v = &e.vm.vcpu[0];
	ecall3(v, EXT_RFENCE, 0, 0x6, 0, 0);
	check_ret(v, 0, 0);
	CHECK_EQ(e.ex[0].req, 0);
	CHECK_EQ(e.ex[1].req, DV_REQ_FENCE_I);
	CHECK_EQ(e.ex[2].req, DV_REQ_FENCE_I);
	CHECK_EQ(e.ex[3].req, 0);

	for (fid = 1; fid <= 2; fid++) {
		clear_req(&e);
		v->exit->gpr[13] = 0x1000;
		v->exit->gpr[14] = 7;
		ecall3(v, EXT_RFENCE, fid, 0x1, 1, 0x80000000UL);
		check_ret(v, 0, 0);
		CHECK_EQ(v->exit->gpr[13], 0x1000);
		CHECK_EQ(v->exit->gpr[14], 7);
		CHECK_EQ(e.ex[0].req, 0);
		CHECK_EQ(e.ex[1].req, DV_REQ_FENCE_VVMA);
		CHECK_EQ(e.ex[2].req, 0);
	}

	/* base -1 includes the caller and skips the stopped vCPU */
	clear_req(&e);
	ecall3(v, EXT_RFENCE, 1, 0, -1UL, 0);
	check_ret(v, 0, 0);
	CHECK_EQ(e.ex[0].req, DV_REQ_FENCE_VVMA);
	CHECK_EQ(e.ex[2].req, DV_REQ_FENCE_VVMA);
	CHECK_EQ(e.ex[3].req, 0);
	env_done(&e);
}

static void t_sbi_rfence_errors(void)
{
	struct env e;
	struct vcpu *v;
	unsigned long fid;

	env_init_ipi(&e);
	v = &e.vm.vcpu[0];
	for (fid = 0; fid <= 2; fid++) {
		ecall3(v, EXT_RFENCE, fid, 0xb, 0, 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
		ecall3(v, EXT_RFENCE, fid, 0x1, 9, 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	}
	/* the HFENCE variants, and past the end */
	for (fid = 3; fid <= 7; fid++) {
		ecall3(v, EXT_RFENCE, fid, 0x1, 0, 0);
		check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	}
	CHECK_EQ(e.ex[0].req, 0);
	CHECK_EQ(e.ex[1].req, 0);
	CHECK_EQ(e.ex[3].req, 0);
	env_done(&e);
}

static void t_sbi_hsm_start_stop(void)
{
	struct env e;
	struct vcpu *v, *t;

	env_init(&e, 3);
	v = &e.vm.vcpu[0];
	t = &e.vm.vcpu[2];
	ecall3(v, EXT_HSM, 2, 2, 0, 0);
	check_ret(v, 0, VCPU_STOPPED);
	ecall3(v, EXT_HSM, 0, 2, RAM_GPA + 0x2000, 0xabcdef);
	check_ret(v, 0, 0);
	CHECK_EQ(t->state, VCPU_START_PENDING);
	CHECK_EQ(t->start_pc, RAM_GPA + 0x2000);
	CHECK_EQ(t->start_arg, 0xabcdef);
	ecall3(v, EXT_HSM, 2, 2, 0, 0);
	check_ret(v, 0, VCPU_START_PENDING);

	/* start-pending and started vCPUs are already available */
	ecall3(v, EXT_HSM, 0, 2, RAM_GPA, 1);
	check_ret(v, SBI_ERR_ALREADY_AVAILABLE, 0);
	CHECK_EQ(t->start_pc, RAM_GPA + 0x2000);
	t->state = VCPU_STARTED;
	ecall3(v, EXT_HSM, 0, 2, RAM_GPA, 1);
	check_ret(v, SBI_ERR_ALREADY_AVAILABLE, 0);
	ecall3(v, EXT_HSM, 0, 0, RAM_GPA, 1);
	check_ret(v, SBI_ERR_ALREADY_AVAILABLE, 0);
	ecall3(v, EXT_HSM, 2, 2, 0, 0);
	check_ret(v, 0, VCPU_STARTED);

	/* the target stops itself: STOP_PENDING until its thread has left its hart */
	ecall3(t, EXT_HSM, 1, 0, 0, 0);
	check_ret(t, 0, 0);
	CHECK_EQ(t->state, VCPU_STOP_PENDING);
	CHECK_EQ(v->state, VCPU_STARTED);
	ecall3(v, EXT_HSM, 2, 2, 0, 0);
	check_ret(v, 0, VCPU_STOP_PENDING);
	ecall3(v, EXT_HSM, 0, 2, RAM_GPA, 1);
	check_ret(v, SBI_ERR_ALREADY_AVAILABLE, 0);
	vcpu_set_state(t, VCPU_STOPPED);
	ecall3(v, EXT_HSM, 2, 2, 0, 0);
	check_ret(v, 0, VCPU_STOPPED);

	/* then it can be started again, and its thread is started */
	e.vm.start_vcpu = fake_start_vcpu;
	started = NULL;
	ecall3(v, EXT_HSM, 0, 2, RAM_GPA + RAM_SIZE - 2, 5);
	check_ret(v, 0, 0);
	CHECK_EQ(t->state, VCPU_START_PENDING);
	CHECK_EQ(t->start_pc, RAM_GPA + RAM_SIZE - 2);
	CHECK_EQ(t->start_arg, 5);
	CHECK(started == t);

	/* a hart that cannot be started fails the call and leaves the vCPU stopped */
	vcpu_set_state(t, VCPU_STOPPED);
	start_fails = true;
	ecall3(v, EXT_HSM, 0, 2, RAM_GPA, 1);
	check_ret(v, SBI_ERR_FAILED, 0);
	CHECK_EQ(t->state, VCPU_STOPPED);
	start_fails = false;
	env_done(&e);
}

static void t_sbi_hsm_errors(void)
{
	struct env e;
	struct vcpu *v, *t;

	env_init(&e, 3);
	v = &e.vm.vcpu[0];
	t = &e.vm.vcpu[1];
	ecall3(v, EXT_HSM, 0, 3, RAM_GPA, 0);
	check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	ecall3(v, EXT_HSM, 0, -1UL, RAM_GPA, 0);
	check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	ecall3(v, EXT_HSM, 0, 1, RAM_GPA - 2, 0);
	check_ret(v, SBI_ERR_INVALID_ADDRESS, 0);
	ecall3(v, EXT_HSM, 0, 1, RAM_GPA + RAM_SIZE - 1, 0);
	check_ret(v, SBI_ERR_INVALID_ADDRESS, 0);
	ecall3(v, EXT_HSM, 0, 1, 0, 0);
	check_ret(v, SBI_ERR_INVALID_ADDRESS, 0);
	CHECK_EQ(t->state, VCPU_STOPPED);
	CHECK_EQ(t->start_pc, 0);
	ecall3(v, EXT_HSM, 2, 3, 0, 0);
	check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	ecall3(v, EXT_HSM, 2, 1UL << 32, 0, 0);
	check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	ecall3(v, EXT_HSM, 4, 0, 0, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	CHECK_EQ(v->state, VCPU_STARTED);
	env_done(&e);
}

static void t_sbi_hsm_suspend(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	/* retentive: SUSPENDED to the others while it waits, resuming where it was */
	ecall3(v, EXT_HSM, 3, 0, 0, 0);
	check_ret(v, 0, 0);
	CHECK_EQ(v->exit->req, DV_REQ_WFI);
	CHECK_EQ(v->state, VCPU_SUSPENDED);
	CHECK_EQ(v->suspend, SUSPEND_RETENTIVE);

	/* only the low 32 bits of suspend_type count */
	v->exit->req = 0;
	vcpu_set_state(v, VCPU_STARTED);
	ecall3(v, EXT_HSM, 3, 1UL << 32, 0, 0);
	check_ret(v, 0, 0);
	CHECK_EQ(v->exit->req, DV_REQ_WFI);
	CHECK_EQ(v->state, VCPU_SUSPENDED);
	CHECK_EQ(v->suspend, SUSPEND_RETENTIVE);
	vcpu_set_state(v, VCPU_STARTED);

	v->exit->req = 0;
	ecall3(v, EXT_HSM, 3, 0x80000000UL, RAM_GPA + 0x400, 0x77);
	check_ret(v, 0, 0);
	CHECK_EQ(v->exit->req, DV_REQ_WFI);
	CHECK_EQ(v->state, VCPU_SUSPENDED);
	CHECK_EQ(v->suspend, SUSPEND_NON_RETENTIVE);
	CHECK_EQ(v->start_pc, RAM_GPA + 0x400);
	CHECK_EQ(v->start_arg, 0x77);
	ecall3(&e.vm.vcpu[1], EXT_HSM, 2, 0, 0, 0);
	check_ret(&e.vm.vcpu[1], 0, VCPU_SUSPENDED);
	env_done(&e);
}

static void t_sbi_hsm_suspend_errors(void)
{
	static const unsigned long bad[] = {
		0x00000001, 0x0FFFFFFF,	/* reserved retentive */
		0x10000000, 0x7FFFFFFF,	/* platform-specific retentive, none implemented */
		0x80000001, 0x8FFFFFFF,	/* reserved non-retentive */
		0x90000000, 0xFFFFFFFF,	/* platform-specific non-retentive, none implemented */
	};
	struct env e;
	struct vcpu *v;
	unsigned i;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ecall3(v, EXT_HSM, 3, bad[i], RAM_GPA, 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	}
	ecall3(v, EXT_HSM, 3, 0x80000000UL, RAM_GPA + RAM_SIZE, 0x77);
	check_ret(v, SBI_ERR_INVALID_ADDRESS, 0);
	CHECK_EQ(v->exit->req, 0);
	CHECK_EQ(v->state, VCPU_STARTED);
	CHECK_EQ(v->start_pc, 0);
	env_done(&e);
}

/* Suspend to RAM from any vCPU while the others are stopped: a system suspend at resume_addr. */
static void t_sbi_susp(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 3);
	v = &e.vm.vcpu[0];
	ecall3(v, EXT_SUSP, 0, 0, RAM_GPA + 0x400, 0x77);
	check_ret(v, 0, 0);
	CHECK_EQ(v->exit->req, DV_REQ_WFI);
	CHECK_EQ(v->state, VCPU_SUSPENDED);
	CHECK_EQ(v->suspend, SUSPEND_SYSTEM);
	CHECK_EQ(v->start_pc, RAM_GPA + 0x400);
	CHECK_EQ(v->start_arg, 0x77);

	/* only the low 32 bits of sleep_type count; the last RVC slot of RAM is an entry */
	v->exit->req = 0;
	vcpu_set_state(v, VCPU_STOPPED);
	v = &e.vm.vcpu[2];
	v->state = VCPU_STARTED;
	ecall3(v, EXT_SUSP, 0, 1UL << 32, RAM_GPA + RAM_SIZE - 2, -1UL);
	check_ret(v, 0, 0);
	CHECK_EQ(v->exit->req, DV_REQ_WFI);
	CHECK_EQ(v->state, VCPU_SUSPENDED);
	CHECK_EQ(v->suspend, SUSPEND_SYSTEM);
	CHECK_EQ(v->start_pc, RAM_GPA + RAM_SIZE - 2);
	CHECK_EQ(v->start_arg, -1UL);
	CHECK_EQ(e.ex[0].req | e.ex[1].req, 0);
	env_done(&e);
}

/* A refused suspend leaves the caller running where it was, nothing requested. */
static void check_not_suspended(const struct vcpu *v)
{
	CHECK_EQ(v->state, VCPU_STARTED);
	CHECK_EQ(v->exit->req, 0);
	CHECK_EQ(v->start_pc, 0);
	CHECK_EQ(v->start_arg, 0);
}

static void t_sbi_susp_errors(void)
{
	static const unsigned long bad_types[] = {
		0x00000001, 0x7FFFFFFF, /* reserved */
		0x80000000, 0xFFFFFFFF, /* platform-specific: none implemented */
	};
	static const int alive[] = { VCPU_STARTED, VCPU_SUSPENDED, VCPU_START_PENDING,
				     VCPU_STOP_PENDING };
	static const unsigned long bad_addrs[] = { 0, RAM_GPA - 2, RAM_GPA + RAM_SIZE - 1,
						   RAM_GPA + RAM_SIZE, -1UL };
	struct env e;
	struct vcpu *v;
	unsigned i;

	env_init(&e, 4);
	v = &e.vm.vcpu[1];
	v->state = VCPU_STARTED;
	e.vm.vcpu[0].state = VCPU_STOPPED;
	/* the type is checked first: vCPU 3 being alive does not matter yet */
	e.vm.vcpu[3].state = VCPU_STARTED;
	for (i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		ecall3(v, EXT_SUSP, 0, bad_types[i], RAM_GPA, 0x77);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	}
	/* any other vCPU not STOPPED denies it, before the address is looked at */
	for (i = 0; i < sizeof(alive) / sizeof(alive[0]); i++) {
		e.vm.vcpu[3].state = alive[i];
		ecall3(v, EXT_SUSP, 0, 0, RAM_GPA, 0x77);
		check_ret(v, SBI_ERR_DENIED, 0);
		ecall3(v, EXT_SUSP, 0, 0, 0, 0x77);
		check_ret(v, SBI_ERR_DENIED, 0);
		CHECK_EQ(e.vm.vcpu[3].state, alive[i]);
	}
	e.vm.vcpu[3].state = VCPU_STOPPED;
	for (i = 0; i < sizeof(bad_addrs) / sizeof(bad_addrs[0]); i++) {
		ecall3(v, EXT_SUSP, 0, 0, bad_addrs[i], 0x77);
		check_ret(v, SBI_ERR_INVALID_ADDRESS, 0);
	}
	ecall3(v, EXT_SUSP, 1, 0, RAM_GPA, 0x77);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	check_not_suspended(v);
	env_done(&e);
}

#define FWFT_SET 0
#define FWFT_GET 1
#define FWFT_LOCK 1UL

static void fwft_set(struct vcpu *v, unsigned long feature, unsigned long value,
		     unsigned long flags, long error)
{
	ecall3(v, EXT_FWFT, FWFT_SET, feature, value, flags);
	check_ret(v, error, 0);
}

static void fwft_get(struct vcpu *v, unsigned long feature, long error)
{
	ecall(v, EXT_FWFT, FWFT_GET, feature);
	check_ret(v, error, 0);
}

/* Every defined, reserved and platform-specific feature ID, got and set. */
static void t_sbi_fwft_features(void)
{
	static const unsigned long reserved[] = {
		6, 0x3FFFFFFF,          /* local, reserved */
		0x40000000, 0x7FFFFFFF, /* local, platform-specific: none implemented */
		0x80000000, 0xBFFFFFFF, /* global, reserved */
		0xC0000000, 0xFFFFFFFF, /* global, platform-specific: none implemented */
	};
	struct env e;
	struct vcpu *v;
	unsigned long f;
	unsigned i;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	/* MISALIGNED_EXC_DELEG: not delegated, which is what this platform does */
	fwft_get(v, 0, SBI_SUCCESS);
	fwft_set(v, 0, 0, 0, SBI_SUCCESS);
	fwft_set(v, 0, 1, 0, SBI_ERR_DENIED);
	fwft_get(v, 0, SBI_SUCCESS);
	/* only the low 32 bits of the feature ID count */
	fwft_get(v, 1UL << 32, SBI_SUCCESS);
	fwft_set(v, 1UL << 32, 0, 0, SBI_SUCCESS);
	/* LANDING_PAD .. POINTER_MASKING_PMLEN: need henvcfg bits the minikernel keeps */
	for (f = 1; f <= 5; f++) {
		fwft_get(v, f, SBI_ERR_NOT_SUPPORTED);
		fwft_set(v, f, 0, 0, SBI_ERR_NOT_SUPPORTED);
		fwft_set(v, f, 1, FWFT_LOCK, SBI_ERR_NOT_SUPPORTED);
	}
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		fwft_get(v, reserved[i], SBI_ERR_DENIED);
		fwft_set(v, reserved[i], 0, 0, SBI_ERR_DENIED);
		fwft_set(v, reserved[i], 0, FWFT_LOCK, SBI_ERR_DENIED);
	}
	ecall(v, EXT_FWFT, 2, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	CHECK_EQ(v->fwft_locked, 0);
	env_done(&e);
}

/* Values and flags; the lock, per vCPU: checked after the flags, before the value. */
static void t_sbi_fwft_lock(void)
{
	struct env e;
	struct vcpu *v, *w;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	w = &e.vm.vcpu[1];
	w->state = VCPU_STARTED;
	fwft_set(v, 0, 2, 0, SBI_ERR_INVALID_PARAM);
	fwft_set(v, 0, -1UL, 0, SBI_ERR_INVALID_PARAM);
	fwft_set(v, 0, 0, 2, SBI_ERR_INVALID_PARAM);
	fwft_set(v, 0, 0, FWFT_LOCK | 1UL << 63, SBI_ERR_INVALID_PARAM);
	/* a refused change does not lock either */
	fwft_set(v, 0, 1, FWFT_LOCK, SBI_ERR_DENIED);
	fwft_set(v, 0, 2, FWFT_LOCK, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(v->fwft_locked, 0);

	fwft_set(v, 0, 0, FWFT_LOCK, SBI_SUCCESS);
	CHECK_EQ(v->fwft_locked, 1);
	fwft_set(v, 0, 0, 0, SBI_ERR_DENIED_LOCKED);
	fwft_set(v, 0, 0, FWFT_LOCK, SBI_ERR_DENIED_LOCKED);
	fwft_set(v, 0, 1, 0, SBI_ERR_DENIED_LOCKED);
	fwft_set(v, 0, 2, 0, SBI_ERR_DENIED_LOCKED);
	fwft_set(v, 0, 0, 2, SBI_ERR_INVALID_PARAM);
	fwft_get(v, 0, SBI_SUCCESS);
	/* the features stay what they are for the rest */
	fwft_get(v, 1, SBI_ERR_NOT_SUPPORTED);
	fwft_set(v, 6, 0, 0, SBI_ERR_DENIED);

	/* the other vCPU's feature is its own */
	fwft_set(w, 0, 0, 0, SBI_SUCCESS);
	CHECK_EQ(w->fwft_locked, 0);
	fwft_set(w, 0, 0, FWFT_LOCK, SBI_SUCCESS);
	fwft_set(w, 0, 0, 0, SBI_ERR_DENIED_LOCKED);
	CHECK_EQ(v->fwft_locked, 1);
	env_done(&e);
}

static void t_sbi_srst(void)
{
	static const struct {
		unsigned long type, reason;
		enum vm_end end;
	} ok[] = {
		{ 0, 0, VM_POWEROFF },
		{ 0, 1, VM_POWEROFF },
		{ 1, 0, VM_REBOOT },
		{ 2, 1, VM_REBOOT },
		{ (1UL << 32) | 0, (1UL << 32) | 1, VM_POWEROFF },
	};
	struct env e;
	struct vcpu *v;
	unsigned i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		env_init(&e, 2);
		v = &e.vm.vcpu[1];
		ecall3(v, EXT_SRST, 0, ok[i].type, ok[i].reason, 0);
		check_ret(v, 0, 0);
		CHECK_EQ(e.vm.end, ok[i].end);
		CHECK(e.vm.end_why != NULL);
		env_done(&e);
	}
	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	ecall3(v, EXT_SRST, 0, 0, 0, 0);
	CHECK(e.vm.end_why && !strcmp(e.vm.end_why, "guest SBI system reset: shutdown"));
	env_done(&e);
}

static void t_sbi_srst_errors(void)
{
	static const unsigned long bad[][2] = {
		{ 3, 0 },
		{ 0xEFFFFFFF, 0 },
		{ 0xF0000000, 0 },	/* vendor types: none implemented */
		{ 0, 2 },
		{ 1, 0xDFFFFFFF },
		{ 2, 0xE0000000 },	/* SBI-implementation reasons: we define none */
		{ 0, 0xF0000000 },	/* vendor reasons: none implemented */
		{ 0, 0xFFFFFFFF },
	};
	struct env e;
	struct vcpu *v;
	unsigned i;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ecall3(v, EXT_SRST, 0, bad[i][0], bad[i][1], 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
		CHECK_EQ(e.vm.end, VM_RUNNING);
	}
	ecall3(v, EXT_SRST, 1, 0, 0, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	CHECK_EQ(e.vm.end, VM_RUNNING);
	env_done(&e);
}

static void t_sbi_dbcn_write(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	memcpy(e.vm.ram + 0x100, "hello", 5);
	memcpy(e.vm.ram + RAM_SIZE - 3, "end", 3);
	ecall3(v, EXT_DBCN, 0, 5, RAM_GPA + 0x100, 0);
	check_ret(v, 0, 5);
	CHECK_EQ(fake_dv.out_len, 5);
	CHECK(!strcmp(fake_dv.out, "hello"));
	ecall3(v, EXT_DBCN, 0, 3, RAM_GPA + RAM_SIZE - 3, 0);
	check_ret(v, 0, 3);
	CHECK(!strcmp(fake_dv.out, "helloend"));
	ecall3(v, EXT_DBCN, 0, 0, RAM_GPA, 0);
	check_ret(v, 0, 0);
	ecall3(v, EXT_DBCN, 2, '!', 0, 0);
	check_ret(v, 0, 0);
	CHECK(!strcmp(fake_dv.out, "helloend!"));
	env_done(&e);
}

static void t_sbi_dbcn_errors(void)
{
	struct env e;
	struct vcpu *v;
	unsigned long fid;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	fake_dv.in = "xyz";
	for (fid = 0; fid <= 1; fid++) {
		/* straddling the end of RAM, wholly past it, below it, above 2^64 */
		ecall3(v, EXT_DBCN, fid, 4, RAM_GPA + RAM_SIZE - 3, 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
		ecall3(v, EXT_DBCN, fid, 1, RAM_GPA + RAM_SIZE, 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
		ecall3(v, EXT_DBCN, fid, 1, RAM_GPA - 1, 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
		ecall3(v, EXT_DBCN, fid, 1, RAM_GPA, 1);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
		ecall3(v, EXT_DBCN, fid, -1UL, RAM_GPA, 0);
		check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	}
	CHECK_EQ(fake_dv.out_len, 0);
	CHECK_EQ(fake_dv.getc_calls, 0);
	ecall3(v, EXT_DBCN, 3, 0, 0, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	env_done(&e);
}

static void t_sbi_dbcn_read(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	ecall3(v, EXT_DBCN, 1, 8, RAM_GPA + 0x10, 0);
	check_ret(v, 0, 0);
	fake_dv.in = "abcde";
	ecall3(v, EXT_DBCN, 1, 3, RAM_GPA + 0x10, 0);
	check_ret(v, 0, 3);
	CHECK(!memcmp(e.vm.ram + 0x10, "abc", 3));
	CHECK_EQ(e.vm.ram[0x13], 0);
	ecall3(v, EXT_DBCN, 1, 8, RAM_GPA + RAM_SIZE - 8, 0);
	check_ret(v, 0, 2);
	CHECK(!memcmp(e.vm.ram + RAM_SIZE - 8, "de", 2));
	CHECK_EQ(e.vm.ram[RAM_SIZE - 6], 0);
	env_done(&e);
}

#define DBCN_MAX   64          /* vmm/sbi/dbcn.c's bound on one call */
#define BIG_RAM    (2UL << 20)
#define BIG_LEN    (1UL << 20)
#define BIG_OFF    0x1000UL

/* A 1 MiB console write: each call writes at most DBCN_MAX bytes; the rest is the caller's. */
static void t_sbi_dbcn_write_bounded(void)
{
	struct env e;
	struct vcpu *v;
	uint8_t *log = malloc(BIG_LEN);
	unsigned long pos, calls = 0, i;

	env_init(&e, 1);
	free(e.vm.ram);
	e.vm.ram = calloc(1, BIG_RAM);
	e.vm.ram_size = BIG_RAM;
	for (i = 0; i < BIG_LEN; i++)
		e.vm.ram[BIG_OFF + i] = (uint8_t)(i * 13 + (i >> 8));
	fake_dv.log = log;
	fake_dv.log_size = BIG_LEN;
	v = &e.vm.vcpu[0];
	ecall3(v, EXT_DBCN, 0, BIG_LEN, RAM_GPA + BIG_OFF, 0);
	check_ret(v, 0, DBCN_MAX);
	CHECK_EQ(fake_dv.log_len, DBCN_MAX);
	CHECK(!memcmp(log, e.vm.ram + BIG_OFF, DBCN_MAX));
	/* the guest's retry loop: every call makes progress, the text arrives whole and in order */
	for (pos = DBCN_MAX; pos < BIG_LEN; pos += v->exit->gpr[11], calls++) {
		ecall3(v, EXT_DBCN, 0, BIG_LEN - pos, RAM_GPA + BIG_OFF + pos, 0);
		if (v->exit->gpr[10] || !v->exit->gpr[11] || v->exit->gpr[11] > DBCN_MAX) {
			check_ret(v, 0, DBCN_MAX);
			break;
		}
	}
	CHECK_EQ(pos, BIG_LEN);
	CHECK_EQ(calls, BIG_LEN / DBCN_MAX - 1);
	CHECK_EQ(fake_dv.log_len, BIG_LEN);
	CHECK(!memcmp(log, e.vm.ram + BIG_OFF, BIG_LEN));
	/* a short write is written whole */
	fake_dv.log_len = 0;
	ecall3(v, EXT_DBCN, 0, 5, RAM_GPA + BIG_OFF, 0);
	check_ret(v, 0, 5);
	/* the whole buffer is still checked: one that leaves RAM is refused, nothing written */
	ecall3(v, EXT_DBCN, 0, BIG_RAM, RAM_GPA + BIG_OFF, 0);
	check_ret(v, SBI_ERR_INVALID_PARAM, 0);
	CHECK_EQ(fake_dv.log_len, 5);
	fake_dv.log = NULL;
	free(log);
	env_done(&e);
}

/* A console read takes at most DBCN_MAX bytes per call, even with more waiting. */
static void t_sbi_dbcn_read_bounded(void)
{
	static char in[DBCN_MAX + 37];
	struct env e;
	struct vcpu *v;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	memset(in, 'q', sizeof(in) - 1);
	in[0] = 'A';
	in[DBCN_MAX] = 'B';
	fake_dv.in = in;
	ecall3(v, EXT_DBCN, 1, 0x1000, RAM_GPA + 0x1000, 0);
	check_ret(v, 0, DBCN_MAX);
	CHECK_EQ(e.vm.ram[0x1000], 'A');
	CHECK_EQ(e.vm.ram[0x1000 + DBCN_MAX - 1], 'q');
	CHECK_EQ(e.vm.ram[0x1000 + DBCN_MAX], 0);
	CHECK_EQ(fake_dv.getc_calls, DBCN_MAX);
	ecall3(v, EXT_DBCN, 1, 0x1000, RAM_GPA + 0x2000, 0);
	check_ret(v, 0, 36);
	CHECK_EQ(e.vm.ram[0x2000], 'B');
	env_done(&e);
}

static void t_sbi_legacy_console_timer(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	v->exit->hvip = DV_HVIP_VSTIP;
	ecall(v, 0x00, 0, 0x1000);
	check_legacy_ret(v, 0);
	CHECK_EQ(v->exit->timer, 0x1000);
	CHECK_EQ(v->exit->req, DV_REQ_TIMER);
	CHECK_EQ(v->exit->hvip, 0);

	ecall(v, 0x01, 0, 'Q');
	check_legacy_ret(v, 0);
	CHECK(!strcmp(fake_dv.out, "Q"));

	fake_dv.in = "\xff" "k";
	ecall(v, 0x02, 0, 0);
	check_legacy_ret(v, 0xff);
	ecall(v, 0x02, 0, 0);
	check_legacy_ret(v, 'k');
	ecall(v, 0x02, 0, 0);
	check_legacy_ret(v, -1);
	env_done(&e);
}

static void t_sbi_legacy_ipi(void)
{
	struct env e;
	struct vcpu *v;

	env_init_ipi(&e);
	v = &e.vm.vcpu[0];
	fake_guest_map(0xffffffc000001000UL, 0x6, 0);
	fake_guest_map(0xffffffc000002000UL, 0x8, 0);
	fake_guest_map(0xffffffc000003000UL, 0x1, 1);

	ecall(v, 0x04, 0, 0xffffffc000001000UL);
	check_legacy_ret(v, 0);
	CHECK(!vssip(&e, 0) && vssip(&e, 1) && vssip(&e, 2) && !vssip(&e, 3));

	/* NULL: all started harts */
	clear_hvip(&e);
	ecall(v, 0x04, 0, 0);
	check_legacy_ret(v, 0);
	CHECK(vssip(&e, 0) && vssip(&e, 1) && vssip(&e, 2) && !vssip(&e, 3));

	clear_hvip(&e);
	ecall(v, 0x04, 0, 0xffffffc000002000UL);
	check_legacy_ret(v, SBI_ERR_INVALID_PARAM);
	ecall(v, 0x04, 0, 0xffffffc000003000UL);
	check_legacy_ret(v, SBI_ERR_INVALID_ADDRESS);
	ecall(v, 0x04, 0, 0xffffffc000004000UL);
	check_legacy_ret(v, SBI_ERR_INVALID_ADDRESS);
	CHECK(!vssip(&e, 0) && !vssip(&e, 1) && !vssip(&e, 2) && !vssip(&e, 3));

	/* clear_ipi: positive when one was pending */
	e.ex[0].hvip = DV_HVIP_VSSIP | DV_HVIP_VSEIP;
	ecall(v, 0x03, 0, 0);
	check_legacy_ret(v, 1);
	CHECK_EQ(e.ex[0].hvip, DV_HVIP_VSEIP);
	ecall(v, 0x03, 0, 0);
	check_legacy_ret(v, 0);
	env_done(&e);
}

static void t_sbi_legacy_fences(void)
{
	static const struct {
		unsigned long eid;
		uint64_t req;
	} f[] = { { 0x05, DV_REQ_FENCE_I }, { 0x06, DV_REQ_FENCE_VVMA }, { 0x07, DV_REQ_FENCE_VVMA } };
	struct env e;
	struct vcpu *v;
	unsigned i;

	env_init_ipi(&e);
	v = &e.vm.vcpu[2];
	fake_guest_map(0x1000, 0x5, 0);
	fake_guest_map(0x2000, 0x0, 1);
	for (i = 0; i < 3; i++) {
		clear_req(&e);
		ecall(v, f[i].eid, 0, 0x1000);
		check_legacy_ret(v, 0);
		CHECK_EQ(e.ex[0].req, f[i].req);
		CHECK_EQ(e.ex[1].req, 0);
		CHECK_EQ(e.ex[2].req, f[i].req);
		clear_req(&e);
		ecall(v, f[i].eid, 0, 0);
		check_legacy_ret(v, 0);
		CHECK_EQ(e.ex[1].req, f[i].req);
		CHECK_EQ(e.ex[3].req, 0);
		clear_req(&e);
		ecall(v, f[i].eid, 0, 0x2000);
		check_legacy_ret(v, SBI_ERR_INVALID_ADDRESS);
		CHECK_EQ(e.ex[0].req | e.ex[1].req | e.ex[2].req, 0);
	}
	env_done(&e);
}

static void t_sbi_legacy_shutdown(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[0];
	ecall(v, 0x08, 0, 0);
	check_legacy_ret(v, 0);
	CHECK_EQ(e.vm.end, VM_POWEROFF);
	CHECK(e.vm.end_why != NULL);
	env_done(&e);
}

static void t_sbi_dvdebug(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 2);
	v = &e.vm.vcpu[1];
	v->exits[EXIT_SBI] = 10;
	v->exits[EXIT_MMIO] = 200;
	v->exits[EXIT_OTHER] = 3;
	e.vm.vcpu[0].exits[EXIT_SBI] = 1000;
	ecall(v, EXT_DVDEBUG, 0, 0);
	check_ret(v, 0, 213);
	ecall(v, EXT_DVDEBUG, 1, 0);
	check_ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	env_done(&e);
}

int main(void)
{
	RUN(t_sbi_find);
	RUN(t_sbi_unknown_eid);
	RUN(t_sbi_base);
	RUN(t_sbi_time);
	RUN(t_sbi_ipi);
	RUN(t_sbi_ipi_errors);
	RUN(t_sbi_ipi_suspended);
	RUN(t_sbi_rfence);
	RUN(t_sbi_rfence_errors);
	RUN(t_sbi_hsm_start_stop);
	RUN(t_sbi_hsm_errors);
	RUN(t_sbi_hsm_suspend);
	RUN(t_sbi_hsm_suspend_errors);
	RUN(t_sbi_susp);
	RUN(t_sbi_susp_errors);
	RUN(t_sbi_fwft_features);
	RUN(t_sbi_fwft_lock);
	RUN(t_sbi_srst);
	RUN(t_sbi_srst_errors);
	RUN(t_sbi_dbcn_write);
	RUN(t_sbi_dbcn_errors);
	RUN(t_sbi_dbcn_read);
	RUN(t_sbi_dbcn_write_bounded);
	RUN(t_sbi_dbcn_read_bounded);
	RUN(t_sbi_legacy_console_timer);
	RUN(t_sbi_legacy_ipi);
	RUN(t_sbi_legacy_fences);
	RUN(t_sbi_legacy_shutdown);
	RUN(t_sbi_dvdebug);
	UNIT_EXIT();
}
