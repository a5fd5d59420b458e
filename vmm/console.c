// SPDX-License-Identifier: BSD-2-Clause
/*
 * The runtime's console, behind picolibc's stdio: the host UART window the minikernel granted
 * (a 16550 or a SiFive UART, as the boot info says), or the minikernel's console
 * (DV_SYS_CONSOLE) when the VM has no window or shares the console with other VMs; then
 * input comes from the ring the minikernel fills in vCPU 0's exit page.
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
struct dv_exit *console_ring;
/*
 * Through the minikernel (a shared console, or no window): it keeps each VM's lines whole;
 * the runtime's own messages are sent a line at a time, the guest's bytes as they come.
 */
static bool via_minikernel;
static char line[DV_CONSOLE_MAX];
static unsigned line_len;
/* The guest wrote since it last paused: the minikernel may hold its unfinished line. */
static bool guest_wrote;
static int sbi_pending = -1; /* a byte the firmware console gave that is not consumed yet */
/* Every vCPU thread may print. */
static struct spinlock console_lock;

void console_init(volatile uint8_t *uart, unsigned kind, struct dv_exit *shared_ring)
{
	host_uart = uart;
	uart_kind = uart ? kind : DV_UART_NONE;
	console_ring = shared_ring;
	via_minikernel = shared_ring || uart_kind == DV_UART_NONE;
}

static volatile uint32_t *sifive(void)
{
	return (volatile uint32_t *)host_uart;
}

static void flush_locked(void)
{
	if (line_len)
		dv_console_write(line, line_len);
	line_len = 0;
}

static void put_locked(char c)
{
	if (via_minikernel) {
		line[line_len++] = c;
		if (c == '\n' || line_len == sizeof(line))
			flush_locked();
	} else if (uart_kind == DV_UART_NS16550A) {
		while (!(host_uart[UART_LSR] & UART_LSR_THRE))
			;
		host_uart[UART_THR] = (uint8_t)c;
	} else {
		while (sifive()[SIFIVE_TXDATA] & SIFIVE_FULL)
			;
		sifive()[SIFIVE_TXDATA] = (uint8_t)c;
	}
}

/* The guest's output: written at once. */
void console_putc(char c)
{
	spin_lock(&console_lock);
	put_locked(c);
	if (via_minikernel) {
		flush_locked();
		__atomic_store_n(&guest_wrote, true, __ATOMIC_RELAXED);
	}
	spin_unlock(&console_lock);
}

void console_pause(void)
{
	if (!__atomic_load_n(&guest_wrote, __ATOMIC_RELAXED))
		return;
	spin_lock(&console_lock);
	flush_locked();
	dv_console_write(line, 0);
	__atomic_store_n(&guest_wrote, false, __ATOMIC_RELAXED);
	spin_unlock(&console_lock);
}

bool console_has_input(void)
{
	bool ready;

	if (console_ring)
		return console_ring_waiting();
	spin_lock(&console_lock);
	if (uart_kind == DV_UART_NS16550A)
		ready = host_uart[UART_LSR] & UART_LSR_DR;
	else if (uart_kind == DV_UART_SIFIVE)
		ready = sifive()[SIFIVE_IP] & SIFIVE_RXWM;
	else {
		/* The firmware console cannot be peeked at: a byte read is kept for console_getc. */
		if (sbi_pending < 0)
			sbi_pending = (int)dv_console_getc();
		ready = sbi_pending >= 0;
	}
	spin_unlock(&console_lock);
	return ready;
}

int console_getc(void)
{
	int c = -1;

	console_pause();
	if (!console_has_input())
		return -1;
	spin_lock(&console_lock);
	if (console_ring) {
		struct dv_exit *r = console_ring;

		c = (unsigned char)((char *)r + DV_EXIT_CONS_BUF)[r->cons_tail % DV_EXIT_CONS_SIZE];
		__atomic_store_n(&r->cons_tail, r->cons_tail + 1, __ATOMIC_RELEASE);
	} else if (uart_kind == DV_UART_NS16550A)
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
	if (console_ring) /* shared: the minikernel keeps the UART */
		return;
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
	spin_lock(&console_lock);
	if (c == '\n' && !via_minikernel)
		put_locked('\r');
	put_locked(c);
	spin_unlock(&console_lock);
	return (unsigned char)c;
}

static FILE rt_stdout = FDEV_SETUP_STREAM(stdio_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &rt_stdout;
FILE *const stderr = &rt_stdout;
