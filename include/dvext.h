/* SPDX-License-Identifier: BSD-2-Clause */
/* DV-Ext (DuVisor's ISA extension, docs/dv-hw.md): CSR numbers, hustatus bits, instruction encodings. */
#ifndef DVEXT_H
#define DVEXT_H

#include "riscv.h"

/* The assembler knows none of these: they are used as numbers (`csrr rd, 0x880`). */
#define DVEXT_UTVEC       0x005
#define DVEXT_USCRATCH    0x040
#define DVEXT_UEPC        0x041
#define DVEXT_UCAUSE      0x042
#define DVEXT_UTVAL       0x043
#define DVEXT_SEDELEG     0x102 /* S-level: exceptions that go on from HS to the runtime */
#define DVEXT_SIDELEG     0x103
#define DVEXT_HUVSSTATUS  0x400
#define DVEXT_VTIMECMP    0x401
#define DVEXT_VTIMECTL    0x402
#define DVEXT_HUVSIE      0x404
#define DVEXT_HUVSTVEC    0x405
#define DVEXT_HUVSSCRATCH 0x440
#define DVEXT_HUVSEPC     0x441
#define DVEXT_HUVSCAUSE   0x442
#define DVEXT_HUVSTVAL    0x443
#define DVEXT_HUVSIP      0x444
#define DVEXT_HUVSATP     0x480
#define DVEXT_VCPUID      0x482
#define DVEXT_VIPI0       0x483 /* ..0x486: one machine-wide 256-bit bitmap */
#define DVEXT_HUSTATUS    0x800
#define DVEXT_HUIE        0x804
#define DVEXT_HUTIMEDELTA 0x805
#define DVEXT_HUCOUNTEREN 0x806
#define DVEXT_HUTVAL      0x843
#define DVEXT_HUIP        0x844
#define DVEXT_HUVIP       0x845
#define DVEXT_HUTINST     0x84a
#define DVEXT_HUGATP      0x880

#define HUSTATUS_UIE  (UL(1) << 0)
#define HUSTATUS_UPIE (UL(1) << 4)
#define HUSTATUS_GVA  (UL(1) << 6)
#define HUSTATUS_UPV  (UL(1) << 7) /* V at the trap; HURET returns to it */
#define HUSTATUS_UPVP (UL(1) << 8) /* the guest's privilege at the trap (1: VS); HURET returns to it */

/* vtimectl: bit 0 enables, bits 6:1 name the mip bit raised when vtimecmp is reached. */
#define VTIMECTL_VSTIP (6 << 1 | 1)

#define INSN_HURET        0x00200073U
#define INSN_HUFENCE_GVMA 0xe2000073U /* every guest, every address */
#define INSN_HUFENCE_VVMA 0xa2000073U
#define HUFENCE_FUNCT7_GVMA 0x71
#define HUFENCE_FUNCT7_VVMA 0x51

/* The exceptions of a guest that DV-Ext sends to the runtime (sedeleg): SBI calls, MMIO, WFI. */
#define DVEXT_SEDELEG_EXITS ((UL(1) << EXC_ECALL_VS) | (UL(1) << EXC_INST_GUEST_PAGE_FAULT) | \
			     (UL(1) << EXC_LOAD_GUEST_PAGE_FAULT) | (UL(1) << EXC_VIRTUAL_INSN) | \
			     (UL(1) << EXC_STORE_GUEST_PAGE_FAULT))

#endif
