// SPDX-License-Identifier: BSD-2-Clause
/* Host fakes of the dv.h and console.h interfaces that record every call for the unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "dv.h"
#include "fake_dv.h"

struct fake_dv fake_dv;

void fake_dv_reset(void)
{
	memset(&fake_dv, 0, sizeof(fake_dv));
}

void fake_guest_map(uint64_t gva, uint64_t val, int fault)
{
	struct fake_guest_word *w;

	if (fake_dv.nr_guest == FAKE_GUEST_WORDS) {
		fprintf(stderr, "fake_dv: too many fake guest words\n");
		abort();
	}
	w = &fake_dv.guest[fake_dv.nr_guest++];
	w->gva = gva;
	w->val = val;
	w->fault = fault;
}

static const struct fake_guest_word *guest_word(uint64_t gva)
{
	unsigned i;

	for (i = 0; i < fake_dv.nr_guest; i++)
		if (fake_dv.guest[i].gva == gva && !fake_dv.guest[i].fault)
			return &fake_dv.guest[i];
	return NULL;
}

static long fake_vcpu_run(unsigned id)
{
	(void)id;
	fake_dv.runs++;
	return fake_dv.run_ret;
}

long (*dv_vcpu_run)(unsigned id) = fake_vcpu_run;

uint64_t dv_hart_counter(unsigned csr)
{
	return csr == DV_CSR_INSTRET ? fake_dv.instret : fake_dv.cycle;
}

long dv_vcsr_read(unsigned id, unsigned csr, uint64_t *val)
{
	fake_dv.vcsr_reads++;
	if (id >= DV_MAX_VCPUS || csr >= DV_VCSR_NR)
		return -DV_EINVAL;
	*val = fake_dv.vcsr[id][csr];
	return 0;
}

long dv_vcsr_write(unsigned id, unsigned csr, uint64_t val)
{
	fake_dv.vcsr_writes++;
	if (id >= DV_MAX_VCPUS || csr >= DV_VCSR_NR)
		return -DV_EINVAL;
	fake_dv.vcsr[id][csr] = val;
	return 0;
}

long dv_gpt_write(uint64_t table_pa, unsigned idx, uint64_t pte)
{
	struct fake_gpt_store *s = &fake_dv.gpt[fake_dv.gpt_writes % FAKE_GPT_LOG];

	s->table_pa = table_pa;
	s->idx = idx;
	s->pte = pte;
	fake_dv.gpt_writes++;
	return 0;
}

long dv_vcpu_kick(unsigned id)
{
	fake_dv.kicks++;
	fake_dv.last_kick = id;
	return 0;
}

void dv_vcpu_kick_deferred(unsigned long ids)
{
	for (unsigned id = 0; ids >> id; id++)
		if (ids >> id & 1)
			dv_vcpu_kick(id);
}

long dv_vcpu_start(unsigned id, uint64_t pc, uint64_t sp, uint64_t arg)
{
	(void)id;
	(void)pc;
	(void)sp;
	(void)arg;
	return 0;
}

void dv_vcpu_stop(void)
{
	abort();
}

static long fake_fetch_insn(uint64_t gva, uint32_t *insn)
{
	const struct fake_guest_word *w = guest_word(gva);

	fake_dv.guest_loads++;
	if (!w)
		return -DV_EFAULT;
	*insn = (uint32_t)w->val;
	return 0;
}

static long fake_load64(uint64_t gva, uint64_t *val)
{
	const struct fake_guest_word *w = guest_word(gva);

	fake_dv.guest_loads++;
	if (!w)
		return -DV_EFAULT;
	*val = w->val;
	return 0;
}

long (*dv_guest_fetch_insn)(uint64_t gva, uint32_t *insn) = fake_fetch_insn;
long (*dv_guest_load64)(uint64_t gva, uint64_t *val) = fake_load64;

void *dv_dma_area(void)
{
	static uint64_t area[DV_EXIT_DMA_SIZE / 8];

	return area;
}

long dv_hq_submit(unsigned hdev, unsigned q, const struct dv_dma_seg *seg, unsigned n)
{
	fake_dv.last_hdev = hdev;
	fake_dv.last_q = q;
	if (fake_dv.submit_ret)
		return fake_dv.submit_ret;
	for (unsigned i = 0; i < n && fake_dv.nr_seg < FAKE_DMA_SEGS; i++)
		fake_dv.seg[fake_dv.nr_seg++] = seg[i];
	return fake_dv.submits++;
}

long dv_hq_reap(unsigned hdev, unsigned q, struct dv_dma_done *done, unsigned max)
{
	unsigned n = fake_dv.nr_done < max ? fake_dv.nr_done : max;

	fake_dv.last_hdev = hdev;
	fake_dv.last_q = q;
	memmove(done, fake_dv.done, n * sizeof(*done));
	fake_dv.nr_done -= n;
	memmove(fake_dv.done, fake_dv.done + n, fake_dv.nr_done * sizeof(*done));
	return n;
}

long dv_hdev_reset(unsigned hdev)
{
	fake_dv.last_hdev = hdev;
	fake_dv.hdev_resets++;
	return 0;
}

/* Nothing under test may end the runtime: doing so is a test failure. */
void dv_exit(long reason)
{
	fprintf(stderr, "fake_dv: dv_exit(%ld) called\n", reason);
	abort();
}

long dv_fixup_init(void)
{
	return 0;
}

void console_putc(char c)
{
	if (fake_dv.out_len < FAKE_CONSOLE_LEN - 1)
		fake_dv.out[fake_dv.out_len++] = c;
	if (fake_dv.log && fake_dv.log_len < fake_dv.log_size)
		fake_dv.log[fake_dv.log_len++] = (uint8_t)c;
}

int console_getc(void)
{
	fake_dv.getc_calls++;
	if (!fake_dv.in || !*fake_dv.in)
		return -1;
	return (unsigned char)*fake_dv.in++;
}
