// SPDX-License-Identifier: BSD-2-Clause
/* The dv-sw implementation of the dv_* interface: each call is one minikernel syscall. */
#include <stddef.h>
#include <string.h>

#include "dv_backend.h"
#include "vm.h"

extern char dv_fixup_start[], dv_fixup_end[];

static long dv_call4(long nr, long a0, long a1, long a2, long a3, uint64_t *out)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3;
	register long r7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r7)
			 :
			 : "memory", "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a4", "a5", "a6");
	if (out)
		*out = (uint64_t)r1;
	return r0;
}

static long dv_call(long nr, long a0, long a1, long a2, uint64_t *out)
{
	return dv_call4(nr, a0, a1, a2, 0, out);
}

long dv_vcpu_start(unsigned id, uint64_t pc, uint64_t sp, uint64_t arg)
{
	return dv_call4(DV_SYS_VCPU_START, id, (long)pc, (long)sp, (long)arg, NULL);
}

void dv_vcpu_stop(void)
{
	dv_call(DV_SYS_VCPU_STOP, 0, 0, 0, NULL);
	for (;;)
		;
}

long dv_vcpu_kick(unsigned id)
{
	return dv_call(DV_SYS_VCPU_KICK, id, 0, 0, NULL);
}

void dv_vcpu_kick_deferred(unsigned long ids)
{
	struct dv_exit *ex = vcpu_current ? vcpu_current->exit : NULL;

	if (ex) {
		ex->kick |= ids;
		ex->req |= DV_REQ_KICK;
		return;
	}
	for (unsigned id = 0; ids >> id; id++)
		if (ids >> id & 1)
			dv_vcpu_kick(id);
}

long dv_entry_window(uint64_t start, uint64_t end)
{
	return dv_call(DV_SYS_ENTRY_WINDOW, (long)start, (long)end, 0, NULL);
}

long dv_vcpu_req(unsigned id)
{
	return dv_call(DV_SYS_VCPU_REQ, id, 0, 0, NULL);
}

uint64_t dv_hart_counter(unsigned csr)
{
	uint64_t n;

	if (csr == DV_CSR_INSTRET)
		__asm__ volatile("rdinstret %0" : "=r"(n));
	else
		__asm__ volatile("rdcycle %0" : "=r"(n));
	return n;
}

long dvsw_vcsr_read(unsigned id, unsigned csr, uint64_t *val)
{
	return dv_call(DV_SYS_VCSR_READ, id, csr, 0, val);
}

long dvsw_vcsr_write(unsigned id, unsigned csr, uint64_t val)
{
	return dv_call(DV_SYS_VCSR_WRITE, id, csr, (long)val, NULL);
}

long dvsw_gpt_write(uint64_t table_pa, unsigned idx, uint64_t pte)
{
	return dv_call(DV_SYS_GPT_WRITE, (long)table_pa, idx, (long)pte, NULL);
}

long dv_irq_done(unsigned irq)
{
	return dv_call(DV_SYS_IRQ_DONE, irq, 0, 0, NULL);
}

long dv_console_getc(void)
{
	uint64_t in = (uint64_t)-1;

	dv_call(DV_SYS_CONSOLE_GETC, 0, 0, 0, &in);
	return (long)in;
}

/* Segments in and completions out pass through the DMA area of this hart's exit page. */
void *dv_dma_area(void)
{
	return (char *)vcpu_current->exit + DV_EXIT_DMA;
}

long dv_hq_submit(unsigned hdev, unsigned q, const struct dv_dma_seg *seg, unsigned n)
{
	uint64_t id;
	long err;

	if (seg != dv_dma_area())
		memcpy(dv_dma_area(), seg, (n < DV_DMA_MAX_SEGS ? n : DV_DMA_MAX_SEGS) * sizeof(*seg));
	err = dv_call(DV_SYS_HQ_SUBMIT, hdev, q, n, &id);
	return err ? err : (long)id;
}

long dv_hq_reap(unsigned hdev, unsigned q, struct dv_dma_done *done, unsigned max)
{
	uint64_t n;
	long err = dv_call(DV_SYS_HQ_REAP, hdev, q, max, &n);

	if (err)
		return err;
	if (done != dv_dma_area())
		memcpy(done, dv_dma_area(), n * sizeof(*done));
	return (long)n;
}

long dv_hdev_reset(unsigned hdev)
{
	return dv_call(DV_SYS_HDEV_RESET, hdev, 0, 0, NULL);
}

long dv_fixup_init(void)
{
	return dv_call(DV_SYS_FIXUP, (long)dv_fixup_start, (long)dv_fixup_end, 0, NULL);
}

long dv_console_write(const char *buf, unsigned n)
{
	uint64_t w[DV_CONSOLE_MAX / 8] = { 0 };

	_Static_assert(DV_CONSOLE_MAX == 40, "five registers");
	memcpy(w, buf, n < DV_CONSOLE_MAX ? n : DV_CONSOLE_MAX);
	/* Set only now: the memcpy call above may use these registers. */
	register long r0 __asm__("a0") = n;
	register uint64_t r1 __asm__("a1") = w[0], r2 __asm__("a2") = w[1], r3 __asm__("a3") = w[2],
			  r4 __asm__("a4") = w[3], r5 __asm__("a5") = w[4];
	register long r7 __asm__("a7") = DV_SYS_CONSOLE;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r7)
			 :
			 : "memory", "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a6");
	return r0;
}

void dv_exit(long reason)
{
	dv_call(DV_SYS_EXIT, reason, 0, 0, NULL);
	for (;;)
		;
}
