// SPDX-License-Identifier: BSD-2-Clause
/*
 * A DV-Ext model for test images, linked into build/minikernel-model.elf in place of
 * minikernel/dvext.c (docs/dv-hw.md). On stock H hardware every DV-Ext CSR access, HURET
 * and HUFENCE of a runtime is an illegal instruction, which traps to HS: the model decodes
 * and emulates it on a per-hart copy of the HU CSRs. A dv-hw guest's exception that DV-Ext
 * delegates to U (sedeleg) also lands in HS here; the model forwards it to the runtime's
 * utvec as DV-Ext would. What stock H has, the model uses: hugatp becomes hgatp, huvip
 * hvip, the vtimer vstimecmp (Sstc). It runs in HS, so it touches nothing but its own copy
 * and the CSRs it stands for. The reference model's quirks are kept: hutinst reads 0, WFI
 * in a guest always exits (hstatus.VTW), HLV/HLVX take their privilege from hustatus.UPVP.
 */
#include "dvext.h"
#include "hooks.h"
#include "mk.h"

struct dvmodel {
	uint64_t hustatus, huie, huip, hutval, hugatp, utvec, uscratch, uepc, ucause, utval;
	uint64_t sedeleg, sideleg, vtimecmp, vtimectl, vcpuid;
	bool hold_huret, hold_wfi; /* hooks.h */
};

static struct dvmodel model[MK_MAX_HARTS];
static uint64_t vipi[4]; /* raises nothing: USIP is not delegated by stock OpenSBI */

#define HUSTATUS_BITS (HUSTATUS_UIE | HUSTATUS_UPIE | HUSTATUS_GVA | HUSTATUS_UPV | HUSTATUS_UPVP)
#define HVIP_BITS (DV_HVIP_VSSIP | DV_HVIP_VSTIP | DV_HVIP_VSEIP)
#define INSN_WFI  0x10500073U

/* The test minikernel runs on stock H hardware, which the model turns into DV-Ext. */
bool mk_dvext_present(void)
{
	return true;
}

/*
 * The vtimer through Sstc: armed, it may raise only VSTIP, which vstimecmp raises. Without
 * Sstc the model has no vtimer (an armed one makes the access fail); disarmed is nothing.
 */
static bool vtimer(struct dvmodel *m)
{
	bool sstc = mk_plat.features & DV_FEAT_SSTC;

	if (m->vtimectl & 1 && (!sstc || m->vtimectl != VTIMECTL_VSTIP))
		return false;
	if (sstc)
		csr_write(vstimecmp, m->vtimectl & 1 ? m->vtimecmp : -1UL);
	return true;
}

/* Stock H's own CSRs that stand for DV-Ext's guest aliases. */
#define ALIASES(X) X(DVEXT_HUVSSTATUS, vsstatus) X(DVEXT_HUVSIE, vsie) X(DVEXT_HUVSTVEC, vstvec) \
	X(DVEXT_HUVSSCRATCH, vsscratch) X(DVEXT_HUVSEPC, vsepc) X(DVEXT_HUVSCAUSE, vscause) \
	X(DVEXT_HUVSTVAL, vstval) X(DVEXT_HUVSIP, vsip) X(DVEXT_HUVSATP, vsatp) \
	X(DVEXT_HUTIMEDELTA, htimedelta) X(DVEXT_HUCOUNTEREN, hcounteren)
/* The model's own copies. */
#define COPIES(X) X(DVEXT_HUIE, huie) X(DVEXT_HUIP, huip) X(DVEXT_HUTVAL, hutval) \
	X(DVEXT_UTVEC, utvec) X(DVEXT_USCRATCH, uscratch) X(DVEXT_UEPC, uepc) \
	X(DVEXT_UCAUSE, ucause) X(DVEXT_UTVAL, utval) X(DVEXT_VCPUID, vcpuid)

/* One CSR of hart h read or written; false for a number that is no DV-Ext CSR. */
static bool hu_csr(struct mk_hart *h, unsigned csr, bool write, uint64_t *val)
{
	struct dvmodel *m = &model[h->hartid];

	switch (csr) {
#define ALIAS(n, name) case n: if (write) csr_write(name, *val); else *val = csr_read(name); return true;
	ALIASES(ALIAS)
#undef ALIAS
#define COPY(n, field) case n: if (write) m->field = *val; else *val = m->field; return true;
	COPIES(COPY)
#undef COPY
	case DVEXT_SEDELEG:
	case DVEXT_SIDELEG:
		if (write)
			*(csr == DVEXT_SEDELEG ? &m->sedeleg : &m->sideleg) = *val;
		else
			*val = csr == DVEXT_SEDELEG ? m->sedeleg : m->sideleg;
		return true;
	case DVEXT_HUSTATUS:
		if (!write) {
			*val = m->hustatus;
			return true;
		}
		m->hustatus = *val & HUSTATUS_BITS;
		/* quirk: HLV/HLVX from U take their privilege from UPVP: stock H takes SPVP */
		csr_write(hstatus, (csr_read(hstatus) & ~HSTATUS_SPVP) | (*val & HUSTATUS_UPVP));
		return true;
	case DVEXT_HUVIP:
		if (write)
			csr_write(hvip, *val & HVIP_BITS);
		else
			*val = csr_read(hvip);
		return true;
	case DVEXT_HUTINST:
		/* quirk: the reference model's hutinst always reads 0 */
		if (!write)
			*val = 0;
		return true;
	case DVEXT_HUGATP:
		/* The runtime's tables are trusted, as under DV-Ext with stock firmware. */
		if (!write) {
			*val = m->hugatp;
			return true;
		}
		m->hugatp = *val;
		csr_write(hgatp, *val);
		mk_hfence_gvma();
		return true;
	case DVEXT_VTIMECMP:
	case DVEXT_VTIMECTL:
		if (!write) {
			*val = csr == DVEXT_VTIMECMP ? m->vtimecmp : m->vtimectl;
			return true;
		}
		*(csr == DVEXT_VTIMECMP ? &m->vtimecmp : &m->vtimectl) = *val;
		return vtimer(m);
	}
	if (csr >= DVEXT_VIPI0 && csr < DVEXT_VIPI0 + 4) {
		if (write)
			vipi[csr - DVEXT_VIPI0] = *val;
		else
			*val = vipi[csr - DVEXT_VIPI0];
		return true;
	}
	return false;
}

uint64_t mk_hu_csr_read(struct mk_hart *h, unsigned csr)
{
	uint64_t val = 0;

	hu_csr(h, csr, false, &val);
	return val;
}

void mk_hu_csr_write(struct mk_hart *h, unsigned csr, uint64_t val)
{
	hu_csr(h, csr, true, &val);
}

/* HURET: pc <- uepc, V <- UPV, privilege <- UPVP; UIE <- UPIE, UPIE <- 1, UPV, UPVP <- 0. */
static void huret(struct dvmodel *m)
{
	uint64_t us = m->hustatus, hs = csr_read(hstatus);

	hs &= ~(HSTATUS_SPV | HSTATUS_SPVP);
	/* quirk: WFI in V=1 always raises virtual instruction */
	hs |= HSTATUS_VTW | (us & HUSTATUS_UPV ? HSTATUS_SPV : 0) | (us & HUSTATUS_UPVP);
	csr_write(hstatus, hs);
	if (us & HUSTATUS_UPVP)
		csr_set(sstatus, SSTATUS_SPP);
	else
		csr_clear(sstatus, SSTATUS_SPP);
	csr_write(sepc, m->uepc);
	m->hustatus = (us & ~(HUSTATUS_UIE | HUSTATUS_UPV | HUSTATUS_UPVP)) | HUSTATUS_UPIE |
		      (us & HUSTATUS_UPIE ? HUSTATUS_UIE : 0);
}

/*
 * The test hooks DVMODEL_EID_HOLD_HURET and _WFI: the runtime is at its HURET, the last
 * instruction of its entry window's way into the guest, or at its wait's WFI. Waits until a
 * host interrupt is pending and returns to the instruction unexecuted, so the interrupt is
 * taken at its pc, as on hardware when one arrives just then. The console script types the
 * key that raises it after the line below.
 */
static bool hold(bool *hook, const char *insn)
{
	*hook = false;
	mk_printf("dvmodel: %s held until a host interrupt\n", insn);
	while (!(csr_read(sip) & csr_read(sie)))
		;
	return true;
}

/* The runtime's trapping instruction: stock QEMU gives it in stval, else it is fetched. */
static uint32_t trapped_insn(void)
{
	uint32_t insn = (uint32_t)csr_read(stval);

	if (!insn) {
		csr_set(sstatus, SSTATUS_SUM | SSTATUS_MXR);
		insn = *(volatile uint32_t *)csr_read(sepc);
		csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
	}
	return insn;
}

/*
 * An illegal instruction of a dv-hw runtime (U-mode, hstatus.HU = 1): HURET, HUFENCE or
 * an access to a DV-Ext CSR of U level (S-level ones, 0x1xx, stay illegal from U).
 * Registers are read from and written to rt_frame, which trap.S restores at the sret.
 */
static bool emulate(struct mk_hart *h)
{
	uint32_t insn = trapped_insn();
	unsigned rd = insn >> 7 & 31, funct3 = insn >> 12 & 7, rs1 = insn >> 15 & 31, csr = insn >> 20;
	uint64_t *x = h->rt_frame, old, src, val;
	struct dvmodel *m = &model[h->hartid];

	if ((insn & 0x7f) != 0x73)
		return false;
	if (insn == INSN_HURET && m->hold_huret)
		return hold(&m->hold_huret, "HURET");
	if (insn == INSN_WFI && m->hold_wfi)
		return hold(&m->hold_wfi, "WFI");
	if (insn == INSN_HURET) {
		huret(m);
		return true;
	}
	if (insn == INSN_WFI) {
		/* stock QEMU's U-mode WFI is illegal; DV-Ext's hardware waits (the fork, Rocket) */
		__asm__ volatile("wfi");
	} else if (funct3 == 0 && !rd &&
		   (insn >> 25 == HUFENCE_FUNCT7_GVMA || insn >> 25 == HUFENCE_FUNCT7_VVMA)) {
		if (insn >> 25 == HUFENCE_FUNCT7_GVMA)
			mk_hfence_gvma();
		else
			__asm__ volatile(".option push\n.option arch, +h\nhfence.vvma\n.option pop" ::: "memory");
	} else {
		if (funct3 == 0 || funct3 == 4 || (csr & 0xf00) == 0x100 || !hu_csr(h, csr, false, &old))
			return false;
		src = funct3 & 4 ? rs1 : rs1 ? x[rs1] : 0;
		val = (funct3 & 3) == 1 ? src : (funct3 & 3) == 2 ? old | src : old & ~src;
		/* csrrs and csrrc with x0 (or 0) do not write */
		if (((funct3 & 3) == 1 || rs1) && !hu_csr(h, csr, true, &val))
			return false;
		if (rd)
			x[rd] = old;
	}
	csr_write(sepc, csr_read(sepc) + 4);
	return true;
}

/*
 * Traps of a dv-hw VM that DV-Ext hardware handles without HS: the runtime's DV-Ext
 * instructions, and the guest's exceptions sedeleg delegates, forwarded to utvec.
 */
bool mk_dvext_trap(struct mk_hart *h, uint64_t cause)
{
	struct dvmodel *m = &model[h->hartid];

	if (!h->vm || h->vm->backend != DV_BACKEND_HW || cause & CAUSE_IRQ)
		return false;
	if (!(csr_read(hstatus) & HSTATUS_SPV))
		return cause == EXC_ILLEGAL_INSN && emulate(h);
	if (cause >= 64 || !(m->sedeleg >> cause & 1))
		return false;
	if (cause == EXC_ECALL_VS && h->rt_frame[17] == DVMODEL_EID_HOLD_HURET)
		m->hold_huret = true;
	if (cause == EXC_ECALL_VS && h->rt_frame[17] == DVMODEL_EID_HOLD_WFI)
		m->hold_wfi = true;
	mk_dvhw_forward(h, cause, csr_read(stval), csr_read(htval));
	return true;
}
