// SPDX-License-Identifier: BSD-2-Clause
/* The two OpenSBI services the minikernel uses: the timer (without Sstc) and system reset. */
#include "mk.h"

#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI  0x735049
#define SBI_EXT_HSM  0x48534D
#define SBI_EXT_SRST 0x53525354

/* Returns the SBI error (a0). */
static long mk_sbi_call3(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1,
			 unsigned long a2)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (long)r0;
}

static void mk_sbi_call(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1)
{
	mk_sbi_call3(eid, fid, a0, a1, 0);
}

long mk_sbi_hart_start(uint64_t hartid, uint64_t addr, uint64_t opaque)
{
	return mk_sbi_call3(SBI_EXT_HSM, 0, hartid, addr, opaque);
}

/* OpenSBI's cost grows with the harts from the mask's base on: start at the first one. */
void mk_sbi_send_ipi(uint64_t harts)
{
	uint64_t base = 0;

	while (!(harts & 1)) {
		harts >>= 1;
		base++;
	}
	mk_sbi_call(SBI_EXT_IPI, 0, harts, base);
}

void mk_sbi_set_timer(uint64_t when)
{
	mk_sbi_call(SBI_EXT_TIME, 0, when, 0);
}

void mk_sbi_shutdown(bool failure)
{
	mk_sbi_call(SBI_EXT_SRST, 0, 0, failure ? 1 : 0);
	for (;;)
		__asm__ volatile("wfi");
}
