// SPDX-License-Identifier: BSD-2-Clause
/* The OpenSBI services the minikernel uses: timer, IPIs, HSM, system reset, the console. */
#include "mk.h"

#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI  0x735049
#define SBI_EXT_HSM  0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_BASE 0x10
#define SBI_LEGACY_PUTCHAR 0x01
#define SBI_LEGACY_GETCHAR 0x02

/* The SBI error (a0) and value (a1). */
static struct mk_ret mk_sbi_ecall(unsigned long eid, unsigned long fid, unsigned long a0,
				  unsigned long a1, unsigned long a2)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct mk_ret){ (long)r0, r1 };
}

static long mk_sbi_call3(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1,
			 unsigned long a2)
{
	return mk_sbi_ecall(eid, fid, a0, a1, a2).a0;
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

/* "Never" (~0) overflows the DV-Ext QEMU's deadline arithmetic, which fires it at once. */
void mk_sbi_set_timer(uint64_t when)
{
	if (when == -1UL && mk_plat.features & DV_FEAT_DVEXT)
		when = csr_read(time) + (1UL << 40);
	mk_sbi_call(SBI_EXT_TIME, 0, when, 0);
}

bool mk_sbi_probe(unsigned long eid)
{
	struct mk_ret r = mk_sbi_ecall(SBI_EXT_BASE, 3, eid, 0, 0);

	return !r.a0 && r.a1;
}

/* DBCN where the firmware has it (OpenSBI 1.1 has not), else the legacy v0.1 calls. */
void mk_sbi_console_putc(bool dbcn, char c)
{
	if (dbcn)
		mk_sbi_call(MK_SBI_EXT_DBCN, 2, (uint8_t)c, 0);
	else
		mk_sbi_call(SBI_LEGACY_PUTCHAR, 0, (uint8_t)c, 0);
}

/* A byte of input, or -1 if none. */
long mk_sbi_console_getc(bool dbcn)
{
	static uint8_t byte; /* identity-mapped: its address is physical */
	struct mk_ret r;

	if (!dbcn)
		return mk_sbi_call3(SBI_LEGACY_GETCHAR, 0, 0, 0, 0);
	r = mk_sbi_ecall(MK_SBI_EXT_DBCN, 1, 1, (uint64_t)&byte, 0);
	return !r.a0 && r.a1 == 1 ? byte : -1;
}

/* Powers off; a firmware that cannot (no shutdown device) gets a report and a halted hart. */
void mk_sbi_shutdown(bool failure)
{
	long err = mk_sbi_call3(SBI_EXT_SRST, 0, 0, failure ? 1 : 0, 0);

	mk_printf("mk: the firmware did not power off (SBI SRST error %ld): halted\n", err);
	for (;;)
		__asm__ volatile("wfi");
}
