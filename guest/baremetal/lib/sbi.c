// SPDX-License-Identifier: BSD-2-Clause
// SBI ecall wrappers for the guest.
#include "sbi.h"
#include "riscv.h"

struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3,
			unsigned long a4, unsigned long a5)
{
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r3 asm("a3") = a3;
	register unsigned long r4 asm("a4") = a4;
	register unsigned long r5 asm("a5") = a5;
	register unsigned long r6 asm("a6") = fid;
	register unsigned long r7 asm("a7") = eid;

	asm volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
		     : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

long sbi_legacy(unsigned long eid, unsigned long a0, unsigned long a1, unsigned long a2,
		unsigned long a3)
{
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r3 asm("a3") = a3;
	register unsigned long r7 asm("a7") = eid;

	/* v0.1 leaves a1 unspecified after the call: treat it as clobbered. */
	asm volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r7)
		     : "memory");
	return (long)r0;
}

struct sbiret sbi_probe_extension(unsigned long eid)
{
	return sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, eid, 0, 0, 0, 0, 0);
}

struct sbiret sbi_set_timer(uint64_t deadline)
{
	return sbi_ecall(SBI_EXT_TIME, 0, deadline, 0, 0, 0, 0, 0);
}

struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_ecall(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0, 0, 0, 0);
}

struct sbiret sbi_hart_get_status(unsigned long hartid)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hartid, 0, 0, 0, 0, 0);
}

struct sbiret sbi_hart_suspend(unsigned long type, unsigned long resume_addr,
			       unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, type, resume_addr, opaque, 0, 0, 0);
}

struct sbiret sbi_system_reset(unsigned long type, unsigned long reason)
{
	return sbi_ecall(SBI_EXT_SRST, 0, type, reason, 0, 0, 0, 0);
}

struct sbiret sbi_system_suspend(unsigned long sleep_type, unsigned long resume_addr,
				 unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_SUSP, SBI_SUSP_SYSTEM_SUSPEND, sleep_type, resume_addr, opaque, 0,
			 0, 0);
}

struct sbiret sbi_fwft_set(unsigned long feature, unsigned long value, unsigned long flags)
{
	return sbi_ecall(SBI_EXT_FWFT, SBI_FWFT_SET, feature, value, flags, 0, 0, 0);
}

struct sbiret sbi_fwft_get(unsigned long feature)
{
	return sbi_ecall(SBI_EXT_FWFT, SBI_FWFT_GET, feature, 0, 0, 0, 0, 0);
}

struct sbiret sbi_dbcn_write(unsigned long len, unsigned long lo, unsigned long hi)
{
	return sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, len, lo, hi, 0, 0, 0);
}

struct sbiret sbi_dbcn_read(unsigned long len, unsigned long lo, unsigned long hi)
{
	return sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_READ, len, lo, hi, 0, 0, 0);
}

struct sbiret sbi_dbcn_write_byte(uint8_t byte)
{
	return sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, byte, 0, 0, 0, 0, 0);
}

long sbi_dv_exits(void)
{
	struct sbiret r = sbi_ecall(SBI_EXT_DVDEBUG, 0, 0, 0, 0, 0, 0, 0);

	return r.error ? -1 : r.value;
}

void sbi_shutdown(int failed)
{
	sbi_system_reset(SBI_SRST_SHUTDOWN,
			 failed ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
	sbi_legacy(SBI_LEGACY_SHUTDOWN, 0, 0, 0, 0);
	for (;;) {
		irq_disable();
		wfi();
	}
}

struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr,
			     unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, start_addr, opaque, 0, 0, 0);
}

struct sbiret sbi_hart_stop(void)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0, 0);
}
