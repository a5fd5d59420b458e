// SPDX-License-Identifier: BSD-2-Clause
/* The runtime's console: the host UART window the minikernel granted, behind picolibc's stdio. */
#include <stdint.h>
#include <stdio.h>

#include "console.h"
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

static volatile uint8_t *host_uart;
/* Every vCPU thread may print: one byte at a time goes to the host UART. */
static struct spinlock console_lock;

void console_init(volatile uint8_t *uart)
{
	host_uart = uart;
}

void console_putc(char c)
{
	if (!host_uart)
		return;
	spin_lock(&console_lock);
	while (!(host_uart[UART_LSR] & UART_LSR_THRE))
		;
	host_uart[UART_THR] = (uint8_t)c;
	spin_unlock(&console_lock);
}

bool console_has_input(void)
{
	return host_uart && (host_uart[UART_LSR] & UART_LSR_DR);
}

int console_getc(void)
{
	return console_has_input() ? host_uart[UART_RBR] : -1;
}

void console_enable_rx_irq(void)
{
	host_uart[UART_MCR] |= UART_MCR_OUT2;
	host_uart[UART_IER] = UART_IER_ERBFI;
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
