// SPDX-License-Identifier: BSD-2-Clause
/* Polled output on the host's 16550 UART and a small printf for minikernel reports. */
#include <stdarg.h>

#include "mk.h"

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

static volatile uint8_t *mk_uart;

void mk_console_init(uint64_t uart_pa)
{
	mk_uart = (volatile uint8_t *)uart_pa;
}

void mk_putc(char c)
{
	if (!mk_uart)
		return;
	if (c == '\n')
		mk_putc('\r');
	while (!(mk_uart[UART_LSR] & UART_LSR_THRE))
		;
	mk_uart[UART_THR] = (uint8_t)c;
}

static void mk_put_num(uint64_t n, unsigned base, bool neg)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = "0123456789abcdef"[n % base];
		n /= base;
	} while (n);
	if (neg)
		mk_putc('-');
	while (i)
		mk_putc(buf[--i]);
}

/*
 * Understands %s %c %d %u %x, each optionally with l or ll (all integers print as 64-bit).
 * One message at a time: harts report at once (a VM ending on several), and a report
 * mixed into another would not say what happened.
 */
uint32_t mk_console_lock;

void mk_printf(const char *fmt, ...)
{
	va_list ap;

	mk_lock(&mk_console_lock);
	mk_console_break();
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		bool is_long = false;

		if (*fmt != '%') {
			mk_putc(*fmt);
			continue;
		}
		while (*++fmt == 'l')
			is_long = true;
		switch (*fmt) {
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				mk_putc(*s);
			break;
		case 'c':
			mk_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);

			mk_put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0);
			break;
		}
		case 'u':
			mk_put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, false);
			break;
		case 'x':
			mk_put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, false);
			break;
		case '\0':
			fmt--;
			break;
		default:
			mk_putc(*fmt);
		}
	}
	va_end(ap);
	mk_unlock(&mk_console_lock);
}
