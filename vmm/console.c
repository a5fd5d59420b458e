// SPDX-License-Identifier: BSD-2-Clause
/* The runtime's console: the host UART window the minikernel granted, behind picolibc's stdio. */
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

static volatile uint8_t *host_uart;
/*
 * Shared: output goes to the minikernel (DV_SYS_CONSOLE), which keeps each VM's lines whole;
 * the runtime's own messages are sent a line at a time, the guest's bytes as they come.
 */
static bool shared;
static char line[DV_CONSOLE_MAX];
static unsigned line_len;
/* Every vCPU thread may print. */
static struct spinlock console_lock;

void console_init(volatile uint8_t *uart, bool shared_console)
{
	host_uart = uart;
	shared = shared_console;
}

static void flush_locked(void)
{
	if (line_len)
		dv_console_write(line, line_len);
	line_len = 0;
}

static void put_locked(char c)
{
	if (shared) {
		line[line_len++] = c;
		if (c == '\n' || line_len == sizeof(line))
			flush_locked();
		return;
	}
	if (!host_uart)
		return;
	while (!(host_uart[UART_LSR] & UART_LSR_THRE))
		;
	host_uart[UART_THR] = (uint8_t)c;
}

/* The guest's output: written at once. */
void console_putc(char c)
{
	spin_lock(&console_lock);
	put_locked(c);
	if (shared)
		flush_locked();
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
	if (shared) /* read-only: the minikernel has enabled it */
		return;
	host_uart[UART_MCR] |= UART_MCR_OUT2;
	host_uart[UART_IER] = UART_IER_ERBFI;
}

static int stdio_putc(char c, FILE *f)
{
	(void)f;
	spin_lock(&console_lock);
	if (c == '\n' && !shared)
		put_locked('\r');
	put_locked(c);
	spin_unlock(&console_lock);
	return (unsigned char)c;
}

static FILE rt_stdout = FDEV_SETUP_STREAM(stdio_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &rt_stdout;
FILE *const stderr = &rt_stdout;
