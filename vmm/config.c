// SPDX-License-Identifier: BSD-2-Clause
/* Parsing the VM config with libfdt. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "dv_abi.h"

static uint64_t prop_u64(const void *fdt, int node, const char *name, uint64_t dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (p && len == 4)
		return fdt32_to_cpu(p[0]);
	if (p && len == 8)
		return (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
	return dflt;
}

static const char *prop_str(const void *fdt, int node, const char *name, const char *dflt)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : dflt;
}

/* A locally administered unicast address, used when the config names none. */
static const uint8_t default_mac[6] = { 0x02, 0x44, 0x56, 0x00, 0x00, 0x01 };

static int parse_virtio(const void *fdt, int vm, struct vm_config *c)
{
	static const char *const kinds[] = {
		[VM_VIRTIO_BLK] = "blk", [VM_VIRTIO_NET] = "net",
		[VM_VIRTIO_CONSOLE] = "console", [VM_VIRTIO_RNG] = "rng",
	};
	int n = fdt_stringlist_count(fdt, vm, "virtio-devices"), len;
	const uint8_t *mac = fdt_getprop(fdt, vm, "mac-address", &len);

	if (n > VM_MAX_VIRTIO) {
		printf("vm config: at most %u virtio-devices\n", VM_MAX_VIRTIO);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *name = fdt_stringlist_get(fdt, vm, "virtio-devices", i, NULL);
		unsigned k = 0;

		while (k < sizeof(kinds) / sizeof(kinds[0]) && strcmp(name, kinds[k]))
			k++;
		if (k == sizeof(kinds) / sizeof(kinds[0])) {
			printf("vm config: unknown virtio device \"%s\" (blk, net, console, rng)\n", name);
			return -1;
		}
		c->virtio[c->nr_virtio++] = (enum vm_virtio)k;
	}
	if (mac && len != 6) {
		printf("vm config: mac-address must be 6 bytes\n");
		return -1;
	}
	memcpy(c->mac, mac ? mac : default_mac, 6);
	c->disk = prop_str(fdt, vm, "embedded-disk", NULL);
	return 0;
}

int vm_config_node(const void *fdt, unsigned i)
{
	int node, depth = 0;

	if (fdt_check_header(fdt))
		return -1;
	for (node = fdt_next_node(fdt, 0, &depth); node >= 0 && depth >= 1;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *n = fdt_get_name(fdt, node, NULL);

		if (depth == 1 && n && (!strcmp(n, "vm") || !strncmp(n, "vm@", 3)) && !i--)
			return node;
	}
	return -1;
}

static bool policy_ok(const void *fdt, int vm, const char *name)
{
	const char *s = prop_str(fdt, vm, name, "stop");

	return !strcmp(s, "stop") || !strcmp(s, "restart");
}

int vm_config_parse(const void *fdt, int vm, struct vm_config *c)
{
	if (fdt_check_header(fdt) || vm < 0 || !fdt_get_name(fdt, vm, NULL)) {
		printf("vm config: not a device tree with a /vm node\n");
		return -1;
	}
	c->name = strchr(fdt_get_name(fdt, vm, NULL), '@');
	c->name = c->name ? c->name + 1 : NULL;
	c->initrd = prop_str(fdt, vm, "initrd", "initrd");
	c->cmdline = prop_str(fdt, vm, "cmdline", "cmdline");
	c->runtime = prop_str(fdt, vm, "runtime", "runtime");
	c->backend = prop_str(fdt, vm, "backend", "dv-sw");
	if ((c->name && (!c->name[0] || strlen(c->name) >= DV_NAME_LEN)) ||
	    !policy_ok(fdt, vm, "on-crash") || !policy_ok(fdt, vm, "on-poweroff")) {
		printf("vm config: a vm@ name must have 1 to 15 characters, on-crash and on-poweroff be "
		       "\"stop\" or \"restart\"\n");
		return -1;
	}
	if (strcmp(c->backend, "dv-sw") && strcmp(c->backend, "dv-hw")) {
		printf("vm config: backend must be \"dv-sw\" or \"dv-hw\"\n");
		return -1;
	}
	c->ram_gpa = prop_u64(fdt, vm, "memory-base", 0x80000000UL);
	c->ram_size = prop_u64(fdt, vm, "memory-size", 0);
	c->nr_vcpus = (unsigned)prop_u64(fdt, vm, "vcpus", 1);
	c->guest = prop_str(fdt, vm, "guest", "guest");
	c->bootargs = prop_str(fdt, vm, "bootargs", "");
	c->testdev = fdt_getprop(fdt, vm, "mmio-test-device", NULL) != NULL;
	c->uart_shadow = fdt_getprop(fdt, vm, "uart-loads-exit", NULL) == NULL;
	if (c->ram_gpa & 0x1fffff || !c->ram_size) {
		printf("vm config: memory-base must be 2 MiB aligned and memory-size non-zero\n");
		return -1;
	}
	return parse_virtio(fdt, vm, c);
}
