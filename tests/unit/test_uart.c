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
static unsigned nr_idle;

static void fake_tx_idle(void)
{
	nr_idle++;
}

/* Only turning ETBEI off tells the console the transmitter went idle. */
static void test_etbei_off_is_tx_idle(void)
{
	setup();
	u.tx_idle = fake_tx_idle;
	nr_idle = 0;
	wr(UART_IER, UART_IER_ERBFI);
	CHECK_EQ(nr_idle, 0);
	wr(UART_IER, UART_IER_ERBFI | UART_IER_ETBEI);
	wr(UART_THR, 'p');
	CHECK_EQ(nr_idle, 0);
	wr(UART_IER, UART_IER_ERBFI);
	CHECK_EQ(nr_idle, 1);
	wr(UART_IER, 0);
	CHECK_EQ(nr_idle, 1);
}

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

/*
 * The shadow. The fake map callback records each change with the IRQ level at that
 * moment, so a test sees that the page went away before the guest was told anything.
 */
static uint8_t page[4096];
static int mapped, map_calls, refuse_map;
static bool level_at_unmap;
static bool line;

static void fake_set_irq(void *opaque, bool level)
{
	(void)opaque;
	line = level;
}

static int fake_map(void *ctx, bool on)
{
	CHECK(ctx == &u);
	map_calls++;
	if (on && refuse_map)
		return -1;
	if (!on)
		level_at_unmap = line;
	mapped = on;
	return 0;
}

static void shadow_setup(void)
{
	setup();
	memset(page, 0xa5, sizeof(page));
	mapped = map_calls = refuse_map = 0;
	line = level_at_unmap = false;
	uart16550_connect_irq(&u, fake_set_irq, NULL);
	uart16550_shadow(&u, page, fake_map, &u);
}

/* Registers no load changes and whose value no received byte changes equal the shadow. */
static void check_shadow_matches_unmapped(void)
{
	static const unsigned regs[] = { UART_IER, UART_LCR, UART_MCR, UART_MSR, UART_SCR };

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		CHECK_EQ(page[regs[i]], rd(regs[i]));
}

/* What a load would read for each side-effect-free register equals the shadow. */
static void check_shadow_matches(void)
{
	static const unsigned regs[] = { UART_IER, UART_LCR, UART_MCR, UART_LSR, UART_MSR, UART_SCR };

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		CHECK_EQ(page[regs[i]], rd(regs[i]));
}

static void test_shadow_mapped_while_quiet(void)
{
	shadow_setup();
	CHECK_EQ(mapped, 1);
	CHECK_EQ(map_calls, 1);
	CHECK_EQ(page[UART_RBR], 0);
	CHECK_EQ(page[UART_IIR], rd(UART_IIR));
	check_shadow_matches();
	/* the probe's writes keep it mapped and the contents current */
	wr(UART_SCR, 0x5a);
	wr(UART_MCR, UART_MCR_LOOP | UART_MCR_RTS);
	wr(UART_FCR, UART_FCR_ENABLE);
	CHECK_EQ(page[UART_IIR], UART_IIR_FIFO | UART_IIR_NO_INT);
	check_shadow_matches();
	wr(UART_LCR, UART_LCR_DLAB);
	wr(UART_THR, 0x0c);
	wr(UART_IER, 0x01);
	CHECK_EQ(page[UART_RBR], 0x0c);
	CHECK_EQ(page[UART_IER], 0x01);
	check_shadow_matches();
	CHECK_EQ(map_calls, 1);
	CHECK_EQ(mapped, 1);
	/* byte 8 onwards is not a register: never written */
	CHECK_EQ(page[8], 0xa5);
}

static void test_shadow_unmapped_before_rx_irq(void)
{
	shadow_setup();
	wr(UART_IER, UART_IER_ERBFI);
	CHECK_EQ(mapped, 1);
	CHECK_EQ(uart16550_receive(&u, 'x'), 0);
	CHECK_EQ(mapped, 0);
	CHECK(line);
	CHECK(!level_at_unmap);
	/* a hart still reading it sees the line as before the byte: no data, no interrupt */
	CHECK_EQ(page[UART_LSR] & UART_LSR_DR, 0);
	CHECK_EQ(page[UART_RBR], 0);
	CHECK_EQ(page[UART_IIR], UART_IIR_NO_INT);
	CHECK_EQ(rd(UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	CHECK_EQ(rd(UART_RBR), 'x');
	CHECK_EQ(mapped, 1);
	CHECK(!line);
	CHECK_EQ(map_calls, 3);
}

static void test_shadow_unmapped_while_thre_reported(void)
{
	shadow_setup();
	wr(UART_IER, UART_IER_ETBEI);
	CHECK_EQ(mapped, 0);
	CHECK(!level_at_unmap);
	CHECK(line);
	/* reading IIR acknowledges THR empty, so it must exit; then it is quiet again */
	CHECK_EQ(rd(UART_IIR), UART_IIR_THRE);
	CHECK_EQ(mapped, 1);
	CHECK_EQ(page[UART_IIR], UART_IIR_NO_INT);
	wr(UART_THR, 'a');
	CHECK_EQ(mapped, 0);
	CHECK_EQ(page[UART_IIR], UART_IIR_THRE);
	wr(UART_IER, 0);
	CHECK_EQ(mapped, 1);
	check_shadow_matches();
}

static void test_shadow_loopback_and_poll(void)
{
	shadow_setup();
	wr(UART_MCR, UART_MCR_LOOP);
	wr(UART_THR, 'l');
	CHECK_EQ(mapped, 0);
	CHECK_EQ(rd(UART_RBR), 'l');
	CHECK_EQ(mapped, 1);
	wr(UART_MCR, 0);
	in = "ab";
	CHECK_EQ(uart16550_poll_input(&u), 2);
	CHECK_EQ(mapped, 0);
	CHECK_EQ(rd(UART_RBR), 'a');
	CHECK_EQ(mapped, 0);
	CHECK_EQ(rd(UART_RBR), 'b');
	CHECK_EQ(mapped, 1);
}

/* A refused mapping leaves loads exiting, and is tried again at the next change. */
static void test_shadow_map_refused(void)
{
	setup();
	mapped = map_calls = 0;
	refuse_map = 1;
	uart16550_shadow(&u, page, fake_map, &u);
	CHECK_EQ(mapped, 0);
	CHECK_EQ(map_calls, 1);
	wr(UART_SCR, 1);
	CHECK_EQ(map_calls, 2);
	refuse_map = 0;
	wr(UART_SCR, 2);
	CHECK_EQ(mapped, 1);
	CHECK_EQ(map_calls, 3);
	CHECK_EQ(page[UART_SCR], 2);
}

/*
 * Random writes, received bytes and reads: while the page is mapped, every register loads
 * exactly what the shadow holds (all loads are side-effect free then); while it is not, the
 * registers a load cannot change still do.
 */
static void test_shadow_follows_random_accesses(void)
{
	unsigned seed = 12345, mapped_steps = 0;

	shadow_setup();
	for (unsigned step = 0; step < 20000; step++) {
		unsigned r;

		seed = seed * 1103515245u + 12345u;
		r = seed >> 8;
		if (r % 8 < 4)
			wr(r / 8 % 8, r / 64 % 256);
		else if (r % 8 == 4)
			uart16550_receive(&u, (uint8_t)(r / 8));
		else
			rd(r / 8 % 8);
		if (mapped) {
			mapped_steps++;
			for (unsigned off = 0; off <= UART_SCR; off++)
				CHECK_EQ(page[off], rd(off));
			CHECK_EQ(mapped, 1);
		} else {
			check_shadow_matches_unmapped();
		}
	}
	CHECK(mapped_steps > 1000);
}

int main(void)
{
	RUN(test_init_and_reset_values);
	RUN(test_only_byte_access_to_registers);
	RUN(test_thr_goes_to_putc);
	RUN(test_etbei_off_is_tx_idle);
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
	RUN(test_shadow_mapped_while_quiet);
	RUN(test_shadow_unmapped_before_rx_irq);
	RUN(test_shadow_unmapped_while_thre_reported);
	RUN(test_shadow_loopback_and_poll);
	RUN(test_shadow_map_refused);
	RUN(test_shadow_follows_random_accesses);
	UNIT_EXIT();
}
