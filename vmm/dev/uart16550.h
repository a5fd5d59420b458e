/* SPDX-License-Identifier: BSD-2-Clause */
/* A 16550A UART model: byte registers at offsets 0..7, callback output, 16-byte RX FIFO. */
#ifndef VMM_DEV_UART16550_H
#define VMM_DEV_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#include "mmio.h"

#define UART16550_FIFO_SIZE 16
#define UART16550_WINDOW    0x100

/* Register offsets (reg-shift 0). */
#define UART_RBR 0 /* read, DLAB = 0 */
#define UART_THR 0 /* write, DLAB = 0 */
#define UART_DLL 0 /* DLAB = 1 */
#define UART_IER 1 /* DLAB = 0 */
#define UART_DLM 1 /* DLAB = 1 */
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define UART_IER_ERBFI 0x01 /* interrupt when received data is available */
#define UART_IER_ETBEI 0x02 /* interrupt when the transmit holding register is empty */
#define UART_IER_MASK  0x0f

#define UART_IIR_NO_INT 0x01
#define UART_IIR_THRE   0x02
#define UART_IIR_RDA    0x04
#define UART_IIR_FIFO   0xc0 /* both bits set while the FIFOs are enabled */

#define UART_FCR_ENABLE   0x01
#define UART_FCR_CLEAR_RX 0x02

#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR  0x01
#define UART_MCR_RTS  0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_MCR_MASK 0x1f

#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40

#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI  0x40
#define UART_MSR_DCD 0x80

struct uart16550 {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifo_enabled;
	bool thre_pending; /* the THR-empty interrupt source, before IER masks it */
	uint8_t rx[UART16550_FIFO_SIZE];
	unsigned rx_head, rx_count;
	void (*putc)(char c);
	int (*getc)(void);
	void (*tx_idle)(void); /* or NULL: the guest turned ETBEI off, it has nothing more to send */
	void (*set_irq)(void *opaque, bool level); /* the interrupt line, called on changes */
	void *irq_opaque;
	bool irq_level;
	uint8_t *shadow; /* registers 0..7 as side-effect-free loads see them, or NULL */
	int (*map_shadow)(void *ctx, bool mapped);
	void *shadow_ctx;
	bool shadow_mapped;
	struct mmio_dev dev;
};

/* After this u->dev is ready for mmio_register() (opaque = u, size = UART16550_WINDOW). */
void uart16550_init(struct uart16550 *u, uint64_t base, void (*putc)(char), int (*getc)(void));

/*
 * A byte arrives on the serial line. Returns 0, or -1 when it is lost: the FIFO is full,
 * or loopback mode has the receiver listening to the transmitter instead of the line.
 */
int uart16550_receive(struct uart16550 *u, uint8_t byte);

/* Moves waiting bytes from `getc` into the FIFO while there is room; returns how many. */
int uart16550_poll_input(struct uart16550 *u);

/* Connects the interrupt line: set_irq(opaque, level) runs whenever the level changes. */
void uart16550_connect_irq(struct uart16550 *u, void (*set_irq)(void *opaque, bool level),
			   void *opaque);

/*
 * Gives the UART a shadow page for the guest's loads. The model keeps the page's first 8
 * bytes equal to what loads of the registers return, and calls map_shadow(ctx, true) when
 * every load has become free of side effects (nothing received, THR-empty not reported
 * in IIR), map_shadow(ctx, false) before one has not: then the page must stop being read
 * by the guest (on every hart) before the caller signals the change to the guest. A
 * nonzero return from mapping leaves the page unmapped; loads then exit as before.
 */
void uart16550_shadow(struct uart16550 *u, uint8_t *page,
		      int (*map_shadow)(void *ctx, bool mapped), void *ctx);

/* Whether the UART's interrupt line is asserted (IIR reports a pending interrupt). */
int uart16550_irq_pending(const struct uart16550 *u);

#endif
