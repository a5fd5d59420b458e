// SPDX-License-Identifier: BSD-2-Clause
/*
 * The dv-hw backend: DV-Ext delivers a guest's exits (SBI calls, guest-page faults,
 * virtual instructions) to its runtime's utvec and the runtime resumes it with HURET, with
 * no minikernel entry. What reaches HS from such a guest is a host interrupt: served here,
 * and handed to the runtime as DV-Ext would hand it an exit when the runtime must see it.
 */
#include "dvext.h"
#include "mk.h"

/* A hart of a dv-hw VM, before its runtime thread starts: nothing of a previous guest stays. */
void dvhw_hart_init(struct mk_hart *h)
{
	mk_hu_csr_write(h, DVEXT_SEDELEG, DVEXT_SEDELEG_EXITS);
	/* USIP and UTIP stay off: stock OpenSBI does not delegate them to S (DVEXT.md). */
	mk_hu_csr_write(h, DVEXT_SIDELEG, 0);
	mk_hu_csr_write(h, DVEXT_HUIE, 0);
	/* time only, as dv-sw's hcounteren: cycle and instret reads exit, per-vCPU counters */
	mk_hu_csr_write(h, DVEXT_HUCOUNTEREN, 2);
	mk_hu_csr_write(h, DVEXT_HUTIMEDELTA, 0);
	mk_hu_csr_write(h, DVEXT_HUVIP, 0);
	mk_hu_csr_write(h, DVEXT_VTIMECTL, 0);
	mk_hu_csr_write(h, DVEXT_HUGATP, 0);
	csr_write(hgatp, 0);
	mk_hfence_gvma();
}

/*
 * What DV-Ext does on a trap it delivers to the runtime: hustatus (UPIE <- UIE, UIE <- 0,
 * UPV, UPVP, GVA), ucause, uepc, utval, hutval, then utvec in U-mode with V = 0. The
 * guest's GPRs stay live (trap.S restores them from rt_frame at the sret).
 */
void mk_dvhw_forward(struct mk_hart *h, uint64_t cause, uint64_t tval, uint64_t htval)
{
	uint64_t old = mk_hu_csr_read(h, DVEXT_HUSTATUS), us;

	us = old & ~(HUSTATUS_UIE | HUSTATUS_UPIE | HUSTATUS_GVA | HUSTATUS_UPVP);
	us |= (old & HUSTATUS_UIE) << 4 | HUSTATUS_UPV |
	      (csr_read(hstatus) & HSTATUS_GVA) | (csr_read(sstatus) & SSTATUS_SPP);
	_Static_assert(HUSTATUS_UPVP == SSTATUS_SPP && HUSTATUS_GVA == HSTATUS_GVA, "same bits");
	mk_hu_csr_write(h, DVEXT_HUSTATUS, us);
	mk_hu_csr_write(h, DVEXT_UCAUSE, cause);
	mk_hu_csr_write(h, DVEXT_UEPC, csr_read(sepc));
	mk_hu_csr_write(h, DVEXT_UTVAL, tval);
	mk_hu_csr_write(h, DVEXT_HUTVAL, htval);
	csr_write(sepc, mk_hu_csr_read(h, DVEXT_UTVEC) & ~3UL);
	csr_clear(sstatus, SSTATUS_SPP);
	csr_clear(hstatus, HSTATUS_SPV);
}

/*
 * A trap of a dv-hw guest reached HS (trap.S saved its GPRs in rt_frame). A host interrupt
 * is served as for dv-sw (a kick's posts go into huvip without an exit); an exception is
 * one DV-Ext should have delivered to the runtime, so the hardware is not what it claimed.
 */
void dvhw_guest_trap(struct mk_hart *h, uint64_t cause)
{
	if (!(cause & CAUSE_IRQ)) {
		mk_printf("mk: %s: guest exception %lu reached the minikernel (pc=0x%lx tval=0x%lx): "
			  "DV-Ext should have delivered it to the runtime\n", h->vm->name, cause,
			  csr_read(sepc), csr_read(stval));
		mk_vm_end(h, MK_ENDING_CRASH, "guest exception not delegated");
	}
	if (dvsw_host_irq(h, cause, h->exit))
		mk_dvhw_forward(h, cause, h->exit->tval, 0);
}
