// SPDX-License-Identifier: BSD-2-Clause
/* Creating the VMs: each a runtime address space, memory grant, G-stage pool, exit pages, boot info. */
#include <libfdt.h>
#include <string.h>

#include "mk.h"

#define MIB2 (1UL << 21)

struct mk_vm mk_vms[MK_MAX_VMS];
unsigned mk_nr_vms;
uint32_t mk_vms_alive;
/* Harts with H in the order VMs take them: the boot hart first (VM 0's vCPU 0), then FDT order. */
static unsigned hart_order[MK_MAX_HARTS], nr_order, next_hart;
/* Each host device goes to one VM at most. */
struct mk_vm *mk_uart_vm;

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
	const void *cfg;
	const char *runtime;
};

/*
 * A runtime sees, read-only and in place, the config and the blobs its VM's node names;
 * the only VM of an image sees every blob. Never a runtime ELF.
 */
static int map_blob(void *ctx, const char *name, uint64_t pa, uint64_t size)
{
	struct blob_map *m = ctx;

	if (!strcmp(name, m->runtime) || (mk_nr_vms > 1 && strcmp(name, "config") &&
					   !mk_vmconfig_names(m->cfg, (int)m->bi->vm_node, name)))
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
	if (!vm->ram_pa) {
		mk_printf("mk: %s asks for %lu MiB of RAM, %lu MiB left of %lu\n", vm->name,
			  (ram_size - DV_RAM_EXTRA) >> 20, mm_left() >> 20, mk_plat.ram_size >> 20);
		return -1;
	}
	/* dv-hw: the runtime writes its tables itself, so its pool is read-write. */
	vm->gpt_pa = mm_alloc(MK_GPT_PAGES * PAGE_SIZE, 4 * PAGE_SIZE, true);
	if (!vm->gpt_pa ||
	    mm_map(vm->root_pa, DV_RT_RAM_VA, vm->ram_pa, ram_size, PTE_U | PTE_R | PTE_W) ||
	    mm_map(vm->root_pa, DV_RT_GPT_VA, vm->gpt_pa, MK_GPT_PAGES * PAGE_SIZE,
		   PTE_U | PTE_R | (vm->backend == DV_BACKEND_HW ? PTE_W : 0)))
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
		vm->vcpu[i].exit = vm->hart[i]->exit = (struct dv_exit *)pa;
		vm->hart[i]->posted = &vm->hart[i]->exit->posted;
	}
	bi->exit_va = DV_RT_EXIT_VA;
	return 0;
}

/*
 * The host UART, and each of the host's virtio devices, go to one VM at most. With several VMs
 * the console is shared: the minikernel keeps the UART, output goes through DV_SYS_CONSOLE,
 * and input to one VM at a time (mk_console_rx), first the one granted the UART; every VM's
 * harts take the UART's interrupt.
 */
static const char *grant_devices(struct mk_vm *vm, struct dv_boot_info *bi,
				 const struct mk_vmcfg *c)
{
	const char *err;

	if (c->uart && mk_uart_vm) {
		mk_printf("mk: %s asks for the host UART, already granted to %s\n", vm->name,
			  mk_uart_vm->name);
		return "a host device granted twice";
	}
	bi->console = mk_nr_vms > 1 || !c->uart ? DV_CONSOLE_SHARED : DV_CONSOLE_OWN;
	/* Their completions need their interrupts, which only a PLIC brings to the minikernel. */
	if (c->virtio && !mk_plat.plic_pa)
		mk_printf("mk: %s: host virtio devices not granted: no PLIC to take their "
			  "interrupts\n", vm->name);
	else if (c->virtio && (err = mk_hdev_grant(vm, bi, c->virtio_classes, c->virtio_len)))
		return err;
	if (mk_nr_vms > 1 && mk_plat.uart_pa && mk_plat.plic_pa && mk_plat.uart_irq) {
		mk_console_irq = mk_plat.uart_irq;
		vm->irqs[vm->nr_irqs++] = mk_console_irq;
		mk_console_enable_rx();
	}
	if (!c->uart)
		return NULL;
	mk_uart_vm = vm;
	if (!mk_plat.uart_pa || bi->console == DV_CONSOLE_SHARED)
		return NULL;
	if (mm_map(vm->root_pa, DV_RT_DEV_VA, mk_plat.uart_pa, PAGE_SIZE, PTE_U | PTE_R | PTE_W))
		return "out of memory for the VM's grant";
	set_region(&bi->dev[bi->nr_devs], "uart", DV_RT_DEV_VA, mk_plat.uart_pa, PAGE_SIZE);
	bi->uart_kind = mk_plat.uart_kind;
	if (mk_plat.plic_pa && mk_plat.uart_irq) {
		vm->irq = mk_plat.uart_irq;
		vm->irqs[vm->nr_irqs++] = vm->irq;
		bi->dev[bi->nr_devs].irq = vm->irq;
	}
	bi->nr_devs++;
	return NULL;
}

/* Each vCPU is pinned for good to a hart of its own, the next ones of hart_order. */
static const char *pin_vcpus(struct mk_vm *vm)
{
	if (!vm->nr_vcpus || vm->nr_vcpus > DV_MAX_VCPUS || vm->nr_vcpus > nr_order - next_hart) {
		mk_printf("mk: %s asks for %u harts (one per vCPU, 1 to %u), %u left of the %u with H",
			  vm->name, vm->nr_vcpus, DV_MAX_VCPUS, nr_order - next_hart, nr_order);
		for (unsigned i = 0; i < vm->id; i++)
			mk_printf("%s%s has %u", i ? ", " : " (", mk_vms[i].name, mk_vms[i].nr_vcpus);
		mk_printf("%s\n", vm->id ? ")" : "");
		return "VM config: vcpus does not fit this machine";
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vm->hart[i] = &mk_harts[hart_order[next_hart++]];
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct mk_hart *h = vm->hart[i];

		h->hartid = (uint64_t)(h - mk_harts);
		h->kstack = (uint64_t)h->stack + sizeof(h->stack);
		h->plic_ctx = mk_fdt_hart_output("riscv,plic0", IRQ_S_EXT, h->hartid);
		h->sswi = mk_plat.sswi_pa ? mk_fdt_hart_output("riscv,aclint-sswi", IRQ_S_SOFT,
								  h->hartid) : -1;
		h->vm = vm;
		h->vcpu_id = i;
	}
	return NULL;
}

/*
 * dv-hw needs a hart with DV-Ext's CSRs (the probe, not only a 'z' in riscv,isa), and its
 * runtime is then trusted for memory isolation. dv-sw runs anywhere: on DV-Ext hardware
 * its runtime goes without hstatus.HU, so hugatp stays the minikernel's (dvsw_hart_init).
 */
static const char *backend_refusal(const struct mk_vm *vm, unsigned backend)
{
	bool dvext = mk_plat.features & DV_FEAT_DVEXT;

	if (backend == DV_BACKEND_HW && !dvext)
		mk_printf("mk: %s asks for backend dv-hw, which needs DV-Ext; this host has none "
			  "(only dv-sw)\n", vm->name);
	if (backend == DV_BACKEND_HW && dvext && !mk_plat.dvext_csrs)
		mk_printf("mk: %s asks for backend dv-hw; hart %u's riscv,isa names DV-Ext but "
			  "reading hugatp traps\n", vm->name, hart_order[0]);
	if (backend == DV_BACKEND_HW)
		return !dvext ? "backend dv-hw needs DV-Ext" :
		       !mk_plat.dvext_csrs ? "backend dv-hw needs DV-Ext's CSRs" : NULL;
	return NULL;
}

static const char *build_vm(struct mk_vm *vm, const void *cfg, int node)
{
	uint64_t info;
	struct dv_boot_info *bi;
	struct blob_map blobs;
	struct mk_vmcfg c;
	const char *err = mk_vmconfig_read(cfg, node, &c);

	/* Unique: sibling nodes of a device tree have distinct names. */
	strncpy(vm->name, c.name, DV_NAME_LEN - 1);
	if (err || (err = backend_refusal(vm, c.backend)))
		return err;
	vm->backend = c.backend;
	if (vm->backend == DV_BACKEND_HW)
		mk_printf("mk: %s: backend dv-hw: its runtime writes its G-stage tables and hugatp "
			  "itself, and no PMP extension confines them: it is trusted for memory "
			  "isolation\n", vm->name);
	if ((err = mk_vmconfig_missing(cfg, node))) {
		mk_printf("mk: %s names the blob \"%s\", which the image lacks\n", vm->name, err);
		return "a blob is missing";
	}
	vm->rt_elf = mk_image_find(c.runtime, &vm->rt_size);
	if (!vm->rt_elf)
		return "image lacks its runtime";
	if (!c.ram_size || c.ram_size & (PAGE_SIZE - 1))
		return "VM config: memory-size must be a non-zero multiple of 4 KiB";
	vm->nr_vcpus = c.nr_vcpus;
	vm->on_crash = c.on_crash;
	vm->on_poweroff = c.on_poweroff;
	if ((err = pin_vcpus(vm)))
		return err;
	vm->root_pa = mm_new_root();
	info = mm_alloc(PAGE_SIZE, PAGE_SIZE, true);
	if (!vm->root_pa || !info)
		return "out of memory";
	vm->bi = bi = (struct dv_boot_info *)info;
	bi->magic = DV_BOOT_MAGIC;
	bi->features = mk_plat.features;
	bi->backend = vm->backend;
	bi->vm_id = vm->id;
	bi->vm_node = node;
	memcpy(bi->vm_name, vm->name, DV_NAME_LEN);
	bi->nr_vcpus = vm->nr_vcpus;
	bi->timebase_hz = mk_plat.timebase_hz;
	memcpy(bi->host_isa, mk_plat.isa, sizeof(bi->host_isa));
	mk_fdt_host_inputs(bi);
	if (mk_elf_load(vm->root_pa, vm->rt_elf, vm->rt_size, &vm->entry, vm->seg_pa, false))
		return "runtime ELF does not load";
	if (grant_memory(vm, bi, c.ram_size + DV_RAM_EXTRA) || grant_exit_pages(vm, bi))
		return "out of memory for the VM's grant";
	if ((err = grant_devices(vm, bi, &c)) || (err = dvhw_irq_refusal(vm)))
		return err;
	blobs = (struct blob_map){ vm->root_pa, bi, DV_RT_BLOB_VA, cfg, c.runtime };
	if (mk_image_foreach(map_blob, &blobs) ||
	    mm_map(vm->root_pa, DV_RT_INFO_VA, info, PAGE_SIZE, PTE_U | PTE_R))
		return "cannot map the image blobs";
	return NULL;
}

__attribute__((noreturn)) static void refuse(const char *vm, const char *why)
{
	mk_printf("mk: %s: cannot create: %s; no VM is started\n", vm, why);
	mk_sbi_shutdown(true);
}

/*
 * Builds every VM of the config, so that a config this machine cannot hold is refused
 * before anything runs; then starts each VM's main thread on its first hart, VM 0's here.
 */
void mk_vms_start(unsigned long boot_hart)
{
	uint64_t size;
	const void *cfg = mk_image_find("config", &size);
	int node = -1;

	hart_order[nr_order++] = (unsigned)boot_hart;
	for (unsigned i = 0; i < mk_plat.nr_harts; i++)
		if (mk_plat.hart_id[i] != boot_hart)
			hart_order[nr_order++] = mk_plat.hart_id[i];
	while (cfg && !fdt_check_header(cfg) && (node = mk_vmconfig_next(cfg, node)) >= 0)
		mk_nr_vms++;
	if (!mk_nr_vms)
		refuse("vm0", "image lacks a valid VM config");
	for (node = mk_vmconfig_next(cfg, -1); node >= 0; node = mk_vmconfig_next(cfg, node)) {
		struct mk_vm *vm = &mk_vms[mk_vms_alive];
		const char *err = mk_nr_vms > MK_MAX_VMS ? "more VMs than harts supported" : NULL;

		vm->id = mk_vms_alive++;
		if (err || (err = build_vm(vm, cfg, node)))
			refuse(vm->name[0] ? vm->name : "vm", err);
		mk_printf("mk: %s: %lu MiB RAM at 0x%lx, %u vCPU(s) from hart %lu, runtime entry 0x%lx\n",
			  vm->name, vm->ram_size >> 20, vm->ram_pa, vm->nr_vcpus, vm->hart[0]->hartid,
			  vm->entry);
	}
	for (unsigned i = mk_nr_vms; i-- > 0;) {
		struct mk_hart *h = mk_vms[i].hart[0];

		mk_vms[i].nr_threads = 1;
		h->start_pc = mk_vms[i].entry;
		h->start_arg = DV_RT_INFO_VA;
		h->state = i ? MK_HART_STARTING : MK_HART_RUNNING;
		if (!i)
			mk_enter_runtime(h, h->start_pc, 0, h->start_arg);
		if (mk_sbi_hart_start(h->hartid, (uint64_t)mk_secondary_entry, (uint64_t)h))
			refuse(mk_vms[i].name, "its first hart does not start");
	}
	__builtin_unreachable();
}

/*
 * A VM as it was built, for a restart: every thread parked, so nothing of it runs. Its
 * devices are reset before its memory is cleared (they no longer write it), then its RAM,
 * exit pages, G-stage pool and entry counts are zeroed and its runtime loaded again; the boot info
 * (read-only to the runtime) and the address space stay.
 */
void mk_vm_reset(struct mk_hart *h, struct mk_vm *vm)
{
	for (unsigned i = 0; i < vm->nr_hdevs; i++)
		mk_hdev_reset(h, i);
	if (__atomic_exchange_n(&vm->irq_claimed, 0, __ATOMIC_ACQ_REL))
		mk_plic_complete(h, vm->irq);
	mm_zero(vm->ram_pa, vm->ram_size);
	mm_zero(vm->gpt_pa, MK_GPT_PAGES * PAGE_SIZE);
	mk_gpt_init(vm);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		mm_zero((uint64_t)vm->vcpu[i].exit, PAGE_SIZE);
		memset(vm->hart[i]->count, 0, sizeof(vm->hart[i]->count));
	}
	mk_elf_load(vm->root_pa, vm->rt_elf, vm->rt_size, &vm->entry, vm->seg_pa, true);
	vm->fixup_start = vm->fixup_end = 0;
	vm->bi->instance++;
}

void mk_hfence_gvma(void)
{
	__asm__ volatile(".option push\n.option arch, +h\nhfence.gvma\n.option pop" ::: "memory");
}

/* This hart switches to the VM's address spaces and drops to a runtime thread at pc. */
void mk_enter_runtime(struct mk_hart *h, uint64_t pc, uint64_t sp, uint64_t arg)
{
	struct mk_vm *vm = h->vm;

	if (__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE))
		mk_park(h);
	/* The guest's FP registers live in the hart's: a thread (or a restarted VM) starts clean. */
	__asm__ volatile(".option push\n.option arch, +d\n.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,"
			 "14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\nfmv.d.x f\\r, zero\n"
			 ".endr\ncsrw fcsr, zero\n.option pop");
	csr_write(satp, SATP_SV39 | vm->root_pa >> 12);
	__asm__ volatile("sfence.vma" ::: "memory");
	if (vm->backend == DV_BACKEND_HW) {
		dvhw_hart_init(h);
	} else {
		uint64_t gatp = HGATP_SV39X4 | (uint64_t)(vm->id + 1) << HGATP_VMID_SHIFT |
				vm->gpt_pa >> 12;

		csr_write(hgatp, gatp);
		/* DV-Ext translates guests through hugatp; its exits stay in HS (sedeleg 0). */
		if (mk_plat.dvext_csrs)
			mk_dvext_hart_reset(h, 0, gatp);
		mk_hfence_gvma();
	}
	for (unsigned i = 0; i < vm->nr_irqs && h->plic_ctx >= 0; i++)
		mk_plic_grant(h, vm->irqs[i]);
	h->in_guest = 0;
	for (unsigned i = 0; i < 32; i++)
		h->rt_frame[i] = 0;
	h->rt_frame[2] = sp;
	h->rt_frame[10] = arg;
	csr_write(sepc, pc);
	csr_clear(sstatus, SSTATUS_SPP);
	csr_clear(hstatus, HSTATUS_SPV);
	mk_trap_return(h);
}
