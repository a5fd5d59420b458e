/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The 16550 accesses of a Linux 6.1 guest, for measuring them: the port probe of its 8250
 * driver (autoconfig() with the 16550A variants probe and size_fifo() that the riscv
 * defconfig enables) and one console line as serial8250_console_write() prints it. They
 * follow the driver's branches for what a QEMU 16550A answers; its delays are left out.
 */
#ifndef GUEST_BENCH_UART_OPS_H
#define GUEST_BENCH_UART_OPS_H

#include <stdint.h>

#include "mmio.h"

#define U_RBR 0
#define U_THR 0
#define U_DLL 0
#define U_IER 1
#define U_DLM 1
#define U_IIR 2
#define U_FCR 2
#define U_EFR 2
#define U_LCR 3
#define U_MCR 4
#define U_LSR 5
#define U_MSR 6
#define LCR_CONF_A 0x80
#define LCR_CONF_B 0xbf
#define LCR_WLEN8  0x03
#define FCR_ENABLE 0x01
#define FCR_CLEAR  0x06
#define FCR_64     0x20
#define MCR_LOOP   0x10
#define LSR_DR     0x01
#define LSR_IDLE   0x60
#define IER_UUE    0x40

static inline uint8_t uin(unsigned reg)
{
	return (uint8_t)mmio_lbu(UART_BASE + reg);
}

static inline void uout(unsigned reg, uint8_t val)
{
	mmio_sb(UART_BASE + reg, val);
}

static inline unsigned dl_read(void)
{
	return uin(U_DLL) | (unsigned)uin(U_DLM) << 8;
}

static inline void dl_write(unsigned dl)
{
	uout(U_DLL, (uint8_t)dl);
	uout(U_DLM, (uint8_t)(dl >> 8));
}

/* Loopback fills the FIFO with up to 256 bytes and counts what comes back. */
static void size_fifo(void)
{
	uint8_t lcr = uin(U_LCR), fcr, mcr;
	unsigned dl, n;

	uout(U_LCR, 0);
	fcr = uin(U_IIR);
	mcr = uin(U_MCR);
	uout(U_FCR, FCR_ENABLE | FCR_CLEAR);
	uout(U_MCR, MCR_LOOP);
	uout(U_LCR, LCR_CONF_A);
	dl = dl_read();
	dl_write(1);
	uout(U_LCR, LCR_WLEN8);
	for (n = 0; n < 256; n++)
		uout(U_THR, (uint8_t)n);
	for (n = 0; (uin(U_LSR) & LSR_DR) && n < 256; n++)
		uin(U_RBR);
	uout(U_FCR, fcr);
	uout(U_MCR, mcr);
	uout(U_LCR, LCR_CONF_A);
	dl_write(dl);
	uout(U_LCR, lcr);
}

/* autoconfig_16550a() past the EFR and National checks, down to size_fifo(). */
static void probe_16550a(void)
{
	uint8_t mcr, ier;

	uout(U_LCR, LCR_CONF_A);
	if (!uin(U_EFR))
		return;
	uout(U_LCR, LCR_CONF_B);
	if (!uin(U_EFR))
		return;
	uout(U_LCR, 0);
	mcr = uin(U_MCR);
	uout(U_LCR, 0xe0);
	if (!((uin(U_IIR) ^ mcr) & MCR_LOOP)) {
		uout(U_LCR, 0);
		uout(U_MCR, mcr ^ MCR_LOOP);
		uout(U_LCR, 0xe0);
		uin(U_IIR);
		uout(U_LCR, 0);
		uout(U_MCR, mcr);
	}
	uout(U_LCR, 0);
	uout(U_FCR, FCR_ENABLE | FCR_64);
	uin(U_IIR);
	uout(U_FCR, FCR_ENABLE);
	uout(U_LCR, LCR_CONF_A);
	uout(U_FCR, FCR_ENABLE | FCR_64);
	uin(U_IIR);
	uout(U_FCR, FCR_ENABLE);
	uout(U_LCR, 0);
	ier = uin(U_IER);
	uout(U_IER, ier & ~IER_UUE);
	if (!(uin(U_IER) & IER_UUE)) {
		uout(U_IER, ier | IER_UUE);
		uin(U_IER);
	}
	uout(U_IER, ier);
	size_fifo();
}

/* autoconfig(): the IER and loopback tests, the FIFO check, then the reset of the port. */
static void uart_probe(void)
{
	uint8_t ier = uin(U_IER), mcr, lcr;

	uout(U_IER, 0);
	uin(U_IER);
	uout(U_IER, 0x0f);
	uin(U_IER);
	uout(U_IER, ier);
	mcr = uin(U_MCR);
	lcr = uin(U_LCR);
	uout(U_MCR, MCR_LOOP | 0x0a);
	uin(U_MSR);
	uout(U_MCR, mcr);
	uout(U_LCR, LCR_CONF_B);
	uout(U_EFR, 0);
	uout(U_LCR, 0);
	uout(U_FCR, FCR_ENABLE);
	if (uin(U_IIR) >> 6 == 3)
		probe_16550a();
	uout(U_LCR, lcr);
	uout(U_MCR, mcr);
	uout(U_FCR, FCR_ENABLE);
	uout(U_FCR, FCR_ENABLE | FCR_CLEAR);
	uout(U_FCR, 0);
	uin(U_RBR);
	uout(U_IER, 0);
}

/* One 80-character line: interrupts off, each byte after THR empty, then both empty. */
static void uart_line(void)
{
	uint8_t ier = uin(U_IER);

	uout(U_IER, 0);
	for (unsigned i = 0; i < 80; i++) {
		while (!(uin(U_LSR) & 0x20))
			;
		uout(U_THR, i == 79 ? '\n' : (uint8_t)('a' + i % 26));
	}
	while ((uin(U_LSR) & LSR_IDLE) != LSR_IDLE)
		;
	uout(U_IER, ier);
}

#endif
