// SPDX-License-Identifier: BSD-2-Clause
/* The guest DTB, written with libfdt's sequential writer from the same config that built the devices. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "guest_dtb.h"
#include "platform.h"
#include "sifive_test.h"

#define PLIC_PHANDLE     1
#define CPU_INTC_PHANDLE 2 /* + vCPU id */
#define TEST_PHANDLE     (CPU_INTC_PHANDLE + DV_MAX_VCPUS)

/* The length of the "_name" part at p if it names an extension the guest does not get, else 0. */
static size_t dropped(const char *p, bool sstc)
{
	/* AIA: the VM's interrupt controller is a PLIC, whatever the host's */
	static const char *const ext[] = { "_sstc", "_smaia", "_ssaia" };

	for (unsigned i = sstc ? 1 : 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t n = strlen(ext[i]);

		if (!strncmp(p, ext[i], n) && (p[n] == '_' || !p[n]))
			return n;
	}
	return 0;
}

void guest_isa(char *out, size_t size, const char *host_isa, bool sstc)
{
	size_t o = 0, skip;
	bool base = true;

	for (const char *p = host_isa; *p && o + 1 < size; p++) {
		if (*p == '_')
			base = false;
		if (base && p - host_isa >= 4 && (*p == 'h' || *p == 'z'))
			continue;
		skip = *p == '_' ? dropped(p, sstc) : 0;
		if (skip) {
			p += skip - 1;
			continue;
		}
		out[o++] = *p;
	}
	out[o] = '\0';
}

static int fdt_prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int write_cpus(void *fdt, const struct vm *vm, const char *host_isa)
{
	char isa[128], name[16];
	int err = 0;

	guest_isa(isa, sizeof(isa), host_isa, vm->sstc);
	err |= fdt_begin_node(fdt, "cpus");
	err |= fdt_property_u32(fdt, "#address-cells", 1);
	err |= fdt_property_u32(fdt, "#size-cells", 0);
	err |= fdt_property_u32(fdt, "timebase-frequency", (uint32_t)vm->timebase_hz);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		err |= fdt_begin_node(fdt, name);
		err |= fdt_property_string(fdt, "device_type", "cpu");
		err |= fdt_property_u32(fdt, "reg", i);
		err |= fdt_property_string(fdt, "compatible", "riscv");
		err |= fdt_property_string(fdt, "riscv,isa", isa);
		err |= fdt_property_string(fdt, "mmu-type", "riscv,sv39");
		err |= fdt_property_string(fdt, "status", "okay");
		err |= fdt_begin_node(fdt, "interrupt-controller");
		err |= fdt_property_u32(fdt, "#interrupt-cells", 1);
		err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
		err |= fdt_property_string(fdt, "compatible", "riscv,cpu-intc");
		err |= fdt_property_u32(fdt, "phandle", CPU_INTC_PHANDLE + i);
		err |= fdt_end_node(fdt);
		err |= fdt_end_node(fdt);
	}
	return err | fdt_end_node(fdt);
}

/* Context i of the PLIC is the S-mode external interrupt (9) of vCPU i. */
static int write_plic(void *fdt, const struct vm *vm)
{
	static const char compatible[] = "sifive,plic-1.0.0\0riscv,plic0";
	fdt32_t ext[2 * DV_MAX_VCPUS];
	int err = 0;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		ext[2 * i] = cpu_to_fdt32(CPU_INTC_PHANDLE + i);
		ext[2 * i + 1] = cpu_to_fdt32(9);
	}
	err |= fdt_begin_node(fdt, "plic@c000000");
	err |= fdt_property(fdt, "compatible", compatible, sizeof(compatible));
	err |= fdt_prop_reg(fdt, GUEST_PLIC_BASE, GUEST_PLIC_SIZE);
	err |= fdt_property(fdt, "interrupts-extended", ext, 8 * vm->nr_vcpus);
	err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	err |= fdt_property_u32(fdt, "#interrupt-cells", 1);
	err |= fdt_property_u32(fdt, "#address-cells", 0);
	err |= fdt_property_u32(fdt, "riscv,ndev", GUEST_PLIC_NDEV);
	err |= fdt_property_u32(fdt, "phandle", PLIC_PHANDLE);
	return err | fdt_end_node(fdt);
}

/* A device node with one register window and one PLIC source, left open for more properties. */
static int begin_irq_device(void *fdt, const char *name, const char *compatible, uint64_t base,
			    uint64_t size, unsigned irq)
{
	int err = 0;

	err |= fdt_begin_node(fdt, name);
	err |= fdt_property_string(fdt, "compatible", compatible);
	err |= fdt_prop_reg(fdt, base, size);
	err |= fdt_property_u32(fdt, "interrupts", irq);
	return err | fdt_property_u32(fdt, "interrupt-parent", PLIC_PHANDLE);
}

static int write_virtio_slot(void *fdt, unsigned slot)
{
	uint64_t base = GUEST_VIRTIO_BASE + slot * GUEST_VIRTIO_SIZE;
	char name[32];

	snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)base);
	return begin_irq_device(fdt, name, "virtio,mmio", base, GUEST_VIRTIO_SIZE,
				GUEST_VIRTIO_IRQ + slot) | fdt_end_node(fdt);
}

/* QEMU virt's test device; the poweroff and reboot nodes below drive it as a syscon. */
static int write_sifive_test(void *fdt)
{
	static const char compatible[] = "sifive,test1\0sifive,test0\0syscon";
	int err = 0;

	err |= fdt_begin_node(fdt, "test@100000");
	err |= fdt_property(fdt, "compatible", compatible, sizeof(compatible));
	err |= fdt_prop_reg(fdt, GUEST_SIFIVE_TEST_BASE, GUEST_SIFIVE_TEST_SIZE);
	err |= fdt_property_u32(fdt, "phandle", TEST_PHANDLE);
	return err | fdt_end_node(fdt);
}

/* A "syscon-<name>" node at the root: writing `value` to the test device does <name>. */
static int write_syscon_action(void *fdt, const char *name, uint32_t value)
{
	char compatible[32];
	int err = 0;

	snprintf(compatible, sizeof(compatible), "syscon-%s", name);
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property_string(fdt, "compatible", compatible);
	err |= fdt_property_u32(fdt, "regmap", TEST_PHANDLE);
	err |= fdt_property_u32(fdt, "offset", 0);
	err |= fdt_property_u32(fdt, "value", value);
	return err | fdt_end_node(fdt);
}

static int write_devices(void *fdt, const struct vm *vm, const struct vm_config *cfg)
{
	int err = 0;

	err |= fdt_begin_node(fdt, "soc");
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property_string(fdt, "compatible", "simple-bus");
	err |= fdt_property(fdt, "ranges", NULL, 0);
	err |= write_plic(fdt, vm);
	err |= begin_irq_device(fdt, "serial@10000000", "ns16550a", GUEST_UART_BASE,
				GUEST_UART_SIZE, GUEST_UART_IRQ);
	err |= fdt_property_u32(fdt, "clock-frequency", 3686400);
	err |= fdt_end_node(fdt);
	err |= write_sifive_test(fdt);
	err |= begin_irq_device(fdt, "rtc@101000", "google,goldfish-rtc", GUEST_RTC_BASE,
				GUEST_RTC_SIZE, GUEST_RTC_IRQ);
	err |= fdt_end_node(fdt);
	for (unsigned i = 0; i < GUEST_VIRTIO_SLOTS; i++)
		err |= write_virtio_slot(fdt, i);
	if (cfg->testdev) {
		err |= fdt_begin_node(fdt, "test@10010000");
		err |= fdt_property_string(fdt, "compatible", "duvisor,mmio-test");
		err |= fdt_prop_reg(fdt, GUEST_TESTDEV_BASE, GUEST_TESTDEV_SIZE);
		err |= fdt_end_node(fdt);
	}
	return err | fdt_end_node(fdt);
}

static int write_chosen(void *fdt, const struct guest_boot *boot)
{
	int err = 0;

	err |= fdt_begin_node(fdt, "chosen");
	err |= fdt_property_string(fdt, "bootargs", boot->bootargs);
	err |= fdt_property_string(fdt, "stdout-path", "/soc/serial@10000000");
	if (boot->initrd_end > boot->initrd_start) {
		err |= fdt_property_u64(fdt, "linux,initrd-start", boot->initrd_start);
		err |= fdt_property_u64(fdt, "linux,initrd-end", boot->initrd_end);
	}
	if (boot->rng_seed_len)
		err |= fdt_property(fdt, "rng-seed", boot->rng_seed, (int)boot->rng_seed_len);
	return err | fdt_end_node(fdt);
}

int guest_dtb_build(void *buf, size_t size, const struct vm *vm, const struct vm_config *cfg,
		    const struct guest_boot *boot)
{
	int err = fdt_create(buf, (int)size);

	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_u32(buf, "#address-cells", 2);
	err |= fdt_property_u32(buf, "#size-cells", 2);
	err |= fdt_property_string(buf, "compatible", "duvisor,virt");
	err |= fdt_property_string(buf, "model", "DuVisor-C virtual machine");
	err |= write_chosen(buf, boot);
	err |= fdt_begin_node(buf, "memory@80000000");
	err |= fdt_property_string(buf, "device_type", "memory");
	err |= fdt_prop_reg(buf, vm->ram_gpa, vm->ram_size);
	err |= fdt_end_node(buf);
	err |= write_cpus(buf, vm, boot->host_isa);
	err |= write_syscon_action(buf, "poweroff", SIFIVE_TEST_PASS);
	err |= write_syscon_action(buf, "reboot", SIFIVE_TEST_RESET);
	err |= write_devices(buf, vm, cfg);
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	return err ? -FDT_ERR_NOSPACE : 0;
}
