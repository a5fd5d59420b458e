// SPDX-License-Identifier: BSD-2-Clause
// SBI SUSP and the UART: input the VM enabled wakes it, input it masked does not.
#include "mmio.h"
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "suspend.h"
#include "test.h"
#include "uart_irq.h"

#define TICKS_500MS 5000000
#define OPAQUE      0x57414b45UL /* "WAKE" */

static void suspend(resume_fn fn)
{
	struct sbiret r = suspend_to_ram(SBI_SUSP_SUSPEND_TO_RAM, fn, OPAQUE);

	expectf(false, "system_suspend returned: error %ld", r.error);
	test_end();
}

/*
 * Only the timer was enabled: that is what ended the sleep. The key typed meanwhile (its
 * host interrupt ended the wait in the minikernel) reached the UART model all the same.
 */
static __attribute__((noreturn)) void woke_on_timer(unsigned long hartid, unsigned long opaque)
{
	expect_resume(hartid, 0, opaque, OPAQUE);
	expect_timer_woke();
	while (!(mmio_lbu(UART_BASE + UART_LSR) & LSR_DR))
		;
	expect_eq(mmio_lbu(UART_BASE + UART_RBR), 'm', "the key typed while masked");
	test_end();
}

/*
 * The console script types a key once the runtime says the VM is suspended, long before
 * the deadline: the UART raises its line, but the PLIC source is disabled, so the guest
 * sees nothing.
 */
static void sleep_with_input_masked(void)
{
	mmio_sw(PLIC_ENABLE0, 0);
	csr_write(sie, 0);
	gprintf("susp_wake: asleep, input masked\n");
	wake_timer_arm(TICKS_500MS);
	suspend(woke_on_timer);
}

/* Only the UART's interrupt was enabled: it must be what ended the sleep. */
static __attribute__((noreturn)) void woke_on_input(unsigned long hartid, unsigned long opaque)
{
	uint32_t irq = (uint32_t)mmio_lwu(PLIC_CLAIM);
	uint8_t byte;

	expect_resume(hartid, 0, opaque, OPAQUE);
	if (!expect_eq(irq, UART_IRQ, "woke with the UART's interrupt to claim"))
		test_end();
	expect(mmio_lbu(UART_BASE + UART_LSR) & LSR_DR, "woke with input in the UART");
	byte = (uint8_t)mmio_lbu(UART_BASE + UART_RBR);
	mmio_sw(PLIC_CLAIM, irq);
	gprintf("susp_wake: woke on input '%c'\n", byte);
	sleep_with_input_masked();
	test_end();
}

/* The console script types a key once the runtime says the VM is suspended. */
static void sleep_until_input(void)
{
	mmio_sw(PLIC_ENABLE0, 1U << UART_IRQ);
	csr_write(sie, SIE_SEIE);
	gprintf("susp_wake: asleep until input\n");
	suspend(woke_on_input);
}

int main(void)
{
	test_start("susp_wake");
	mmio_sw(PLIC_PRIO, 1);
	mmio_sw(PLIC_THRESH, 0);
	mmio_sb(UART_BASE + UART_IER, IER_ERBFI);
	sleep_until_input();
	test_end();
}
