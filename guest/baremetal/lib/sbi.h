/* SPDX-License-Identifier: BSD-2-Clause */
/* SBI calls from the guest: the raw ecall, the named functions the tests use, the constants. */
#ifndef GUEST_SBI_H
#define GUEST_SBI_H

#include <stdint.h>

/* Extension IDs (SBI spec v2.0). */
#define SBI_EXT_BASE    0x10
#define SBI_EXT_TIME    0x54494d45
#define SBI_EXT_IPI     0x735049
#define SBI_EXT_RFENCE  0x52464e43
#define SBI_EXT_HSM     0x48534d
#define SBI_EXT_SRST    0x53525354
#define SBI_EXT_PMU     0x504d55
#define SBI_EXT_DBCN    0x4442434e
#define SBI_EXT_SUSP    0x53555350
#define SBI_EXT_FWFT    0x46574654 /* SBI v3.0 */
#define SBI_EXT_DVDEBUG 0x0a000044 /* ours, in the firmware-specific range */

/* Legacy (v0.1) extension IDs: one function each, result in a0 only. */
#define SBI_LEGACY_SET_TIMER          0
#define SBI_LEGACY_CONSOLE_PUTCHAR    1
#define SBI_LEGACY_CONSOLE_GETCHAR    2
#define SBI_LEGACY_CLEAR_IPI          3
#define SBI_LEGACY_SEND_IPI           4
#define SBI_LEGACY_REMOTE_FENCE_I     5
#define SBI_LEGACY_REMOTE_SFENCE_VMA  6
#define SBI_LEGACY_REMOTE_SFENCE_ASID 7
#define SBI_LEGACY_SHUTDOWN           8

/* Function IDs. */
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID      1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXT        3
#define SBI_BASE_GET_MVENDORID    4
#define SBI_BASE_GET_MARCHID      5
#define SBI_BASE_GET_MIMPID       6

#define SBI_RFENCE_FENCE_I          0
#define SBI_RFENCE_SFENCE_VMA       1
#define SBI_RFENCE_SFENCE_VMA_ASID  2
#define SBI_RFENCE_HFENCE_GVMA_VMID 3
#define SBI_RFENCE_HFENCE_GVMA      4
#define SBI_RFENCE_HFENCE_VVMA_ASID 5
#define SBI_RFENCE_HFENCE_VVMA      6

#define SBI_HSM_HART_START      0
#define SBI_HSM_HART_STOP       1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_HART_SUSPEND    3

#define SBI_HSM_STARTED 0
#define SBI_HSM_SUSPEND_RETENTIVE 0x00000000UL

#define SBI_SRST_SHUTDOWN    0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_WARM_REBOOT 2
#define SBI_SRST_REASON_NONE    0
#define SBI_SRST_REASON_FAILURE 1

#define SBI_DBCN_WRITE      0
#define SBI_DBCN_READ       1
#define SBI_DBCN_WRITE_BYTE 2

#define SBI_PMU_NUM_COUNTERS       0
#define SBI_PMU_COUNTER_GET_INFO   1
#define SBI_PMU_COUNTER_CFG_MATCH  2
#define SBI_PMU_COUNTER_START      3
#define SBI_PMU_COUNTER_STOP       4
#define SBI_PMU_COUNTER_FW_READ    5
#define SBI_PMU_COUNTER_FW_READ_HI 6
#define SBI_PMU_SNAPSHOT_SET_SHMEM 7
#define SBI_PMU_EVENT_GET_INFO     8
#define SBI_SUSP_SYSTEM_SUSPEND 0
#define SBI_SUSP_SUSPEND_TO_RAM 0

#define SBI_FWFT_SET 0
#define SBI_FWFT_GET 1
#define SBI_FWFT_MISALIGNED_EXC_DELEG  0
#define SBI_FWFT_LANDING_PAD           1
#define SBI_FWFT_SHADOW_STACK          2
#define SBI_FWFT_DOUBLE_TRAP           3
#define SBI_FWFT_PTE_AD_HW_UPDATING    4
#define SBI_FWFT_POINTER_MASKING_PMLEN 5
#define SBI_FWFT_SET_FLAG_LOCK 1UL

/* Error codes (SBI spec v2.0, table 1). */
#define SBI_SUCCESS               0
#define SBI_ERR_FAILED            -1
#define SBI_ERR_NOT_SUPPORTED     -2
#define SBI_ERR_INVALID_PARAM     -3
#define SBI_ERR_DENIED            -4
#define SBI_ERR_INVALID_ADDRESS   -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED   -7
#define SBI_ERR_ALREADY_STOPPED   -8
#define SBI_ERR_NO_SHMEM          -9
#define SBI_ERR_DENIED_LOCKED     -14 /* SBI v3.0 */

struct sbiret {
	long error;
	long value;
};

/* A v0.2+ call: a7 = eid, a6 = fid, a0..a5 = arguments; error in a0, value in a1. */
struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3,
			unsigned long a4, unsigned long a5);

/* A legacy (v0.1) call: a7 = eid, a0..a3 = arguments; the only result is a0. */
long sbi_legacy(unsigned long eid, unsigned long a0, unsigned long a1, unsigned long a2,
		unsigned long a3);

struct sbiret sbi_probe_extension(unsigned long eid);
struct sbiret sbi_set_timer(uint64_t deadline);
struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
struct sbiret sbi_hart_get_status(unsigned long hartid);
struct sbiret sbi_hart_suspend(unsigned long type, unsigned long resume_addr,
			       unsigned long opaque);
struct sbiret sbi_system_reset(unsigned long type, unsigned long reason);
/* Only returns on failure: a suspend resumes at resume_addr. */
struct sbiret sbi_system_suspend(unsigned long sleep_type, unsigned long resume_addr,
				 unsigned long opaque);
struct sbiret sbi_fwft_set(unsigned long feature, unsigned long value, unsigned long flags);
struct sbiret sbi_fwft_get(unsigned long feature);
/* Buffers are guest-physical: `lo` holds the low XLEN (64) bits, `hi` the bits above. */
struct sbiret sbi_dbcn_write(unsigned long len, unsigned long lo, unsigned long hi);
struct sbiret sbi_dbcn_read(unsigned long len, unsigned long lo, unsigned long hi);
struct sbiret sbi_dbcn_write_byte(uint8_t byte);

/*
 * DVDEBUG: the number of VM exits of this vCPU so far, counting this call. Returns -1 when
 * the SBI implementation has no DVDEBUG (running natively on OpenSBI).
 */
long sbi_dv_exits(void);

/* Power off with SRST (reason: failure if `failed`), else legacy shutdown; never returns. */
__attribute__((noreturn)) void sbi_shutdown(int failed);

/* The other HSM states (SBI_HSM_STARTED above), and start/stop for the SMP tests. */
#define SBI_HSM_STOPPED       1
#define SBI_HSM_START_PENDING 2
#define SBI_HSM_STOP_PENDING  3
#define SBI_HSM_SUSPENDED     4

struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr,
			     unsigned long opaque);
/* Only returns on failure. */
struct sbiret sbi_hart_stop(void);

#endif
