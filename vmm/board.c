// SPDX-License-Identifier: BSD-2-Clause
/*
 * The guest platform: UART, virtio devices, RTC and test devices behind a PLIC whose contexts
 * drive the vCPUs' VSEIP.
 */
#include <stdio.h>

#include "board.h"
#include "console.h"
#include "dv.h"
#include "riscv.h"

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

/* Slot n's device drives PLIC source GUEST_VIRTIO_IRQ + n. */
static void virtio_irq(void *opaque, bool level)
{
	struct vdev *v = opaque;
	struct board *b = v->vio.vm->board;

	plic_set_irq(&b->plic, GUEST_VIRTIO_IRQ + (unsigned)(v - b->vdev), level);
}

/* The RTC's host clock: the host RTC's reading at boot, carried forward by the time CSR. */
static uint64_t host_ns(const void *clock)
{
	return wallclock_ns(clock, csr_read(time));
}

/* The first host device of the given kind not yet taken by another slot. */
static int take_host(const struct board_backends *be, uint32_t id, unsigned nr_queues,
		     unsigned *taken, struct vdev_host *h)
{
	for (unsigned i = 0; i < be->nr_hdevs; i++) {
		if (*taken & (1U << i) || be->hdev[i].device_id != id ||
		    be->hdev[i].nr_queues < nr_queues)
			continue;
		*taken |= 1U << i;
		*h = (struct vdev_host){ &be->hdev[i], (int)i };
		return 0;
	}
	return -1;
}

static int make_vdev(struct vdev *v, const struct vm_config *cfg, enum vm_virtio kind,
		     const struct board_backends *be, unsigned *taken)
{
	static const struct { uint32_t id; unsigned queues; const char *what; } need[] = {
		[VM_VIRTIO_BLK] = { VIRTIO_ID_BLOCK, 1, "disk" },
		[VM_VIRTIO_NET] = { VIRTIO_ID_NET, 2, "network device" },
		[VM_VIRTIO_CONSOLE] = { VIRTIO_ID_CONSOLE, 2, "console device" },
		[VM_VIRTIO_RNG] = { VIRTIO_ID_RNG, 1, "entropy device" },
	};
	struct vdev_host host;

	if (kind == VM_VIRTIO_BLK && cfg->disk) {
		if (!be->disk) {
			printf("vm config: no image blob \"%s\" for the embedded disk\n", cfg->disk);
			return -1;
		}
		return vblk_init_embedded(v, be->disk, be->disk_size);
	}
	if (take_host(be, need[kind].id, need[kind].queues, taken, &host)) {
		printf("board: no host %s granted to this VM: its virtio slot stays empty\n",
		       need[kind].what);
		return 1;
	}
	switch (kind) {
	case VM_VIRTIO_BLK:
		return vblk_init_host(v, host);
	case VM_VIRTIO_NET:
		return vnet_init(v, host, cfg->mac);
	case VM_VIRTIO_CONSOLE:
		return vconsole_init(v, host);
	default:
		return vrng_init(v, host);
	}
}

_Static_assert((GUEST_UART_SHADOW + 1) * 0x1000 <= DV_RAM_EXTRA, "a shadow page for each");

/* Shadow page `page` mapped at `gpa`; NULL without shadows, or when the mapping failed. */
static uint32_t *shadow_page(const struct board_backends *be, uint64_t gpa, unsigned page,
			     int *err)
{
	if (!be->shadow)
		return NULL;
	if (be->map_shadow(be->map_ctx, gpa, page)) {
		*err = -1;
		return NULL;
	}
	return be->shadow + page * (0x1000 / sizeof(uint32_t));
}

/* The config's virtio devices fill the first slots; the others stay empty slots. */
static int add_virtio(struct board *b, const struct vm_config *cfg, const struct board_backends *be)
{
	int err = 0;

	unsigned taken = 0;

	for (unsigned i = 0; i < cfg->nr_virtio; i++) {
		struct vdev *v = &b->vdev[b->nr_vdevs];
		int r = make_vdev(v, cfg, cfg->virtio[i], be, &taken);

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		uint64_t base = GUEST_VIRTIO_BASE + b->nr_vdevs * GUEST_VIRTIO_SIZE;

		v->vio.set_irq = virtio_irq;
		v->vio.irq_opaque = v;
		virtio_init(&v->vio, base, b->vm);
		virtio_shadow(&v->vio, shadow_page(be, base, 1 + b->nr_vdevs, &err));
		if (err || mmio_register(&b->vm->bus, &v->vio.mmio))
			return -1;
		b->nr_vdevs++;
	}
	for (unsigned i = b->nr_vdevs; i < GUEST_VIRTIO_SLOTS; i++) {
		virtio_slot_init(&b->empty[i], GUEST_VIRTIO_BASE + i * GUEST_VIRTIO_SIZE);
		if (mmio_register(&b->vm->bus, &b->empty[i].dev))
			return -1;
	}
	return 0;
}

/*
 * The UART's shadow comes and goes with its state. Unmapping flushes this hart's G-stage
 * TLB; every other vCPU flushes its own before it next runs the guest, and the kicks that
 * make them do so leave with the calling thread before any interrupt the change raises.
 */
static int map_uart_shadow(void *ctx, bool mapped)
{
	struct board *b = ctx;
	const struct board_backends *be = &b->be;

	if (mapped)
		return be->map_shadow(be->map_ctx, GUEST_UART_BASE, GUEST_UART_SHADOW);
	if (be->unmap_shadow(be->map_ctx, GUEST_UART_BASE)) {
		vm_stop(b->vm, VM_CRASH, "the UART's register shadow cannot be unmapped");
		return -1;
	}
	vm_request(b->vm, (1UL << b->vm->nr_vcpus) - 1, DV_REQ_FENCE_GVMA);
	return 0;
}

int board_init(struct board *b, struct vm *vm, const struct vm_config *cfg,
	       const struct board_backends *be)
{
	int err = 0;

	b->vm = vm;
	b->host_irq = be->uart_irq;
	plic_init(&b->plic, GUEST_PLIC_BASE, GUEST_PLIC_NDEV, vm->nr_vcpus, plic_notify, b);
	plic_shadow_enables(&b->plic, shadow_page(be, GUEST_PLIC_BASE + PLIC_ENABLE, 0, &err));
	if (err)
		return -1;
	uart16550_init(&b->uart, GUEST_UART_BASE, console_putc, console_getc);
	b->uart.tx_idle = console_pause;
	uart16550_connect_irq(&b->uart, uart_irq, b);
	if (be->shadow && cfg->uart_shadow) {
		b->be = *be;
		uart16550_shadow(&b->uart, (uint8_t *)(be->shadow + GUEST_UART_SHADOW * 0x400),
				 map_uart_shadow, b);
	}
	sifive_test_init(&b->sifive_test, GUEST_SIFIVE_TEST_BASE, vm);
	goldfish_rtc_init(&b->rtc, GUEST_RTC_BASE, host_ns, be->clock);
	if (mmio_register(&vm->bus, &b->plic.dev) || mmio_register(&vm->bus, &b->uart.dev) ||
	    mmio_register(&vm->bus, &b->sifive_test.dev) || mmio_register(&vm->bus, &b->rtc.dev) ||
	    add_virtio(b, cfg, be))
		return -1;
	if (b->host_irq)
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
	if (!b->host_irq_held && b->host_irq)
		dv_irq_done(b->host_irq);
}

void board_poll_input(struct board *b)
{
	spin_lock(&b->lock);
	uart16550_poll_input(&b->uart);
	spin_unlock(&b->lock);
}

void board_retry_input(struct board *b)
{
	spin_lock(&b->lock);
	if (b->host_irq_held || console_ring_waiting())
		feed_console(b);
	spin_unlock(&b->lock);
}

void board_host_irq(struct board *b, unsigned irq)
{
	if (!irq)
		return;
	spin_lock(&b->lock);
	if (irq == b->host_irq)
		feed_console(b);
	for (unsigned i = 0; i < b->nr_vdevs; i++)
		if (b->vdev[i].host_irq == irq)
			vdev_host_irq(&b->vdev[i]);
	spin_unlock(&b->lock);
}

void board_reset(struct board *b)
{
	spin_lock(&b->lock);
	for (unsigned i = 0; i < b->nr_vdevs; i++)
		virtio_reset(&b->vdev[i].vio);
	goldfish_rtc_reset(&b->rtc);
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
