// SPDX-License-Identifier: BSD-2-Clause
/* The runtime's console: the host UART window the minikernel granted, behind picolibc's stdio. */
#include <stdint.h>
#include <stdio.h>

#include "console.h"

#define UART_RBR 0
#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20

static volatile uint8_t *host_uart;

void console_init(volatile uint8_t *uart)
{
	host_uart = uart;
}

void console_putc(char c)
{
	if (!host_uart)
		return;
	while (!(host_uart[UART_LSR] & UART_LSR_THRE))
		;
	host_uart[UART_THR] = (uint8_t)c;
}

int console_getc(void)
{
	if (!host_uart || !(host_uart[UART_LSR] & UART_LSR_DR))
		return -1;
	return host_uart[UART_RBR];
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
