// SPDX-License-Identifier: BSD-2-Clause
/* The console's keys by the UART's receive interrupt, for the tests that wait for one. */
#include "mmio.h"
#include "riscv.h"
#include "trap.h"
#include "uart_irq.h"

volatile unsigned long uart_key_irqs;
volatile uint8_t uart_key;

static void on_key(struct trap_frame *f)
{
	uint32_t irq = (uint32_t)mmio_lwu(PLIC_CLAIM);

	(void)f;
	uart_key = (uint8_t)mmio_lbu(UART_BASE + UART_RBR);
	mmio_sw(PLIC_CLAIM, irq);
	uart_key_irqs++;
}

void uart_irq_keys(void)
{
	mmio_sw(PLIC_PRIO, 1);
	mmio_sw(PLIC_THRESH, 0);
	mmio_sw(PLIC_ENABLE0, 1U << UART_IRQ);
	mmio_sb(UART_BASE + UART_IER, IER_ERBFI);
	trap_on_irq(IRQ_S_EXT, on_key);
	csr_write(sie, SIE_SEIE);
}
