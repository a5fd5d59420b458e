// SPDX-License-Identifier: BSD-2-Clause
/*
 * The 16550's registers read from a shadow page while nothing waits in it: thousands of
 * loads and the row checks that the VM's exit report counts next to no MMIO exits. Then a
 * key typed while a hart spins on LSR, on another hart than the one the key's host
 * interrupt reaches when there are several: that hart must stop reading the shadow (its
 * G-stage TLB flushed) and see the byte, exactly once.
 */
#include "mmio.h"
#include "print.h"
#include "sbi.h"
#include "smp.h"
#include "test.h"

#define UART_RBR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7
#define LSR_DR   0x01
#define LSR_IDLE 0x60 /* THR empty, transmitter empty */
#define ROUNDS   1000

/* The byte the polling hart read, plus one (0: none yet), and which hart read it. */
static volatile unsigned long got, got_on;

static uint8_t rd(unsigned reg)
{
	return (uint8_t)mmio_lbu(UART_BASE + reg);
}

static void quiet_loads(void)
{
	static const unsigned regs[] = { UART_RBR, UART_IER, UART_IIR, UART_LCR,
					 UART_MCR, UART_LSR, UART_MSR, UART_SCR };
	uint8_t first[8];
	unsigned changed = 0;

	for (unsigned r = 0; r < 8; r++)
		first[r] = rd(regs[r]);
	expect_eq(first[5], LSR_IDLE, "LSR: idle transmitter, nothing received");
	expect_eq(first[2] & 0x0f, 0x01, "IIR: no interrupt pending");
	for (unsigned i = 0; i < ROUNDS; i++)
		for (unsigned r = 0; r < 8; r++)
			changed += rd(regs[r]) != first[r];
	expect_eq(changed, 0, "registers read the same every time");
	gprintf("uart_shadow: %u loads of the 8 registers\n", ROUNDS * 8 + 8);
}

static void wait_key(unsigned long hartid, unsigned long opaque, unsigned long entry_pc)
{
	(void)opaque;
	(void)entry_pc;
	while (!(rd(UART_LSR) & LSR_DR))
		;
	got_on = hartid;
	smp_mb();
	got = rd(UART_RBR) + 1UL;
}

int main(unsigned long hartid)
{
	bool smp;

	test_start("uart_shadow");
	smp_init(hartid);
	quiet_loads();
	smp = sbi_hart_get_status(1).error == SBI_SUCCESS;
	if (smp && !expect_sbi(smp_start(1, wait_key, 0), SBI_SUCCESS, "hart_start 1"))
		test_end();
	gprintf("uart_shadow: press a key\n");
	if (smp)
		while (!got)
			;
	else
		wait_key(hartid, 0, 0);
	smp_mb();
	expect_eq(got, 'k' + 1UL, "the key typed");
	expect_eq(got_on, smp ? 1 : 0, "read on the polling hart");
	expect_eq(rd(UART_LSR), LSR_IDLE, "LSR: nothing more received");
	gprintf("uart_shadow: hart %lu read '%c'\n", got_on, (char)(got - 1));
	test_end();
}
