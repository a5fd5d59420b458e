// SPDX-License-Identifier: BSD-2-Clause
/*
 * vmdtb: writes the device tree the runtime gives a VM's guest, for a native boot with the VM's
 * own devices (make bench). It links the runtime's config parser and DTB writer, so the result
 * is what vmm/main.c's load_guest builds; what the runtime learns from the minikernel (the
 * host's ISA and timebase) is read from the host's DTB, as the minikernel does.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "guest_dtb.h"
#include "platform.h"
#include "vm.h"

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f && !fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*size = (size_t)n;
	} else {
		fprintf(stderr, "vmdtb: cannot read %s\n", path);
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	return buf;
}

/* The boot hart's riscv,isa and the timebase, as minikernel/fdt.c probes them (hart 0 boots). */
static int host_cpu(const void *fdt, struct vm *vm, const char **isa)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;
	const fdt32_t *tb = cpus < 0 ? NULL : fdt_getprop(fdt, cpus, "timebase-frequency", &len);

	if (!tb || len != 4)
		return -1;
	vm->timebase_hz = fdt32_to_cpu(*tb);
	fdt_for_each_subnode(node, fdt, cpus) {
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

		*isa = fdt_getprop(fdt, node, "riscv,isa", NULL);
		if (*isa && reg && len >= 4 && fdt32_to_cpu(*reg) == 0)
			return 0;
	}
	return -1;
}

/* The config's bootargs, then a space and the image's cmdline blob, as vmm/main.c bootargs(). */
static char *bootargs(const char *cfg, const char *blob, size_t blob_len)
{
	size_t len = strlen(cfg);
	char *s = malloc(len + 1 + blob_len + 1);

	if (!s)
		return NULL;
	memcpy(s, cfg, len + 1);
	if (blob_len) {
		s[len] = ' ';
		memcpy(s + len + 1, blob, blob_len);
		s[len + 1 + blob_len] = '\0';
	}
	return s;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vmdtb -c CONFIG.dtb -H HOST.dtb [-a CMDLINE] [-r INITRD] -o OUT.dtb\n"
		"  CMDLINE: the image's cmdline blob; INITRD: placed where the runtime puts it\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cfg_path = NULL, *host_path = NULL, *append_path = NULL, *rd_path = NULL;
	const char *out_path = NULL, *append = "";
	size_t cfg_size, host_size, append_len = 0, rd_size = 0;
	static struct vm vm; /* large; only the fields guest_dtb_build reads are set */
	struct vm_config cfg = { 0 };
	struct guest_boot boot = { 0 };
	static char dtb[GUEST_DTB_MAX];
	void *cfg_fdt, *host_fdt;
	struct stat rd;
	FILE *out;
	int opt;

	while ((opt = getopt(argc, argv, "c:H:a:r:o:")) != -1) {
		switch (opt) {
		case 'c': cfg_path = optarg; break;
		case 'H': host_path = optarg; break;
		case 'a': append_path = optarg; break;
		case 'r': rd_path = optarg; break;
		case 'o': out_path = optarg; break;
		default: return usage();
		}
	}
	if (!cfg_path || !host_path || !out_path || optind != argc)
		return usage();
	if (!(cfg_fdt = read_file(cfg_path, &cfg_size)) ||
	    !(host_fdt = read_file(host_path, &host_size)) ||
	    (append_path && !(append = read_file(append_path, &append_len))))
		return 1;
	if (rd_path && stat(rd_path, &rd)) {
		fprintf(stderr, "vmdtb: cannot read %s\n", rd_path);
		return 1;
	}
	rd_size = rd_path ? (size_t)rd.st_size : 0;
	if (vm_config_parse(cfg_fdt, vm_config_node(cfg_fdt, 0), &cfg))
		return 1;
	if (fdt_check_header(host_fdt) || host_cpu(host_fdt, &vm, &boot.host_isa)) {
		fprintf(stderr, "vmdtb: %s: no /cpus timebase-frequency or hart 0 riscv,isa\n",
			host_path);
		return 1;
	}
	vm.sstc = strstr(boot.host_isa, "_sstc") != NULL; /* QEMU virt: stimecmp works where named */
	vm.nr_vcpus = cfg.nr_vcpus;
	vm.ram_gpa = cfg.ram_gpa;
	vm.ram_size = cfg.ram_size;
	if (!(boot.bootargs = bootargs(cfg.bootargs, append, append_len)))
		return 1;
	/* The initrd ends where the DTB, in the top GUEST_DTB_MAX bytes of RAM, begins. */
	boot.initrd_start = (vm.ram_gpa + vm.ram_size - GUEST_DTB_MAX - rd_size) &
			    ~(GUEST_INITRD_ALIGN - 1);
	boot.initrd_end = boot.initrd_start + rd_size;
	if (guest_dtb_build(dtb, sizeof(dtb), &vm, &cfg, &boot)) {
		fprintf(stderr, "vmdtb: the guest DTB does not fit in %lu bytes\n", GUEST_DTB_MAX);
		return 1;
	}
	out = fopen(out_path, "wb");
	if (!out || fwrite(dtb, 1, fdt_totalsize(dtb), out) != fdt_totalsize(dtb) || fclose(out)) {
		fprintf(stderr, "vmdtb: cannot write %s\n", out_path);
		return 1;
	}
	return 0;
}
