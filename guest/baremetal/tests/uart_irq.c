// SPDX-License-Identifier: BSD-2-Clause
// The 16550's interrupt side: IIR, THRE re-arming, loopback RX through the PLIC, bus errors.
#include "mmio.h"
#include "riscv.h"
#include "test.h"
#include "trap.h"

/* 16550 registers (reg-shift 0) and the bits used here. */
#define UART_RBR   0
#define UART_THR   0
#define UART_IER   1
#define UART_IIR   2
#define UART_MCR   4
#define UART_LSR   5
#define UART_MSR   6
#define IER_ERBFI  0x01
#define IER_ETBEI  0x02
#define IIR_NO_INT 0x01
#define IIR_THRE   0x02
#define IIR_RDA    0x04
#define MCR_LOOP   0x10
#define LSR_DR     0x01
#define LSR_THRE   0x20
#define LSR_TEMT   0x40
#define UART_WINDOW_END 0x100 /* registers end at 8, the window at 0x100 */

/* The PLIC registers of source 10 (the UART) and context 0 (vCPU 0, S-mode). */
#define PLIC_BASE     0x0c000000UL
#define UART_IRQ      10
#define UART_IRQ_BIT  (1u << UART_IRQ)
#define PLIC_PRIO     (PLIC_BASE + 4 * UART_IRQ)
#define PLIC_PENDING0 (PLIC_BASE + 0x1000)
#define PLIC_ENABLE0  (PLIC_BASE + 0x2000)
#define PLIC_THRESH   (PLIC_BASE + 0x200000)
#define PLIC_CLAIM    (PLIC_BASE + 0x200004)

static const uint8_t loop_bytes[] = { 0x5a, 0xa5 };

/* Per supervisor external interrupt taken: what it claimed, what IIR said, RBR's byte. */
static volatile unsigned long irqs;
static volatile uint32_t claimed[sizeof(loop_bytes)];
static volatile uint8_t iir_seen[sizeof(loop_bytes)], received[sizeof(loop_bytes)];

static uint8_t rd(unsigned reg)
{
	return (uint8_t)mmio_lbu(UART_BASE + reg);
}

static void wr(unsigned reg, uint8_t v)
{
	mmio_sb(UART_BASE + reg, v);
}

static bool uart_pending(void)
{
	return mmio_lwu(PLIC_PENDING0) & UART_IRQ_BIT;
}

/* Waiting for an interrupt that cannot come would hang: end the test instead. */
static void require(bool cond, const char *what)
{
	if (!expect(cond, what))
		test_end();
}

/*
 * One received byte per interrupt: claim, note IIR, read RBR, complete. An interrupt
 * beyond one per byte sent fails at once and ends the test: the source might storm. A
 * byte still waiting after the completion must have pended 10 again, or the wait for
 * its interrupt would never end.
 */
static void on_external(struct trap_frame *f)
{
	(void)f;
	if (!expectf(irqs < sizeof(received), "external interrupt %lu, %u expected",
		     irqs + 1, (unsigned)sizeof(received)))
		test_end();
	claimed[irqs] = (uint32_t)mmio_lwu(PLIC_CLAIM);
	iir_seen[irqs] = rd(UART_IIR);
	received[irqs] = rd(UART_RBR);
	mmio_sw(PLIC_CLAIM, claimed[irqs]);
	irqs++;
	if (rd(UART_LSR) & LSR_DR)
		require(uart_pending(), "completion with RX data left pends 10 again");
}

static void iir_thre(void)
{
	static const char line[] = "uart_irq: THR writes re-arm THRE";

	wr(UART_IER, 0);
	expect_eq(rd(UART_IIR), IIR_NO_INT, "IIR with IER = 0");
	wr(UART_IER, IER_ETBEI);
	expect_eq(rd(UART_IER), IER_ETBEI, "IER reads back ETBEI");
	expect_eq(rd(UART_IIR), IIR_THRE, "IIR reports THRE once ETBEI is set");
	expect_eq(rd(UART_IIR), IIR_NO_INT, "reading IIR acknowledged THRE");
	for (const char *p = line; *p; p++) {
		wr(UART_THR, (uint8_t)*p);
		if (!expect_eq(rd(UART_IIR), IIR_THRE, "THR write re-arms THRE") ||
		    !expect_eq(rd(UART_IIR), IIR_NO_INT, "reading IIR acknowledged THRE"))
			break;
	}
	wr(UART_IER, 0);
	wr(UART_THR, '\n');
	expect_eq(rd(UART_IIR), IIR_NO_INT, "THRE masked with ETBEI clear");
}

/*
 * Stores must be byte stores of registers 0..7, always. Loads are that strict only while
 * a load could matter (here: a byte waits, put there by loopback); while none could, the
 * page is a read-only shadow, and loads of any width or offset read it without an exit:
 * the registers at 0..7, zeros past them (docs/devices.md).
 */
static void bus_errors(void)
{
	expect_store_fault(UART_BASE, mmio_sw, "32-bit store to THR");
	expect_store_fault(UART_BASE + 8, mmio_sb, "byte store past the registers");
	expect_eq(mmio_lhu(UART_BASE + UART_MCR), (LSR_THRE | LSR_TEMT) << 8,
		  "idle: 16-bit load of MCR and LSR from the shadow");
	expect_eq(mmio_lbu(UART_BASE + 8), 0, "idle: byte load past the registers reads 0");
	wr(UART_MCR, MCR_LOOP);
	wr(UART_THR, 0x3c);
	expect_load_fault(UART_BASE, mmio_lhu, "16-bit load of RBR");
	expect_load_fault(UART_BASE + 8, mmio_lbu, "byte load past the registers");
	expect_load_fault(UART_BASE + UART_WINDOW_END - 1, mmio_lbu, "byte load at the window's end");
	expect_eq(rd(UART_RBR), 0x3c, "the looped-back byte, after the faults");
	expect_eq(rd(UART_LSR), LSR_THRE | LSR_TEMT, "nothing more received");
	wr(UART_MCR, 0);
}

static void read_only(unsigned reg, const char *what)
{
	uint8_t v = rd(reg);

	wr(reg, (uint8_t)~v);
	expectf(rd(reg) == v, "%s changed by a write of 0x%x", what, (uint8_t)~v);
}

/*
 * Loopback: THR bytes land in the receiver. With ERBFI they raise the RX interrupt, which
 * must come through PLIC source 10 and stay up until every byte has been read.
 */
static void loopback_rx(void)
{
	wr(UART_MCR, MCR_LOOP);
	expect_eq(rd(UART_MCR), MCR_LOOP, "MCR reads back loopback");
	wr(UART_IER, IER_ERBFI);
	expect_eq(rd(UART_IIR), IIR_NO_INT, "no RX interrupt before data");
	for (unsigned i = 0; i < sizeof(loop_bytes); i++)
		wr(UART_THR, loop_bytes[i]);
	expect(rd(UART_LSR) & LSR_DR, "loopback: LSR.DR set");
	expect_eq(rd(UART_IIR), IIR_RDA, "loopback: IIR reports RX data");
	expect_eq(rd(UART_IIR), IIR_RDA, "reading IIR does not acknowledge RX data");

	mmio_sw(PLIC_PRIO, 1);
	mmio_sw(PLIC_THRESH, 0);
	mmio_sw(PLIC_ENABLE0, UART_IRQ_BIT);
	require(uart_pending(), "RX data: PLIC pending bit 10 set");
	trap_on_irq(IRQ_S_EXT, on_external);
	csr_set(sie, SIE_SEIE);
	wait_irq_count(&irqs, sizeof(loop_bytes));
	for (unsigned i = 0; i < sizeof(loop_bytes); i++)
		expectf(claimed[i] == UART_IRQ && iir_seen[i] == IIR_RDA &&
				received[i] == loop_bytes[i],
			"interrupt %u: claim %u IIR 0x%x RBR 0x%x, want %u 0x%x 0x%x", i,
			claimed[i], iir_seen[i], received[i], UART_IRQ, IIR_RDA, loop_bytes[i]);
	expect(!(rd(UART_LSR) & LSR_DR), "LSR.DR clear once RBR is drained");
	expect_eq(rd(UART_IIR), IIR_NO_INT, "no RX interrupt once RBR is drained");
	expect(!uart_pending(), "PLIC pending bit 10 clear once RBR is drained");

	irq_disable();
	csr_clear(sie, SIE_SEIE);
	mmio_sw(PLIC_ENABLE0, 0);
	wr(UART_IER, 0);
	wr(UART_MCR, 0);
}

int main(void)
{
	test_start("uart_irq");
	irq_disable();
	iir_thre();
	bus_errors();
	expect_eq(rd(UART_LSR), LSR_THRE | LSR_TEMT, "LSR of an idle UART");
	read_only(UART_LSR, "LSR");
	read_only(UART_MSR, "MSR");
	loopback_rx();
	test_end();
}
