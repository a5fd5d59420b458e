// SPDX-License-Identifier: BSD-2-Clause
// The virtual PLIC: WARL and reserved registers, bus errors, and UART THRE interrupts end to end.
#include "mmio.h"
#include "riscv.h"
#include "test.h"
#include "trap.h"

/* PLIC 1.0.0 layout; the only context is 0, vCPU 0's S-mode external interrupt. */
#define PLIC_BASE         0x0c000000UL
#define PLIC_PRIORITY(i)  (PLIC_BASE + 4 * (i))
#define PLIC_PENDING(w)   (PLIC_BASE + 0x1000 + 4 * (w))
#define PLIC_ENABLE(c, w) (PLIC_BASE + 0x2000 + 0x80 * (c) + 4 * (w))
#define PLIC_THRESHOLD(c) (PLIC_BASE + 0x200000 + 0x1000 * (c))
#define PLIC_CLAIM(c)     (PLIC_THRESHOLD(c) + 4)
#define PLIC_END          (PLIC_BASE + 0x600000)
#define PLIC_LAST_CTX     15871 /* the highest context the layout has room for */
#define PLIC_MAX_PRIO     7

#define UART_IRQ     10
#define UART_IRQ_BIT (1u << UART_IRQ)

/* 16550 registers and bits used here. */
#define UART_THR      0
#define UART_IER      1
#define UART_IIR      2
#define IER_ETBEI     0x02
#define IIR_NO_INT    0x01
#define IIR_THRE      0x02

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static volatile unsigned long irqs; /* supervisor external interrupts taken */
static volatile unsigned long irq_budget; /* how many of them the test has caused so far */
static volatile uint32_t irq_claim, irq_iir; /* what the last one claimed, what IIR said */

static uint32_t plic_rd(uintptr_t addr)
{
	return (uint32_t)mmio_lwu(addr);
}

static void plic_wr(uintptr_t addr, uint32_t v)
{
	mmio_sw(addr, v);
}

static uint8_t uart_rd(unsigned reg)
{
	return (uint8_t)mmio_lbu(UART_BASE + reg);
}

static void uart_wr(unsigned reg, uint8_t v)
{
	mmio_sb(UART_BASE + reg, v);
}

static bool uart_pending(void)
{
	return plic_rd(PLIC_PENDING(0)) & UART_IRQ_BIT;
}

/*
 * Claim, acknowledge THRE by reading IIR, complete. One interrupt more than the THRE
 * events caused so far fails at once and ends the test: the source might storm.
 */
static void on_external(struct trap_frame *f)
{
	(void)f;
	irq_claim = plic_rd(PLIC_CLAIM(0));
	irq_iir = uart_rd(UART_IIR);
	plic_wr(PLIC_CLAIM(0), irq_claim);
	irqs++;
	if (!expectf(irqs <= irq_budget, "external interrupt %lu, %lu expected (claim %u, IIR 0x%x)",
		     irqs, irq_budget, irq_claim, irq_iir))
		test_end();
}

/* Waiting for an interrupt that cannot come would hang: end the test instead. */
static void require(bool cond, const char *what)
{
	if (!expect(cond, what))
		test_end();
}

/* Allows one more interrupt: before causing it, as with sstatus.SIE set it comes at once. */
static void budget_one_more(void)
{
	irq_budget = irqs + 1;
}

/* Sleeps until every budgeted interrupt has been taken; returns with sstatus.SIE set. */
static void wait_budgeted(void)
{
	wait_irq_count(&irqs, irq_budget);
}

/* Re-enabling ETBEI with THR empty (always, here) is a new THRE event, without output. */
static void thre_event(void)
{
	uart_wr(UART_IER, 0);
	uart_wr(UART_IER, IER_ETBEI);
}

static void priorities(void)
{
	plic_wr(PLIC_PRIORITY(UART_IRQ), 0xffffffff);
	expect_eq(plic_rd(PLIC_PRIORITY(UART_IRQ)), PLIC_MAX_PRIO, "priority is WARL to 3 bits");
	plic_wr(PLIC_PRIORITY(UART_IRQ), 0);
	plic_wr(PLIC_PRIORITY(0), PLIC_MAX_PRIO);
	expect_eq(plic_rd(PLIC_PRIORITY(0)), 0, "source 0 has no priority");
	plic_wr(PLIC_PRIORITY(95), 3);
	expect_eq(plic_rd(PLIC_PRIORITY(95)), 3, "source 95, the last one, has a priority");
	plic_wr(PLIC_PRIORITY(95), 0);
	plic_wr(PLIC_PRIORITY(96), PLIC_MAX_PRIO);
	expect_eq(plic_rd(PLIC_PRIORITY(96)), 0, "source 96 does not exist");
	plic_wr(PLIC_PRIORITY(200), PLIC_MAX_PRIO);
	expect_eq(plic_rd(PLIC_PRIORITY(200)), 0, "source 200 does not exist");
}

/* Enable words 0..2 hold sources 0..95, all writable but source 0; words 3 on hold none. */
static void enables(void)
{
	static const uint32_t want[] = { 0xfffffffe, 0xffffffff, 0xffffffff, 0, 0 };
	static const unsigned word[] = { 0, 1, 2, 3, 31 };

	for (unsigned i = 0; i < ARRAY_SIZE(word); i++) {
		plic_wr(PLIC_ENABLE(0, word[i]), 0xffffffff);
		expectf(plic_rd(PLIC_ENABLE(0, word[i])) == want[i],
			"enable word %u reads 0x%x after writing all ones, want 0x%x", word[i],
			plic_rd(PLIC_ENABLE(0, word[i])), want[i]);
		plic_wr(PLIC_ENABLE(0, word[i]), 0);
		expectf(plic_rd(PLIC_ENABLE(0, word[i])) == 0, "enable word %u clears", word[i]);
	}
}

static void threshold(void)
{
	plic_wr(PLIC_THRESHOLD(0), 0xf);
	expect_eq(plic_rd(PLIC_THRESHOLD(0)), PLIC_MAX_PRIO, "threshold is WARL to 3 bits");
	plic_wr(PLIC_THRESHOLD(0), 0);
	expect_eq(plic_rd(PLIC_THRESHOLD(0)), 0, "threshold clears");
}

/* With the UART quiet and its source armed, nothing is pending and nothing is claimable. */
static void idle(void)
{
	expect_eq(plic_rd(PLIC_PENDING(0)), 0, "nothing pending at reset");
	plic_wr(PLIC_PENDING(0), 0xffffffff);
	expect_eq(plic_rd(PLIC_PENDING(0)), 0, "pending ignores writes of ones");
	plic_wr(PLIC_PRIORITY(UART_IRQ), 1);
	plic_wr(PLIC_ENABLE(0, 0), UART_IRQ_BIT);
	expect_eq(plic_rd(PLIC_CLAIM(0)), 0, "claim with nothing pending returns 0");
	plic_wr(PLIC_CLAIM(0), UART_IRQ);
	plic_wr(PLIC_CLAIM(0), 77);
	expect_eq(plic_rd(PLIC_PENDING(0)), 0, "completing unclaimed 10 and 77: word 0 unchanged");
	expect_eq(plic_rd(PLIC_PENDING(2)), 0, "completing unclaimed 10 and 77: word 2 unchanged");
	expect_eq(plic_rd(PLIC_CLAIM(0)), 0, "completing unclaimed ids makes nothing claimable");
	plic_wr(PLIC_ENABLE(0, 0), 0);
	plic_wr(PLIC_PRIORITY(UART_IRQ), 0);
}

/*
 * Registers of a context that does not exist, and the first address past the window. (The
 * enable words are read from a read-only page without an exit: those of context 1 read 0,
 * see bus_errors.)
 */
static const struct {
	uintptr_t addr;
	const char *load, *store;
} no_register[] = {
	{ PLIC_THRESHOLD(1), "load of context 1's threshold", "store to context 1's threshold" },
	{ PLIC_CLAIM(PLIC_LAST_CTX), "load of context 15871's claim",
	  "store to context 15871's claim" },
	{ PLIC_END, "load past the window", "store past the window" },
};

/*
 * Bad widths and alignment at source 10's priority, whose value the refused stores must
 * keep, then addresses where no register is.
 */
static void bus_errors(void)
{
	uintptr_t prio = PLIC_PRIORITY(UART_IRQ);

	plic_wr(prio, 5);
	expect_load_fault(prio, mmio_lhu, "16-bit load");
	expect_store_fault(prio, mmio_sh, "16-bit store");
	expect_load_fault(prio, mmio_ld, "64-bit load");
	expect_store_fault(prio, mmio_sd, "64-bit store");
	expect_load_fault(prio + 2, mmio_lwu, "misaligned 32-bit load");
	expect_store_fault(prio + 2, mmio_sw, "misaligned 32-bit store");
	expect_eq(plic_rd(prio), 5, "refused stores leave the priority alone");
	plic_wr(prio, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(no_register); i++) {
		expect_load_fault(no_register[i].addr, mmio_lwu, no_register[i].load);
		expect_store_fault(no_register[i].addr, mmio_sw, no_register[i].store);
	}
	expect_eq(mmio_lwu(PLIC_ENABLE(1, 0)), 0, "load of context 1's enables");
	expect_store_fault(PLIC_ENABLE(1, 0), mmio_sw, "store to context 1's enables");
	expect_eq(mmio_lwu(PLIC_ENABLE(1, 0)), 0, "context 1's enables after the refused store");
}

/*
 * Follow one THRE event through the pending bit, claims and completions, valid and not,
 * with interrupts off. Until IIR is read the UART's level stays high, so completing 10
 * lets the gateway forward it again; that second request is taken as an interrupt.
 * (sip.SEIP would show the line directly, but QEMU 7.2's VS-mode sip shows SSIP only.)
 */
static void claim_cycle(void)
{
	thre_event();
	expect(uart_pending(), "THRE event: pending bit 10 set");
	plic_wr(PLIC_PENDING(0), 0);
	expect(uart_pending(), "pending ignores writes of zeros");
	plic_wr(PLIC_CLAIM(0), UART_IRQ);
	plic_wr(PLIC_CLAIM(0), 77);
	expect(uart_pending(), "completing unclaimed 10 and 77 leaves 10 pending");
	expect_eq(plic_rd(PLIC_CLAIM(0)), UART_IRQ, "claim returns the UART's source");
	expect(!uart_pending(), "pending bit 10 clear once claimed");
	plic_wr(PLIC_CLAIM(0), 77);
	expect(!uart_pending(), "completing unclaimed 77 does not release 10");
	plic_wr(PLIC_CLAIM(0), UART_IRQ);
	require(uart_pending(), "completing 10 with the line high pends it again");
	budget_one_more();
	wait_budgeted();
	irq_disable();
	expect_eq(irq_claim, UART_IRQ, "re-pended 10: handler claimed it");
	expect_eq(irq_iir, IIR_THRE, "re-pended 10: handler saw IIR report THRE");
	expect(!uart_pending(), "pending bit 10 clear after IIR read and completion");
	expect_eq(uart_rd(UART_IIR), IIR_NO_INT, "IIR read acknowledged THRE");
	expect_eq(plic_rd(PLIC_CLAIM(0)), 0, "nothing left to claim");
}

/*
 * Each byte written to THR is one THRE event and must give exactly one interrupt. A
 * second one for the same byte would be taken as soon as the handler returns, before the
 * next byte is budgeted, and fail there.
 */
static void thre_per_byte(void)
{
	static const char line[] = "plic: one external interrupt per THR byte\n";

	for (const char *p = line; *p; p++) {
		budget_one_more();
		uart_wr(UART_THR, (uint8_t)*p);
		wait_budgeted();
		if (!expect_eq(irq_claim, UART_IRQ, "handler claimed the UART's source") ||
		    !expect_eq(irq_iir, IIR_THRE, "handler saw IIR report THRE"))
			break;
	}
	expect_eq(uart_rd(UART_IIR), IIR_NO_INT, "no THRE left after the line");
	irq_disable();
}

/*
 * Priority 1 does not exceed threshold 1: the line stays low (the handler fails any
 * interrupt, none being budgeted), yet a claim still finds 10.
 */
static void threshold_masks(void)
{
	plic_wr(PLIC_THRESHOLD(0), 1);
	irq_enable();
	thre_event();
	expect(uart_pending(), "threshold 1: pending bit 10 set");
	expect_eq(plic_rd(PLIC_CLAIM(0)), UART_IRQ, "threshold 1: claim still returns 10");
	expect_eq(uart_rd(UART_IIR), IIR_THRE, "threshold 1: IIR reports THRE");
	plic_wr(PLIC_CLAIM(0), UART_IRQ);
	plic_wr(PLIC_THRESHOLD(0), 0);
	irq_disable();
}

/* Priority 0 means never: no interrupt (the handler fails one), nothing to claim. */
static void priority_zero(void)
{
	plic_wr(PLIC_PRIORITY(UART_IRQ), 0);
	irq_enable();
	thre_event();
	expect_eq(plic_rd(PLIC_CLAIM(0)), 0, "priority 0: claim returns 0");
	expect_eq(uart_rd(UART_IIR), IIR_THRE, "priority 0: IIR reports THRE");
	irq_disable();
}

static void end_to_end(void)
{
	trap_on_irq(IRQ_S_EXT, on_external);
	csr_set(sie, SIE_SEIE);
	plic_wr(PLIC_PRIORITY(UART_IRQ), 1);
	plic_wr(PLIC_ENABLE(0, 0), UART_IRQ_BIT);
	plic_wr(PLIC_THRESHOLD(0), 0);
	claim_cycle();
	thre_per_byte();
	threshold_masks();
	priority_zero();
	uart_wr(UART_IER, 0);
	plic_wr(PLIC_ENABLE(0, 0), 0);
	csr_clear(sie, SIE_SEIE);
}

int main(void)
{
	test_start("plic");
	irq_disable();
	priorities();
	enables();
	threshold();
	idle();
	bus_errors();
	end_to_end();
	test_end();
}
