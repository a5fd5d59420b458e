// SPDX-License-Identifier: BSD-2-Clause
/*
 * The dv-hw backend: DV-Ext delivers a guest's exits (SBI calls, guest-page faults,
 * virtual instructions) to its runtime's utvec and the runtime resumes it with HURET, with
 * no minikernel entry. What reaches HS from such a guest is a host interrupt: served here,
 * and handed to the runtime as DV-Ext would hand it an exit when the runtime must see it.
 */
#include "dvext.h"
#include "mk.h"

/*
 * Every HU CSR a previous guest or runtime thread of this hart may have set, for a new
 * thread: exceptions in `sedeleg` go to the runtime, the guest is translated through `gatp`.
 */
void mk_dvext_hart_reset(struct mk_hart *h, uint64_t sedeleg, uint64_t gatp)
{
	mk_hu_csr_write(h, DVEXT_SEDELEG, sedeleg);
	/* USIP and UTIP stay off: stock OpenSBI does not delegate them to S (DVEXT.md). */
	mk_hu_csr_write(h, DVEXT_SIDELEG, 0);
	mk_hu_csr_write(h, DVEXT_HUIE, 0);
	/* time only, as dv-sw's hcounteren: cycle and instret reads exit, per-vCPU counters */
	mk_hu_csr_write(h, DVEXT_HUCOUNTEREN, 2);
	mk_hu_csr_write(h, DVEXT_HUTIMEDELTA, 0);
	mk_hu_csr_write(h, DVEXT_HUVIP, 0);
	mk_hu_csr_write(h, DVEXT_VTIMECTL, 0);
	mk_hu_csr_write(h, DVEXT_HUGATP, gatp);
	/* A new dv-hw thread finds uscratch 0: its sign to set utvec, uscratch, hugatp. */
	mk_hu_csr_write(h, DVEXT_UTVEC, 0);
	mk_hu_csr_write(h, DVEXT_USCRATCH, 0);
}

/* A hart of a dv-hw VM, before its runtime thread starts: nothing of a previous guest stays. */
void dvhw_hart_init(struct mk_hart *h)
{
	mk_dvext_hart_reset(h, DVEXT_SEDELEG_EXITS, 0);
	csr_set(hstatus, HSTATUS_HU);
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

/*
 * Refuses a dv-hw VM granted a host IRQ that dvhw_runtime_irq could not post: host_irqs has
 * one bit per IRQ number below DV_HOST_IRQ_MAX (the devices of every platform in
 * docs/platforms.md are).
 */
const char *dvhw_irq_refusal(const struct mk_vm *vm)
{
	for (unsigned i = 0; vm->backend == DV_BACKEND_HW && i < vm->nr_irqs; i++)
		if (vm->irqs[i] >= DV_HOST_IRQ_MAX)
			return "backend dv-hw: a granted host IRQ number is too high to post";
	return NULL;
}

/*
 * A host interrupt taken while a dv-hw runtime ran: DV-Ext hardware brings the runtime no
 * kernel entry before its HURET, so host interrupts are never masked for it (dv-sw masks
 * them until DV_SYS_VCPU_RUN). The source is silenced and what the runtime must see is
 * posted to host_irqs. The runtime checks host_irqs at the start of its registered entry
 * window and HURETs at its end; taken inside the window the interrupt sends it back to the
 * start, so the check runs again after the post: no post waits behind a HURET. A kick's
 * posts stay in `posted` for the runtime to take (it owns huvip until its HURET).
 */
void dvhw_runtime_irq(struct mk_hart *h, uint64_t cause)
{
	struct mk_vm *vm = h->vm;
	uint64_t post = 1UL << (cause & ~CAUSE_IRQ), pc = csr_read(sepc), start, end;
	long irq;

	switch (cause & ~CAUSE_IRQ) {
	case IRQ_S_SOFT:
		csr_clear(sip, 1UL << IRQ_S_SOFT);
		break;
	case IRQ_S_TIMER:
		mk_host_timer_off();
		break;
	case IRQ_S_EXT:
		irq = mk_host_ext_irq(h);
		/* a granted IRQ is below DV_HOST_IRQ_MAX (dvhw_irq_refusal): the mask only bounds the shift */
		post = irq > 0 ? 1UL << (DV_HOST_IRQ_EXT + (irq & (DV_HOST_IRQ_MAX - 1))) : 0;
		break;
	default:
		post = 0;
	}
	if (!post)
		return;
	__atomic_fetch_or(&h->exit->host_irqs, post, __ATOMIC_RELEASE);
	/* Set by the runtime's threads at will: only this runtime's own pc can suffer. */
	start = __atomic_load_n(&vm->entry_start, __ATOMIC_RELAXED);
	end = __atomic_load_n(&vm->entry_end, __ATOMIC_RELAXED);
	if (pc >= start && pc <= end)
		csr_write(sepc, start);
}

/*
 * DV_SYS_VCPU_REQ: the requests of a dv-hw vCPU that U-mode cannot apply: its deferred
 * kicks and the host timer of its console poll. (A runtime waits for an interrupt itself,
 * with a U-mode WFI in its entry window.)
 */
long dvhw_sys_req(struct mk_hart *h, uint64_t id)
{
	struct dv_exit *ex = h->exit;
	uint64_t req;

	if (h->vm->backend != DV_BACKEND_HW || !ex || id != h->vcpu_id)
		return -DV_EINVAL;
	mk_kick_deferred(h, ex);
	req = __atomic_exchange_n(&ex->req, 0, __ATOMIC_RELAXED);
	if (req & DV_REQ_HOST_TIMER) {
		if (mk_plat.features & DV_FEAT_SSTC)
			csr_write(stimecmp, ex->host_timer);
		else
			mk_sbi_set_timer(ex->host_timer);
	}
	return 0;
}
