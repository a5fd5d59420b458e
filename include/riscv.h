/* SPDX-License-Identifier: BSD-2-Clause */
/* RISC-V privileged-architecture and H-extension definitions (CSR bits, causes, PTE bits). */
#ifndef RISCV_H
#define RISCV_H

#define SSTATUS_SIE  (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP  (1UL << 8)
#define SSTATUS_SUM  (1UL << 18)

#define HSTATUS_SPV   (1UL << 7)
#define HSTATUS_SPVP  (1UL << 8)
#define HSTATUS_HU    (1UL << 9)
#define HSTATUS_VTW   (1UL << 21)
#define HSTATUS_VSXL_64 (2UL << 32)

#define IRQ_S_SOFT  1
#define IRQ_VS_SOFT 2
#define IRQ_S_TIMER 5
#define IRQ_VS_TIMER 6
#define IRQ_S_EXT   9
#define IRQ_VS_EXT  10
#define CAUSE_IRQ   (1UL << 63)

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

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PPN_SHIFT 10

#define SATP_SV39    (8UL << 60)
#define HGATP_SV39X4 (8UL << 60)
#define HGATP_VMID_SHIFT 44

#define HENVCFG_STCE (1UL << 63)

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
