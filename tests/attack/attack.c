// SPDX-License-Identifier: BSD-2-Clause
/*
 * A test build of the runtime that attacks the minikernel: bad syscalls and G-stage stores
 * first (each must be refused with the right error), then, when the VM is granted host
 * virtio devices, DMA chains that leave the VM's RAM or are malformed, then the attack
 * named by the image's "attack" blob: a fatal one (the minikernel must stop the runtime
 * and report it), or "race" (race.c: every syscall that validates, from all harts at once).
 */
#include <picolibc.h>
#include <picotls.h>
#include <stdio.h>
#include <string.h>

#include "attack.h"
#include "config.h"
#include "console.h"
#include "dv.h"
#include "riscv.h"
#include "vm.h"

extern char __tls_block[];

#define MK_TEXT 0x80200000UL /* the minikernel's first page */
#define HOST_RAM     0x80000000UL /* QEMU virt, -m 512M */
#define HOST_RAM_END 0xa0000000UL

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
	expect("console write of 256 bytes", raw_syscall(DV_SYS_CONSOLE, 256, 0, 0), -DV_EINVAL);
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

static long submit1(unsigned hdev, uint64_t off, uint32_t len, uint32_t flags)
{
	struct dv_dma_seg seg = { off, len, flags };

	return dv_hq_submit(hdev, 0, &seg, 1);
}

static uint64_t now(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

long await_chain(const struct dv_boot_info *bi, unsigned hdev, long id)
{
	struct dv_dma_done done[DV_DMA_MAX_DONE];
	uint64_t end = now() + bi->timebase_hz;

	while (now() < end) {
		long n = dv_hq_reap(hdev, 0, done, DV_DMA_MAX_DONE);

		for (long i = 0; i < n; i++)
			if (done[i].id == id)
				return done[i].len;
	}
	return -1;
}

/*
 * Chains for a host device that reach outside the VM's RAM or are malformed: each must be
 * refused whole. Then one valid chain must go through, so that refusing is not all it does:
 * the entropy device fills a buffer in the VM's RAM.
 */
static void dma_attacks(const struct dv_boot_info *bi)
{
	static struct vcpu v0;
	static struct dv_dma_seg many[DV_DMA_MAX_SEGS];
	const struct dv_dma_seg mixed[2] = { { 0x1000, 16, DV_DMA_WRITE }, { 0x2000, 16, 0 } };
	const struct dv_dma_seg tail_out[2] = { { 0x1000, 16, DV_DMA_WRITE },
						{ bi->ram.size, 16, DV_DMA_WRITE } };
	unsigned before = refused, wrong = accepted, hd = 0, valid = 0, nq, qsize;
	uint64_t ram = bi->ram.size;
	volatile uint8_t *buf = (volatile uint8_t *)(bi->ram.va + 0x1000);
	struct dv_dma_done done[DV_DMA_MAX_DONE];
	long id, len;

	if (!bi->nr_hdevs)
		return;
	v0.exit = (struct dv_exit *)bi->exit_va;
	vcpu_current = &v0;
	for (unsigned i = 0; i < bi->nr_hdevs; i++)
		if (bi->hdev[i].device_id == 4)
			hd = i;
	nq = bi->hdev[hd].nr_queues;
	qsize = bi->hdev[hd].queue_size[0];
	for (unsigned i = 0; i < DV_DMA_MAX_SEGS; i++)
		many[i] = (struct dv_dma_seg){ 0x1000, 16, DV_DMA_WRITE };
	expect("DMA segment beyond RAM's end", submit1(hd, ram + 4096, 16, DV_DMA_WRITE), -DV_EPERM);
	expect("DMA segment at the minikernel", submit1(hd, MK_TEXT - bi->ram.pa, 16, DV_DMA_WRITE),
	       -DV_EPERM);
	expect("DMA segment whose end overflows 64 bits", submit1(hd, ~0UL - 8, 16, DV_DMA_WRITE),
	       -DV_EPERM);
	expect("DMA segment one byte past RAM's end", submit1(hd, ram - 16, 17, DV_DMA_WRITE),
	       -DV_EPERM);
	expect("DMA chain whose last segment leaves RAM", dv_hq_submit(hd, 0, tail_out, 2), -DV_EPERM);
	expect("DMA segment of length 0", submit1(hd, 0x1000, 0, DV_DMA_WRITE), -DV_EINVAL);
	expect("DMA readable segment after a writable one", dv_hq_submit(hd, 0, mixed, 2), -DV_EINVAL);
	expect("DMA segment with unknown flags", submit1(hd, 0x1000, 16, 2), -DV_EINVAL);
	expect("DMA chain of 0 segments", dv_hq_submit(hd, 0, many, 0), -DV_EINVAL);
	expect("DMA chain longer than the queue", dv_hq_submit(hd, 0, many, qsize + 1), -DV_EINVAL);
	expect("DMA to a device not granted", dv_hq_submit(bi->nr_hdevs, 0, many, 1), -DV_EINVAL);
	expect("DMA to a queue the device lacks", dv_hq_submit(hd, nq, many, 1), -DV_EINVAL);
	expect("reap of a queue the device lacks", dv_hq_reap(hd, nq, done, 1), -DV_EINVAL);
	expect("reset of a device not granted", dv_hdev_reset(bi->nr_hdevs), -DV_EINVAL);
	expect("nothing refused reached the device", dv_hq_reap(hd, 0, done, DV_DMA_MAX_DONE), 0);
	if (bi->hdev[hd].device_id == 4) {
		for (unsigned i = 0; i < 16; i++)
			buf[i] = 0;
		id = submit1(hd, 0x1000, 16, DV_DMA_WRITE);
		len = id < 0 ? -1 : await_chain(bi, hd, id);
		for (unsigned i = 0; len > 0 && i < 16 && !valid; i++)
			valid = buf[i] != 0;
		accepted += !valid;
		if (!valid)
			printf("FAIL: attack dma: a valid chain (id %ld) came back with %ld bytes\n", id,
			       len);
		else
			printf("ATTACK dma: a valid chain (id %ld) came back with %ld random bytes\n", id,
			       len);
	}
	expect("reset of the device", dv_hdev_reset(hd), 0);
	printf("attack: dma: %u refused, %u wrongly answered, %u valid chain accepted\n",
	       refused - before, accepted - wrong, valid);
}

/*
 * With other VMs in the image: name their pages, harts and devices through every syscall
 * that takes one. A G-stage store may only go into this VM's pool and a leaf only name its
 * RAM, so every page of the host's RAM is tried as a table and every 2 MiB as a leaf.
 */
static void cross_vm_attacks(const struct dv_boot_info *bi)
{
	uint64_t table = bi->gpt.pa + 4 * 4096, pool_end = bi->gpt.pa + bi->gpt.size, val;
	uint64_t ram_end = bi->ram.pa + bi->ram.size;
	unsigned before = refused, wrong = accepted, tables = 0, leaves = 0, bad = 0;
	char line[DV_CONSOLE_MAX + 1];

	for (uint64_t pa = HOST_RAM; pa < HOST_RAM_END; pa += 4096) {
		long r = pa >= bi->gpt.pa && pa < pool_end ? -DV_EINVAL : dv_gpt_write(pa, 0, 0);

		bad += r != -DV_EINVAL;
		tables++;
	}
	for (uint64_t pa = HOST_RAM; pa < HOST_RAM_END; pa += 0x200000) {
		if (pa + 0x200000 > bi->ram.pa && pa < ram_end)
			continue;
		bad += dv_gpt_write(table, 3, leaf(pa)) != -DV_EPERM;
		leaves++;
	}
	refused += tables + leaves - bad;
	accepted += bad;
	printf("ATTACK cross-VM: %u table pages and %u 2 MiB leaves outside the grant, %u accepted\n",
	       tables, leaves, bad);
	for (unsigned id = (unsigned)bi->nr_vcpus; id < 64; id += 7) {
		expect("start a vCPU of another VM", dv_vcpu_start(id, 0, 0, 0), -DV_EINVAL);
		expect("kick a vCPU of another VM", dv_vcpu_kick(id), -DV_EINVAL);
		expect("read a CSR of another VM's vCPU", dv_vcsr_read(id, DV_VCSR_VSATP, &val),
		       -DV_EINVAL);
	}
	expect("complete the host UART's IRQ, not granted", dv_irq_done(10), -DV_EINVAL);
	expect("reset a host device of another VM", dv_hdev_reset(bi->nr_hdevs), -DV_EINVAL);
	memset(line, 'x', sizeof(line));
	expect("console pause (0 bytes): only its own held line", raw_syscall(DV_SYS_CONSOLE, 0, 0, 0),
	       0);
	expect("console write of 41 bytes", raw_syscall(DV_SYS_CONSOLE, DV_CONSOLE_MAX + 1, 0, 0),
	       -DV_EINVAL);
	expect("console write of a whole line", dv_console_write("attack: one line\n", 17), 0);
	printf("attack: cross-VM: %u refused, %u wrongly answered\n", refused - before,
	       accepted - wrong);
}

/*
 * A runtime that crashes once: the first instance leaves data in its RAM, exit pages,
 * .data and the hart's FP registers (where the guest's live), then faults; the VM restarted by the minikernel must find all of it fresh.
 */
static uint64_t once_data = 0x1234;

#define FP_REGS "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28," \
		"29,30,31"

/* The hart's FP registers (the guest's, as the minikernel keeps them) all set to `v`. */
static void fp_fill(uint64_t v)
{
	__asm__ volatile(".option push\n.option arch, +d\n.irp r," FP_REGS "\nfmv.d.x f\\r, %0\n"
			 ".endr\n.option pop" : : "r"(v));
}

/* How many FP registers are not zero. */
static uint64_t fp_dirty(void)
{
	uint64_t regs[32], n = 0;

	__asm__ volatile(".option push\n.option arch, +d\n.irp r," FP_REGS "\nfsd f\\r, \\r*8(%0)\n"
			 ".endr\n.option pop" : : "r"(regs) : "memory");
	for (unsigned i = 0; i < 32; i++)
		n += regs[i] != 0;
	return n;
}

static void fault_once(const struct dv_boot_info *bi)
{
	volatile uint64_t *ram = (volatile uint64_t *)bi->ram.va;
	uint64_t dirty = 0;

	printf("attack: fault-once: instance %llu\n", (unsigned long long)bi->instance);
	if (!bi->instance) {
		for (uint64_t i = 0; i < bi->ram.size / 8; i += 512)
			ram[i] = 0xdeadbeef;
		for (uint64_t i = 0; i < bi->nr_vcpus; i++)
			((volatile uint64_t *)(bi->exit_va + i * 4096))[10] = 0xdeadbeef;
		once_data = 0xdeadbeef;
		fp_fill(0xdeadbeef);
		((void (*)(void))0x4000)();
	}
	for (uint64_t i = 0; i < bi->ram.size / 8; i++)
		dirty += ram[i] != 0;
	for (uint64_t i = 0; i < bi->nr_vcpus * 512; i++)
		dirty += ((volatile uint64_t *)bi->exit_va)[i] != 0;
	dirty += once_data != 0x1234;
	dirty += fp_dirty();
	accepted += dirty != 0;
	printf("%sattack: fault-once: restarted: %llu words of the old instance found\n",
	       dirty ? "FAIL: " : "", (unsigned long long)dirty);
}

static const void *cfg_blob(const struct dv_boot_info *bi)
{
	for (uint64_t i = 0; i < bi->nr_blobs; i++)
		if (!strcmp(bi->blob[i].name, "config"))
			return (const void *)bi->blob[i].va;
	return NULL;
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
	/* DV-Ext's: with hstatus.HU (a dv-hw runtime's) they are legal; a dv-sw one has none. */
	else if (!strcmp(name, "hugatp"))
		__asm__ volatile("csrw 0x880, zero");
	else if (!strcmp(name, "huret"))
		__asm__ volatile(".word 0x00200073");
	else if (!strcmp(name, "hlv"))
		__asm__ volatile(".option push\n.option arch, +h\nhlv.d t0, (zero)\n.option pop" ::: "t0");
	else if (!strcmp(name, "wild-jump"))
		((void (*)(void))0x4000)();
	else if (!strcmp(name, "park-all"))
		dv_vcpu_stop();
	else if (!strcmp(name, "read-exit"))
		printf("read 0x%llx\n", *(volatile unsigned long long *)(bi->exit_va +
									   bi->nr_vcpus * 4096));
	else if (!strcmp(name, "read-ram"))
		printf("read 0x%llx\n", *(volatile unsigned long long *)(bi->ram.va + bi->ram.size));
	else
		return;
	printf("FAIL: attack %s: the runtime was not stopped\n", name);
}

int rt_main(const struct dv_boot_info *bi)
{
	char name[32];
	const char *what;

	_init_tls(__tls_block);
	_set_tls(__tls_block);
	console_init(bi->nr_devs ? (volatile uint8_t *)bi->dev[0].va : NULL, (unsigned)bi->uart_kind,
		     bi->console == DV_CONSOLE_SHARED ? (struct dv_exit *)bi->exit_va : NULL);
	printf("attack: runtime test build, attacking the minikernel\n");
	syscall_attacks(bi);
	printf("attack: %u attacks refused, %u wrongly answered\n", refused, accepted);
	dma_attacks(bi);
	what = attack_name(bi, name, sizeof(name));
	if (strcmp(what, "fault-once") && vm_config_node(cfg_blob(bi), 1) >= 0)
		cross_vm_attacks(bi);
	if (!strcmp(what, "fault-once"))
		fault_once(bi);
	else if (!strcmp(what, "race"))
		accepted += race_attack(bi);
	else
		fatal_attack(bi, what);
	return accepted ? DV_EXIT_FAILURE : DV_EXIT_POWEROFF;
}
