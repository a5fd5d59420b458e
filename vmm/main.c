// SPDX-License-Identifier: BSD-2-Clause
/* The runtime: build its VM from the boot info and its config node, run it, report how it ended. */
#include <picolibc.h>
#include <picotls.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "config.h"
#include "console.h"
#include "dv.h"
#include "gstage.h"
#include "guest_dtb.h"
#include "platform.h"
#include "rng_seed.h"
#include "vcpu.h"
#include "wallclock.h"

extern char __tls_block[], __tls_size[];

#define THREAD_STACK 0x10000
#define THREAD_TLS   256 /* linker/runtime.ld checks that the TLS fits */

/* The stack and thread-local storage of the thread of a secondary vCPU. */
struct vcpu_thread {
	uint8_t stack[THREAD_STACK] __attribute__((aligned(16)));
	uint8_t tls[THREAD_TLS] __attribute__((aligned(16)));
};

/* Everything the runtime owns for its VM; one instance, built once. */
struct runtime {
	const struct dv_boot_info *bi;
	struct vm_config cfg;
	struct vm vm;
	struct gstage gs;
	struct board board;
	struct wallclock clock;
	uint64_t boots; /* guest boots so far, reboots included: each gets its own rng-seed */
	char cmdline[1024];
	uint64_t entry_cycle;
	struct vcpu_thread thread[DV_MAX_VCPUS]; /* vCPU 0 uses the main thread's */
};

static struct runtime rt;

static const struct dv_region *find_region(const struct dv_region *r, uint64_t n, const char *name)
{
	for (uint64_t i = 0; i < n; i++)
		if (!strncmp(r[i].name, name, DV_NAME_LEN))
			return &r[i];
	return NULL;
}

static long gpt_write(void *ctx, uint64_t table_pa, unsigned idx, uint64_t pte)
{
	(void)ctx;
	return dv_gpt_write(table_pa, idx, pte);
}

static int setup_memory(struct runtime *r)
{
	const struct dv_boot_info *bi = r->bi;
	struct vm *vm = &r->vm;

	if (r->cfg.ram_size + DV_RAM_EXTRA != bi->ram.size) {
		printf("vm%u: config memory-size 0x%llx does not match the grant 0x%llx\n", vm->id,
		       (unsigned long long)r->cfg.ram_size, (unsigned long long)bi->ram.size);
		return -1;
	}
	vm->ram_gpa = r->cfg.ram_gpa;
	vm->ram_size = r->cfg.ram_size;
	vm->ram = (uint8_t *)bi->ram.va;
	gstage_init(&r->gs, bi->gpt.pa, (const uint64_t *)bi->gpt.va,
		    (unsigned)(bi->gpt.size / 4096), NULL, gpt_write);
	return gstage_map(&r->gs, vm->ram_gpa, bi->ram.pa, vm->ram_size,
			  GSTAGE_R | GSTAGE_W | GSTAGE_X);
}

/* The RISC-V Linux image header: the effective size covers the kernel's bss too. */
#define RISCV_IMAGE_MAGIC2 0x05435352U /* "RSC\x05" */

static uint64_t kernel_footprint(const struct dv_region *k)
{
	const uint8_t *img = (const uint8_t *)k->va;
	uint64_t size = 0;
	uint32_t magic2 = 0;

	if (k->size < 64)
		return k->size;
	memcpy(&magic2, img + 56, sizeof(magic2));
	memcpy(&size, img + 16, sizeof(size));
	return magic2 == RISCV_IMAGE_MAGIC2 && size > k->size ? size : k->size;
}

/* The config's bootargs, then the words of a "cmdline" blob (make GUEST_APPEND=...). */
static const char *bootargs(struct runtime *r)
{
	const struct dv_region *c = find_region(r->bi->blob, r->bi->nr_blobs, r->cfg.cmdline);
	size_t len = strlen(r->cfg.bootargs);

	if (!c || !c->size)
		return r->cfg.bootargs;
	if (len + 1 + c->size >= sizeof(r->cmdline)) {
		printf("vm%u: bootargs and GUEST_APPEND longer than %u bytes: appended words dropped\n",
		       r->vm.id, (unsigned)sizeof(r->cmdline));
		return r->cfg.bootargs;
	}
	memcpy(r->cmdline, r->cfg.bootargs, len);
	r->cmdline[len] = ' ';
	memcpy(r->cmdline + len + 1, (const void *)c->va, c->size);
	r->cmdline[len + 1 + c->size] = '\0';
	return r->cmdline;
}

/* The host's seed, as much of it as the boot info can hold. */
static uint64_t host_seed_len(const struct dv_boot_info *bi)
{
	return bi->rng_seed_len < DV_RNG_SEED_MAX ? bi->rng_seed_len : DV_RNG_SEED_MAX;
}

/*
 * Kernel at RAM base + 2 MiB, DTB in the top 64 KiB, initrd just below the DTB; then
 * vCPU 0 at the kernel's entry with a0 = 0, a1 = DTB.
 */
static int load_guest(struct runtime *r)
{
	const struct dv_region *g = find_region(r->bi->blob, r->bi->nr_blobs, r->cfg.guest);
	const struct dv_region *rd = find_region(r->bi->blob, r->bi->nr_blobs, r->cfg.initrd);
	struct vm *vm = &r->vm;
	uint64_t dtb_gpa = vm->ram_gpa + vm->ram_size - GUEST_DTB_MAX;
	uint64_t rd_size = rd ? rd->size : 0;
	uint64_t rd_gpa = (dtb_gpa - rd_size) & ~(GUEST_INITRD_ALIGN - 1);
	struct guest_boot boot = {
		.host_isa = r->bi->host_isa,
		.bootargs = bootargs(r),
		.initrd_start = rd_gpa,
		.initrd_end = rd_gpa + rd_size,
	};
	uint8_t seed[RNG_SEED_SIZE];

	if (!g || rd_size > vm->ram_size ||
	    vm->ram_gpa + GUEST_KERNEL_OFFSET + kernel_footprint(g) > rd_gpa) {
		printf("vm%u: guest blob \"%s\" %s\n", vm->id, r->cfg.guest,
		       g ? "and its initrd do not fit in the VM's RAM" : "is not in the image");
		return -1;
	}
	memcpy(vm->ram + GUEST_KERNEL_OFFSET, (const void *)g->va, g->size);
	if (rd)
		memcpy(vm_gpa_ptr(vm, rd_gpa, rd_size), (const void *)rd->va, rd_size);
	if (host_seed_len(r->bi)) {
		rng_seed_derive(r->bi->rng_seed, host_seed_len(r->bi), r->boots++, seed);
		boot.rng_seed = seed;
		boot.rng_seed_len = sizeof(seed);
	}
	if (guest_dtb_build(vm_gpa_ptr(vm, dtb_gpa, GUEST_DTB_MAX), GUEST_DTB_MAX, vm, &r->cfg,
			    &boot)) {
		printf("vm%u: guest DTB does not fit in %lu bytes\n", vm->id, GUEST_DTB_MAX);
		return -1;
	}
	vm->vcpu[0].start_pc = vm->ram_gpa + GUEST_KERNEL_OFFSET;
	vm->vcpu[0].start_arg = dtb_gpa;
	vcpu_set_state(&vm->vcpu[0], VCPU_START_PENDING);
	return 0;
}

static bool finish_vm(struct vcpu *self);

static void thread_main(struct vcpu *v)
{
	_init_tls(rt.thread[v->id].tls);
	_set_tls(rt.thread[v->id].tls);
	vcpu_thread(v, finish_vm);
}

/*
 * A STOPPED vCPU's thread may still be on its way off its hart (DV_SYS_VCPU_STOP): the
 * minikernel answers -DV_EBUSY until it is parked, which takes that hart a few instructions.
 */
static int start_vcpu(struct vcpu *v)
{
	struct vcpu_thread *t = &rt.thread[v->id];
	long err;

	do
		err = dv_vcpu_start(v->id, (uint64_t)thread_main,
				    (uint64_t)t->stack + sizeof(t->stack), (uint64_t)v);
	while (err == -DV_EBUSY);
	if (err)
		printf("vm%u: vcpu%u: its hart cannot be started (%ld)\n", v->vm->id, v->id, err);
	return err ? -1 : 0;
}

/* The shadow pages follow the guest's RAM in the grant (docs/memory-map.md). */
static int map_shadow(void *ctx, uint64_t gpa, unsigned page)
{
	struct runtime *r = ctx;

	return gstage_map(&r->gs, gpa, r->bi->ram.pa + r->vm.ram_size + page * 0x1000UL, 0x1000,
			  GSTAGE_R);
}

static int unmap_shadow(void *ctx, uint64_t gpa)
{
	struct runtime *r = ctx;

	return gstage_unmap_page(&r->gs, gpa);
}

static void find_backends(struct runtime *r, struct board_backends *be)
{
	const struct dv_boot_info *bi = r->bi;
	const struct dv_region *uart = find_region(bi->dev, bi->nr_devs, "uart");
	const struct dv_region *disk =
		r->cfg.disk ? find_region(bi->blob, bi->nr_blobs, r->cfg.disk) : NULL;

	*be = (struct board_backends){
		.uart_irq = uart ? (unsigned)uart->irq : 0,
		.hdev = bi->hdev,
		.nr_hdevs = bi->nr_hdevs < DV_MAX_HDEVS ? (unsigned)bi->nr_hdevs : DV_MAX_HDEVS,
		.disk = disk ? (const uint8_t *)disk->va : NULL,
		.disk_size = disk ? disk->size : 0,
		.clock = &r->clock,
		.shadow = (uint32_t *)(r->vm.ram + r->vm.ram_size),
		.map_shadow = map_shadow,
		.unmap_shadow = unmap_shadow,
		.map_ctx = r,
	};
}

/* Where the guest's wall clock and rng-seed come from, said once at start. */
static void host_clock_and_seed(struct runtime *r)
{
	const struct dv_boot_info *bi = r->bi;
	unsigned id = r->vm.id;

	r->clock = (struct wallclock){ bi->host_rtc_ns, bi->host_rtc_time, bi->timebase_hz };
	if (bi->host_rtc_ns)
		printf("vm%u: wall clock from the host RTC: %llu s since 1970\n", id,
		       (unsigned long long)(bi->host_rtc_ns / NS_PER_S));
	else
		printf("vm%u: the host has no RTC: the guest's RTC starts at 0 (1970)\n", id);
	if (host_seed_len(bi))
		printf("vm%u: rng-seed: %u fresh bytes each guest boot, from a %llu-byte host seed\n",
		       id, RNG_SEED_SIZE, (unsigned long long)host_seed_len(bi));
	else
		printf("vm%u: the host gave no rng-seed: the guest's DTB has none\n", id);
}

static int setup_vm(struct runtime *r)
{
	const struct dv_boot_info *bi = r->bi;
	const struct dv_region *cfg = find_region(bi->blob, bi->nr_blobs, "config");
	struct board_backends be;
	struct vm *vm = &r->vm;

	vm->id = (unsigned)bi->vm_id;
	vm->nr_vcpus = (unsigned)bi->nr_vcpus;
	vm->start_vcpu = start_vcpu;
	vm->sstc = bi->features & DV_FEAT_SSTC;
	vm->host_timer = vm->sstc || bi->backend == DV_BACKEND_HW;
	vm->timebase_hz = bi->timebase_hz;
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpu[i].id = i;
		vm->vcpu[i].vm = vm;
		vm->vcpu[i].exit = (struct dv_exit *)(bi->exit_va + i * 4096UL);
		vm->vcpu[i].state = VCPU_STOPPED;
	}
	if (!cfg || vm_config_parse((const void *)cfg->va, (int)bi->vm_node, &r->cfg))
		return -1;
	/* A restarted VM's guests get other seeds than the first instance's did. */
	r->boots = bi->instance << 32;
	if (setup_memory(r)) {
		printf("vm%u: building the G-stage tables failed\n", vm->id);
		return -1;
	}
	vm->board = &r->board;
	host_clock_and_seed(r);
	find_backends(r, &be);
	/* A shared console's input comes with a kick from the minikernel (vcpu.c). */
	vm->vcpu[0].polls = !be.uart_irq && bi->console != DV_CONSOLE_SHARED;
	if (vm->vcpu[0].polls)
		printf("vm%u: console input: no host interrupt; vCPU 0 polls it\n", vm->id);
	if (board_init(&r->board, vm, &r->cfg, &be)) {
		printf("vm%u: device setup failed\n", vm->id);
		return -1;
	}
	pmu_report(vm);
	return load_guest(r);
}

static uint64_t instret_now(void)
{
	uint64_t n;

	__asm__ volatile("rdcycle %0" : "=r"(n));
	return n;
}

static void report_end(const struct vm *vm, uint64_t entry)
{
	static const char *const names[] = {
		[VM_POWEROFF] = "poweroff", [VM_REBOOT] = "reboot", [VM_CRASH] = "crash",
	};
	uint64_t e[EXIT_NR] = { 0 };

	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		for (unsigned k = 0; k < EXIT_NR; k++)
			e[k] += vm->vcpu[i].exits[k];
	printf("vm%u: ended: %s (%s)\n", vm->id, names[vm->end], vm->end_why);
	/* Under QEMU -icount shift=0 the cycle counter counts instructions: make bench reads this. */
	printf("vm%u: guest entered at cycle %llu\n", vm->id, (unsigned long long)entry);
	printf("vm%u: exits: sbi=%llu mmio=%llu timer=%llu host-irq=%llu kick=%llu wfi=%llu "
	       "counter=%llu virtual-insn=%llu other=%llu\n", vm->id,
	       (unsigned long long)e[EXIT_SBI], (unsigned long long)e[EXIT_MMIO],
	       (unsigned long long)e[EXIT_TIMER], (unsigned long long)e[EXIT_HOST_IRQ],
	       (unsigned long long)e[EXIT_KICK], (unsigned long long)e[EXIT_WFI],
	       (unsigned long long)e[EXIT_COUNTER], (unsigned long long)e[EXIT_VIRT_INSN],
	       (unsigned long long)e[EXIT_OTHER]);
}

/*
 * Every vCPU has stopped and the VM has ended: report, then power off, or reload the guest
 * and restart vCPU 0 for a reboot. Returns whether `self` runs again (it is vCPU 0).
 */
static bool finish_vm(struct vcpu *self)
{
	struct vm *vm = self->vm;

	report_end(vm, rt.entry_cycle);
	if (vm->end != VM_REBOOT)
		dv_exit(vm->end == VM_POWEROFF ? DV_EXIT_POWEROFF : DV_EXIT_FAILURE);
	board_reset(vm->board);
	if (load_guest(&rt))
		dv_exit(DV_EXIT_FAILURE);
	rt.entry_cycle = instret_now();
	__atomic_store_n(&vm->finishing, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&vm->end, VM_RUNNING, __ATOMIC_RELEASE);
	if (self->id == 0)
		return true;
	if (start_vcpu(&vm->vcpu[0]))
		dv_exit(DV_EXIT_FAILURE);
	return false;
}

int rt_main(const struct dv_boot_info *bi)
{
	const struct dv_region *uart;

	_init_tls(__tls_block);
	_set_tls(__tls_block);
	if (bi->magic != DV_BOOT_MAGIC)
		return DV_EXIT_FAILURE;
	uart = find_region(bi->dev, bi->nr_devs, "uart");
	console_init(uart ? (volatile uint8_t *)uart->va : NULL, (unsigned)bi->uart_kind,
		     bi->console == DV_CONSOLE_SHARED ? (struct dv_exit *)bi->exit_va : NULL);
	rt.bi = bi;
	dv_init(bi);
	printf("vm%llu: runtime up (U-mode, backend %s), host isa %s\n",
	       (unsigned long long)bi->vm_id, bi->backend == DV_BACKEND_SW ? "dv-sw" : "dv-hw",
	       bi->host_isa);
	if (dv_fixup_init() || setup_vm(&rt))
		return DV_EXIT_FAILURE;
	rt.entry_cycle = instret_now();
	vcpu_thread(&rt.vm.vcpu[0], finish_vm);
}
