/* SPDX-License-Identifier: BSD-2-Clause */
/* The two implementations behind the dv_* calls that differ by backend (vmm/dv.c picks one). */
#ifndef VMM_DV_BACKEND_H
#define VMM_DV_BACKEND_H

#include "dv.h"

long dvsw_vcpu_run(unsigned id);
long dvsw_vcsr_read(unsigned id, unsigned csr, uint64_t *val);
long dvsw_vcsr_write(unsigned id, unsigned csr, uint64_t val);
long dvsw_gpt_write(uint64_t table_pa, unsigned idx, uint64_t pte);
/*
 * `hvip` as read back after an exit on DV-Ext hardware, with VSEIP from `eip`: the reference
 * model's PLIC clears VSEIP at its updates, whatever the hypervisor set (dv_sw_dvext.c).
 */
static inline uint64_t dv_hvip_eip(const struct dv_exit *ex, uint64_t hvip)
{
	return (hvip & ~(uint64_t)DV_HVIP_VSEIP) |
	       (__atomic_load_n(&ex->eip, __ATOMIC_RELAXED) ? DV_HVIP_VSEIP : 0);
}

/* dv-sw on a DV-Ext host (dv_sw_dvext.c) */
void dvsw_dvext_init(const struct dv_boot_info *bi);
long dvsw_dvext_vcpu_run(unsigned id);

/* The guest-memory accessors with hstatus.HU (dv_sw.S, for both backends), and without it. */
long dv_hlvx_fetch_insn(uint64_t gva, uint32_t *insn);
long dv_hlv_load64(uint64_t gva, uint64_t *val);
long dv_walk_fetch_insn(uint64_t gva, uint32_t *insn);
long dv_walk_load64(uint64_t gva, uint64_t *val);

void dvhw_init(const struct dv_boot_info *bi);
long dvhw_vcpu_run(unsigned id);
long dvhw_vcsr_read(unsigned id, unsigned csr, uint64_t *val);
long dvhw_vcsr_write(unsigned id, unsigned csr, uint64_t val);
long dvhw_gpt_write(uint64_t table_pa, unsigned idx, uint64_t pte);
/* dv-hw's two syscalls (dv_sw.c makes every syscall) */
long dv_entry_window(uint64_t start, uint64_t end);
long dv_vcpu_req(unsigned id);

#endif
