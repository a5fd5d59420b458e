// SPDX-License-Identifier: BSD-2-Clause
/* Minikernel boot: probe the host, refuse without the H extension, build the VMs, drop to VM 0's runtime. */
#include "mk.h"

struct mk_hart mk_harts[MK_MAX_HARTS];

/* The first code of a hart DV_SYS_VCPU_START started: set it up, enter the runtime thread. */
void mk_secondary_main(struct mk_hart *h)
{
	dvsw_hart_init();
	__atomic_store_n(&h->state, MK_HART_RUNNING, __ATOMIC_RELEASE);
	mk_enter_runtime(h, h->start_pc, h->start_sp, h->start_arg);
}

void mk_main(unsigned long hartid, void *fdt)
{
	static const char *const console[] = { "the firmware's (SBI)", "ns16550a", "sifive,uart0" };
	const char *err = mk_fdt_probe(fdt, hartid);

	if (err) {
		mk_printf("\nmk: fatal: %s (FDT at 0x%lx); cannot run virtual machines\n", err,
			  (uint64_t)fdt);
		mk_sbi_shutdown(true);
	}
	mk_printf("\nDuVisor-C minikernel: boot hart %lu of %u, RAM 0x%lx+0x%lx, isa %s\n", hartid,
		  mk_plat.nr_harts, mk_plat.ram_base, mk_plat.ram_size, mk_plat.isa);
	for (unsigned i = 0; i < mk_plat.nr_skipped; i++)
		mk_printf("mk: hart %lu skipped: %s (riscv,isa \"%s\")\n", mk_plat.skipped[i].id,
			  mk_plat.skipped[i].why, mk_plat.skipped[i].isa);
	mk_printf("mk: UART at 0x%lx, PLIC at 0x%lx, IPIs %s\n", mk_plat.uart_pa, mk_plat.plic_pa,
		  mk_plat.sswi_pa ? "through the ACLINT SSWI" : "through OpenSBI");
	mk_printf("mk: console %s, input %s\n", console[mk_plat.uart_kind],
		  mk_plat.uart_kind && mk_plat.plic_pa && mk_plat.uart_irq ?
		  "by the host PLIC's interrupt" : "polled by the runtime");
	if (!mk_plat.has_h) {
		mk_printf("mk: fatal: hart %lu has no H extension (riscv,isa \"%s\"); "
			  "cannot run virtual machines\n", hartid, mk_plat.isa);
		mk_sbi_shutdown(true);
	}
	if (hartid >= MK_MAX_HARTS) {
		mk_printf("mk: fatal: hart id %lu is beyond the %u harts supported\n", hartid, MK_MAX_HARTS);
		mk_sbi_shutdown(true);
	}
	/* Each VM's config chooses its backend; vm.c refuses what this host cannot run. */
	mk_plat.dvext_csrs = mk_dvext_present();
	if (mk_plat.dvext_csrs)
		mk_plat.features |= DV_FEAT_DVEXT;
	mk_printf("mk: backend %s, timer %s\n", mk_plat.features & DV_FEAT_DVEXT ?
		  "per VM (DV-Ext)" : "dv-sw (no DV-Ext)",
		  mk_plat.features & DV_FEAT_SSTC ? "Sstc" : "SBI");
	if (!mk_image_verify())
		mk_sbi_shutdown(true);
	mk_plat.image_end = mk_image_end();
	mm_init();
	dvsw_hart_init();
	mk_vms_start(hartid);
}
