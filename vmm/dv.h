/* SPDX-License-Identifier: BSD-2-Clause */
/* The runtime's one narrow interface to virtualization state; dv-sw and dv-hw implement it. */
#ifndef VMM_DV_H
#define VMM_DV_H

#include <stdint.h>

#include "dv_abi.h"

/* The backend the minikernel runs this VM on (bi->backend); before any other dv_* call. */
void dv_init(const struct dv_boot_info *bi);

/*
 * Run vCPU `id` on this hart until its next exit; the exit is then in its exit page. The
 * backend's own function, set by dv_init: a call through it costs about what a direct call
 * does, and it is made on every exit.
 */
extern long (*dv_vcpu_run)(unsigned id);

long dv_vcsr_read(unsigned id, unsigned csr, uint64_t *val);
long dv_vcsr_write(unsigned id, unsigned csr, uint64_t val);

/* Store `pte` at index `idx` of the G-stage table page at host-physical `table_pa`. */
long dv_gpt_write(uint64_t table_pa, unsigned idx, uint64_t pte);

/*
 * Guest-virtual accesses with the guest's translation and privilege of its last exit: 0, or
 * -DV_EFAULT when the guest's own mapping does not allow it; an instruction is fetched as 16
 * or 32 bits, as it is. Set by dv_init: HLVX/HLV where the runtime has hstatus.HU, else
 * (dv-sw on a DV-Ext host) a walk of the guest's tables in software. Pointers rather than a
 * test inside: the MMIO path hands the fetch on as a function pointer anyway and now loads
 * it where it took its address, no instruction more; the rarer direct calls cost one load.
 */
extern long (*dv_guest_fetch_insn)(uint64_t gva, uint32_t *insn);
extern long (*dv_guest_load64)(uint64_t gva, uint64_t *val);

/*
 * Threads of vCPUs: start vCPU id's thread at pc (sp, a0 = arg) on the hart it is pinned to;
 * end the calling thread (its hart parks); interrupt vCPU id's hart so that it takes its
 * posts (DV_POST_*). A deferred kick from a vCPU thread goes out when that thread next
 * enters its guest or stops, on the way in (dv-sw: DV_REQ_KICK); from others, at once.
 */
long dv_vcpu_start(unsigned id, uint64_t pc, uint64_t sp, uint64_t arg);
__attribute__((noreturn)) void dv_vcpu_stop(void);
long dv_vcpu_kick(unsigned id);
void dv_vcpu_kick_deferred(unsigned long ids); /* bit i: vCPU i */

/*
 * The hart's cycle or instret counter, read by this runtime thread: a vCPU thread runs on its
 * vCPU's own hart, so these are that vCPU's hart's.
 */
#define DV_CSR_CYCLE   0xc00
#define DV_CSR_INSTRET 0xc02
uint64_t dv_hart_counter(unsigned csr);

/* A byte from the firmware's console (a VM holding console input on a host without a UART window), or -1. */
long dv_console_getc(void);

/* The granted host IRQ delivered with an exit has been served: complete it. */
long dv_irq_done(unsigned irq);

/*
 * Host virtio devices (the boot info's hdev[]), driven by the minikernel for this VM.
 * dv_hq_submit hands queue q of hdev a chain of n segments (device-readable ones first):
 * its id (>= 0), -DV_EBUSY when the queue has no room, -DV_EPERM for a buffer outside the
 * VM's RAM. dv_hq_reap takes up to max finished chains: how many it took.
 */
long dv_hq_submit(unsigned hdev, unsigned q, const struct dv_dma_seg *seg, unsigned n);
long dv_hq_reap(unsigned hdev, unsigned q, struct dv_dma_done *done, unsigned max);
/*
 * The calling vCPU thread's DMA area (DV_EXIT_DMA_SIZE bytes): segments built and completions
 * taken there are not copied.
 */
void *dv_dma_area(void);
long dv_hdev_reset(unsigned hdev);

/*
 * n (1 to DV_CONSOLE_MAX) bytes of console output, written whole by the minikernel; n = 0:
 * the guest paused, so a line the minikernel holds for this VM (several VMs) is shown now.
 */
long dv_console_write(const char *buf, unsigned n);

/* Ends this runtime; the minikernel reports `reason` (DV_EXIT_*). */
__attribute__((noreturn)) void dv_exit(long reason);

/* Install the fault fixup window that the guest-memory accessors run in. */
long dv_fixup_init(void);

#endif
