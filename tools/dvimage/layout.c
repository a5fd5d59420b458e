// SPDX-License-Identifier: BSD-2-Clause
/* Where each part goes in an image, and the part table that says so. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "dv_digest.h"
#include "dvimage.h"

#define PAGE         4096UL
#define FW_BASE      0x80000000UL /* the image's first byte, where fw_jump runs */
#define FW_MAX       DV_IMAGE_PAYLOAD
/* fw_jump copies the host FDT to FW_BASE + 0x2200000: no part may overlap those 2 MiB. */
#define FDT_ZONE     0x2200000UL
#define FDT_ZONE_END 0x2400000UL

static uint64_t page_up(uint64_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

static uint64_t place(uint64_t offset, uint64_t size)
{
	offset = page_up(offset);
	if (offset < FDT_ZONE_END && offset + size > FDT_ZONE)
		offset = FDT_ZONE_END;
	return offset;
}

/* The minikernel ELF's loadable segments as one memory image from DV_IMAGE_PAYLOAD, bss included. */
uint8_t *minikernel_flat(const char *path, const uint8_t *elf, uint64_t elf_size, uint64_t *size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	uint64_t base = FW_BASE + DV_IMAGE_PAYLOAD, end = base;
	uint8_t *flat;

	if (elf_size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_RISCV ||
	    eh->e_phoff > elf_size || (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > elf_size - eh->e_phoff)
		die("%s: not a 64-bit RISC-V ELF", path);
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff);

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_paddr < base || ph[i].p_filesz > ph[i].p_memsz ||
		    ph[i].p_offset > elf_size || ph[i].p_filesz > elf_size - ph[i].p_offset ||
		    ph[i].p_memsz > FDT_ZONE || ph[i].p_paddr - base > FDT_ZONE)
			die("%s: a segment lies outside the minikernel's place", path);
		if (ph[i].p_paddr + ph[i].p_memsz > end)
			end = ph[i].p_paddr + ph[i].p_memsz;
	}
	*size = page_up(end - base);
	flat = calloc(1, *size ? *size : 1);
	if (!flat)
		die("out of memory");
	for (unsigned i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			memcpy(flat + ph[i].p_paddr - base, elf + ph[i].p_offset, ph[i].p_filesz);
	return flat;
}

/*
 * The image of the parts: the firmware at 0, the minikernel at DV_IMAGE_PAYLOAD, the table on
 * the page after it, each blob on the page after the previous one. Everything between is
 * zero, so the same parts always give the same bytes.
 */
uint8_t *layout(struct part *parts, unsigned n, uint64_t *size)
{
	struct dv_image_table table, *t;
	uint64_t next, end;
	uint8_t *img;

	if (n < 2 || n > DV_IMAGE_MAX)
		die("an image has the firmware, the minikernel and at most %d blobs", DV_IMAGE_MAX - 2);
	if (parts[0].size > FW_MAX)
		die("the firmware (%llu bytes) is larger than 2 MiB", (unsigned long long)parts[0].size);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(parts[i].name, parts[j].name))
				die("two parts are named \"%s\"", parts[i].name);
	memset(&table, 0, sizeof(table));
	table.magic = DV_IMAGE_MAGIC;
	table.count = n;
	parts[0].offset = 0;
	parts[1].offset = DV_IMAGE_PAYLOAD;
	table.table_offset = DV_IMAGE_PAYLOAD + page_up(parts[1].size);
	end = next = table.table_offset + PAGE;
	for (unsigned i = 2; i < n; i++) {
		parts[i].offset = place(next, parts[i].size);
		next = end = parts[i].offset + parts[i].size;
	}
	table.image_size = end;
	img = calloc(1, end);
	if (!img)
		die("out of memory");
	for (unsigned i = 0; i < n; i++) {
		struct dv_image_entry *e = &table.entry[i];

		memcpy(img + parts[i].offset, parts[i].data, parts[i].size);
		parts[i].digest = dv_digest(img + parts[i].offset, parts[i].size);
		memcpy(e->name, parts[i].name, sizeof(e->name));
		e->offset = parts[i].offset;
		e->size = parts[i].size;
		e->digest = parts[i].digest;
	}
	t = (struct dv_image_table *)(img + table.table_offset);
	memcpy(t, &table, sizeof(table));
	t->digest = dv_digest(DV_IMAGE_TABLE_DIGESTED(t), DV_IMAGE_TABLE_DIGEST_LEN);
	*size = end;
	return img;
}
