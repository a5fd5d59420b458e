// SPDX-License-Identifier: BSD-2-Clause
/* VM configs in an image: read with the runtime's own parser, checked as the minikernel does. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "dv_abi.h"
#include "dvimage.h"

static bool is_config(const struct part *p)
{
	return !strncmp(p->name, "config", 6);
}

static bool has_part(const struct part *parts, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(parts[i].name, name))
			return true;
	return false;
}

static int bad(const struct part *cfg, const char *why, const char *arg)
{
	fprintf(stderr, "dvimage: VM config \"%s\": %s%s\n", cfg->name, why, arg ? arg : "");
	return -1;
}

/* Parsed from a copy: the parser needs the DTB 8-byte aligned, and parts may be anywhere. */
static int parse(const struct part *cfg, struct vm_config *c, void *buf, size_t size)
{
	if (cfg->size > size)
		return bad(cfg, "larger than 64 KiB", NULL);
	memcpy(buf, cfg->data, cfg->size);
	if (cfg->size < sizeof(struct fdt_header) || fdt_check_header(buf) ||
	    fdt_totalsize(buf) > cfg->size)
		return bad(cfg, "not a valid device tree blob", NULL);
	memset(c, 0, sizeof(*c));
	return vm_config_parse(buf, c) ? bad(cfg, "refused by the runtime's parser (above)", NULL) : 0;
}

int vmconfig_check(const struct part *parts, unsigned n)
{
	static uint64_t buf[8192];
	struct vm_config c;
	int err = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct part *p = &parts[i];

		if (!is_config(p))
			continue;
		if (parse(p, &c, buf, sizeof(buf))) {
			err = -1;
			continue;
		}
		if (!c.nr_vcpus || c.nr_vcpus > DV_MAX_VCPUS)
			err = bad(p, "vcpus must be 1 to 8", NULL);
		if (c.ram_size & 0xfff)
			err = bad(p, "memory-size must be a multiple of 4 KiB", NULL);
		if (!has_part(parts, n, c.guest))
			err = bad(p, "names a guest part the image lacks: ", c.guest);
		if (c.disk && !has_part(parts, n, c.disk))
			err = bad(p, "names an embedded-disk part the image lacks: ", c.disk);
	}
	return err;
}

void vmconfig_describe(const struct part *cfg)
{
	static const char *const kinds[] = { "blk", "net", "console", "rng" };
	static uint64_t buf[8192];
	struct vm_config c;
	int vm;

	if (!is_config(cfg) || parse(cfg, &c, buf, sizeof(buf)))
		return;
	vm = fdt_path_offset(buf, "/vm");
	printf("VM config \"%s\": %u vCPU(s), %llu MiB of RAM at 0x%llx, guest in part \"%s\"\n",
	       cfg->name, c.nr_vcpus, (unsigned long long)(c.ram_size >> 20),
	       (unsigned long long)c.ram_gpa, c.guest);
	printf("  bootargs \"%s\"\n  devices: 16550 UART, PLIC%s", c.bootargs,
	       c.testdev ? ", MMIO test device" : "");
	for (unsigned i = 0; i < c.nr_virtio; i++)
		printf("%s%s", i ? " " : ", virtio ", kinds[c.virtio[i]]);
	if (c.disk)
		printf(" (disk: part \"%s\")", c.disk);
	printf("\n  from the host: %s%s\n",
	       fdt_getprop(buf, vm, "grant-host-uart", NULL) ? "the UART" : "no UART",
	       fdt_getprop(buf, vm, "grant-host-virtio", NULL) ? ", its virtio devices" : "");
}
