// SPDX-License-Identifier: BSD-2-Clause
// dv-hw's entry window: a UART interrupt taken at the runtime's HURET still reaches the guest.
#include "hooks.h"
#include "mmio.h"
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"
#include "uart_irq.h"

static volatile unsigned long irqs;
static volatile uint8_t key;

static void on_external(struct trap_frame *f)
{
	uint32_t irq = (uint32_t)mmio_lwu(PLIC_CLAIM);

	(void)f;
	key = (uint8_t)mmio_lbu(UART_BASE + UART_RBR);
	mmio_sw(PLIC_CLAIM, irq);
	irqs++;
}

/*
 * The model holds the runtime at the HURET that answers the hook's call until the key's
 * host interrupt is pending. Taken there, it is posted; only the rewind to the window's
 * start makes the runtime see the post before it enters the guest. Without it, the guest
 * runs on with the host IRQ claimed and never completed, and spins here for ever: the loop
 * makes no exit that would show the runtime the post.
 */
int main(void)
{
	test_start("entry_rewind");
	irq_disable();
	mmio_sw(PLIC_PRIO, 1);
	mmio_sw(PLIC_THRESH, 0);
	mmio_sw(PLIC_ENABLE0, 1U << UART_IRQ);
	mmio_sb(UART_BASE + UART_IER, IER_ERBFI);
	trap_on_irq(IRQ_S_EXT, on_external);
	csr_write(sie, SIE_SEIE);
	sbi_ecall(DVMODEL_EID_HOLD_HURET, 0, 0, 0, 0, 0, 0, 0);
	irq_enable();
	while (!irqs)
		;
	gprintf("entry_rewind: got '%c'\n", key);
	expect_eq(key, 'r', "the key the console script typed");
	test_end();
}
