// SPDX-License-Identifier: BSD-2-Clause
// The emulated 16550A: scratch register, line status, the DLAB-banked divisor latch, IER, THR.
#include "mmio.h"
#include "test.h"

/* Register offsets (reg-shift 0) and the bits used here. */
#define UART_THR 0
#define UART_DLL 0 /* with LCR.DLAB */
#define UART_IER 1
#define UART_DLM 1 /* with LCR.DLAB */
#define UART_LCR 3
#define UART_LSR 5
#define UART_SCR 7
#define LCR_DLAB 0x80
#define LCR_8N1  0x03
#define LSR_THRE 0x20
#define IER_RDI_RLSI 0x05 /* received data + receiver line status: no PLIC to notice */

static uint8_t rd(unsigned reg)
{
	return (uint8_t)mmio_lbu(UART_BASE + reg);
}

static void wr(unsigned reg, uint8_t v)
{
	mmio_sb(UART_BASE + reg, v);
}

static void scratch(void)
{
	wr(UART_SCR, 0x5a);
	expect_eq(rd(UART_SCR), 0x5a, "SCR reads back 0x5a");
	wr(UART_SCR, 0xa5);
	expect_eq(rd(UART_SCR), 0xa5, "SCR reads back 0xa5");
}

/*
 * With DLAB set, offsets 0 and 1 are the divisor latch; with it clear, 1 is IER again and
 * keeps its own value. The divisor is restored after, as it was found.
 */
static void divisor_latch(void)
{
	uint8_t lcr = rd(UART_LCR);
	uint8_t dll, dlm;

	wr(UART_IER, 0);
	wr(UART_LCR, lcr | LCR_DLAB);
	expect(rd(UART_LCR) & LCR_DLAB, "LCR.DLAB reads back set");
	dll = rd(UART_DLL);
	dlm = rd(UART_DLM);
	wr(UART_DLL, 0x0c);
	wr(UART_DLM, 0x7e);
	expect_eq(rd(UART_DLL), 0x0c, "DLL reads back");
	expect_eq(rd(UART_DLM), 0x7e, "DLM reads back");
	wr(UART_LCR, lcr & ~LCR_DLAB);
	expect_eq(rd(UART_IER), 0, "IER, not DLM, at offset 1 with DLAB clear");

	wr(UART_IER, IER_RDI_RLSI);
	expect_eq(rd(UART_IER), IER_RDI_RLSI, "IER reads back");
	wr(UART_LCR, lcr | LCR_DLAB);
	expect_eq(rd(UART_DLM), 0x7e, "DLM kept while IER was written");
	wr(UART_DLL, dll);
	wr(UART_DLM, dlm);
	wr(UART_LCR, lcr & ~LCR_DLAB);
	expect_eq(rd(UART_IER), IER_RDI_RLSI, "IER kept while the divisor was written");
	wr(UART_IER, 0);
	wr(UART_LCR, LCR_8N1);
	expect_eq(rd(UART_LCR), LCR_8N1, "LCR reads back 8N1");
}

/* A whole line straight through THR, waiting for THRE before each byte. */
static void thr_line(void)
{
	static const char line[] = "uart: direct THR line ok\n";

	for (const char *p = line; *p; p++) {
		while (!(rd(UART_LSR) & LSR_THRE))
			;
		wr(UART_THR, (uint8_t)*p);
	}
}

int main(void)
{
	test_start("uart");
	scratch();
	expect(rd(UART_LSR) & LSR_THRE, "LSR.THRE set on an idle transmitter");
	divisor_latch();
	thr_line();
	test_end();
}
