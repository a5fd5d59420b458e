// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the 16550A UART model, driven through its mmio_dev callbacks. */
#include <string.h>

#include "uart16550.h"
#include "unit.h"

#define BASE 0x10000000ULL

static char out[64];
static unsigned nr_out;
static const char *in; /* what the fake console has waiting */

static void fake_putc(char c)
{
	if (nr_out < sizeof(out))
		out[nr_out] = c;
	nr_out++;
}

static int fake_getc(void)
{
	if (!in || !*in)
		return -1;
	return (unsigned char)*in++;
}

static struct uart16550 u;

static void setup(void)
{
	nr_out = 0;
	in = NULL;
	uart16550_init(&u, BASE, fake_putc, fake_getc);
}

static uint64_t rd(uint64_t off)
{
	uint64_t val = 0xdeadbeef;

	CHECK_EQ(u.dev.read(u.dev.opaque, off, 1, &val), 0);
	return val;
}

static void wr(uint64_t off, uint64_t val)
{
	CHECK_EQ(u.dev.write(u.dev.opaque, off, 1, val), 0);
}

static void test_init_and_reset_values(void)
{
	setup();
	CHECK_EQ(u.dev.base, BASE);
	CHECK_EQ(u.dev.size, 0x100);
	CHECK(u.dev.opaque == &u);
	CHECK_EQ(rd(UART_IER), 0);
	CHECK_EQ(rd(UART_IIR), UART_IIR_NO_INT);
	CHECK_EQ(rd(UART_LCR), 0);
	CHECK_EQ(rd(UART_MCR), 0);
	CHECK_EQ(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	CHECK_EQ(rd(UART_MSR), UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
	CHECK_EQ(rd(UART_SCR), 0);
	CHECK_EQ(uart16550_irq_pending(&u), 0);
}

static void test_only_byte_access_to_registers(void)
{
	uint64_t val;
	unsigned w;

	setup();
	for (w = 2; w <= 8; w *= 2) {
		CHECK_EQ(u.dev.read(&u, UART_SCR & ~(w - 1), w, &val), -1);
		CHECK_EQ(u.dev.write(&u, UART_THR, w, 'x'), -1);
	}
	CHECK_EQ(u.dev.read(&u, 8, 1, &val), -1);
	CHECK_EQ(u.dev.write(&u, 0xff, 1, 0), -1);
	CHECK_EQ(nr_out, 0);
}

static void test_thr_goes_to_putc(void)
{
	setup();
	wr(UART_THR, 'h');
	wr(UART_THR, 'i');
	CHECK_EQ(nr_out, 2);
	CHECK_EQ(out[0], 'h');
	CHECK_EQ(out[1], 'i');
	CHECK_EQ(rd(UART_LSR) & (UART_LSR_THRE | UART_LSR_TEMT), UART_LSR_THRE | UART_LSR_TEMT);
}

/* DLAB moves offsets 0 and 1 to the divisor latch and back, leaving THR and IER alone. */
static void test_dlab_switches_to_divisor(void)
{
	setup();
	wr(UART_IER, UART_IER_ERBFI);
	wr(UART_LCR, UART_LCR_DLAB | 0x03);
	wr(UART_DLL, 0x0c);
	wr(UART_DLM, 0x34);
	CHECK_EQ(nr_out, 0);
	CHECK_EQ(rd(UART_DLL), 0x0c);
	CHECK_EQ(rd(UART_DLM), 0x34);
	CHECK_EQ(rd(UART_LCR), UART_LCR_DLAB | 0x03);
	wr(UART_LCR, 0x03);
	CHECK_EQ(rd(UART_IER), UART_IER_ERBFI);
	wr(UART_THR, 'x');
	CHECK_EQ(nr_out, 1);
	wr(UART_LCR, UART_LCR_DLAB);
	CHECK_EQ(rd(UART_DLL), 0x0c);
}

static void test_receive_fifo(void)
{
	unsigned i;

	setup();
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, 0);
	CHECK_EQ(rd(UART_RBR), 0);
	for (i = 0; i < UART16550_FIFO_SIZE; i++)
		CHECK_EQ(uart16550_receive(&u, (uint8_t)('a' + i)), 0);
	CHECK_EQ(uart16550_receive(&u, '!'), -1);
	for (i = 0; i < UART16550_FIFO_SIZE; i++) {
		CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, UART_LSR_DR);
		CHECK_EQ(rd(UART_RBR), 'a' + i);
	}
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, 0);
	/* The ring wraps. */
	CHECK_EQ(uart16550_receive(&u, 0xff), 0);
	CHECK_EQ(rd(UART_RBR), 0xff);
}

/* LSR must not consume anything, however often it is polled. */
static void test_lsr_read_has_no_side_effect(void)
{
	setup();
	uart16550_receive(&u, 'q');
	CHECK_EQ(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT | UART_LSR_DR);
	CHECK_EQ(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT | UART_LSR_DR);
	CHECK_EQ(rd(UART_RBR), 'q');
}

static void test_poll_input(void)
{
	unsigned i;

	setup();
	CHECK_EQ(uart16550_poll_input(&u), 0);
	in = "0123456789abcdefXYZ";
	CHECK_EQ(uart16550_poll_input(&u), UART16550_FIFO_SIZE);
	CHECK_EQ(*in, 'X');
	CHECK_EQ(uart16550_poll_input(&u), 0);
	CHECK_EQ(rd(UART_RBR), '0');
	CHECK_EQ(rd(UART_RBR), '1');
	CHECK_EQ(uart16550_poll_input(&u), 2);
	for (i = 0; i < 14; i++)
		rd(UART_RBR);
	CHECK_EQ(rd(UART_RBR), 'X');
	CHECK_EQ(rd(UART_RBR), 'Y');
	CHECK_EQ(uart16550_poll_input(&u), 1);
	CHECK_EQ(rd(UART_RBR), 'Z');
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, 0);
}

static void test_rx_interrupt(void)
{
	setup();
	uart16550_receive(&u, 'a');
	CHECK_EQ(uart16550_irq_pending(&u), 0);
	CHECK_EQ(rd(UART_IIR), UART_IIR_NO_INT);
	wr(UART_IER, UART_IER_ERBFI);
	CHECK_EQ(uart16550_irq_pending(&u), 1);
	CHECK_EQ(rd(UART_IIR), UART_IIR_RDA);
	CHECK_EQ(rd(UART_IIR), UART_IIR_RDA); /* only reading the data clears it */
	CHECK_EQ(rd(UART_RBR), 'a');
	CHECK_EQ(uart16550_irq_pending(&u), 0);
	CHECK_EQ(rd(UART_IIR), UART_IIR_NO_INT);
}

static void test_thre_interrupt(void)
{
	setup();
	wr(UART_IER, UART_IER_ETBEI);
	CHECK_EQ(uart16550_irq_pending(&u), 1);
	CHECK_EQ(rd(UART_IIR), UART_IIR_THRE);
	CHECK_EQ(uart16550_irq_pending(&u), 0);
	CHECK_EQ(rd(UART_IIR), UART_IIR_NO_INT);

	/* Writing IER again with ETBEI already on is no new "THR became empty" event. */
	wr(UART_IER, UART_IER_ETBEI);
	CHECK_EQ(uart16550_irq_pending(&u), 0);

	wr(UART_THR, 'x');
	CHECK_EQ(uart16550_irq_pending(&u), 1);

	/* Masking hides it; re-enabling ETBEI reports THR empty again. */
	wr(UART_IER, 0);
	CHECK_EQ(uart16550_irq_pending(&u), 0);
	CHECK_EQ(rd(UART_IIR), UART_IIR_NO_INT);
	wr(UART_IER, UART_IER_ETBEI);
	CHECK_EQ(rd(UART_IIR), UART_IIR_THRE);
	CHECK_EQ(uart16550_irq_pending(&u), 0);
}

/* Received data outranks THR empty, and reading IIR then must not eat the THRE event. */
static void test_interrupt_priority(void)
{
	setup();
	uart16550_receive(&u, 'a');
	wr(UART_IER, UART_IER_ERBFI | UART_IER_ETBEI);
	CHECK_EQ(rd(UART_IIR), UART_IIR_RDA);
	CHECK_EQ(rd(UART_RBR), 'a');
	CHECK_EQ(uart16550_irq_pending(&u), 1);
	CHECK_EQ(rd(UART_IIR), UART_IIR_THRE);
	CHECK_EQ(uart16550_irq_pending(&u), 0);
}

static void test_fcr(void)
{
	setup();
	wr(UART_FCR, UART_FCR_ENABLE);
	CHECK_EQ(rd(UART_IIR), UART_IIR_FIFO | UART_IIR_NO_INT);
	uart16550_receive(&u, 'a');
	uart16550_receive(&u, 'b');
	wr(UART_FCR, UART_FCR_ENABLE);
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	wr(UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX);
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, 0);
	wr(UART_IER, UART_IER_ERBFI);
	uart16550_receive(&u, 'c');
	CHECK_EQ(rd(UART_IIR), UART_IIR_FIFO | UART_IIR_RDA);
	/* Turning the FIFOs off resets them. */
	wr(UART_FCR, 0);
	CHECK_EQ(rd(UART_IIR), UART_IIR_NO_INT);
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, 0);
}

static void test_loopback(void)
{
	setup();
	in = "host";
	wr(UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2);
	CHECK_EQ(rd(UART_MSR), UART_MSR_CTS | UART_MSR_DCD);
	wr(UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT1);
	CHECK_EQ(rd(UART_MSR), UART_MSR_DSR | UART_MSR_RI);
	wr(UART_THR, 'L');
	CHECK_EQ(nr_out, 0);
	CHECK_EQ(uart16550_receive(&u, 'x'), -1);
	CHECK_EQ(uart16550_poll_input(&u), 0);
	CHECK_EQ(*in, 'h');
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	CHECK_EQ(rd(UART_RBR), 'L');
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, 0);
	wr(UART_MCR, 0);
	wr(UART_THR, 'o');
	CHECK_EQ(nr_out, 1);
	CHECK_EQ(out[0], 'o');
}

static void test_plain_registers(void)
{
	setup();
	wr(UART_SCR, 0xa5);
	CHECK_EQ(rd(UART_SCR), 0xa5);
	wr(UART_MCR, 0xff);
	CHECK_EQ(rd(UART_MCR), UART_MCR_MASK);
	wr(UART_MCR, 0);
	wr(UART_IER, 0xff);
	CHECK_EQ(rd(UART_IER), UART_IER_MASK);
	wr(UART_LSR, 0);
	wr(UART_MSR, 0);
	CHECK_EQ(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	CHECK_EQ(rd(UART_MSR), UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
	CHECK_EQ(rd(UART_SCR), 0xa5);
}

int main(void)
{
	RUN(test_init_and_reset_values);
	RUN(test_only_byte_access_to_registers);
	RUN(test_thr_goes_to_putc);
	RUN(test_dlab_switches_to_divisor);
	RUN(test_receive_fifo);
	RUN(test_lsr_read_has_no_side_effect);
	RUN(test_poll_input);
	RUN(test_rx_interrupt);
	RUN(test_thre_interrupt);
	RUN(test_interrupt_priority);
	RUN(test_fcr);
	RUN(test_loopback);
	RUN(test_plain_registers);
	UNIT_EXIT();
}
