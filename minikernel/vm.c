// SPDX-License-Identifier: BSD-2-Clause
/* Creating a VM: its runtime address space, memory grant, G-stage pool, exit pages and boot info. */
#include <string.h>

#include "mk.h"

#define MK_MAX_VMS 1
#define MIB2 (1UL << 21)

static struct mk_vm mk_vms[MK_MAX_VMS];

static uint64_t page_align(uint64_t x)
{
	return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static void set_region(struct dv_region *r, const char *name, uint64_t va, uint64_t pa, uint64_t size)
{
	strncpy(r->name, name, DV_NAME_LEN - 1);
	r->va = va;
	r->pa = pa;
	r->size = size;
}

struct blob_map {
	uint64_t root_pa;
	struct dv_boot_info *bi;
	uint64_t va;
};

/* Every blob but the runtime itself is shown to the runtime read-only, in place. */
static int map_blob(void *ctx, const char *name, uint64_t pa, uint64_t size)
{
	struct blob_map *m = ctx;

	if (!strcmp(name, "runtime"))
		return 0;
	if (m->bi->nr_blobs == DV_MAX_BLOBS || mm_map(m->root_pa, m->va, pa, page_align(size), PTE_U | PTE_R))
		return -1;
	set_region(&m->bi->blob[m->bi->nr_blobs++], name, m->va, pa, size);
	m->va += page_align(size) + PAGE_SIZE;
	return 0;
}

static int grant_memory(struct mk_vm *vm, struct dv_boot_info *bi, uint64_t ram_size)
{
	vm->ram_size = ram_size;
	vm->ram_pa = mm_alloc(ram_size, MIB2, false);
	vm->gpt_pa = mm_alloc(MK_GPT_PAGES * PAGE_SIZE, 4 * PAGE_SIZE, true);
	if (!vm->ram_pa || !vm->gpt_pa ||
	    mm_map(vm->root_pa, DV_RT_RAM_VA, vm->ram_pa, ram_size, PTE_U | PTE_R | PTE_W) ||
	    mm_map(vm->root_pa, DV_RT_GPT_VA, vm->gpt_pa, MK_GPT_PAGES * PAGE_SIZE, PTE_U | PTE_R))
		return -1;
	mk_gpt_init(vm);
	set_region(&bi->ram, "ram", DV_RT_RAM_VA, vm->ram_pa, ram_size);
	set_region(&bi->gpt, "gpt", DV_RT_GPT_VA, vm->gpt_pa, MK_GPT_PAGES * PAGE_SIZE);
	return 0;
}

static int grant_exit_pages(struct mk_vm *vm, struct dv_boot_info *bi)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		uint64_t pa = mm_alloc(PAGE_SIZE, PAGE_SIZE, true);

		if (!pa || mm_map(vm->root_pa, DV_RT_EXIT_VA + i * PAGE_SIZE, pa, PAGE_SIZE,
				  PTE_U | PTE_R | PTE_W))
			return -1;
		vm->vcpu[i].id = i;
		vm->vcpu[i].exit = (struct dv_exit *)pa;
	}
	bi->exit_va = DV_RT_EXIT_VA;
	return 0;
}

static int grant_devices(struct mk_vm *vm, struct dv_boot_info *bi, bool uart)
{
	if (!uart || !mk_plat.uart_pa)
		return 0;
	if (mm_map(vm->root_pa, DV_RT_DEV_VA, mk_plat.uart_pa, PAGE_SIZE, PTE_U | PTE_R | PTE_W))
		return -1;
	set_region(&bi->dev[bi->nr_devs], "uart", DV_RT_DEV_VA, mk_plat.uart_pa, PAGE_SIZE);
	bi->uart_kind = mk_plat.uart_kind;
	if (mk_plat.plic_pa && mk_plat.uart_irq) {
		vm->irq = mk_plat.uart_irq;
		vm->irqs[vm->nr_irqs++] = vm->irq;
		bi->dev[bi->nr_devs].irq = vm->irq;
	}
	bi->nr_devs++;
	return 0;
}

/* vCPU 0 runs on the boot hart, vCPU i on the i-th other hart (FDT order): pinned for good. */
static const char *pin_vcpus(struct mk_vm *vm, unsigned long boot_hart)
{
	unsigned n = 1;

	if (!vm->nr_vcpus || vm->nr_vcpus > DV_MAX_VCPUS || vm->nr_vcpus > mk_plat.nr_harts) {
		mk_printf("mk: vm%u asks for %u vCPU(s); this machine has %u hart(s) that can run guests, "
			  "and a VM may have 1 to %u\n", vm->id, vm->nr_vcpus, mk_plat.nr_harts,
			  DV_MAX_VCPUS);
		return "VM config: vcpus does not fit this machine";
	}
	vm->hart[0] = &mk_harts[boot_hart];
	for (unsigned i = 0; i < mk_plat.nr_harts && n < vm->nr_vcpus; i++)
		if (mk_plat.hart_id[i] != boot_hart)
			vm->hart[n++] = &mk_harts[mk_plat.hart_id[i]];
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct mk_hart *h = vm->hart[i];

		h->hartid = (uint64_t)(h - mk_harts);
		h->kstack = (uint64_t)h->stack + sizeof(h->stack);
		h->plic_ctx = mk_fdt_hart_output("riscv,plic0", IRQ_S_EXT, h->hartid);
		h->sswi = mk_plat.sswi_pa ? mk_fdt_hart_output("riscv,aclint-sswi", IRQ_S_SOFT,
								  h->hartid) : -1;
		h->vm = vm;
		h->exit = vm->vcpu[i].exit;
		h->vcpu_id = i;
		h->frame = (uint64_t)h->rt_frame;
	}
	return NULL;
}

static const char *build_vm(struct mk_vm *vm, unsigned long boot_hart)
{
	uint64_t cfg_size, rt_size, ram_size, info;
	const void *cfg = mk_image_find("config", &cfg_size);
	const void *rt = mk_image_find("runtime", &rt_size);
	struct dv_boot_info *bi;
	struct blob_map blobs;
	const char *err;
	bool uart, virtio;

	if (!cfg || !rt || mk_vmconfig_read(cfg, &ram_size, &vm->nr_vcpus, &uart, &virtio))
		return "image lacks a runtime or a valid VM config";
	if (!ram_size || ram_size & (PAGE_SIZE - 1))
		return "VM config: memory-size must be a non-zero multiple of 4 KiB";
	vm->root_pa = mm_new_root();
	info = mm_alloc(PAGE_SIZE, PAGE_SIZE, true);
	if (!vm->root_pa || !info)
		return "out of memory";
	bi = (struct dv_boot_info *)info;
	bi->magic = DV_BOOT_MAGIC;
	bi->features = mk_plat.features;
	bi->backend = DV_BACKEND_SW;
	bi->vm_id = vm->id;
	bi->nr_vcpus = vm->nr_vcpus;
	bi->timebase_hz = mk_plat.timebase_hz;
	memcpy(bi->host_isa, mk_plat.isa, sizeof(bi->host_isa));
	mk_fdt_host_inputs(bi);
	if (mk_elf_load(vm->root_pa, rt, rt_size, &vm->entry))
		return "runtime ELF does not load";
	if (grant_memory(vm, bi, ram_size + DV_RAM_EXTRA) || grant_exit_pages(vm, bi) || grant_devices(vm, bi, uart))
		return "out of memory for the VM's grant";
	/*
	 * Host virtio devices are set up only for a VM granted them; otherwise left untouched.
	 * Their completions need their interrupts, which only a PLIC brings to the minikernel.
	 */
	if (virtio && !mk_plat.plic_pa)
		mk_printf("mk: vm%u: host virtio devices not granted: no PLIC to take their "
			  "interrupts\n", vm->id);
	else if (virtio)
		bi->nr_hdevs = mk_hdev_grant(vm, bi->hdev);
	err = pin_vcpus(vm, boot_hart);
	if (err)
		return err;
	blobs = (struct blob_map){ vm->root_pa, bi, DV_RT_BLOB_VA };
	if (mk_image_foreach(map_blob, &blobs) ||
	    mm_map(vm->root_pa, DV_RT_INFO_VA, info, PAGE_SIZE, PTE_U | PTE_R))
		return "cannot map the image blobs";
	return NULL;
}

struct mk_vm *mk_vm_create(unsigned id, unsigned long boot_hart)
{
	struct mk_vm *vm = &mk_vms[id];
	const char *err;

	vm->id = id;
	err = build_vm(vm, boot_hart);
	if (err) {
		mk_printf("mk: vm%u: cannot create: %s\n", id, err);
		return NULL;
	}
	vm->alive = true;
	mk_printf("mk: vm%u: %lu MiB RAM at 0x%lx, %u vCPU(s), runtime entry 0x%lx\n", id,
		  vm->ram_size >> 20, vm->ram_pa, vm->nr_vcpus, vm->entry);
	return vm;
}

void mk_hfence_gvma(void)
{
	__asm__ volatile(".option push\n.option arch, +h\nhfence.gvma\n.option pop" ::: "memory");
}

/* This hart switches to the VM's address spaces and drops to a runtime thread at pc. */
void mk_enter_runtime(struct mk_hart *h, uint64_t pc, uint64_t sp, uint64_t arg)
{
	struct mk_vm *vm = h->vm;

	csr_write(satp, SATP_SV39 | vm->root_pa >> 12);
	__asm__ volatile("sfence.vma" ::: "memory");
	csr_write(hgatp, HGATP_SV39X4 | (uint64_t)(vm->id + 1) << HGATP_VMID_SHIFT | vm->gpt_pa >> 12);
	mk_hfence_gvma();
	for (unsigned i = 0; i < vm->nr_irqs && h->plic_ctx >= 0; i++)
		mk_plic_grant(h, vm->irqs[i]);
	h->in_guest = 0;
	h->frame = (uint64_t)h->rt_frame;
	for (unsigned i = 0; i < 32; i++)
		h->rt_frame[i] = 0;
	h->rt_frame[2] = sp;
	h->rt_frame[10] = arg;
	csr_write(sepc, pc);
	csr_clear(sstatus, SSTATUS_SPP);
	csr_clear(hstatus, HSTATUS_SPV);
	mk_trap_return(h);
}

/* The runtime's main thread on the boot hart; it builds the VM and runs vCPU 0. */
void mk_vm_start(struct mk_vm *vm)
{
	struct mk_hart *h = vm->hart[0];

	h->state = MK_HART_RUNNING;
	vm->nr_threads = 1;
	mk_enter_runtime(h, vm->entry, 0, DV_RT_INFO_VA);
}

/* Ends a VM whose runtime exited or failed; with no VM left the machine powers off. */
void mk_vm_kill(struct mk_hart *h, const char *why)
{
	bool any = false;

	mk_printf("mk: vm%u: runtime stopped: %s\n", h->vm->id, why);
	__atomic_store_n(&h->vm->alive, false, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < MK_MAX_VMS; i++)
		any |= __atomic_load_n(&mk_vms[i].alive, __ATOMIC_ACQUIRE);
	if (!any) {
		mk_printf("mk: no VM left running; powering off\n");
		mk_sbi_shutdown(false);
	}
	for (;;)
		__asm__ volatile("wfi");
}
