// SPDX-License-Identifier: BSD-2-Clause
// Cross-vCPU micro-benchmarks: virtual IPI round trip and remote fence, in instructions (icount).
#include "measure.h"
#include "smp.h"
#include "trap.h"

#define SBI_RFENCE_SFENCE_VMA 1

/* Under -icount all harts share one instruction count: a waiting hart must sleep in WFI. */
static volatile unsigned int acks;
static unsigned long measuring, partner;

/* The partner answers every IPI with one back; the measuring hart counts the answers. */
static void on_ipi(struct trap_frame *f)
{
	(void)f;
	csr_clear(sip, SIE_SSIE);
	if (smp_hartid() == partner)
		sbi_send_ipi(1UL << measuring, 0);
	else
		smp_fetch_add(&acks, 1);
}

/* The partner says it is up with an IPI of its own, so nobody polls its HSM state. */
static void partner_main(unsigned long hartid, unsigned long opaque, unsigned long pc)
{
	(void)hartid;
	(void)opaque;
	(void)pc;
	csr_set(sie, SIE_SSIE);
	csr_set(sstatus, SSTATUS_SIE);
	sbi_send_ipi(1UL << measuring, 0);
	for (;;)
		asm volatile("wfi");
}

static void wait_acks(unsigned int want)
{
	while (acks != want)
		asm volatile("wfi");
}

/* One round trip: IPI to the partner, which answers with an IPI; wait for the answer. */
static void ipi_round_trip(void)
{
	unsigned int want = acks + 1;

	sbi_send_ipi(1UL << partner, 0);
	wait_acks(want);
}

static void remote_fence(void)
{
	sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1UL << partner, 0, 0x80200000, 0x1000, 0,
		  0);
}

int main(unsigned long hartid, const void *dtb)
{
	struct sample s;

	(void)dtb;
	smp_init(hartid);
	/* Natively OpenSBI's boot hart is any of them: the partner is the next one. */
	measuring = hartid;
	partner = (hartid + 1) % 4;
	trap_on_irq(IRQ_S_SOFT, on_ipi);
	csr_set(sie, SIE_SSIE);
	csr_set(sstatus, SSTATUS_SIE);
	if (smp_start(partner, partner_main, 0).error) {
		gprintf("bench_smp: hart %lu does not start\n", partner);
		return 1;
	}
	wait_acks(1);
	gprintf("bench_smp: hart %lu measures, hart %lu answers\n", hartid, partner);
	MEASURE(&s, ipi_round_trip());
	report("ipi_roundtrip", &s);
	s.cycles /= 2;
	s.exits = s.exits > 0 ? s.exits / 2 : s.exits;
	report("ipi_oneway", &s);
	MEASURE(&s, remote_fence());
	report("rfence", &s);
	return 0;
}
