// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests of the SBI PMU extension: every function and error, and the events others count. */
#include <string.h>

#include "fake_dv.h"
#include "riscv.h"
#include "sbi_call.h"

#define EXT_PMU    0x504D55UL
#define EXT_BASE   0x10UL
#define EXT_TIME   0x54494D45UL
#define EXT_IPI    0x735049UL
#define EXT_RFENCE 0x52464E43UL

#define NUM_COUNTERS 0
#define GET_INFO     1
#define CFG_MATCH    2
#define START        3
#define STOP         4
#define FW_READ      5
#define FW_READ_HI   6

#define SKIP_MATCH  (1UL << 0)
#define CLEAR_VALUE (1UL << 1)
#define AUTO_START  (1UL << 2)
#define FILTERS     0xf8UL /* the VUINH..MINH hints */
#define SET_INIT    (1UL << 0)
#define SNAPSHOT    (1UL << 1) /* INIT_SNAPSHOT for start, TAKE_SNAPSHOT for stop */
#define RESET       (1UL << 0)

#define HW(code)   (code)
#define FW(code)   (0xf0000UL | (code))
#define CYCLES     HW(1)
#define INSNS      HW(2)
#define SET_TIMER  FW(5)

#define CYCLE     0
#define INSTRET   2
#define FW0       3 /* the first firmware counter */
#define NR        15
#define ALL       ((1UL << NR) - 1 - 2)
#define ALL_FW    (((1UL << NR) - 1) & ~7UL)

struct env {
	struct vm vm;
	struct dv_exit ex[DV_MAX_VCPUS];
};

/* A VM of `n` started vCPUs. */
static void env_init(struct env *e, unsigned n)
{
	memset(e, 0, sizeof(*e));
	fake_dv_reset();
	e->vm.nr_vcpus = n;
	for (unsigned i = 0; i < n; i++) {
		e->vm.vcpu[i].id = i;
		e->vm.vcpu[i].vm = &e->vm;
		e->vm.vcpu[i].exit = &e->ex[i];
	}
}

/* An SBI call from v with a0..a4: a0 and a1 after it. */
static struct sbi_ret call(struct vcpu *v, unsigned long eid, unsigned long fid, unsigned long a0,
			   unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4)
{
	sbi_call(v, eid, fid, (const uint64_t[]){ a0, a1, a2, a3, a4 }, 5);
	return (struct sbi_ret){ (long)v->exit->gpr[10], (long)v->exit->gpr[11] };
}

static struct sbi_ret cfg(struct vcpu *v, unsigned long base, unsigned long mask,
			  unsigned long flags, unsigned long event, unsigned long data)
{
	return call(v, EXT_PMU, CFG_MATCH, base, mask, flags, event, data);
}

static long start(struct vcpu *v, unsigned long base, unsigned long mask, unsigned long flags,
		  unsigned long value)
{
	return call(v, EXT_PMU, START, base, mask, flags, value, 0).error;
}

static long stop(struct vcpu *v, unsigned long base, unsigned long mask, unsigned long flags)
{
	return call(v, EXT_PMU, STOP, base, mask, flags, 0, 0).error;
}

static struct sbi_ret fw_read(struct vcpu *v, unsigned long idx)
{
	return call(v, EXT_PMU, FW_READ, idx, 0, 0, 0, 0);
}

/*
 * The SBI calls that are firmware events: to this vCPU alone (a0 = hart mask 1, base 0; NULL,
 * all harts, for a legacy call; the deadline for set_timer), a SENT event also RECEIVED.
 */
static const struct event_call {
	unsigned long eid, fid, a0, event;
} event_calls[] = {
	{ EXT_TIME, 0, 1, PMU_FW_SET_TIMER },
	{ 0x00, 0, 1, PMU_FW_SET_TIMER },
	{ EXT_IPI, 0, 1, PMU_FW_IPI_SENT },
	{ 0x04, 0, 0, PMU_FW_IPI_SENT },
	{ EXT_RFENCE, 0, 1, PMU_FW_FENCE_I_SENT },
	{ EXT_RFENCE, 1, 1, PMU_FW_SFENCE_VMA_SENT },
	{ EXT_RFENCE, 2, 1, PMU_FW_SFENCE_VMA_ASID_SENT },
	{ 0x05, 0, 0, PMU_FW_FENCE_I_SENT },
	{ 0x06, 0, 0, PMU_FW_SFENCE_VMA_SENT },
	{ 0x07, 0, 0, PMU_FW_SFENCE_VMA_ASID_SENT },
};
#define NR_EVENT_CALLS (sizeof(event_calls) / sizeof(event_calls[0]))

static bool legacy(const struct event_call *c)
{
	return c->eid <= 8;
}

/* A counter for firmware event `event` on v, started from 0: its index. */
static long fw_counter(struct vcpu *v, unsigned long event)
{
	struct sbi_ret r = cfg(v, 0, ALL, CLEAR_VALUE | AUTO_START, event, 0);

	CHECK_EQ(r.error, SBI_SUCCESS);
	return r.value;
}

static void check_ret(struct sbi_ret r, long error, long value)
{
	CHECK_EQ(r.error, error);
	CHECK_EQ(r.value, value);
}

static void check_count(struct vcpu *v, long idx, uint64_t want)
{
	check_ret(fw_read(v, idx), SBI_SUCCESS, want);
}

static void t_pmu_info(void)
{
	struct env e;
	struct vcpu *v;
	unsigned long i;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	check_ret(call(v, EXT_BASE, 3, EXT_PMU, 0, 0, 0, 0), SBI_SUCCESS, 1);
	check_ret(call(v, EXT_PMU, NUM_COUNTERS, 0, 0, 0, 0, 0), SBI_SUCCESS, NR);
	/* cycle and instret, 64 bits wide; index 1 (time) is no counter */
	check_ret(call(v, EXT_PMU, GET_INFO, CYCLE, 0, 0, 0, 0), SBI_SUCCESS, 0xc00 | 63 << 12);
	check_ret(call(v, EXT_PMU, GET_INFO, 1, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
	check_ret(call(v, EXT_PMU, GET_INFO, INSTRET, 0, 0, 0, 0), SBI_SUCCESS, 0xc02 | 63 << 12);
	for (i = FW0; i < NR; i++)
		check_ret(call(v, EXT_PMU, GET_INFO, i, 0, 0, 0, 0), SBI_SUCCESS,
			   1UL << 63 | 63 << 12);
	check_ret(call(v, EXT_PMU, GET_INFO, NR, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
	check_ret(call(v, EXT_PMU, GET_INFO, 64, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
	check_ret(call(v, EXT_PMU, GET_INFO, -1UL, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
	/* snapshot_set_shmem (optional), event_get_info (SBI v3.0), past the end */
	for (i = 7; i <= 9; i++)
		check_ret(call(v, EXT_PMU, i, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
	check_ret(call(v, EXT_PMU, -1UL, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
	CHECK_EQ(e.vm.warnings, 4);
}

/* Sets naming no counter, or an index that is none: INVALID_PARAM everywhere, nothing done. */
static void t_pmu_bad_sets(void)
{
	static const unsigned long bad[][2] = {
		{ 0, 0 },          /* empty */
		{ NR, 1 },         /* past the last counter */
		{ NR - 1, 2 },
		{ 0, 1UL << NR },
		{ 0, 2 },          /* index 1, the time CSR's */
		{ 1, 1 },
		{ 0, 1UL << 63 },
		{ 1, 1UL << 63 },  /* an index past 64 bits */
		{ -1UL, 1 },
		{ -1UL, 0 },
	};
	struct env e;
	struct vcpu *v;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_ret(cfg(v, bad[i][0], bad[i][1], 0, CYCLES, 0), SBI_ERR_INVALID_PARAM, 0);
		check_ret(cfg(v, bad[i][0], bad[i][1], 0, SET_TIMER, 0), SBI_ERR_INVALID_PARAM, 0);
		CHECK_EQ(start(v, bad[i][0], bad[i][1], 0, 0), SBI_ERR_INVALID_PARAM);
		CHECK_EQ(stop(v, bad[i][0], bad[i][1], 0), SBI_ERR_INVALID_PARAM);
	}
	for (unsigned i = 0; i < NR; i++)
		CHECK_EQ(v->pmu.ctr[i].event, 0);
}

/* Events no counter counts (NOT_SUPPORTED) and reserved bits (INVALID_PARAM): nothing configured. */
static void t_pmu_cfg_refused(void)
{
	static const unsigned long unsupported[] = {
		0,                        /* no event */
		HW(3), HW(4), HW(5), HW(9), HW(10), /* cache, branch, stall, ref-cycle events */
		0x10000,                  /* a cache event (type 1) */
		0x20000, 0x30000,         /* raw events */
		FW(0), FW(1),             /* misaligned accesses: delegated to the guest */
		FW(14), FW(21),           /* HFENCE: never offered */
		FW(22), FW(255), FW(256), FW(0xffff), /* reserved, implementation, platform */
		0x40005, 0xe0005,         /* unknown types */
		(1UL << 20) | SET_TIMER,  /* bits above event_idx */
	};
	struct env e;
	struct vcpu *v;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	for (unsigned i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		check_ret(cfg(v, 0, ALL, 0, unsupported[i], 0), SBI_ERR_NOT_SUPPORTED, 0);
	/* event_data is reserved for every event counted */
	check_ret(cfg(v, 0, ALL, 0, SET_TIMER, 1), SBI_ERR_NOT_SUPPORTED, 0);
	check_ret(cfg(v, 0, ALL, 0, CYCLES, 1UL << 63), SBI_ERR_NOT_SUPPORTED, 0);
	/* counters that cannot count the event */
	check_ret(cfg(v, FW0, 0xfff, 0, CYCLES, 0), SBI_ERR_NOT_SUPPORTED, 0);
	check_ret(cfg(v, 0, 1, 0, INSNS, 0), SBI_ERR_NOT_SUPPORTED, 0);
	check_ret(cfg(v, 0, 5, 0, SET_TIMER, 0), SBI_ERR_NOT_SUPPORTED, 0);
	/* reserved flags */
	check_ret(cfg(v, 0, ALL, 1UL << 8, SET_TIMER, 0), SBI_ERR_INVALID_PARAM, 0);
	check_ret(cfg(v, 0, ALL, 1UL << 63, CYCLES, 0), SBI_ERR_INVALID_PARAM, 0);
	for (unsigned i = 0; i < NR; i++)
		CHECK_EQ(v->pmu.ctr[i].event, 0);
	CHECK_EQ(v->pmu.counting, 0);
	/* asking is how a guest finds out: no warning, unlike an unknown function */
	CHECK_EQ(e.vm.warnings, 0);
}

/* cycle and instret: configured, started and stopped, but never set, cleared or read by SBI. */
static void t_pmu_hw(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	fake_dv.cycle = 1000;
	fake_dv.instret = 500;
	/* free: the hart's counters, running */
	CHECK_EQ(pmu_hw_read(&v->pmu, CYCLE), 1000);
	check_ret(cfg(v, 0, ALL, FILTERS, CYCLES, 0), SBI_SUCCESS, CYCLE);
	check_ret(cfg(v, 0, ALL, 0, INSNS, 0), SBI_SUCCESS, INSTRET);
	/* in use: no other counter counts them */
	check_ret(cfg(v, 0, ALL, 0, CYCLES, 0), SBI_ERR_NOT_SUPPORTED, 0);
	/* configured: stopped where they stood, until started */
	fake_dv.cycle = 1100;
	CHECK_EQ(pmu_hw_read(&v->pmu, CYCLE), 1000);
	CHECK_EQ(start(v, 0, 5, 0, 0), SBI_SUCCESS);
	CHECK(v->pmu.ctr[CYCLE].started && v->pmu.ctr[INSTRET].started);
	fake_dv.cycle = 1150;
	CHECK_EQ(pmu_hw_read(&v->pmu, CYCLE), 1050);
	CHECK_EQ(start(v, 0, 1, 0, 0), SBI_ERR_ALREADY_STARTED);
	CHECK_EQ(stop(v, 0, 1, 0), SBI_SUCCESS);
	fake_dv.cycle = 1300;
	CHECK_EQ(pmu_hw_read(&v->pmu, CYCLE), 1050);
	CHECK_EQ(stop(v, 0, 1, 0), SBI_ERR_ALREADY_STOPPED);
	/* started from a value */
	CHECK_EQ(start(v, 0, 1, SET_INIT, 7), SBI_SUCCESS);
	fake_dv.cycle = 1310;
	CHECK_EQ(pmu_hw_read(&v->pmu, CYCLE), 17);
	/* the set holds instret, still started: ALREADY_STARTED */
	CHECK_EQ(start(v, 0, 4, 0, 0), SBI_ERR_ALREADY_STARTED);
	check_ret(fw_read(v, CYCLE), SBI_ERR_INVALID_PARAM, 0);
	check_ret(call(v, EXT_PMU, FW_READ_HI, INSTRET, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
	/* RESET frees both, the stopped one too; each runs on from where it stopped */
	CHECK_EQ(stop(v, 0, 4, 0), SBI_SUCCESS);
	fake_dv.instret = 900;
	CHECK_EQ(pmu_hw_read(&v->pmu, INSTRET), 500);
	CHECK_EQ(stop(v, 0, 5, RESET), SBI_ERR_ALREADY_STOPPED);
	CHECK(!v->pmu.ctr[CYCLE].started && !v->pmu.ctr[CYCLE].event);
	fake_dv.cycle = 1320;
	fake_dv.instret = 950;
	CHECK_EQ(pmu_hw_read(&v->pmu, CYCLE), 27);
	CHECK_EQ(pmu_hw_read(&v->pmu, INSTRET), 550);
	CHECK_EQ(start(v, 0, 1, 0, 0), SBI_ERR_INVALID_PARAM);
	/* cleared and started at once */
	check_ret(cfg(v, 0, ALL, CLEAR_VALUE | AUTO_START, CYCLES, 0), SBI_SUCCESS, CYCLE);
	fake_dv.cycle = 1325;
	CHECK_EQ(pmu_hw_read(&v->pmu, CYCLE), 5);
	check_ret(cfg(v, 0, ALL, AUTO_START, INSNS, 0), SBI_SUCCESS, INSTRET);
	CHECK(v->pmu.ctr[INSTRET].started);
	CHECK_EQ(v->pmu.counting, 0);
}

/* set_timer counts while its counter runs, from the value it was started with. */
static void t_pmu_fw_set_timer(void)
{
	struct env e;
	struct vcpu *v;
	long c, d;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	check_ret(cfg(v, 0, ALL, 0, SET_TIMER, 0), SBI_SUCCESS, FW0);
	c = FW0;
	check_count(v, c, 0);
	call(v, EXT_TIME, 0, 100, 0, 0, 0, 0);
	CHECK_EQ(start(v, c, 1, SET_INIT, 0), SBI_SUCCESS);
	for (int i = 0; i < 5; i++)
		check_ret(call(v, EXT_TIME, 0, 100 + i, 0, 0, 0, 0), SBI_SUCCESS, 0);
	check_count(v, c, 5);
	/* the legacy call is the same event; an unknown TIME function is none */
	call(v, 0x00, 0, 200, 0, 0, 0, 0);
	call(v, EXT_TIME, 1, 200, 0, 0, 0, 0);
	check_count(v, c, 6);
	CHECK_EQ(start(v, c, 1, SET_INIT, 50), SBI_ERR_ALREADY_STARTED);
	check_count(v, c, 6);
	CHECK_EQ(stop(v, c, 1, 0), SBI_SUCCESS);
	call(v, EXT_TIME, 0, 300, 0, 0, 0, 0);
	check_count(v, c, 6);
	check_ret(call(v, EXT_PMU, FW_READ_HI, c, 0, 0, 0, 0), SBI_SUCCESS, 0);
	/* started again without a value: on from where it stood */
	CHECK_EQ(start(v, c, 1, 0, 77), SBI_SUCCESS);
	call(v, EXT_TIME, 0, 300, 0, 0, 0, 0);
	check_count(v, c, 7);
	CHECK_EQ(stop(v, c, 1, 0), SBI_SUCCESS);
	CHECK_EQ(start(v, c, 1, SET_INIT, -2UL), SBI_SUCCESS);
	/* a second counter of the same event counts on its own; 64 bits wrap */
	d = fw_counter(v, SET_TIMER);
	CHECK_EQ(d, FW0 + 1);
	call(v, EXT_TIME, 0, 400, 0, 0, 0, 0);
	call(v, EXT_TIME, 0, 400, 0, 0, 0, 0);
	call(v, EXT_TIME, 0, 400, 0, 0, 0, 0);
	check_count(v, c, 1);
	check_count(v, d, 3);
	CHECK_EQ(stop(v, c, 1, RESET), SBI_SUCCESS);
	check_ret(fw_read(v, c), SBI_ERR_INVALID_PARAM, 0);
	CHECK_EQ(v->pmu.counting, 1U << 5);
	CHECK_EQ(stop(v, d, 1, 0), SBI_SUCCESS);
	CHECK_EQ(v->pmu.counting, 0);
	/* a stopped counter keeps its value across a reconfiguration unless CLEAR_VALUE */
	check_ret(cfg(v, d, 1, SKIP_MATCH, FW(6), 0), SBI_SUCCESS, d);
	check_count(v, d, 3);
	check_ret(cfg(v, d, 1, SKIP_MATCH | CLEAR_VALUE, FW(6), 0), SBI_SUCCESS, d);
	check_count(v, d, 0);
}

static void t_pmu_fw_errors(void)
{
	struct env e;
	struct vcpu *v;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	/* a counter configured for no event */
	CHECK_EQ(start(v, FW0, 1, 0, 0), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(stop(v, FW0, 1, 0), SBI_ERR_INVALID_PARAM);
	check_ret(fw_read(v, FW0), SBI_ERR_INVALID_PARAM, 0);
	check_ret(call(v, EXT_PMU, FW_READ_HI, FW0, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
	/* no counter at all */
	check_ret(fw_read(v, 1), SBI_ERR_INVALID_PARAM, 0);
	check_ret(fw_read(v, NR), SBI_ERR_INVALID_PARAM, 0);
	check_ret(fw_read(v, -1UL), SBI_ERR_INVALID_PARAM, 0);
	check_ret(call(v, EXT_PMU, FW_READ_HI, NR, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);

	check_ret(cfg(v, FW0, 1, 0, SET_TIMER, 0), SBI_SUCCESS, FW0);
	/* one free counter in the set is enough to refuse the whole call */
	CHECK_EQ(start(v, FW0, 3, 0, 0), SBI_ERR_INVALID_PARAM);
	CHECK(!v->pmu.ctr[FW0].started);
	/* no snapshot memory; reserved flags */
	CHECK_EQ(start(v, FW0, 1, SNAPSHOT, 0), SBI_ERR_NO_SHMEM);
	CHECK_EQ(start(v, FW0, 1, SNAPSHOT | SET_INIT, 0), SBI_ERR_NO_SHMEM);
	CHECK_EQ(start(v, FW0, 1, 1UL << 2, 0), SBI_ERR_INVALID_PARAM);
	CHECK(!v->pmu.ctr[FW0].started);
	CHECK_EQ(start(v, FW0, 1, 0, 0), SBI_SUCCESS);
	CHECK_EQ(stop(v, FW0, 1, SNAPSHOT), SBI_ERR_NO_SHMEM);
	CHECK_EQ(stop(v, FW0, 1, 1UL << 2), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(stop(v, FW0, 3, 0), SBI_ERR_INVALID_PARAM);
	CHECK(v->pmu.ctr[FW0].started);
	/* a started counter is never taken, not even when named with SKIP_MATCH */
	check_ret(cfg(v, FW0, 1, SKIP_MATCH, FW(6), 0), SBI_ERR_NOT_SUPPORTED, 0);
	CHECK_EQ(v->pmu.ctr[FW0].event, SET_TIMER);
	/* SKIP_MATCH takes the first of the set or nothing */
	check_ret(cfg(v, CYCLE, 1UL << FW0 | 1, SKIP_MATCH, SET_TIMER, 0), SBI_ERR_NOT_SUPPORTED,
		  0);
	check_ret(cfg(v, FW0, 3, SKIP_MATCH, SET_TIMER, 0), SBI_ERR_NOT_SUPPORTED, 0);
	check_ret(cfg(v, FW0 + 1, 3, SKIP_MATCH, SET_TIMER, 0), SBI_SUCCESS, FW0 + 1);
	check_ret(cfg(v, 0, 5, SKIP_MATCH, CYCLES, 0), SBI_SUCCESS, CYCLE);
	check_ret(cfg(v, 0, 5, SKIP_MATCH, CYCLES, 0), SBI_SUCCESS, CYCLE);
}

/*
 * Twelve counters, one per event, all running on one vCPU: each call to itself and each trap
 * handed to the guest moves exactly its own events' counters.
 */
static void t_pmu_fw_all(void)
{
	/* the exception causes of the trap events; an instruction access fault is none */
	static const struct {
		uint64_t cause;
		unsigned long event;
	} traps[] = {
		{ EXC_ILLEGAL_INSN, PMU_FW_ILLEGAL_INSN },
		{ EXC_LOAD_ACCESS, PMU_FW_ACCESS_LOAD },
		{ EXC_STORE_ACCESS, PMU_FW_ACCESS_STORE },
		{ EXC_INST_ACCESS, PMU_FW_END },
		{ EXC_BREAKPOINT, PMU_FW_END },
	};
	uint64_t want[PMU_FW_END + 1] = { 0 };
	struct env e;
	struct vcpu *v;
	long c[PMU_FW_END];
	unsigned i, ev;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	for (ev = PMU_FW_FIRST; ev < PMU_FW_END; ev++)
		c[ev] = fw_counter(v, FW(ev));
	CHECK_EQ(c[PMU_FW_FIRST], FW0);
	CHECK_EQ(c[PMU_FW_END - 1], NR - 1);
	check_ret(cfg(v, 0, ALL, 0, SET_TIMER, 0), SBI_ERR_NOT_SUPPORTED, 0);
	for (i = 0; i < NR_EVENT_CALLS; i++) {
		const struct event_call *ec = &event_calls[i];

		/* a legacy call leaves a1 alone: 0 as it was */
		check_ret(call(v, ec->eid, ec->fid, ec->a0, 0, 0, 0, 0), SBI_SUCCESS, 0);
		want[ec->event]++;
		if (ec->event != PMU_FW_SET_TIMER)
			want[ec->event + 1]++;
		for (ev = PMU_FW_FIRST; ev < PMU_FW_END; ev++)
			check_count(v, c[ev], want[ev]);
	}
	for (i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		v->exit->pc = SBI_CALL_PC;
		vcpu_inject_exception(v, traps[i].cause, 0);
		want[traps[i].event]++;
		for (ev = PMU_FW_FIRST; ev < PMU_FW_END; ev++)
			check_count(v, c[ev], want[ev]);
	}
	CHECK_EQ(stop(v, 0, ALL_FW, RESET), SBI_SUCCESS);
	CHECK_EQ(v->pmu.counting, 0);
	CHECK_EQ(stop(v, 0, ALL_FW, RESET), SBI_ERR_INVALID_PARAM);
	check_ret(cfg(v, 0, ALL, 0, SET_TIMER, 0), SBI_SUCCESS, FW0);
}

/* 4 vCPUs, each counting what it receives; vCPU 0 also what it sends. */
struct ipi_env {
	struct env e;
	long sent, rcvd[4];
};

static void ipi_env_init(struct ipi_env *t, unsigned long sent)
{
	env_init(&t->e, 4);
	t->sent = fw_counter(&t->e.vm.vcpu[0], FW(sent));
	for (unsigned i = 0; i < 4; i++)
		t->rcvd[i] = fw_counter(&t->e.vm.vcpu[i], FW(sent + 1));
}

static void check_ipi_counts(struct ipi_env *t, uint64_t sent, const uint64_t *rcvd)
{
	check_count(&t->e.vm.vcpu[0], t->sent, sent);
	for (unsigned i = 0; i < 4; i++)
		check_count(&t->e.vm.vcpu[i], t->rcvd[i], rcvd[i]);
}

static void t_pmu_fw_ipi(void)
{
	static const uint64_t after_mask[] = { 0, 1, 1, 1 }, after_all[] = { 1, 2, 2, 2 },
			      after_stop[] = { 2, 2, 3, 3 };
	struct ipi_env t;
	struct vcpu *v;

	ipi_env_init(&t, PMU_FW_IPI_SENT);
	v = &t.e.vm.vcpu[0];
	check_ret(call(v, EXT_IPI, 0, 0xe, 0, 0, 0, 0), SBI_SUCCESS, 0);
	check_ipi_counts(&t, 3, after_mask);
	check_ret(call(v, EXT_IPI, 0, 0, -1UL, 0, 0, 0), SBI_SUCCESS, 0);
	check_ipi_counts(&t, 7, after_all);
	/* a refused mask sends nothing */
	check_ret(call(v, EXT_IPI, 0, 0x13, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
	check_ipi_counts(&t, 7, after_all);
	/* vCPU 1's counter stopped: what it receives meanwhile is not counted */
	CHECK_EQ(stop(&t.e.vm.vcpu[1], t.rcvd[1], 1, 0), SBI_SUCCESS);
	fake_guest_map(0x1000, 0xd, 0);
	CHECK_EQ(call(v, 0x04, 0, 0x1000, 0, 0, 0, 0).error, 0);
	check_ipi_counts(&t, 10, after_stop);
	/* a vCPU's counters are its own */
	check_ret(cfg(&t.e.vm.vcpu[1], 0, ALL, 0, SET_TIMER, 0), SBI_SUCCESS, FW0 + 1);
}

/* IPIs and fences to vCPUs 0, 2 and 3 of 4: an SBI hart mask, or a legacy one in guest memory. */
static void t_pmu_fw_sent(void)
{
	static const uint64_t rcvd[] = { 1, 0, 1, 1 };
	struct ipi_env t;
	struct vcpu *v;

	for (unsigned i = 0; i < NR_EVENT_CALLS; i++) {
		const struct event_call *ec = &event_calls[i];

		if (ec->event == PMU_FW_SET_TIMER)
			continue;
		ipi_env_init(&t, ec->event);
		v = &t.e.vm.vcpu[0];
		fake_guest_map(0x2000, 0xd, 0);
		CHECK_EQ(call(v, ec->eid, ec->fid, legacy(ec) ? 0x2000 : 0xd, 0, 0, 0, 0).error, 0);
		check_ipi_counts(&t, 3, rcvd);
	}
	/* HFENCE is not offered: no event */
	ipi_env_init(&t, PMU_FW_SFENCE_VMA_SENT);
	call(&t.e.vm.vcpu[0], EXT_RFENCE, 6, 1, 0, 0, 0, 0);
	check_ipi_counts(&t, 0, (const uint64_t[]){ 0, 0, 0, 0 });
}

/* A vCPU that starts again starts with every counter free; counting on from then is exact. */
static void t_pmu_reset(void)
{
	struct env e;
	struct vcpu *v;
	long c;

	env_init(&e, 1);
	v = &e.vm.vcpu[0];
	c = fw_counter(v, SET_TIMER);
	check_ret(cfg(v, 0, ALL, AUTO_START, CYCLES, 0), SBI_SUCCESS, CYCLE);
	call(v, EXT_TIME, 0, 1, 0, 0, 0, 0);
	pmu_reset(&v->pmu);
	CHECK_EQ(v->pmu.counting, 0);
	for (unsigned i = 0; i < NR; i++)
		CHECK(!v->pmu.ctr[i].event && !v->pmu.ctr[i].started);
	CHECK_EQ(fw_counter(v, SET_TIMER), c);
	call(v, EXT_TIME, 0, 1, 0, 0, 0, 0);
	check_count(v, c, 1);
}

int main(void)
{
	RUN(t_pmu_info);
	RUN(t_pmu_bad_sets);
	RUN(t_pmu_cfg_refused);
	RUN(t_pmu_hw);
	RUN(t_pmu_fw_set_timer);
	RUN(t_pmu_fw_errors);
	RUN(t_pmu_fw_all);
	RUN(t_pmu_fw_ipi);
	RUN(t_pmu_fw_sent);
	RUN(t_pmu_reset);
	UNIT_EXIT();
}
