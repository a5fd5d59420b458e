// SPDX-License-Identifier: BSD-2-Clause
// dv-hw's entry window: a UART interrupt taken at the runtime's HURET still reaches the guest.
#include "hooks.h"
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"
#include "uart_irq.h"

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
	uart_irq_keys();
	sbi_ecall(DVMODEL_EID_HOLD_HURET, 0, 0, 0, 0, 0, 0, 0);
	irq_enable();
	while (!uart_key_irqs)
		;
	gprintf("entry_rewind: got '%c'\n", uart_key);
	expect_eq(uart_key, 'r', "the key the console script typed");
	test_end();
}
