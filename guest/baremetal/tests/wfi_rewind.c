// SPDX-License-Identifier: BSD-2-Clause
// dv-hw's wait: a UART interrupt taken at the runtime's own WFI still ends the guest's WFI.
#include "hooks.h"
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"
#include "uart_irq.h"

/*
 * This WFI exits with nothing pending, so the runtime waits in its entry window, where the
 * model holds its WFI until the key's host interrupt is pending. Taken at that WFI, the
 * interrupt is posted; only the window's rewind to its check makes the runtime see the post
 * instead of waiting on behind it. Without it the runtime waits for an interrupt that has
 * come and gone, and the guest never returns from its WFI.
 */
int main(void)
{
	test_start("wfi_rewind");
	irq_disable();
	uart_irq_keys();
	sbi_ecall(DVMODEL_EID_HOLD_WFI, 0, 0, 0, 0, 0, 0, 0);
	wfi();
	irq_enable();
	while (!uart_key_irqs)
		;
	gprintf("wfi_rewind: got '%c'\n", uart_key);
	expect_eq(uart_key, 'w', "the key the console script typed");
	test_end();
}
