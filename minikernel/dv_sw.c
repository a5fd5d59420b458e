// SPDX-License-Identifier: BSD-2-Clause
/*
 * The dv-sw backend: on stock H hardware the minikernel takes each guest trap, records it in
 * the vCPU's exit page and switches to the runtime; DV_SYS_VCPU_RUN switches back. The two
 * switches are in trap.S; this file holds hart set-up and the rarer steps they call.
 */
#include "dvext.h"
#include "mk.h"

#define SIE_HOST ((1UL << IRQ_S_SOFT) | (1UL << IRQ_S_TIMER) | (1UL << IRQ_S_EXT))

/* Guest exceptions the guest kernel handles itself, without an exit. */
#define HEDELEG ((1UL << EXC_INST_MISALIGNED) | (1UL << EXC_INST_ACCESS) |              \
		 (1UL << EXC_ILLEGAL_INSN) | (1UL << EXC_BREAKPOINT) |                   \
		 (1UL << EXC_LOAD_MISALIGNED) | (1UL << EXC_LOAD_ACCESS) |               \
		 (1UL << EXC_STORE_MISALIGNED) | (1UL << EXC_STORE_ACCESS) |             \
		 (1UL << EXC_ECALL_U) | (1UL << EXC_INST_PAGE_FAULT) |                  \
		 (1UL << EXC_LOAD_PAGE_FAULT) | (1UL << EXC_STORE_PAGE_FAULT))
#define HIDELEG ((1UL << IRQ_VS_SOFT) | (1UL << IRQ_VS_TIMER) | (1UL << IRQ_VS_EXT))
#define SSTATUS_FS_INITIAL (1UL << 13)

void dvsw_hart_init(void)
{
	csr_write(hedeleg, HEDELEG);
	csr_write(hideleg, HIDELEG);
	/* time only: the guest's cycle and instret reads exit, the runtime's per-vCPU counters */
	csr_write(hcounteren, 2);
	csr_write(scounteren, 7);
	csr_write(hvip, 0);
	/*
	 * HU lets the runtime use HLV/HLVX. With DV-Ext it would also let it write hugatp, which
	 * translates guests there, and HURET into one: a dv-sw runtime goes without it there
	 * (and walks its guest's page tables itself), a dv-hw one gets it (dvhw_hart_init).
	 */
	csr_write(hstatus, HSTATUS_VSXL_64 | (mk_plat.features & DV_FEAT_DVEXT ? 0 : HSTATUS_HU));
	/* Guest FP state lives in the hardware registers: nothing here uses FP. */
	csr_set(sstatus, SSTATUS_FS_INITIAL);
	if (mk_plat.features & DV_FEAT_SSTC) {
		csr_write(henvcfg, HENVCFG_STCE);
		csr_write(stimecmp, -1UL);
		csr_write(vstimecmp, -1UL);
	}
	csr_write(sie, SIE_HOST);
}

/* The guest's timer: vstimecmp with Sstc (no exit when it fires), else the host timer. */
static void guest_timer(uint64_t when)
{
	if (mk_plat.features & DV_FEAT_SSTC)
		csr_write(vstimecmp, when);
	else
		mk_sbi_set_timer(when);
}

static void fences(uint64_t req)
{
	/* One test on the common path: a kick carrying interrupts only. */
	if (!(req & DV_REQ_FENCES))
		return;
	if (req & DV_REQ_FENCE_I)
		__asm__ volatile("fence.i" ::: "memory");
	if (req & DV_REQ_FENCE_VVMA)
		__asm__ volatile(".option push\n.option arch, +h\nhfence.vvma\n.option pop" ::: "memory");
	if (req & DV_REQ_FENCE_GVMA)
		mk_hfence_gvma();
}

/*
 * dvsw_apply_requests' fences and, on DV-Ext hardware, whose hvip drops VSEIP, VSEIP: huvip,
 * which HS alone may write for a dv-sw guest, takes it; the exit page says what was set.
 */
__attribute__((noinline)) static void rare_requests(struct mk_hart *h, struct dv_exit *ex,
						    uint64_t req)
{
	uint64_t vseip = ex->hvip & DV_HVIP_VSEIP;

	fences(req);
	if (req & DV_REQ_VSEIP) {
		ex->vseip = vseip;
		if (mk_plat.dvext_csrs)
			mk_hu_csr_write(h, DVEXT_HUVIP, (mk_hu_csr_read(h, DVEXT_HUVIP) &
							 ~(uint64_t)DV_HVIP_VSEIP) | vseip);
	}
}

/* The runtime's requests in the exit page, consumed before the guest is entered. */
void dvsw_apply_requests(struct mk_hart *h, struct dv_exit *ex)
{
	uint64_t req;

	mk_kick_deferred(h, ex);
	req = ex->req;
	ex->req = 0;
	if (req & DV_REQ_TIMER)
		guest_timer(ex->timer);
	if (req & DV_REQ_HOST_TIMER && mk_plat.features & DV_FEAT_SSTC)
		csr_write(stimecmp, ex->host_timer);
	/* One test on the common path (an IPI's kick) for the rarer requests. */
	if (req & (DV_REQ_FENCES | DV_REQ_VSEIP))
		rare_requests(h, ex, req);
	if (req & DV_REQ_WFI)
		__asm__ volatile("wfi");
}

/*
 * A kick found the guest running: take what the VM's other threads posted (dv_abi.h) and
 * say whether the runtime must see the exit. Only interrupt bits of the guest itself and
 * fences of this hart can be posted, so nothing here needs checking.
 */
static bool take_posts(struct mk_hart *h, struct dv_exit *ex)
{
	uint64_t p = __atomic_exchange_n(&ex->posted, 0, __ATOMIC_ACQUIRE);
	bool hw = mk_plat.dvext_csrs; /* huvip holds them all there, hvip lacks VSEIP */
	uint64_t vip = hw ? mk_hu_csr_read(h, DVEXT_HUVIP) : csr_read(hvip);

	vip |= p & (DV_HVIP_VSSIP | DV_HVIP_VSTIP);
	if (p & DV_POST_EIP) {
		if (__atomic_load_n(&ex->eip, __ATOMIC_ACQUIRE))
			vip |= DV_HVIP_VSEIP;
		else
			vip &= ~DV_HVIP_VSEIP;
		ex->vseip = vip & DV_HVIP_VSEIP;
	}
	if (hw)
		mk_hu_csr_write(h, DVEXT_HUVIP, vip);
	else
		csr_write(hvip, vip);
	fences(p >> DV_POST_REQ_SHIFT);
	/* trap.S saved hvip before: an exit must hand the runtime what was raised here. */
	ex->hvip = vip;
	return p & DV_POST_EXIT;
}

/* The host timer (the runtime's console poll) fired: disarmed until the runtime asks again. */
void mk_host_timer_off(void)
{
	if (mk_plat.features & DV_FEAT_SSTC)
		csr_write(stimecmp, -1UL);
	else
		mk_sbi_set_timer(-1UL);
}

/*
 * A host external interrupt, on a hart of h's VM: silence its source. An interrupt of the
 * VM's granted UART stays claimed (so it cannot fire again) until the runtime has served
 * the device and completes it with DV_SYS_IRQ_DONE; one of its host virtio devices is
 * acknowledged and completed here, since the runtime cannot reach their registers; the
 * shared console's input is taken here. Returns the IRQ the runtime must serve (0: none),
 * or -1 when the runtime need not see the interrupt at all.
 */
long mk_host_ext_irq(struct mk_hart *h)
{
	unsigned irq = mk_plic_claim(h);
	bool mine;

	if (!irq)
		return 0;
	if (irq == mk_console_irq) {
		mk_console_rx();
		mk_plic_complete(h, irq);
		return -1;
	}
	if (irq == h->vm->irq && !__atomic_exchange_n(&h->vm->irq_claimed, 1, __ATOMIC_ACQ_REL))
		return irq;
	mine = mk_hdev_irq(h->vm, irq);
	mk_plic_complete(h, irq);
	return mine ? irq : 0;
}

/*
 * A host interrupt taken while the guest ran (a dv-sw or a dv-hw guest): silence its
 * source; the runtime sees the cause, and an external interrupt's IRQ to serve in tval.
 * Returns whether to exit to the runtime; false resumes the guest.
 */
bool dvsw_host_irq(struct mk_hart *h, uint64_t cause, struct dv_exit *ex)
{
	long irq;

	if (__atomic_load_n(&h->stop, __ATOMIC_RELAXED))
		mk_park(h);
	switch (cause & ~CAUSE_IRQ) {
	case IRQ_S_TIMER:
		mk_host_timer_off();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, 1UL << IRQ_S_SOFT);
		return take_posts(h, ex);
	case IRQ_S_EXT:
		irq = mk_host_ext_irq(h);
		if (irq < 0)
			return false;
		ex->tval = (uint64_t)irq;
		break;
	}
	return true;
}

long dvsw_vcsr(struct mk_hart *h, uint64_t id, uint64_t csr, bool write, uint64_t *val)
{
	if (!h->exit || id != h->vcpu_id)
		return -DV_EINVAL;
	/* DV-Ext hardware adds hutimedelta, not htimedelta, to a guest's time. */
	if (csr == DV_VCSR_HTIMEDELTA && write && mk_plat.dvext_csrs)
		mk_hu_csr_write(h, DVEXT_HUTIMEDELTA, *val);
#define VCSR(n, name)                                    \
	case n:                                          \
		if (write)                               \
			csr_write(name, *val);           \
		else                                     \
			*val = csr_read(name);           \
		return 0;
	switch (csr) {
	VCSR(DV_VCSR_VSSTATUS, vsstatus)
	VCSR(DV_VCSR_VSTVEC, vstvec)
	VCSR(DV_VCSR_VSEPC, vsepc)
	VCSR(DV_VCSR_VSCAUSE, vscause)
	VCSR(DV_VCSR_VSTVAL, vstval)
	VCSR(DV_VCSR_VSSCRATCH, vsscratch)
	VCSR(DV_VCSR_VSATP, vsatp)
	VCSR(DV_VCSR_VSIE, vsie)
	VCSR(DV_VCSR_HTIMEDELTA, htimedelta)
	}
#undef VCSR
	return -DV_EINVAL;
}
