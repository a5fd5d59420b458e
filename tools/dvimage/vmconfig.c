// SPDX-License-Identifier: BSD-2-Clause
/* VM configs in an image: read with the runtime's own parser, checked as the minikernel does. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "dv_abi.h"
#include "dvimage.h"

/* The virtio device classes, by the index the runtime's parser gives them. */
static const char *const kinds[] = { "blk", "net", "console", "rng" };

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

/* Copied (the parser needs the DTB 8-byte aligned, and parts may be anywhere) and checked. */
static int load(const struct part *cfg, void *buf, size_t size)
{
	if (cfg->size > size)
		return bad(cfg, "larger than 64 KiB", NULL);
	memcpy(buf, cfg->data, cfg->size);
	if (cfg->size < sizeof(struct fdt_header) || fdt_check_header(buf) ||
	    fdt_totalsize(buf) > cfg->size || vm_config_node(buf, 0) < 0)
		return bad(cfg, "not a valid device tree blob with a vm node", NULL);
	return 0;
}

/* grant-host-virtio: empty (every device) or up to DV_MAX_HDEVS classes the minikernel knows. */
static int check_grants(const struct part *cfg, const void *buf, int vm)
{
	int len, n = fdt_stringlist_count(buf, vm, "grant-host-virtio");
	const char *s;

	if (!fdt_getprop(buf, vm, "grant-host-virtio", &len) || !len)
		return 0;
	if (n <= 0 || n > DV_MAX_HDEVS)
		return bad(cfg, "grant-host-virtio must list 1 to 4 device classes", NULL);
	for (int i = 0; (s = fdt_stringlist_get(buf, vm, "grant-host-virtio", i, NULL)); i++) {
		unsigned k = 0;

		while (k < sizeof(kinds) / sizeof(kinds[0]) && strcmp(kinds[k], s))
			k++;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			return bad(cfg, "grant-host-virtio names an unknown device class: ", s);
	}
	return 0;
}

/* The VM of node `vm`, with the runtime's parser. */
static int parse(const struct part *cfg, const void *buf, int vm, struct vm_config *c)
{
	memset(c, 0, sizeof(*c));
	return vm_config_parse(buf, vm, c) ? bad(cfg, "refused by the runtime's parser (above)", NULL)
					   : 0;
}

/* A blob a VM names must be in the image (initrd and cmdline only when named). */
static int check_blob(const struct part *cfg, const struct part *parts, unsigned n,
		      const void *buf, int vm, const char *prop, const char *name)
{
	if (name && (!strcmp(prop, "guest") || !strcmp(prop, "embedded-disk") ||
		     fdt_getprop(buf, vm, prop, NULL)) && !has_part(parts, n, name)) {
		fprintf(stderr, "dvimage: VM config \"%s\": %s names a part the image lacks: %s\n",
			cfg->name, prop, name);
		return -1;
	}
	return 0;
}

int vmconfig_check(const struct part *parts, unsigned n)
{
	static uint64_t buf[8192];
	struct vm_config c;
	int err = 0, vm;

	for (unsigned i = 0; i < n; i++) {
		const struct part *p = &parts[i];

		if (!is_config(p))
			continue;
		if (load(p, buf, sizeof(buf))) {
			err = -1;
			continue;
		}
		for (unsigned k = 0; (vm = vm_config_node(buf, k)) >= 0; k++) {
			if (parse(p, buf, vm, &c)) {
				err = -1;
				continue;
			}
			if (!c.nr_vcpus || c.nr_vcpus > DV_MAX_VCPUS)
				err = bad(p, "vcpus must be 1 to 8", NULL);
			if (c.ram_size & 0xfff)
				err = bad(p, "memory-size must be a multiple of 4 KiB", NULL);
			err |= check_grants(p, buf, vm);
			err |= check_blob(p, parts, n, buf, vm, "guest", c.guest);
			err |= check_blob(p, parts, n, buf, vm, "embedded-disk", c.disk);
			err |= check_blob(p, parts, n, buf, vm, "initrd", c.initrd);
			err |= check_blob(p, parts, n, buf, vm, "cmdline", c.cmdline);
			err |= check_blob(p, parts, n, buf, vm, "runtime", c.runtime);
		}
	}
	return err;
}

/* One VM of a config; a VM of several is named (its name, else vmK). */
static void describe(const struct part *cfg, const void *buf, int vm, unsigned k,
		     const struct vm_config *c)
{
	const char *grant;
	char who[40] = "";

	if (c->name)
		snprintf(who, sizeof(who), " VM %s", c->name);
	else if (k || vm_config_node(buf, 1) >= 0)
		snprintf(who, sizeof(who), " VM vm%u", k);
	printf("VM config \"%s\"%s: %u vCPU(s), %llu MiB of RAM at 0x%llx, guest in part \"%s\"\n",
	       cfg->name, who, c->nr_vcpus, (unsigned long long)(c->ram_size >> 20),
	       (unsigned long long)c->ram_gpa, c->guest);
	printf("  backend %s, bootargs \"%s\"\n  devices: 16550 UART, PLIC%s", c->backend, c->bootargs,
	       c->testdev ? ", MMIO test device" : "");
	for (unsigned i = 0; i < c->nr_virtio; i++)
		printf("%s%s", i ? " " : ", virtio ", kinds[c->virtio[i]]);
	if (c->disk)
		printf(" (disk: part \"%s\")", c->disk);
	printf("\n  from the host: %s",
	       fdt_getprop(buf, vm, "grant-host-uart", NULL) ? "the UART" : "no UART");
	if (fdt_getprop(buf, vm, "grant-host-virtio", NULL) &&
	    !fdt_stringlist_get(buf, vm, "grant-host-virtio", 0, NULL))
		printf(", its virtio devices");
	for (int i = 0; (grant = fdt_stringlist_get(buf, vm, "grant-host-virtio", i, NULL)); i++)
		printf("%s%s", i ? " " : ", virtio ", grant);
	printf("\n");
}

void vmconfig_describe(const struct part *cfg)
{
	static uint64_t buf[8192];
	struct vm_config c;
	int vm;

	if (!is_config(cfg) || load(cfg, buf, sizeof(buf)))
		return;
	for (unsigned k = 0; (vm = vm_config_node(buf, k)) >= 0; k++)
		if (!parse(cfg, buf, vm, &c))
			describe(cfg, buf, vm, k, &c);
}
