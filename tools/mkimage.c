// SPDX-License-Identifier: BSD-2-Clause
/* Packs OpenSBI fw_jump, the minikernel ELF and named blobs into one firmware image. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dv_image.h"

#define FW_BASE      0x80000000UL
#define PAYLOAD_BASE 0x80200000UL
#define FDT_ZONE     0x82200000UL /* fw_jump copies the host FDT here: keep it free */
#define FDT_ZONE_END 0x82400000UL
#define PAGE         4096UL

static uint8_t *image;
static size_t image_size;

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "mkimage: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("cannot read", path);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read", path);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* Copies len bytes to physical address pa of the image, growing it. */
static void put(uint64_t pa, const void *data, size_t len)
{
	size_t off = pa - FW_BASE;

	if (off + len > image_size) {
		image = realloc(image, off + len);
		if (!image)
			die("out of memory", NULL);
		memset(image + image_size, 0, off + len - image_size);
		image_size = off + len;
	}
	memcpy(image + off, data, len);
}

/* Loads the minikernel's segments; returns the page-aligned end of its memory image. */
static uint64_t put_minikernel(const char *path)
{
	size_t size;
	uint8_t *elf = read_file(path, &size);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	uint64_t end = PAYLOAD_BASE;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_machine != EM_RISCV ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size)
		die("not a RISC-V ELF", path);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff) + i;

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_paddr < PAYLOAD_BASE || ph->p_offset + ph->p_filesz > size)
			die("minikernel segment outside the payload", path);
		put(ph->p_paddr, elf + ph->p_offset, ph->p_filesz);
		if (ph->p_paddr + ph->p_memsz > end)
			end = ph->p_paddr + ph->p_memsz;
	}
	free(elf);
	return (end + PAGE - 1) & ~(PAGE - 1);
}

static uint64_t place(uint64_t pa, uint64_t size)
{
	pa = (pa + PAGE - 1) & ~(PAGE - 1);
	if (pa < FDT_ZONE_END && pa + size > FDT_ZONE)
		pa = FDT_ZONE_END;
	return pa;
}

int main(int argc, char **argv)
{
	struct dv_image_table table = { .magic = DV_IMAGE_MAGIC };
	const char *out = NULL, *fw = NULL, *mk = NULL;
	uint64_t table_pa, next;
	size_t size;
	uint8_t *data;
	FILE *f;
	int opt;

	for (opt = 1; opt + 1 < argc; opt += 2) {
		if (!strcmp(argv[opt], "-o"))
			out = argv[opt + 1];
		else if (!strcmp(argv[opt], "-f"))
			fw = argv[opt + 1];
		else if (!strcmp(argv[opt], "-k"))
			mk = argv[opt + 1];
		else if (strcmp(argv[opt], "-b"))
			die("unknown option", argv[opt]);
	}
	if (!out || !fw || !mk || opt != argc)
		die("usage: mkimage -o OUT -f fw_jump.bin -k minikernel.elf [-b NAME=FILE]...", NULL);
	data = read_file(fw, &size);
	if (size > PAYLOAD_BASE - FW_BASE)
		die("firmware larger than 2 MiB", fw);
	put(FW_BASE, data, size);
	free(data);
	table_pa = put_minikernel(mk);
	next = table_pa + PAGE;
	for (opt = 1; opt + 1 < argc; opt += 2) {
		char *eq = strchr(argv[opt + 1], '=');
		struct dv_image_entry *e = &table.entry[table.count];

		if (strcmp(argv[opt], "-b"))
			continue;
		if (!eq || eq - argv[opt + 1] >= (long)sizeof(e->name) || table.count == DV_IMAGE_MAX)
			die("bad blob (NAME=FILE, name under 16 chars, at most 8 blobs)", argv[opt + 1]);
		memcpy(e->name, argv[opt + 1], (size_t)(eq - argv[opt + 1]));
		data = read_file(eq + 1, &size);
		next = place(next, size);
		put(next, data, size);
		free(data);
		e->offset = next - table_pa;
		e->size = size;
		table.count++;
		next += size;
	}
	put(table_pa, &table, sizeof(table));
	f = fopen(out, "wb");
	if (!f || fwrite(image, 1, image_size, f) != image_size || fclose(f))
		die("cannot write", out);
	return 0;
}
