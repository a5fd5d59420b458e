// SPDX-License-Identifier: BSD-2-Clause
/* Loading a runtime ELF into fresh U-mode pages of its address space (again on a restart). */
#include <elf.h>
#include <string.h>

#include "mk.h"

#define RT_IMAGE_LIMIT (DV_RT_IMAGE_VA + (1UL << 30))

static uint64_t seg_flags(uint32_t pf)
{
	return PTE_U | (pf & PF_R ? PTE_R : 0) | (pf & PF_W ? PTE_W : 0) | (pf & PF_X ? PTE_X : 0);
}

/* Again: a restart reloads the segment into the pages it had, zeroed first. */
static int load_segment(uint64_t root_pa, const uint8_t *elf, uint64_t size, const Elf64_Phdr *ph,
			uint64_t *pa, bool again)
{
	uint64_t start = ph->p_vaddr & ~(PAGE_SIZE - 1);
	uint64_t span = ph->p_vaddr + ph->p_memsz - start;

	if (ph->p_filesz > ph->p_memsz || ph->p_offset > size || ph->p_filesz > size - ph->p_offset ||
	    ph->p_vaddr < DV_RT_IMAGE_VA || ph->p_memsz > RT_IMAGE_LIMIT - ph->p_vaddr)
		return -1;
	if (again)
		mm_zero(*pa, span);
	else if (!(*pa = mm_alloc(span, PAGE_SIZE, true)))
		return -1;
	memcpy((void *)(*pa + (ph->p_vaddr - start)), elf + ph->p_offset, ph->p_filesz);
	return again ? 0 : mm_map(root_pa, start, *pa, (span + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1),
				  seg_flags(ph->p_flags));
}

int mk_elf_load(uint64_t root_pa, const void *image, uint64_t size, uint64_t *entry,
		uint64_t *seg_pa, bool again)
{
	const Elf64_Ehdr *eh = image;
	const uint8_t *elf = image;
	unsigned n = 0;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_RISCV ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		return -1;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && ph->p_memsz &&
		    (n == MK_MAX_SEGS || load_segment(root_pa, elf, size, ph, &seg_pa[n++], again)))
			return -1;
	}
	*entry = eh->e_entry;
	return 0;
}
