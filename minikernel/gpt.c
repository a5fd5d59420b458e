// SPDX-License-Identifier: BSD-2-Clause
/*
 * Validated stores into a VM's G-stage tables. The runtime builds the tables but sees them
 * read-only; every store comes here, so a table can only link to a fresh pool page of the
 * next level and a leaf can only name memory inside the VM's grant.
 *
 * The runtime's threads call this from every hart of the VM at once. A page's level is
 * decided by the store that links it, and the check that the page is still free must be
 * the same step as that claim: the VM's gpt_lock covers every check and store here.
 * Otherwise two racing links could both see a page free, and the page would be walked at
 * two levels, its 4 KiB leaves read as 2 MiB ones that reach past the grant.
 */
#include "mk.h"

#define PTE_RWX   (PTE_R | PTE_W | PTE_X)
#define PTE_RSVD  (0x3ffUL << 54)
#define PTE_PPN   (((1UL << 44) - 1) << PTE_PPN_SHIFT)
#define ROOT_PAGES 4

void mk_gpt_init(struct mk_vm *vm)
{
	for (unsigned i = 0; i < MK_GPT_PAGES; i++)
		vm->gpt_level[i] = i < ROOT_PAGES ? 2 : MK_GPT_FREE;
	vm->gpt_lock = 0;
}

/* The pool page index of `pa`, or -1 when pa is not a page of the VM's pool. */
static long pool_page(const struct mk_vm *vm, uint64_t pa)
{
	if (pa < vm->gpt_pa || pa & (PAGE_SIZE - 1) || (pa - vm->gpt_pa) / PAGE_SIZE >= MK_GPT_PAGES)
		return -1;
	return (long)((pa - vm->gpt_pa) / PAGE_SIZE);
}

static long check_link(struct mk_vm *vm, int level, uint64_t pte)
{
	long child = pool_page(vm, (pte & PTE_PPN) >> PTE_PPN_SHIFT << 12);

	if (level == 0 || pte & (PTE_U | PTE_G | PTE_A | PTE_D))
		return -DV_EINVAL;
	if (child < ROOT_PAGES || vm->gpt_level[child] != MK_GPT_FREE)
		return -DV_EPERM;
	vm->gpt_level[child] = (uint8_t)(level - 1);
	return 0;
}

static long check_leaf(const struct mk_vm *vm, int level, uint64_t pte)
{
	uint64_t pa = (pte & PTE_PPN) >> PTE_PPN_SHIFT << 12;
	uint64_t size = PAGE_SIZE << (9 * level);

	if ((pte & PTE_W) && !(pte & PTE_R))
		return -DV_EINVAL;
	if (pa & (size - 1))
		return -DV_EINVAL;
	if (pa < vm->ram_pa || size > vm->ram_size || pa - vm->ram_pa > vm->ram_size - size)
		return -DV_EPERM;
	return 0;
}

/* With the VM's gpt_lock held. */
static long gpt_store(struct mk_vm *vm, long page, uint64_t table_pa, uint64_t idx, uint64_t pte)
{
	int level = vm->gpt_level[page];
	uint64_t *slot, old;
	long err;

	if (level == MK_GPT_FREE)
		return -DV_EPERM;
	if (idx >= (level == 2 ? 2048U : 512U))
		return -DV_EINVAL;
	slot = (uint64_t *)table_pa + idx;
	old = *slot;
	if ((old & PTE_V) && !(old & PTE_RWX))
		return -DV_EBUSY;
	if (!(pte & PTE_V))
		pte = 0;
	else if (pte & PTE_RSVD)
		return -DV_EINVAL;
	else if (!(pte & PTE_RWX) && (err = check_link(vm, level, pte)))
		return err;
	else if ((pte & PTE_RWX) && (err = check_leaf(vm, level, pte)))
		return err;
	/* The other harts' walkers read the slot meanwhile: one untorn store. */
	__atomic_store_n(slot, pte, __ATOMIC_RELEASE);
	if (old & PTE_V)
		mk_hfence_gvma();
	return 0;
}

long mk_gpt_write(struct mk_vm *vm, uint64_t table_pa, uint64_t idx, uint64_t pte)
{
	long page = pool_page(vm, table_pa), err;

	if (page < 0 || (page > 0 && page < ROOT_PAGES))
		return -DV_EINVAL;
	mk_lock(&vm->gpt_lock);
	err = gpt_store(vm, page, table_pa, idx, pte);
	mk_unlock(&vm->gpt_lock);
	return err;
}
