/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest platform's devices, how their interrupt lines are wired, and the host IRQ they use. */
#ifndef VMM_BOARD_H
#define VMM_BOARD_H

#include <stdbool.h>

#include "config.h"
#include "console.h"
#include "goldfish_rtc.h"
#include "lock.h"
#include "plic.h"
#include "sifive_test.h"
#include "testdev.h"
#include "platform.h"
#include "uart16550.h"
#include "virtio_slot.h"
#include "vdev.h"
#include "mmio_emul.h"
#include "mmio_site.h"
#include "vm.h"
#include "wallclock.h"

/*
 * What backs the board's devices: the granted host UART IRQ, host devices, a disk image, the
 * host's wall clock, and the shadow pages (DV_RAM_EXTRA bytes of them, NULL: none) with the
 * means to map page i read-only at a guest-physical address, so that the guest's loads of a
 * device's registers read its shadow without an exit (stores still fault and are emulated),
 * and to unmap one again.
 */
struct board_backends {
	unsigned uart_irq;
	const struct dv_hdev *hdev;
	unsigned nr_hdevs;
	const uint8_t *disk;
	uint64_t disk_size;
	const struct wallclock *clock;
	uint32_t *shadow;
	int (*map_shadow)(void *ctx, uint64_t gpa, unsigned page);
	int (*unmap_shadow)(void *ctx, uint64_t gpa);
	void *map_ctx;
};

/*
 * Locking: `lock` covers every device model on the board (their registers, the UART FIFO,
 * the PLIC's state) and host_irq_held. vCPU threads take it for each MMIO access and for
 * the host IRQ; the PLIC's notifications run under it and only post to vCPUs (atomics).
 */
struct board {
	struct spinlock lock;
	struct vm *vm;
	struct plic plic;
	struct uart16550 uart;
	struct testdev testdev;
	struct sifive_test sifive_test;
	struct goldfish_rtc rtc;
	struct virtio_slot empty[GUEST_VIRTIO_SLOTS]; /* the slots beyond nr_vdevs */
	struct vdev vdev[GUEST_VIRTIO_SLOTS];
	unsigned nr_vdevs;
	struct board_backends be; /* a copy: the UART's shadow comes and goes */
	unsigned host_irq;  /* host IRQ of the console UART, 0 when it has none */
	bool host_irq_held; /* left claimed while the guest's UART FIFO cannot take more input */
};

/* Creates the devices the config asks for on vm's bus, wired to the vCPUs' VSEIP. */
int board_init(struct board *b, struct vm *vm, const struct vm_config *cfg,
	       const struct board_backends *be);

/* The VM is rebooting: every virtio device and the RTC's alarm back to their reset state. */
void board_reset(struct board *b);

/* The host IRQ `irq` fired (an external-interrupt exit): serve the device behind it. */
void board_host_irq(struct board *b, unsigned irq);

/* Console input without a host IRQ (vCPU 0 polls): move what waits into the guest's UART. */
void board_poll_input(struct board *b);

/* Console input left at the host UART (the guest's FIFO was full) or in the ring: feed it. */
void board_retry_input(struct board *b);

/* An MMIO exit on this board's bus, emulated under its lock. */
enum mmio_result board_mmio(struct board *b, struct dv_exit *ex);

/*
 * Only if the bus decoded the access before (mmio_emulate_cached), else MMIO_MISS. Inline:
 * it is on dv-hw's fast MMIO exit.
 */
static inline enum mmio_result board_mmio_cached(struct board *b, struct dv_exit *ex,
						 uint32_t insn, uint64_t gpa, uint64_t stale)
{
	enum mmio_result r;

	spin_lock(&b->lock);
	r = mmio_emulate_cached(&b->vm->bus, ex, insn, gpa, stale);
	spin_unlock(&b->lock);
	return r;
}

/* Called after every exit, so it must cost next to nothing when no input is held back. */
static inline void board_poll(struct board *b)
{
	if (__atomic_load_n(&b->host_irq_held, __ATOMIC_RELAXED))
		board_retry_input(b);
}

#endif
