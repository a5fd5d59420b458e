// SPDX-License-Identifier: BSD-2-Clause
/*
 * The minikernel's console: polled output on the host UART the FDT names (16550 or SiFive),
 * else the firmware's console (SBI DBCN, or the legacy putchar), so that no platform is
 * silent; and a small printf for minikernel reports.
 */
#include <stdarg.h>

#include "mk.h"

#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_MCR 4
#define UART_LSR 5
#define UART_IER_ERBFI 0x01
#define UART_MCR_OUT2  0x08 /* the 16550's IRQ line */
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20
#define SIFIVE_TXDATA 0 /* word indices of 32-bit registers; txdata bit 31: the FIFO is full */
#define SIFIVE_RXDATA 1 /* bit 31: nothing received */
#define SIFIVE_RXCTRL 3
#define SIFIVE_IE     4
#define SIFIVE_FULL   0x80000000U
#define SIFIVE_EMPTY  0x80000000U
#define SIFIVE_RXEN   1U
#define SIFIVE_RXWM   2U /* ie: more bytes waiting than rxctrl's count */

static uint64_t mk_uart;
static unsigned mk_uart_kind;
static bool mk_dbcn;

void mk_console_init(unsigned kind, uint64_t uart_pa)
{
	mk_uart_kind = uart_pa ? kind : DV_UART_NONE;
	mk_uart = uart_pa;
	mk_dbcn = mk_sbi_probe(MK_SBI_EXT_DBCN);
}

void mk_putc(char c)
{
	if (c == '\n')
		mk_putc('\r');
	if (mk_uart_kind == DV_UART_NS16550A) {
		volatile uint8_t *u = (volatile uint8_t *)mk_uart;

		while (!(u[UART_LSR] & UART_LSR_THRE))
			;
		u[UART_THR] = (uint8_t)c;
	} else if (mk_uart_kind == DV_UART_SIFIVE) {
		volatile uint32_t *u = (volatile uint32_t *)mk_uart;

		while (u[SIFIVE_TXDATA] & SIFIVE_FULL)
			;
		u[SIFIVE_TXDATA] = (uint8_t)c;
	} else {
		mk_sbi_console_putc(mk_dbcn, c);
	}
}

/* The firmware console, for a runtime without a UART (DV_SYS_CONSOLE): a byte out or in. */
/* The firmware console's next input byte, or -1; for the VM holding console input only. */
long mk_console_getc(const struct mk_vm *vm)
{
	return vm == mk_uart_vm ? mk_sbi_console_getc(mk_dbcn) : -1;
}

/* A byte received by the UART, or -1. */
int mk_uart_getc(void)
{
	if (mk_uart_kind == DV_UART_NS16550A) {
		volatile uint8_t *u = (volatile uint8_t *)mk_uart;

		return u[UART_LSR] & UART_LSR_DR ? u[UART_RBR] : -1;
	}
	if (mk_uart_kind == DV_UART_SIFIVE) {
		uint32_t v = ((volatile uint32_t *)mk_uart)[SIFIVE_RXDATA];

		return v & SIFIVE_EMPTY ? -1 : (int)(v & 0xff);
	}
	return -1;
}

/* With a shared console no runtime can reach the UART: its receive interrupt is set here. */
void mk_console_enable_rx(void)
{
	if (mk_uart_kind == DV_UART_NS16550A) {
		volatile uint8_t *u = (volatile uint8_t *)mk_uart;

		u[UART_MCR] |= UART_MCR_OUT2;
		u[UART_IER] = UART_IER_ERBFI;
	} else if (mk_uart_kind == DV_UART_SIFIVE) {
		volatile uint32_t *u = (volatile uint32_t *)mk_uart;

		u[SIFIVE_RXCTRL] = SIFIVE_RXEN; /* watermark 0: any byte */
		u[SIFIVE_IE] = SIFIVE_RXWM;
	}
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
