// SPDX-License-Identifier: BSD-2-Clause
// H and VS CSRs read by the guest: their virtual-instruction traps arrive as illegal instructions.
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

/*
 * Reads `csr` with an uncompressed csrr and reports the trap. The label after the
 * instruction gives its own address for checking sepc.
 */
#define TRY_CSRR(csr, what)                                                      \
	do {                                                                     \
		unsigned long v_, pc_;                                           \
		trap_expect();                                                   \
		asm volatile(".option push\n\t.option norvc\n"                   \
			     "1:\tcsrr %0, " CSR_STR(csr) "\n\t"                 \
			     "la %1, 1b\n\t.option pop"                          \
			     : "=&r"(v_), "=&r"(pc_)                             \
			     :                                                   \
			     : "memory");                                        \
		check_trap(pc_, what);                                           \
		(void)v_;                                                        \
	} while (0)

/* stval may hold the instruction bits or 0 (privileged spec); sepc must be the csrr. */
static void check_trap(unsigned long pc, const char *what)
{
	struct trap_info t = { 0 };
	bool taken = trap_taken(&t);
	uint32_t insn = *(volatile uint16_t *)pc | (uint32_t)*(volatile uint16_t *)(pc + 2) << 16;

	expectf(taken && t.scause == EXC_ILLEGAL_INSN && t.sepc == pc &&
			(t.stval == 0 || t.stval == insn),
		"%s: trap %d scause %lu sepc 0x%lx stval 0x%lx (insn at 0x%lx is 0x%x)", what,
		taken, t.scause, t.sepc, t.stval, pc, insn);
}

int main(void)
{
	test_start("virt_insn");
	TRY_CSRR(CSR_HSTATUS, "csrr hstatus");
	TRY_CSRR(CSR_VSSTATUS, "csrr vsstatus");
	TRY_CSRR(0x680, "csrr hgatp");
	/* Survived: the runtime still serves us. */
	expect_sbi(sbi_probe_extension(SBI_EXT_BASE), SBI_SUCCESS, "SBI after the traps");
	test_end();
}
