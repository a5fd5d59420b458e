// SPDX-License-Identifier: BSD-2-Clause
// SBI SUSP on a one-vCPU VM: bad calls refused; suspend to RAM with the MMU on wakes on the timer.
#include "dtb.h"
#include "riscv.h"
#include "sbi.h"
#include "suspend.h"
#include "test.h"

#define TICKS_10MS  100000
#define OPAQUE      0x5355535052414d21UL /* "SUSPRAM!" */
#define OUTSIDE_RAM 0x1000UL

#define SATP_SV39   (8UL << 60)
#define PTE_LEAF    0xcfUL /* V R W X A D */
#define GIGA_SHIFT  30

/* Sv39 root: 1 GiB identity leaves over the devices (0..1 GiB) and RAM (2..3 GiB). */
static uint64_t root[512] __attribute__((aligned(4096)));

static unsigned long boot_hartid;

/* A resume that must not happen: a refused suspend went through. */
static __attribute__((noreturn)) void wrongly_resumed(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	expect(false, "a refused system_suspend suspended the VM");
	test_end();
}

static void refused(struct sbiret r, unsigned long type, unsigned long addr, long error)
{
	expectf(r.error == error, "system_suspend(0x%lx, 0x%lx): error %ld, want %ld", type,
		addr, r.error, error);
}

static void bad_address(unsigned long addr)
{
	refused(sbi_system_suspend(0, addr, OPAQUE), 0, addr, SBI_ERR_INVALID_ADDRESS);
}

/*
 * Each of these must be refused. A timer is due meanwhile, so that a call wrongly taken
 * ends at once: in wrongly_resumed, or at a bad address, which faults.
 */
static void bad_calls(const void *dtb)
{
	static const unsigned long types[] = { 1, 0x7fffffff, 0x80000000, 0xffffffff };
	unsigned long entry = (unsigned long)resume_entry;
	uint64_t base, size;

	csr_set(sie, SIE_STIE);
	sbi_set_timer(0);
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		refused(suspend_to_ram(types[i], wrongly_resumed, OPAQUE), types[i], entry,
			SBI_ERR_INVALID_PARAM);
	bad_address(OUTSIDE_RAM);
	bad_address(-2UL);
	if (expect(dtb_memory(dtb, &base, &size), "DTB has a memory node")) {
		bad_address(base + size);
		bad_address(base + size - 1);
	}
	expect_sbi(sbi_ecall(SBI_EXT_SUSP, 1, 0, entry, OPAQUE, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		   "SUSP fid 1");
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);
}

/* Identity-mapped Sv39, so that the resume has a satp to clear. */
static bool mmu_on(void)
{
	root[0] = PTE_LEAF;
	root[2] = (2UL << GIGA_SHIFT) >> 12 << 10 | PTE_LEAF;
	csr_write(satp, SATP_SV39 | (unsigned long)root >> 12);
	asm volatile("sfence.vma" : : : "memory");
	return expect(csr_read(satp) != 0, "Sv39 turned on");
}

/* After the resume: its register state, then the wake-up's cause; the rest as it was. */
static __attribute__((noreturn)) void resumed(unsigned long hartid, unsigned long opaque)
{
	struct sbiret r;

	expect_resume(hartid, boot_hartid, opaque, OPAQUE);
	expect_timer_woke();
	r = sbi_hart_get_status(boot_hartid);
	expect(r.error == SBI_SUCCESS && r.value == SBI_HSM_STARTED, "STARTED after the resume");
	expect_sbi(sbi_fwft_set(SBI_FWFT_MISALIGNED_EXC_DELEG, 0, 0), SBI_ERR_DENIED_LOCKED,
		   "FWFT lock after the resume");
	test_end();
}

/*
 * With SIE set and the timer enabled: the resume must clear SIE, or the due timer is
 * taken at resume_entry. A FWFT lock is kept across (SBI v3.0 ch. 18).
 */
static void suspend(void)
{
	struct sbiret r;

	expect_sbi(sbi_fwft_set(SBI_FWFT_MISALIGNED_EXC_DELEG, 0, SBI_FWFT_SET_FLAG_LOCK),
		   SBI_SUCCESS, "FWFT lock before the suspend");
	if (!mmu_on())
		return;
	wake_timer_arm(TICKS_10MS);
	irq_enable();
	r = suspend_to_ram(SBI_SUSP_SUSPEND_TO_RAM, resumed, OPAQUE);
	irq_disable();
	expectf(false, "system_suspend returned: error %ld", r.error);
}

int main(unsigned long hartid, const void *dtb)
{
	test_start("sbi_susp");
	boot_hartid = hartid;
	expect_eq(sbi_probe_extension(SBI_EXT_SUSP).value, 1, "SUSP probed");
	bad_calls(dtb);
	suspend();
	test_end();
}
