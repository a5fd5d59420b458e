// SPDX-License-Identifier: BSD-2-Clause
/* The guest platform: UART and test device behind a PLIC whose contexts drive the vCPUs' VSEIP. */
#include "board.h"
#include "console.h"
#include "dv.h"

/* PLIC context i is the S-mode context of vCPU i. */
static void plic_notify(void *opaque, unsigned ctx, bool level)
{
	struct board *b = opaque;

	if (ctx < b->vm->nr_vcpus)
		vcpu_set_eip(&b->vm->vcpu[ctx], level);
}

static void uart_irq(void *opaque, bool level)
{
	struct board *b = opaque;

	plic_set_irq(&b->plic, GUEST_UART_IRQ, level);
}

int board_init(struct board *b, struct vm *vm, const struct vm_config *cfg, unsigned host_irq)
{
	b->vm = vm;
	b->host_irq = host_irq;
	plic_init(&b->plic, GUEST_PLIC_BASE, GUEST_PLIC_NDEV, vm->nr_vcpus, plic_notify, b);
	uart16550_init(&b->uart, GUEST_UART_BASE, console_putc, console_getc);
	uart16550_connect_irq(&b->uart, uart_irq, b);
	if (mmio_register(&vm->bus, &b->plic.dev) || mmio_register(&vm->bus, &b->uart.dev))
		return -1;
	for (unsigned i = 0; i < GUEST_VIRTIO_SLOTS; i++) {
		virtio_slot_init(&b->virtio[i], GUEST_VIRTIO_BASE + i * GUEST_VIRTIO_SIZE);
		if (mmio_register(&vm->bus, &b->virtio[i].dev))
			return -1;
	}
	if (host_irq)
		console_enable_rx_irq();
	if (!cfg->testdev)
		return 0;
	testdev_init(&b->testdev, GUEST_TESTDEV_BASE);
	return mmio_register(&vm->bus, &b->testdev.dev);
}

/*
 * Moves console input into the guest's UART. The host IRQ is completed only once the host
 * UART is drained; while the guest's FIFO is full it stays claimed, so a fast typist cannot
 * make it fire again and again before the guest reads.
 */
static void feed_console(struct board *b)
{
	uart16550_poll_input(&b->uart);
	b->host_irq_held = console_has_input();
	if (!b->host_irq_held)
		dv_irq_done(b->host_irq);
}

void board_retry_input(struct board *b)
{
	spin_lock(&b->lock);
	if (b->host_irq_held)
		feed_console(b);
	spin_unlock(&b->lock);
}

void board_host_irq(struct board *b, unsigned irq)
{
	if (!irq || irq != b->host_irq)
		return;
	spin_lock(&b->lock);
	feed_console(b);
	spin_unlock(&b->lock);
}

enum mmio_result board_mmio(struct board *b, struct dv_exit *ex)
{
	enum mmio_result r;

	spin_lock(&b->lock);
	r = mmio_emulate(&b->vm->bus, ex, dv_guest_fetch_insn, NULL);
	spin_unlock(&b->lock);
	return r;
}
