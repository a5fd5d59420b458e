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

static int probe_hart(const void *fdt, unsigned long hartid)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;
	const fdt32_t *tb = fdt_getprop(fdt, cpus, "timebase-frequency", &len);

	if (cpus < 0 || !tb)
		return -1;
	mk_plat.timebase_hz = fdt32_to_cpu(*tb);
	fdt_for_each_subnode(node, fdt, cpus) {
		uint64_t id, unused;
		const char *isa = fdt_getprop(fdt, node, "riscv,isa", &len);

		if (!isa || fdt_first_reg(fdt, node, &id, &unused) || id >= MK_MAX_HARTS)
			continue;
		/* Every hart a vCPU may be pinned to must be able to run guests. */
		if (isa_has(isa, "h") && mk_plat.nr_harts < MK_MAX_HARTS)
			mk_plat.hart_id[mk_plat.nr_harts++] = (unsigned)id;
		if (id != hartid)
			continue;
		strncpy(mk_plat.isa, isa, sizeof(mk_plat.isa) - 1);
		mk_plat.has_h = isa_has(isa, "h");
		if (isa_has(isa, "sstc"))
			mk_plat.features |= DV_FEAT_SSTC;
		if (isa_has(isa, "z"))
			mk_plat.features |= DV_FEAT_DVEXT;
	}
	return mk_plat.isa[0] ? 0 : -1;
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

int mk_fdt_probe(void *fdt, unsigned long hartid)
{
	int node;
	uint64_t size;

	if (fdt_check_header(fdt))
		return -1;
	mk_plat.fdt = fdt;
	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory"));
	if (node < 0 || fdt_first_reg(fdt, node, &mk_plat.ram_base, &mk_plat.ram_size))
		return -1;
	node = fdt_node_offset_by_compatible(fdt, -1, "ns16550a");
	if (node >= 0) {
		const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", NULL);

		fdt_first_reg(fdt, node, &mk_plat.uart_pa, &size);
		mk_plat.uart_irq = irq ? fdt32_to_cpu(*irq) : 0;
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
	if (node >= 0)
		fdt_first_reg(fdt, node, &mk_plat.plic_pa, &size);
	node = fdt_node_offset_by_compatible(fdt, -1, "riscv,aclint-sswi");
	if (node >= 0)
		fdt_first_reg(fdt, node, &mk_plat.sswi_pa, &size);
	probe_virtio(fdt);
	return probe_hart(fdt, hartid);
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
