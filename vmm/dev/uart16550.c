// SPDX-License-Identifier: BSD-2-Clause
/* A 16550A UART model whose transmitter is always idle: every THR byte goes out at once. */
#include "uart16550.h"

static int rx_push(struct uart16550 *u, uint8_t byte)
{
	if (u->rx_count == UART16550_FIFO_SIZE)
		return -1;
	u->rx[(u->rx_head + u->rx_count) % UART16550_FIFO_SIZE] = byte;
	u->rx_count++;
	return 0;
}

/* An empty receiver reads as 0, like a real one whose RBR holds nothing new. */
static uint8_t rx_pop(struct uart16550 *u)
{
	uint8_t byte;

	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART16550_FIFO_SIZE;
	u->rx_count--;
	return byte;
}

static void rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

static bool loopback(const struct uart16550 *u)
{
	return u->mcr & UART_MCR_LOOP;
}

/*
 * Received data outranks THR empty; line-status and modem-status interrupts never fire
 * since neither line errors nor modem-line changes are modelled. RX data counts as soon as
 * one byte waits, whatever the FIFO trigger level.
 */
static uint8_t iir(const struct uart16550 *u, bool rx)
{
	uint8_t fifo = u->fifo_enabled ? UART_IIR_FIFO : 0;

	if ((u->ier & UART_IER_ERBFI) && rx)
		return fifo | UART_IIR_RDA;
	if ((u->ier & UART_IER_ETBEI) && u->thre_pending)
		return fifo | UART_IIR_THRE;
	return fifo | UART_IIR_NO_INT;
}

/* Reading IIR while it reports THR empty is what acknowledges that interrupt. */
static uint8_t read_iir(struct uart16550 *u)
{
	uint8_t val = iir(u, u->rx_count);

	if ((val & 0x0f) == UART_IIR_THRE)
		u->thre_pending = false;
	return val;
}

static uint8_t lsr(bool rx)
{
	return UART_LSR_THRE | UART_LSR_TEMT | (rx ? UART_LSR_DR : 0);
}

/* Loopback feeds the modem outputs back as inputs; otherwise the line looks connected and ready. */
static uint8_t msr(const struct uart16550 *u)
{
	uint8_t val = 0;

	if (!loopback(u))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	if (u->mcr & UART_MCR_RTS)
		val |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		val |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		val |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		val |= UART_MSR_DCD;
	return val;
}

/* The byte leaves at once, so THR is empty again by the time the guest looks. */
static void transmit(struct uart16550 *u, uint8_t byte)
{
	if (loopback(u))
		rx_push(u, byte);
	else if (u->putc)
		u->putc((char)byte);
	u->thre_pending = true;
}

/*
 * Enabling ETBEI while THR is empty (always, here) raises the THR-empty interrupt; turning
 * it off is how a driver's transmitter goes idle (Linux's stop_tx), so what it sent may
 * be an unfinished line that now waits: a prompt.
 */
static void write_ier(struct uart16550 *u, uint8_t val)
{
	if ((val & UART_IER_ETBEI) && !(u->ier & UART_IER_ETBEI))
		u->thre_pending = true;
	if (!(val & UART_IER_ETBEI) && (u->ier & UART_IER_ETBEI) && u->tx_idle)
		u->tx_idle();
	u->ier = val & UART_IER_MASK;
}

/* Toggling the FIFO enable resets the FIFOs on a real 16550A; only RX has contents here. */
static void write_fcr(struct uart16550 *u, uint8_t val)
{
	bool enable = val & UART_FCR_ENABLE;

	if (enable != u->fifo_enabled || (val & UART_FCR_CLEAR_RX))
		rx_clear(u);
	u->fifo_enabled = enable;
}

/* The registers whose loads a write can change, as REG() bits: what the shadow must refresh. */
#define REG(off) (1u << (off))
#define ALL_REGS 0xffu

static unsigned write_reg(struct uart16550 *u, unsigned off, uint8_t val)
{
	bool dlab = u->lcr & UART_LCR_DLAB, was_pending = u->thre_pending;

	switch (off) {
	case UART_THR:
		if (dlab) {
			u->dll = val;
			return REG(UART_RBR);
		}
		transmit(u, val);
		return was_pending ? 0 : REG(UART_IIR);
	case UART_IER:
		if (dlab)
			u->dlm = val;
		else
			write_ier(u, val);
		return REG(UART_IER) | REG(UART_IIR);
	case UART_FCR:
		write_fcr(u, val);
		return REG(UART_IIR);
	case UART_LCR:
		u->lcr = val;
		return REG(UART_LCR) | REG(UART_RBR) | REG(UART_IER);
	case UART_MCR:
		u->mcr = val & UART_MCR_MASK;
		return REG(UART_MCR) | REG(UART_MSR);
	case UART_SCR:
		u->scr = val;
		return REG(UART_SCR);
	default:
		/* LSR and MSR are read-only. */
		return 0;
	}
}

/*
 * What a load of register `off` returns with an empty receiver, without its side effects:
 * the shadow's contents. A hart still reading a shadow that was just unmapped because a
 * byte arrived thus sees the line as it was before the byte, never the byte without
 * popping it.
 */
static uint8_t peek_rx_empty(const struct uart16550 *u, unsigned off)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_RBR:
		return dlab ? u->dll : 0;
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR:
		return iir(u, false);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return lsr(false);
	case UART_MSR:
		return msr(u);
	default:
		return u->scr;
	}
}

/* A load: what the shadow shows, but from the receive side and with IIR's acknowledgement. */
static uint8_t read_reg(struct uart16550 *u, unsigned off)
{
	switch (off) {
	case UART_RBR:
		return u->lcr & UART_LCR_DLAB ? u->dll : rx_pop(u);
	case UART_IIR:
		return read_iir(u);
	case UART_LSR:
		return lsr(u->rx_count);
	default:
		return peek_rx_empty(u, off);
	}
}

/*
 * Loads may read the shadow only while none of them has a side effect: the FIFO is empty
 * (RBR would pop) and IIR does not report THR empty (reading it acknowledges that). The page
 * is unmapped before anything that makes a load matter is signalled to the guest. `regs`:
 * the shadow bytes to refresh. Reads and received bytes change IIR at most, since the
 * shadow does not show the receive side.
 */
static void sync_shadow(struct uart16550 *u, unsigned regs)
{
	bool quiet = !u->rx_count && (iir(u, false) & 0x0f) != UART_IIR_THRE;

	if (!u->shadow)
		return;
	if (!quiet && u->shadow_mapped) {
		u->shadow_mapped = false;
		u->map_shadow(u->shadow_ctx, false);
	}
	for (unsigned off = 0; regs >> off; off++)
		if (regs >> off & 1)
			u->shadow[off] = peek_rx_empty(u, off);
	if (quiet && !u->shadow_mapped)
		u->shadow_mapped = !u->map_shadow(u->shadow_ctx, true);
}

/* Every entry point that can change a register ends here: the shadow, then the IRQ line. */
static void settle(struct uart16550 *u, unsigned regs)
{
	bool level = uart16550_irq_pending(u);

	sync_shadow(u, regs);

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->set_irq)
		u->set_irq(u->irq_opaque, level);
}

static int uart_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	if (width != 1 || off > UART_SCR)
		return -1;
	*val = read_reg(opaque, (unsigned)off);
	settle(opaque, REG(UART_IIR));
	return 0;
}

static int uart_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	if (width != 1 || off > UART_SCR)
		return -1;
	settle(opaque, write_reg(opaque, (unsigned)off, (uint8_t)val));
	return 0;
}

void uart16550_init(struct uart16550 *u, uint64_t base, void (*putc)(char), int (*getc)(void))
{
	*u = (struct uart16550){
		.putc = putc,
		.getc = getc,
		.dev = {
			.name = "uart16550",
			.base = base,
			.size = UART16550_WINDOW,
			.opaque = u,
			.read = uart_read,
			.write = uart_write,
		},
	};
}

void uart16550_connect_irq(struct uart16550 *u, void (*set_irq)(void *opaque, bool level),
			   void *opaque)
{
	u->set_irq = set_irq;
	u->irq_opaque = opaque;
	u->irq_level = false;
	settle(u, 0);
}

void uart16550_shadow(struct uart16550 *u, uint8_t *page,
		      int (*map_shadow)(void *ctx, bool mapped), void *ctx)
{
	u->shadow = page;
	u->map_shadow = map_shadow;
	u->shadow_ctx = ctx;
	u->shadow_mapped = false;
	settle(u, ALL_REGS);
}

int uart16550_receive(struct uart16550 *u, uint8_t byte)
{
	int ret;

	if (loopback(u))
		return -1;
	ret = rx_push(u, byte);
	settle(u, 0);
	return ret;
}

int uart16550_poll_input(struct uart16550 *u)
{
	int n = 0, c;

	if (!u->getc || loopback(u))
		return 0;
	while (u->rx_count < UART16550_FIFO_SIZE) {
		c = u->getc();
		if (c < 0)
			break;
		rx_push(u, (uint8_t)c);
		n++;
	}
	settle(u, 0);
	return n;
}

int uart16550_irq_pending(const struct uart16550 *u)
{
	return !(iir(u, u->rx_count) & UART_IIR_NO_INT);
}
