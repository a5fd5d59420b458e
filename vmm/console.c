// SPDX-License-Identifier: BSD-2-Clause
/*
 * The runtime's console, behind picolibc's stdio: the host UART window the minikernel granted
 * (a 16550 or a SiFive UART, as the boot info says), else the firmware's console through the
 * minikernel (DV_SYS_CONSOLE, one byte a call).
 */
#include <stdint.h>
#include <stdio.h>

#include "console.h"
#include "dv.h"
#include "lock.h"

#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_MCR 4
#define UART_LSR 5
#define UART_IER_ERBFI 0x01
#define UART_MCR_OUT2  0x08
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20

/* sifive,uart0: 32-bit registers */
#define SIFIVE_TXDATA 0
#define SIFIVE_RXDATA 1
#define SIFIVE_RXCTRL 3
#define SIFIVE_IE     4
#define SIFIVE_IP     5
#define SIFIVE_FULL   0x80000000U /* txdata: FIFO full */
#define SIFIVE_EMPTY  0x80000000U /* rxdata: nothing read */
#define SIFIVE_RXEN   1U
#define SIFIVE_RXWM   2U /* ie/ip: more bytes waiting than rxctrl's count (0) */

static volatile uint8_t *host_uart;
static unsigned uart_kind;
static int sbi_pending = -1; /* a byte the firmware console gave that is not consumed yet */
/* Every vCPU thread may print: one byte at a time goes to the host UART. */
static struct spinlock console_lock;

void console_init(volatile uint8_t *uart, unsigned kind)
{
	host_uart = uart;
	uart_kind = uart ? kind : DV_UART_NONE;
}

static volatile uint32_t *sifive(void)
{
	return (volatile uint32_t *)host_uart;
}

void console_putc(char c)
{
	spin_lock(&console_lock);
	if (uart_kind == DV_UART_NS16550A) {
		while (!(host_uart[UART_LSR] & UART_LSR_THRE))
			;
		host_uart[UART_THR] = (uint8_t)c;
	} else if (uart_kind == DV_UART_SIFIVE) {
		while (sifive()[SIFIVE_TXDATA] & SIFIVE_FULL)
			;
		sifive()[SIFIVE_TXDATA] = (uint8_t)c;
	} else {
		dv_console((uint8_t)c);
	}
	spin_unlock(&console_lock);
}

bool console_has_input(void)
{
	bool ready;

	spin_lock(&console_lock);
	if (uart_kind == DV_UART_NS16550A)
		ready = host_uart[UART_LSR] & UART_LSR_DR;
	else if (uart_kind == DV_UART_SIFIVE)
		ready = sifive()[SIFIVE_IP] & SIFIVE_RXWM;
	else {
		/* The firmware console cannot be peeked at: a byte read is kept for console_getc. */
		if (sbi_pending < 0)
			sbi_pending = (int)dv_console(-1);
		ready = sbi_pending >= 0;
	}
	spin_unlock(&console_lock);
	return ready;
}

int console_getc(void)
{
	int c = -1;

	if (!console_has_input())
		return -1;
	spin_lock(&console_lock);
	if (uart_kind == DV_UART_NS16550A)
		c = host_uart[UART_RBR];
	else if (uart_kind == DV_UART_SIFIVE) {
		uint32_t v = sifive()[SIFIVE_RXDATA];

		c = v & SIFIVE_EMPTY ? -1 : (int)(v & 0xff);
	} else {
		c = sbi_pending;
		sbi_pending = -1;
	}
	spin_unlock(&console_lock);
	return c;
}

void console_enable_rx_irq(void)
{
	if (uart_kind == DV_UART_NS16550A) {
		host_uart[UART_MCR] |= UART_MCR_OUT2;
		host_uart[UART_IER] = UART_IER_ERBFI;
	} else if (uart_kind == DV_UART_SIFIVE) {
		sifive()[SIFIVE_RXCTRL] = SIFIVE_RXEN; /* watermark 0: any byte */
		sifive()[SIFIVE_IE] = SIFIVE_RXWM;
	}
}

static int stdio_putc(char c, FILE *f)
{
	(void)f;
	if (c == '\n')
		console_putc('\r');
	console_putc(c);
	return (unsigned char)c;
}

static FILE rt_stdout = FDEV_SETUP_STREAM(stdio_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &rt_stdout;
FILE *const stderr = &rt_stdout;
