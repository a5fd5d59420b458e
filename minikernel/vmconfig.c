// SPDX-License-Identifier: BSD-2-Clause
/* The VM config's VM nodes: what the minikernel enforces of each (docs/vms.md). */
#include <libfdt.h>
#include <string.h>

#include "mk.h"

/* The VM after `node` (-1: the first): a child of the root named vm or vm@<name>. */
int mk_vmconfig_next(const void *cfg, int node)
{
	int depth = node < 0 ? 0 : 1;

	while ((node = fdt_next_node(cfg, node < 0 ? 0 : node, &depth)) >= 0 && depth >= 1) {
		const char *n = fdt_get_name(cfg, node, NULL);

		if (depth == 1 && n && (!strcmp(n, "vm") || !strncmp(n, "vm@", 3)))
			return node;
	}
	return -1;
}

/* The first string of a property (terminated, checked by libfdt), dflt when there is none. */
static const char *cfg_str(const void *cfg, int node, const char *name, const char *dflt)
{
	const char *s = fdt_stringlist_get(cfg, node, name, 0, NULL);

	return s ? s : dflt;
}

/* NULL, or what is wrong with the node. Its name, set first, is the unit address, or vm0. */
const char *mk_vmconfig_read(const void *cfg, int node, struct mk_vmcfg *c)
{
	const char *at = strchr(fdt_get_name(cfg, node, NULL), '@');
	const char *crash = cfg_str(cfg, node, "on-crash", "stop");
	const char *off = cfg_str(cfg, node, "on-poweroff", "stop");
	const char *backend = cfg_str(cfg, node, "backend", "dv-sw");
	int len;
	const fdt32_t *mem = fdt_getprop(cfg, node, "memory-size", &len);

	strncpy(c->name, at ? at + 1 : "vm0", DV_NAME_LEN - 1);
	if (at && (!at[1] || strlen(at + 1) >= DV_NAME_LEN))
		return "the node's unit address (the VM's name) must have 1 to 15 characters";
	c->ram_size = mem && (len == 4 || len == 8) ? fdt_read_cells(mem, len / 4) : 0;
	mem = fdt_getprop(cfg, node, "vcpus", &len);
	c->nr_vcpus = mem && len == 4 ? fdt32_to_cpu(*mem) : 1;
	c->uart = fdt_getprop(cfg, node, "grant-host-uart", NULL) != NULL;
	c->virtio_classes = fdt_getprop(cfg, node, "grant-host-virtio", &c->virtio_len);
	c->virtio = c->virtio_classes != NULL;
	c->runtime = cfg_str(cfg, node, "runtime", "runtime");
	c->on_crash = !strcmp(crash, "restart") ? MK_END_RESTART : MK_END_STOP;
	c->on_poweroff = !strcmp(off, "restart") ? MK_END_RESTART : MK_END_STOP;
	if ((strcmp(crash, "stop") && strcmp(crash, "restart")) ||
	    (strcmp(off, "stop") && strcmp(off, "restart")))
		return "on-crash and on-poweroff must be \"stop\" or \"restart\"";
	if (c->virtio_len > 0 && fdt_stringlist_count(cfg, node, "grant-host-virtio") <= 0)
		return "grant-host-virtio must be empty or a list of device classes";
	c->backend = strcmp(backend, "dv-hw") ? DV_BACKEND_SW : DV_BACKEND_HW;
	if (strcmp(backend, "dv-sw") && strcmp(backend, "dv-hw"))
		return "backend must be \"dv-sw\" or \"dv-hw\"";
	return NULL;
}

/* The properties naming the blobs a VM's runtime reads (the only VM of an image reads all). */
static const char *const blob_prop[] = { "guest", "initrd", "cmdline", "embedded-disk", "blobs" };

/* Whether the VM's node names `blob` (then it is mapped into its runtime). */
bool mk_vmconfig_names(const void *cfg, int node, const char *blob)
{
	for (unsigned i = 0; i < sizeof(blob_prop) / sizeof(blob_prop[0]); i++)
		if (fdt_stringlist_search(cfg, node, blob_prop[i], blob) >= 0)
			return true;
	return false;
}

/* A blob the node names that the image lacks; with several VMs, each must name its guest. */
const char *mk_vmconfig_missing(const void *cfg, int node)
{
	uint64_t size;
	const char *s;

	if (mk_nr_vms > 1 && !fdt_getprop(cfg, node, "guest", NULL))
		return "(a guest property)";
	for (unsigned i = 0; i < sizeof(blob_prop) / sizeof(blob_prop[0]); i++)
		for (int k = 0; (s = fdt_stringlist_get(cfg, node, blob_prop[i], k, NULL)); k++)
			if (!mk_image_find(s, &size))
				return s;
	return NULL;
}
