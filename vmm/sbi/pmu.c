// SPDX-License-Identifier: BSD-2-Clause
/* SBI PMU extension: the hart's cycle and instret for the guest, and per-vCPU firmware counters. */
#include <stdio.h>
#include <string.h>

#include "dv.h"
#include "pmu.h"
#include "sbi.h"

#define SBI_EXT_PMU 0x504D55

#define PMU_NUM_COUNTERS       0
#define PMU_COUNTER_GET_INFO   1
#define PMU_COUNTER_CFG_MATCH  2
#define PMU_COUNTER_START      3
#define PMU_COUNTER_STOP       4
#define PMU_COUNTER_FW_READ    5
#define PMU_COUNTER_FW_READ_HI 6

/*
 * counter_config_matching flags. Bits 3..7 ask not to count in some privilege modes: the
 * spec makes them hints, and none can be honoured (the hart's counters count in every mode,
 * firmware events have no mode), so they are accepted and ignored.
 */
#define CFG_SKIP_MATCH  (1UL << 0)
#define CFG_CLEAR_VALUE (1UL << 1)
#define CFG_AUTO_START  (1UL << 2)
#define CFG_FLAGS       0xffUL

#define START_SET_INIT_VALUE (1UL << 0)
#define STOP_RESET           (1UL << 0)
/* INIT_SNAPSHOT for counter_start, TAKE_SNAPSHOT for counter_stop */
#define SNAPSHOT             (1UL << 1)

/* event_idx: the type in bits 19:16, the code in 15:0; the bits above are no event's. */
#define EVENT(type, code)  ((uint32_t)(type) << 16 | (code))
#define EVENT_TYPE(ev)     ((ev) >> 16)
#define EVENT_CODE(ev)     ((ev) & 0xffff)
#define EVENT_BITS         20
#define TYPE_HW            0
#define TYPE_FW            15
#define HW_CPU_CYCLES      1
#define HW_INSTRUCTIONS    2

/* counter_info: the CSR in bits 11:0, the width less one in 17:12, firmware in bit 63. */
#define INFO_CSR_CYCLE 0xc00UL
#define INFO_64_BITS   (63UL << 12)
#define INFO_FIRMWARE  (1UL << 63)

/* The index between cycle and instret is the time CSR's: no counter. */
#define NOT_A_COUNTER  1
#define COUNTERS       (((1UL << PMU_COUNTERS) - 1) & ~(1UL << NOT_A_COUNTER))

/*
 * The counters that (base, mask) names, as a bitmap of indices; 0 when it names none or any
 * index that is no counter (so base plus a mask bit never needs more than 64 bits).
 */
static unsigned long counter_set(unsigned long base, unsigned long mask)
{
	unsigned long set;

	if (!mask || base >= PMU_COUNTERS || mask >> (PMU_COUNTERS - base))
		return 0;
	set = mask << base;
	return set & ~COUNTERS ? 0 : set;
}

/* The lowest counter of a non-empty set. */
static unsigned first(unsigned long set)
{
	return __builtin_ctzl(set);
}

/*
 * What counter_start and counter_stop check alike: a set of counters that all have an event,
 * no flag but the `known` ones, and no snapshot, since there is no snapshot memory.
 */
static long check_set(const struct vcpu_pmu *p, unsigned long set, unsigned long flags,
		      unsigned long known)
{
	if (!set || (flags & ~known))
		return SBI_ERR_INVALID_PARAM;
	for (; set; set &= set - 1)
		if (!p->ctr[first(set)].event)
			return SBI_ERR_INVALID_PARAM;
	return flags & SNAPSHOT ? SBI_ERR_NO_SHMEM : SBI_SUCCESS;
}

/* Whether counter i can count `event`: a firmware counter any firmware event we count. */
static bool counts(unsigned i, uint32_t event)
{
	if (i == PMU_CYCLE)
		return event == EVENT(TYPE_HW, HW_CPU_CYCLES);
	if (i == PMU_INSTRET)
		return event == EVENT(TYPE_HW, HW_INSTRUCTIONS);
	return EVENT_TYPE(event) == TYPE_FW && EVENT_CODE(event) >= PMU_FW_FIRST &&
	       EVENT_CODE(event) < PMU_FW_END;
}

static uint64_t tally(const struct vcpu_pmu *p, uint32_t event)
{
	return __atomic_load_n(&p->tally[EVENT_CODE(event)], __ATOMIC_RELAXED);
}

/* The hart's counter behind hardware counter i: cycle for 0, instret for 2. */
static uint64_t hart_counter(unsigned i)
{
	return dv_hart_counter(DV_CSR_CYCLE + i);
}

uint64_t pmu_hw_read(const struct vcpu_pmu *p, unsigned i)
{
	const struct pmu_counter *c = &p->ctr[i];

	return !c->event || c->started ? hart_counter(i) + c->value : c->value;
}

static uint64_t fw_value(const struct vcpu_pmu *p, const struct pmu_counter *c)
{
	return c->started ? c->value + tally(p, c->event) : c->value;
}

/* Tells the hooks which firmware events the started counters count. */
uint32_t pmu_vcpus_counting;

static void set_counting(struct vcpu_pmu *p, uint32_t bits)
{
	uint32_t old = __atomic_exchange_n(&p->counting, bits, __ATOMIC_RELAXED);

	if (!old != !bits)
		__atomic_fetch_add(&pmu_vcpus_counting, bits ? 1 : -1, __ATOMIC_RELAXED);
}

static void update_counting(struct vcpu_pmu *p)
{
	uint32_t bits = 0;

	for (unsigned i = PMU_FW_BASE; i < PMU_COUNTERS; i++)
		if (p->ctr[i].started)
			bits |= 1U << EVENT_CODE(p->ctr[i].event);
	set_counting(p, bits);
}

/*
 * Starts the configured, stopped counter i from `value` when `set`, else from where it
 * stood. An event that races with the start (another vCPU's IPI) may or may not be counted.
 */
static void start_one(struct vcpu_pmu *p, unsigned i, bool set, uint64_t value)
{
	struct pmu_counter *c = &p->ctr[i];

	c->started = true;
	if (i < PMU_FW_BASE) {
		c->value = (set ? value : c->value) - hart_counter(i);
		return;
	}
	update_counting(p);
	c->value = (set ? value : c->value) - tally(p, c->event);
}

static void stop_one(struct vcpu_pmu *p, unsigned i)
{
	struct pmu_counter *c = &p->ctr[i];

	if (i < PMU_FW_BASE)
		c->value += hart_counter(i);
	else
		c->value = fw_value(p, c);
	c->started = false;
	update_counting(p);
}

static bool can_take(const struct vcpu_pmu *p, unsigned i, uint32_t event)
{
	return !p->ctr[i].started && counts(i, event);
}

/*
 * The counter of `set` to configure: the first free one that can take the event, or with
 * SKIP_MATCH the first of the set, free or not (its caller is reconfiguring it). -1: none.
 */
static int pick(const struct vcpu_pmu *p, unsigned long set, uint32_t event, unsigned long flags)
{
	if (flags & CFG_SKIP_MATCH)
		return can_take(p, first(set), event) ? (int)first(set) : -1;
	for (; set; set &= set - 1)
		if (!p->ctr[first(set)].event && can_take(p, first(set), event))
			return first(set);
	return -1;
}

/*
 * a0 counter_idx_base, a1 counter_idx_mask, a2 config_flags, a3 event_idx, a4 event_data.
 * event_data is reserved (must be 0) for every event we count.
 */
static struct sbi_ret cfg_match(struct vcpu_pmu *p, const uint64_t *a)
{
	unsigned long set = counter_set(a[0], a[1]), flags = a[2];
	struct sbi_ret ret = { SBI_ERR_INVALID_PARAM, 0 };
	int i;

	if (!set || (flags & ~CFG_FLAGS))
		return ret;
	ret.error = SBI_ERR_NOT_SUPPORTED_ANSWER;
	if (a[3] >> EVENT_BITS || a[4])
		return ret;
	i = pick(p, set, (uint32_t)a[3], flags);
	if (i < 0)
		return ret;
	/* a free hardware counter stops where it stands */
	if (i < PMU_FW_BASE && !p->ctr[i].event)
		p->ctr[i].value += hart_counter(i);
	p->ctr[i].event = (uint32_t)a[3];
	if (flags & CFG_CLEAR_VALUE)
		p->ctr[i].value = 0;
	if (flags & CFG_AUTO_START)
		start_one(p, i, false, 0);
	ret.error = SBI_SUCCESS;
	ret.value = i;
	return ret;
}

/*
 * a0 counter_idx_base, a1 counter_idx_mask, a2 start_flags, a3 initial_value. The stopped
 * counters of the set start; ALREADY_STARTED says that some were running already.
 */
static long start(struct vcpu_pmu *p, const uint64_t *a)
{
	unsigned long set = counter_set(a[0], a[1]), flags = a[2];
	long err = check_set(p, set, flags, START_SET_INIT_VALUE | SNAPSHOT);

	if (err)
		return err;
	for (; set; set &= set - 1) {
		if (p->ctr[first(set)].started)
			err = SBI_ERR_ALREADY_STARTED;
		else
			start_one(p, first(set), flags & START_SET_INIT_VALUE, a[3]);
	}
	return err;
}

/* A freed hardware counter runs on from the value it stopped at. */
static void free_counter(struct vcpu_pmu *p, unsigned i)
{
	if (i < PMU_FW_BASE)
		p->ctr[i].value -= hart_counter(i);
	p->ctr[i].event = 0;
}

/*
 * a0 counter_idx_base, a1 counter_idx_mask, a2 stop_flags. The running counters of the set
 * stop; with RESET every one of them is freed, stopped before or not (as Linux frees a
 * counter it has stopped already); ALREADY_STOPPED says that some were stopped already.
 */
static long stop(struct vcpu_pmu *p, const uint64_t *a)
{
	unsigned long set = counter_set(a[0], a[1]), flags = a[2];
	long err = check_set(p, set, flags, STOP_RESET | SNAPSHOT);

	if (err)
		return err;
	for (; set; set &= set - 1) {
		if (p->ctr[first(set)].started)
			stop_one(p, first(set));
		else
			err = SBI_ERR_ALREADY_STOPPED;
		if (flags & STOP_RESET)
			free_counter(p, first(set));
	}
	return err;
}

/* On RV64 the value fits in a0: read_hi answers 0 (SBI v2.0, counter_fw_read_hi). */
static struct sbi_ret fw_read(const struct vcpu_pmu *p, unsigned long i, bool hi)
{
	struct sbi_ret ret = { SBI_ERR_INVALID_PARAM, 0 };

	if (i < PMU_FW_BASE || i >= PMU_COUNTERS || !p->ctr[i].event)
		return ret;
	ret.error = SBI_SUCCESS;
	ret.value = hi ? 0 : fw_value(p, &p->ctr[i]);
	return ret;
}

/*
 * Firmware counters are 64 bits wide too. The spec has the caller ignore their width, but
 * Linux takes it as the counter's wrap-around: anything less would cut its readings.
 */
static struct sbi_ret get_info(unsigned long i)
{
	struct sbi_ret ret = { SBI_SUCCESS, INFO_64_BITS };

	if (i < PMU_FW_BASE && (COUNTERS >> i & 1))
		ret.value |= INFO_CSR_CYCLE + i;
	else if (i >= PMU_FW_BASE && i < PMU_COUNTERS)
		ret.value |= INFO_FIRMWARE;
	else
		ret = (struct sbi_ret){ SBI_ERR_INVALID_PARAM, 0 };
	return ret;
}

static struct sbi_ret pmu_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };
	const uint64_t *a = &v->exit->gpr[10];

	(void)eid;
	switch (fid) {
	case PMU_NUM_COUNTERS:
		/* the indices 0..PMU_COUNTERS - 1, the one that is no counter included */
		ret.value = PMU_COUNTERS;
		return ret;
	case PMU_COUNTER_GET_INFO:
		return get_info(a[0]);
	case PMU_COUNTER_CFG_MATCH:
		return cfg_match(&v->pmu, a);
	case PMU_COUNTER_START:
		ret.error = start(&v->pmu, a);
		return ret;
	case PMU_COUNTER_STOP:
		ret.error = stop(&v->pmu, a);
		return ret;
	case PMU_COUNTER_FW_READ:
		return fw_read(&v->pmu, a[0], false);
	case PMU_COUNTER_FW_READ_HI:
		return fw_read(&v->pmu, a[0], true);
	/* snapshot_set_shmem (fid 7) is optional; event_get_info (fid 8) is SBI v3.0. */
	default:
		ret.error = SBI_ERR_NOT_SUPPORTED;
		return ret;
	}
}

static const struct sbi_ext sbi_pmu = {
	.name = "pmu",
	.eid_lo = SBI_EXT_PMU,
	.eid_hi = SBI_EXT_PMU,
	.handle = pmu_handle,
};
SBI_EXTENSION(sbi_pmu);

/* Without Zbb, popcount and ctz are library calls: the bits are tested first, walked one by one. */
void pmu_fw_count_sent(struct vcpu *v, unsigned long targets, enum pmu_fw_event sent)
{
	if (pmu_fw_counting(&v->pmu, sent))
		pmu_fw_count(&v->pmu, sent, __builtin_popcountl(targets));
	for (unsigned i = 0; targets; i++, targets >>= 1)
		if (targets & 1)
			pmu_fw_count(&v->vm->vcpu[i].pmu, sent + 1, 1);
}

/* The tally is left alone: other vCPUs' threads may be adding to it. */
void pmu_reset(struct vcpu_pmu *p)
{
	memset(p->ctr, 0, sizeof(p->ctr));
	set_counting(p, 0);
}

void pmu_report(const struct vm *vm)
{
	printf("vm%u: SBI PMU: counters 0 cycle and 2 instret are each vCPU's own, set and "
	       "stopped per vCPU, read through an exit from its own hart's: they count the "
	       "hypervisor's work for that vCPU's exits as well, never another vCPU's; no "
	       "hpmcounters; counters 3..%u count firmware events per vCPU\n", vm->id,
	       PMU_COUNTERS - 1);
}
