/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest platform's devices, how their interrupt lines are wired, and the host IRQ they use. */
#ifndef VMM_BOARD_H
#define VMM_BOARD_H

#include <stdbool.h>

#include "config.h"
#include "plic.h"
#include "testdev.h"
#include "platform.h"
#include "uart16550.h"
#include "virtio_slot.h"
#include "vm.h"

struct board {
	struct vm *vm;
	struct plic plic;
	struct uart16550 uart;
	struct testdev testdev;
	struct virtio_slot virtio[GUEST_VIRTIO_SLOTS];
	unsigned host_irq;  /* host IRQ of the console UART, 0 when it has none */
	bool host_irq_held; /* left claimed while the guest's UART FIFO cannot take more input */
};

/* Creates the devices the config asks for on vm's bus, wired to the vCPUs' VSEIP. */
int board_init(struct board *b, struct vm *vm, const struct vm_config *cfg, unsigned host_irq);

/* The host IRQ `irq` fired (an external-interrupt exit): serve the device behind it. */
void board_host_irq(struct board *b, unsigned irq);

/* Console input left at the host UART because the guest's FIFO was full: try again. */
void board_retry_input(struct board *b);

/* Called after every exit, so it must cost next to nothing when no input is held back. */
static inline void board_poll(struct board *b)
{
	if (b->host_irq_held)
		board_retry_input(b);
}

#endif
