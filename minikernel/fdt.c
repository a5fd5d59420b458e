// SPDX-License-Identifier: BSD-2-Clause
/* Reading the host FDT (memory, harts, ISA, UART, virtio-mmio, RTC, rng-seed). */
#include <libfdt.h>
#include <string.h>

#include "mk.h"

struct mk_platform mk_plat;

uint64_t fdt_read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	while (cells--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/* The first (address, size) pair of a node's reg, with the parent's cell sizes. */
static int fdt_first_reg(const void *fdt, int node, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent), len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 || len < (ac + sc) * 4)
		return -1;
	*addr = fdt_read_cells(reg, ac);
	*size = fdt_read_cells(reg + ac, sc);
	return 0;
}

/* Whether a riscv,isa string names `ext`: a single letter after "rv64", or a "_name" part. */
static bool isa_has(const char *isa, const char *ext)
{
	size_t n = strlen(ext);
	const char *p;

	if (n == 1) {
		for (p = isa + 4; *p && *p != '_'; p++)
			if (*p == ext[0])
				return true;
		return false;
	}
	for (p = strchr(isa, '_'); p; p = strchr(p + 1, '_'))
		if (!strncmp(p + 1, ext, n) && (p[1 + n] == '_' || p[1 + n] == '\0'))
			return true;
	return false;
}

/* Why a hart cannot hold a vCPU (NULL: it can): guests need S-mode with an MMU and the H extension. */
static const char *hart_unusable(const void *fdt, int node, const char *isa, uint64_t id)
{
	const char *status = fdt_getprop(fdt, node, "status", NULL);

	if (status && strcmp(status, "okay"))
		return "disabled";
	if (id >= MK_MAX_HARTS)
		return "hart id beyond those supported";
	if (!isa_has(isa, "h"))
		return "no H extension";
	if (!fdt_getprop(fdt, node, "mmu-type", NULL))
		return "no MMU (no mmu-type: no S-mode)";
	return NULL;
}

static int probe_hart(const void *fdt, unsigned long hartid)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;
	const fdt32_t *tb = fdt_getprop(fdt, cpus, "timebase-frequency", &len);

	if (cpus < 0 || !tb)
		return -1;
	mk_plat.timebase_hz = fdt32_to_cpu(*tb);
	fdt_for_each_subnode(node, fdt, cpus) {
		uint64_t id, unused;
		const char *isa = fdt_getprop(fdt, node, "riscv,isa", &len), *why;

		if (!isa || fdt_first_reg(fdt, node, &id, &unused))
			continue;
		/* Every hart a vCPU may be pinned to must be able to run guests. */
		why = hart_unusable(fdt, node, isa, id);
		if (!why && mk_plat.nr_harts < MK_MAX_HARTS)
			mk_plat.hart_id[mk_plat.nr_harts++] = (unsigned)id;
		else if (why && mk_plat.nr_skipped < MK_MAX_HARTS)
			mk_plat.skipped[mk_plat.nr_skipped++] = (struct mk_skipped){ id, why, isa };
		if (id != hartid)
			continue;
		strncpy(mk_plat.isa, isa, sizeof(mk_plat.isa) - 1);
		mk_plat.has_h = isa_has(isa, "h");
		/* The ISA string is not enough: without menvcfg.STCE (or a time CSR) stimecmp traps. */
		if (isa_has(isa, "sstc") && mk_probe_sstc())
			mk_plat.features |= DV_FEAT_SSTC;
		if (isa_has(isa, "z"))
			mk_plat.features |= DV_FEAT_DVEXT;
	}
	return mk_plat.isa[0] ? 0 : -1;
}

/*
 * The console UART: the one /chosen/stdout-path names if we drive it, else the first of a
 * kind we drive; none leaves the console on the firmware's.
 */
static void probe_uart(const void *fdt)
{
	static const char *const compat[] = { [DV_UART_NS16550A] = "ns16550a",
					       [DV_UART_SIFIVE] = "sifive,uart0" };
	const char *path = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL);
	int out = path ? fdt_path_offset_namelen(fdt, path, strcspn(path, ":")) : -1;
	uint64_t size;

	for (unsigned pass = 0; pass < 2 && !mk_plat.uart_kind; pass++)
		for (unsigned k = DV_UART_NS16550A; k <= DV_UART_SIFIVE && !mk_plat.uart_kind; k++) {
			int node = pass ? fdt_node_offset_by_compatible(fdt, -1, compat[k]) : out;
			const fdt32_t *irq;

			if (node < 0 || fdt_node_check_compatible(fdt, node, compat[k]) ||
			    fdt_first_reg(fdt, node, &mk_plat.uart_pa, &size) || mk_plat.uart_pa >= MK_DEV_SIZE)
				continue;
			irq = fdt_getprop(fdt, node, "interrupts", NULL);
			mk_plat.uart_irq = irq ? fdt32_to_cpu(*irq) : 0;
			mk_plat.uart_kind = k;
		}
	if (!mk_plat.uart_kind)
		mk_plat.uart_pa = 0;
}

/* Every virtio-mmio slot with room for registers and config; hvirtio.c skips the empty ones. */
static void probe_virtio(const void *fdt)
{
	int node = -1, len;

	while ((node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) >= 0 &&
	       mk_plat.nr_virtio < MK_MAX_VIRTIO) {
		const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
		uint64_t size;

		if (fdt_first_reg(fdt, node, &mk_plat.virtio_pa[mk_plat.nr_virtio], &size) ||
		    size < 0x100 + DV_HDEV_CONFIG)
			continue;
		mk_plat.virtio_irq[mk_plat.nr_virtio++] = irq && len >= 4 ? fdt32_to_cpu(*irq) : 0;
	}
}

/* The console is set up first, so that whatever fails after it is reported. */
const char *mk_fdt_probe(void *fdt, unsigned long hartid)
{
	int node;
	uint64_t size;

	if (fdt_check_header(fdt)) {
		mk_console_init(DV_UART_NONE, 0);
		return "no valid host device tree";
	}
	mk_plat.fdt = fdt;
	probe_uart(fdt);
	mk_console_init(mk_plat.uart_kind, mk_plat.uart_pa);
	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory"));
	if (node < 0 || fdt_first_reg(fdt, node, &mk_plat.ram_base, &mk_plat.ram_size))
		return "the host device tree has no memory node";
	node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
	if (node >= 0)
		fdt_first_reg(fdt, node, &mk_plat.plic_pa, &size);
	node = fdt_node_offset_by_compatible(fdt, -1, "riscv,aclint-sswi");
	if (node >= 0)
		fdt_first_reg(fdt, node, &mk_plat.sswi_pa, &size);
	probe_virtio(fdt);
	return probe_hart(fdt, hartid) ? "the host device tree does not describe the boot hart" : NULL;
}

/*
 * Which of an interrupt controller's outputs raises interrupt `irq` on `hartid`: the index of
 * the (cpu-intc phandle, irq) pair naming that hart in the interrupts-extended of the first
 * `compatible` node (a PLIC's context, an ACLINT SSWI's register); -1 if none.
 */
int mk_fdt_hart_output(const char *compatible, unsigned irq, unsigned long hartid)
{
	const void *fdt = mk_plat.fdt;
	int node = fdt_node_offset_by_compatible(fdt, -1, compatible), len;
	const fdt32_t *ie = node < 0 ? NULL : fdt_getprop(fdt, node, "interrupts-extended", &len);

	for (int i = 0; ie && i < len / 8; i++) {
		int intc = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(ie[2 * i]));
		uint64_t id, size;

		if (fdt32_to_cpu(ie[2 * i + 1]) == irq && intc >= 0 &&
		    !fdt_first_reg(fdt, fdt_parent_offset(fdt, intc), &id, &size) && id == hartid)
			return i;
	}
	return -1;
}

/*
 * The host's wall clock and entropy for a VM's boot info. A goldfish RTC is read once (TIME_LOW
 * first: reading it latches TIME_HIGH), only when its registers lie in the device gigabyte
 * (never RAM), with the time CSR at that instant. /chosen/rng-seed is copied and then taken
 * out of the host FDT (its bytes overwritten), so that no other VM gets the same seed.
 */
void mk_fdt_host_inputs(struct dv_boot_info *bi)
{
	void *fdt = mk_plat.fdt;
	int node = fdt_node_offset_by_compatible(fdt, -1, "google,goldfish-rtc"), len;
	int chosen = fdt_path_offset(fdt, "/chosen");
	const void *seed = fdt_getprop(fdt, chosen, "rng-seed", &len);
	uint64_t pa, size;

	if (node >= 0 && !fdt_first_reg(fdt, node, &pa, &size) && size >= 8 && !(pa & 7) &&
	    pa < MK_DEV_SIZE) {
		volatile uint32_t *rtc = (volatile uint32_t *)pa;

		bi->host_rtc_ns = rtc[0];
		bi->host_rtc_time = csr_read(time);
		bi->host_rtc_ns |= (uint64_t)rtc[1] << 32;
	}
	if (seed && len > 0) {
		bi->rng_seed_len = len < DV_RNG_SEED_MAX ? (uint64_t)len : DV_RNG_SEED_MAX;
		memcpy(bi->rng_seed, seed, bi->rng_seed_len);
		fdt_nop_property(fdt, chosen, "rng-seed");
	}
}
