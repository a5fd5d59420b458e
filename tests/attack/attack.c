// SPDX-License-Identifier: BSD-2-Clause
/*
 * A test build of the runtime that attacks the minikernel: bad syscalls and G-stage stores
 * first (each must be refused with the right error), then the one fatal attack named by the
 * image's "attack" blob (the minikernel must stop the runtime and report it).
 */
#include <picolibc.h>
#include <picotls.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "dv.h"
#include "riscv.h"

extern char __tls_block[];

#define MK_TEXT 0x80200000UL /* the minikernel's first page */

static unsigned refused, accepted;

static long raw_syscall(long nr, long a0, long a1, long a2)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r7) : "memory");
	return r0;
}

static void expect(const char *what, long got, long want)
{
	if (got == want) {
		refused += want != 0;
		printf("ATTACK %s: %s (%ld)\n", what, want ? "refused" : "accepted as it should", got);
	} else {
		accepted++;
		printf("FAIL: attack %s: answered %ld, expected %ld\n", what, got, want);
	}
}

static uint64_t leaf(uint64_t pa)
{
	return (pa >> 12) << PTE_PPN_SHIFT | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;
}

static uint64_t link(uint64_t pa)
{
	return (pa >> 12) << PTE_PPN_SHIFT | PTE_V;
}

static void syscall_attacks(const struct dv_boot_info *bi)
{
	uint64_t root = bi->gpt.pa, table = bi->gpt.pa + 4 * 4096, val;
	uint64_t grant_end = (bi->ram.pa + bi->ram.size + 0x1fffff) & ~0x1fffffUL;

	expect("unknown syscall 99", raw_syscall(99, 0, 0, 0), -DV_ENOSYS);
	expect("unknown syscall -1", raw_syscall(-1, 0, 0, 0), -DV_ENOSYS);
	expect("run a vCPU the VM lacks", dv_vcpu_run(7), -DV_EINVAL);
	expect("read guest CSR 99", dv_vcsr_read(0, 99, &val), -DV_EINVAL);
	expect("write a CSR of vCPU 3", dv_vcsr_write(3, DV_VCSR_VSATP, 0), -DV_EINVAL);
	expect("G-stage store into minikernel memory", dv_gpt_write(MK_TEXT, 0, 0), -DV_EINVAL);
	expect("G-stage store past the root", dv_gpt_write(root, 2048, 0), -DV_EINVAL);
	expect("G-stage store into the root's tail", dv_gpt_write(root + 4096, 0, 0), -DV_EINVAL);
	expect("G-stage leaf over OpenSBI and the minikernel", dv_gpt_write(root, 2, leaf(0x80000000)),
	       -DV_EPERM);
	expect("G-stage link to minikernel memory", dv_gpt_write(root, 4, link(MK_TEXT)), -DV_EPERM);
	expect("G-stage link of the root to itself", dv_gpt_write(root, 4, link(root)), -DV_EPERM);
	expect("G-stage store into an unlinked pool page", dv_gpt_write(table, 0, 0), -DV_EPERM);
	expect("G-stage leaf with reserved bits", dv_gpt_write(root, 4, leaf(bi->ram.pa) | 1UL << 60),
	       -DV_EINVAL);
	expect("G-stage link with leaf-only bits", dv_gpt_write(root, 4, link(table) | PTE_U), -DV_EINVAL);
	expect("G-stage link of a fresh pool page", dv_gpt_write(root, 5, link(table)), 0);
	expect("G-stage 2 MiB leaf past the grant's end", dv_gpt_write(table, 1, leaf(grant_end)),
	       -DV_EPERM);
	expect("G-stage misaligned 2 MiB leaf", dv_gpt_write(table, 1, leaf(bi->ram.pa + 4096)),
	       -DV_EINVAL);
	expect("G-stage 2 MiB leaf inside the grant", dv_gpt_write(table, 2, leaf(bi->ram.pa)), 0);
	expect("G-stage write-only leaf", dv_gpt_write(table, 0, leaf(bi->ram.pa) & ~PTE_R), -DV_EINVAL);
	expect("G-stage leaf replacing a table link", dv_gpt_write(root, 5, leaf(bi->ram.pa)), -DV_EBUSY);
	expect("G-stage second link to a used table", dv_gpt_write(root, 6, link(table)), -DV_EPERM);
	expect("fixup window with start > end", raw_syscall(DV_SYS_FIXUP, 2, 1, 0), -DV_EINVAL);
}

static const char *attack_name(const struct dv_boot_info *bi, char *buf, size_t size)
{
	for (uint64_t i = 0; i < bi->nr_blobs; i++) {
		if (!strcmp(bi->blob[i].name, "attack") && bi->blob[i].size < size) {
			memcpy(buf, (const void *)bi->blob[i].va, bi->blob[i].size);
			buf[bi->blob[i].size] = '\0';
			return buf;
		}
	}
	return "none";
}

static void fatal_attack(const struct dv_boot_info *bi, const char *name)
{
	volatile uint64_t *mk = (volatile uint64_t *)MK_TEXT;

	printf("ATTACK %s: launching\n", name);
	if (!strcmp(name, "read-mk"))
		printf("read 0x%llx\n", (unsigned long long)*mk);
	else if (!strcmp(name, "write-mk"))
		*mk = 0;
	else if (!strcmp(name, "exec-mk"))
		((void (*)(void))MK_TEXT)();
	else if (!strcmp(name, "write-gpt"))
		*(volatile uint64_t *)bi->gpt.va = leaf(0x80000000);
	else if (!strcmp(name, "write-info"))
		*(volatile uint64_t *)DV_RT_INFO_VA = 0;
	else if (!strcmp(name, "sret"))
		__asm__ volatile("sret");
	else if (!strcmp(name, "csr"))
		__asm__ volatile("csrw hgatp, zero");
	else if (!strcmp(name, "wild-jump"))
		((void (*)(void))0x4000)();
	else
		return;
	printf("FAIL: attack %s: the runtime was not stopped\n", name);
}

int rt_main(const struct dv_boot_info *bi)
{
	char name[32];

	_init_tls(__tls_block);
	_set_tls(__tls_block);
	console_init((volatile uint8_t *)bi->dev[0].va);
	printf("attack: runtime test build, attacking the minikernel\n");
	syscall_attacks(bi);
	printf("attack: %u attacks refused, %u wrongly answered\n", refused, accepted);
	fatal_attack(bi, attack_name(bi, name, sizeof(name)));
	return accepted ? DV_EXIT_FAILURE : DV_EXIT_POWEROFF;
}
