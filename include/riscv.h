/* SPDX-License-Identifier: BSD-2-Clause */
/* RISC-V privileged-architecture and H-extension definitions (CSR bits, causes, PTE bits). */
#ifndef RISCV_H
#define RISCV_H

/* Constants usable from C and assembly alike. */
#ifdef __ASSEMBLER__
#define UL(x) (x)
#else
#define UL(x) (x##UL)
#endif

#define SSTATUS_SIE  (UL(1) << 1)
#define SSTATUS_SPIE (UL(1) << 5)
#define SSTATUS_SPP  (UL(1) << 8)
#define SSTATUS_SUM  (UL(1) << 18)
#define SSTATUS_MXR  (UL(1) << 19)

#define HSTATUS_GVA   (UL(1) << 6)
#define HSTATUS_SPV   (UL(1) << 7)
#define HSTATUS_SPVP  (UL(1) << 8)
#define HSTATUS_HU    (UL(1) << 9)
#define HSTATUS_VTW   (UL(1) << 21)
#define HSTATUS_VSXL_64 (UL(2) << 32)

#define IRQ_S_SOFT  1
#define IRQ_VS_SOFT 2
#define IRQ_S_TIMER 5
#define IRQ_VS_TIMER 6
#define IRQ_S_EXT   9
#define IRQ_VS_EXT  10
#define CAUSE_IRQ   (UL(1) << 63)

#define EXC_INST_MISALIGNED  0
#define EXC_INST_ACCESS      1
#define EXC_ILLEGAL_INSN     2
#define EXC_BREAKPOINT       3
#define EXC_LOAD_MISALIGNED  4
#define EXC_LOAD_ACCESS      5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS     7
#define EXC_ECALL_U          8
#define EXC_ECALL_VS         10
#define EXC_INST_PAGE_FAULT  12
#define EXC_LOAD_PAGE_FAULT  13
#define EXC_STORE_PAGE_FAULT 15
#define EXC_INST_GUEST_PAGE_FAULT  20
#define EXC_LOAD_GUEST_PAGE_FAULT  21
#define EXC_VIRTUAL_INSN           22
#define EXC_STORE_GUEST_PAGE_FAULT 23

#define PTE_V (UL(1) << 0)
#define PTE_R (UL(1) << 1)
#define PTE_W (UL(1) << 2)
#define PTE_X (UL(1) << 3)
#define PTE_U (UL(1) << 4)
#define PTE_G (UL(1) << 5)
#define PTE_A (UL(1) << 6)
#define PTE_D (UL(1) << 7)
#define PTE_PPN_SHIFT 10

#define SATP_MODE_SHIFT 60
#define SATP_PPN_MASK ((UL(1) << 44) - 1)
#define SATP_SV39    (UL(8) << 60)
#define SATP_SV48    (UL(9) << 60)
#define SATP_SV57    (UL(10) << 60)
#define HGATP_SV39X4 (UL(8) << 60)
#define HGATP_VMID_SHIFT 44

#define HENVCFG_STCE (UL(1) << 63)

#define PAGE_SIZE 4096UL

#ifndef __ASSEMBLER__
#define csr_read(csr)                                             \
	({                                                        \
		unsigned long v_;                                 \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_));     \
		v_;                                               \
	})
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, val)   __asm__ volatile("csrs " #csr ", %0" ::"rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" ::"rK"(val) : "memory")
#endif

#endif
