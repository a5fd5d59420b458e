/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's SBI PMU counters of one vCPU, and the hooks that count firmware events. */
#ifndef VMM_PMU_H
#define VMM_PMU_H

#include <stdbool.h>
#include <stdint.h>

#include "riscv.h"

/*
 * The SBI PMU firmware events (SBI v2.0, chapter 11, event type 15) that pass through the
 * runtime, with the spec's codes: each RECEIVED code is its SENT code + 1. Misaligned
 * accesses are delegated to the guest and HFENCE is never offered, so those events are not.
 */
enum pmu_fw_event {
	PMU_FW_ACCESS_LOAD = 2,
	PMU_FW_ACCESS_STORE = 3,
	PMU_FW_ILLEGAL_INSN = 4,
	PMU_FW_SET_TIMER = 5,
	PMU_FW_IPI_SENT = 6,
	PMU_FW_IPI_RECEIVED = 7,
	PMU_FW_FENCE_I_SENT = 8,
	PMU_FW_FENCE_I_RECEIVED = 9,
	PMU_FW_SFENCE_VMA_SENT = 10,
	PMU_FW_SFENCE_VMA_RECEIVED = 11,
	PMU_FW_SFENCE_VMA_ASID_SENT = 12,
	PMU_FW_SFENCE_VMA_ASID_RECEIVED = 13,
	PMU_FW_END,
};
#define PMU_FW_FIRST PMU_FW_ACCESS_LOAD

/*
 * Counter indices: 0 is cycle and 2 instret (index = CSR - 0xc00, as Linux expects of the
 * fixed counters); 1 would be time, which is no counter; then one firmware counter per
 * event we count, so that all of them can be counted at once.
 */
#define PMU_CYCLE       0
#define PMU_INSTRET     2
#define PMU_FW_BASE     3
#define PMU_FW_COUNTERS (PMU_FW_END - PMU_FW_FIRST)
#define PMU_COUNTERS    (PMU_FW_BASE + PMU_FW_COUNTERS)

struct pmu_counter {
	uint32_t event; /* the SBI event_idx it is configured for; 0: free */
	bool started;
	/*
	 * Firmware counters: the value while stopped; while started, the value less the event's
	 * tally (below), so that reading it is one addition. Hardware counters: the value while
	 * stopped with an event; while running (started, or free: a guest that never asks the PMU
	 * sees them run), what is added to the hart's counter to read it.
	 */
	uint64_t value;
};

/*
 * Everything here belongs to the vCPU's own thread except `counting` and `tally`: another
 * vCPU's thread that sends this one an IPI or a fence reads `counting` and adds to the
 * RECEIVED tally, atomically.
 */
struct vcpu_pmu {
	uint32_t counting;          /* bit e: a started counter counts firmware event e */
	uint64_t tally[PMU_FW_END]; /* how often event e happened while its bit was set */
	struct pmu_counter ctr[PMU_COUNTERS];
};

struct vcpu;

/* n more of firmware event e on this vCPU: a load and a branch while no counter counts it. */
static inline bool pmu_fw_counting(const struct vcpu_pmu *p, enum pmu_fw_event e)
{
	return __atomic_load_n(&p->counting, __ATOMIC_RELAXED) & 1U << e;
}

static inline void pmu_fw_count(struct vcpu_pmu *p, enum pmu_fw_event e, uint64_t n)
{
	if (pmu_fw_counting(p, e))
		__atomic_fetch_add(&p->tally[e], n, __ATOMIC_RELAXED);
}

/* The trap with this exception cause is handed to the guest. */
static inline void pmu_fw_trap(struct vcpu_pmu *p, uint64_t cause)
{
	if (cause == EXC_ILLEGAL_INSN)
		pmu_fw_count(p, PMU_FW_ILLEGAL_INSN, 1);
	else if (cause == EXC_LOAD_ACCESS)
		pmu_fw_count(p, PMU_FW_ACCESS_LOAD, 1);
	else if (cause == EXC_STORE_ACCESS)
		pmu_fw_count(p, PMU_FW_ACCESS_STORE, 1);
}

/*
 * How many vCPUs have a firmware counter started, so that an IPI or fence sent while none
 * has (nearly always) costs one load. Only a hint: it is never below the truth, since each
 * vCPU's own thread moves it by its own `counting` going from or to 0.
 */
extern uint32_t pmu_vcpus_counting;

void pmu_fw_count_sent(struct vcpu *v, unsigned long targets, enum pmu_fw_event sent);

/* v sent an IPI or fence (a SENT event) to the vCPUs in `targets`: each of them received one. */
static inline void pmu_fw_sent(struct vcpu *v, unsigned long targets, enum pmu_fw_event sent)
{
	if (__atomic_load_n(&pmu_vcpus_counting, __ATOMIC_RELAXED))
		pmu_fw_count_sent(v, targets, sent);
}

/* The guest's value of hardware counter i (PMU_CYCLE or PMU_INSTRET), on its vCPU's thread. */
uint64_t pmu_hw_read(const struct vcpu_pmu *p, unsigned i);

/* Every counter free and stopped, as on a hart that has just started. */
void pmu_reset(struct vcpu_pmu *p);

struct vm;

/* The boot log line saying what the guest's counters count. */
void pmu_report(const struct vm *vm);

#endif
