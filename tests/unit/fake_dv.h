/* SPDX-License-Identifier: BSD-2-Clause */
/* Host fakes of dv.h and console.h: what the code under test did, for the tests to check. */
#ifndef TESTS_FAKE_DV_H
#define TESTS_FAKE_DV_H

#include <stdint.h>

#include "dv_abi.h"

#define FAKE_GUEST_WORDS 8
#define FAKE_CONSOLE_LEN 256
#define FAKE_GPT_LOG     16
#define FAKE_DMA_SEGS    32
#define FAKE_DMA_DONE    16

/* One guest-virtual doubleword the guest maps, or refuses to let us read. */
struct fake_guest_word {
	uint64_t gva;
	uint64_t val;
	int fault;
};

struct fake_gpt_store {
	uint64_t table_pa;
	unsigned idx;
	uint64_t pte;
};

struct fake_dv {
	uint64_t vcsr[DV_MAX_VCPUS][DV_VCSR_NR];
	unsigned vcsr_reads, vcsr_writes;
	unsigned runs;
	long run_ret;

	struct fake_gpt_store gpt[FAKE_GPT_LOG];
	unsigned gpt_writes;

	/* guest-virtual words; any other address faults */
	struct fake_guest_word guest[FAKE_GUEST_WORDS];
	unsigned nr_guest;
	unsigned guest_loads;
	unsigned kicks;      /* dv_vcpu_kick calls */
	unsigned last_kick;

	/* host-device queues: every segment submitted (the first FAKE_DMA_SEGS), ids 0, 1, ... */
	struct dv_dma_seg seg[FAKE_DMA_SEGS];
	unsigned nr_seg;
	unsigned submits;     /* successful dv_hq_submit calls, also the next id */
	long submit_ret;      /* non-zero: what dv_hq_submit answers instead */
	unsigned last_hdev, last_q;
	struct dv_dma_done done[FAKE_DMA_DONE]; /* what dv_hq_reap hands out, tests queue them */
	unsigned nr_done;
	unsigned hdev_resets;

	char out[FAKE_CONSOLE_LEN];
	unsigned out_len;
	/* Every byte console_putc gets also goes here while there is room, when set. */
	uint8_t *log;
	unsigned long log_size, log_len;
	const char *in; /* bytes console_getc hands out, NULL or exhausted: none waiting */
	unsigned getc_calls;

	uint64_t cycle, instret; /* what dv_hart_counter reads */
};

extern struct fake_dv fake_dv;

/* Forget everything recorded and every fake guest mapping. */
void fake_dv_reset(void);

/* Let the guest map `gva` to a doubleword holding `val`, or make reading it fault. */
void fake_guest_map(uint64_t gva, uint64_t val, int fault);

#endif
