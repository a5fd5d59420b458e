// SPDX-License-Identifier: BSD-2-Clause
/*
 * The dv-hw implementation of the dv_* calls that differ from dv-sw: DV-Ext delivers each
 * exit to this runtime's utvec (dv_hw.S), which stores the guest's registers in the vCPU's
 * exit page in dv-sw's layout, so vcpu.c serves exits the same way; the runtime reads the
 * exit CSRs itself and resumes the guest with HURET. It owns hugatp and writes its G-stage
 * tables directly. The other dv_* calls stay syscalls (dv_sw.c).
 */
#include "dv_backend.h"
#include "dvext.h"
#include "vm.h"

#define HVIP_MASK (DV_HVIP_VSSIP | DV_HVIP_VSTIP | DV_HVIP_VSEIP)
/* The reference model fires at once for deadlines near ~0: further than this is never. */
#define VTIMER_NEVER (1ULL << 40)

/* DV-Ext CSRs by number: the argument is expanded before csr_read/csr_write stringify it. */
#define hu_read(n)     csr_read(n)
#define hu_write(n, v) csr_write(n, v)

/* What dv_hw.S reaches through uscratch; the offsets are its CTX_*. */
struct dvhw_ctx {
	struct dv_exit *exit;
	uint64_t rt_sp;
	uint64_t t5;
	bool ready;         /* utvec, uscratch and hugatp set on this vCPU's hart */
	uint64_t timedelta; /* hutimedelta: the guest's time base, for the vtimer */
};
_Static_assert(__builtin_offsetof(struct dvhw_ctx, t5) == 16, "dv_hw.S offset");

void dvhw_enter(struct dvhw_ctx *c);
void dvhw_utvec(void);

static struct dvhw_ctx ctx[DV_MAX_VCPUS];
static uint64_t exit_va, nr_vcpus, hugatp;
static struct dv_region gpt;

void dvhw_init(const struct dv_boot_info *bi)
{
	exit_va = bi->exit_va;
	nr_vcpus = bi->nr_vcpus;
	gpt = bi->gpt;
	hugatp = HGATP_SV39X4 | (bi->vm_id + 1) << HGATP_VMID_SHIFT | bi->gpt.pa >> 12;
}

static void hufence_gvma(void)
{
	__asm__ volatile(".word %0" ::"i"(INSN_HUFENCE_GVMA) : "memory");
}

/* SBI set_timer: the vtimer raises VSTIP itself when due, with no exit (DVEXT.md). */
static void guest_timer(struct dvhw_ctx *c, struct dv_exit *ex)
{
	hu_write(DVEXT_VTIMECTL, 0);
	ex->hvip &= ~DV_HVIP_VSTIP;
	if (ex->timer >= csr_read(time) + c->timedelta + VTIMER_NEVER)
		return;
	hu_write(DVEXT_VTIMECMP, ex->timer);
	hu_write(DVEXT_VTIMECTL, VTIMECTL_VSTIP);
}

/* The requests vcpu.c left in the exit page, which dv-sw's minikernel would apply. */
static void apply_requests(struct dvhw_ctx *c, struct dv_exit *ex)
{
	uint64_t req = ex->req;

	ex->req = 0;
	if (req & DV_REQ_KICK) {
		for (unsigned i = 0; ex->kick >> i; i++)
			if (ex->kick >> i & 1)
				dv_vcpu_kick(i);
		ex->kick = 0;
	}
	if (req & DV_REQ_TIMER)
		guest_timer(c, ex);
	if (req & DV_REQ_FENCE_I)
		__asm__ volatile("fence.i" ::: "memory");
	if (req & DV_REQ_FENCE_VVMA)
		__asm__ volatile(".word %0" ::"i"(INSN_HUFENCE_VVMA) : "memory");
	if (req & DV_REQ_FENCE_GVMA)
		hufence_gvma();
	/*
	 * DV_REQ_WFI is dropped: WFI is illegal in U-mode, and a guest may always go on after
	 * its WFI. DV_REQ_HOST_TIMER (the console poll of a host without a UART interrupt) is
	 * not served by dv-hw yet.
	 */
}

long dvhw_vcpu_run(unsigned id)
{
	struct dvhw_ctx *c = &ctx[id];
	struct dv_exit *ex;
	uint64_t cause;

	if (id >= nr_vcpus)
		return -DV_EINVAL;
	ex = c->exit = (struct dv_exit *)(exit_va + id * 4096UL);
	if (!c->ready) {
		hu_write(DVEXT_UTVEC, (uint64_t)dvhw_utvec);
		hu_write(DVEXT_USCRATCH, (uint64_t)c);
		hu_write(DVEXT_HUGATP, hugatp);
		hufence_gvma();
		c->ready = true;
	}
	if (ex->req)
		apply_requests(c, ex);
	hu_write(DVEXT_UEPC, ex->pc);
	hu_write(DVEXT_HUSTATUS, HUSTATUS_UPV | (ex->priv & 1 ? HUSTATUS_UPVP : 0));
	hu_write(DVEXT_HUVIP, ex->hvip & HVIP_MASK);
	dvhw_enter(c);
	cause = hu_read(DVEXT_UCAUSE);
	ex->cause = cause;
	ex->pc = hu_read(DVEXT_UEPC);
	ex->tval = hu_read(DVEXT_UTVAL);
	ex->htval = cause == EXC_INST_GUEST_PAGE_FAULT || cause == EXC_LOAD_GUEST_PAGE_FAULT ||
		    cause == EXC_STORE_GUEST_PAGE_FAULT ? hu_read(DVEXT_HUTVAL) : 0;
	/* hutinst reads 0 on the reference model: the MMIO decoder fetches the instruction. */
	ex->htinst = 0;
	ex->priv = hu_read(DVEXT_HUSTATUS) & HUSTATUS_UPVP ? 1 : 0;
	ex->hvip = hu_read(DVEXT_HUVIP);
	return 0;
}

/* The guest CSRs of DV_VCSR_*, on this hart: only the calling thread's own vCPU. */
#define VCSRS(X) X(DV_VCSR_VSSTATUS, DVEXT_HUVSSTATUS) X(DV_VCSR_VSTVEC, DVEXT_HUVSTVEC) \
	X(DV_VCSR_VSEPC, DVEXT_HUVSEPC) X(DV_VCSR_VSCAUSE, DVEXT_HUVSCAUSE) \
	X(DV_VCSR_VSTVAL, DVEXT_HUVSTVAL) X(DV_VCSR_VSSCRATCH, DVEXT_HUVSSCRATCH) \
	X(DV_VCSR_VSATP, DVEXT_HUVSATP) X(DV_VCSR_VSIE, DVEXT_HUVSIE) \
	X(DV_VCSR_HTIMEDELTA, DVEXT_HUTIMEDELTA)

static bool own_vcpu(unsigned id)
{
	return vcpu_current && vcpu_current->id == id;
}

long dvhw_vcsr_read(unsigned id, unsigned csr, uint64_t *val)
{
	if (!own_vcpu(id))
		return -DV_EINVAL;
	switch (csr) {
#define READ(n, hu) case n: *val = csr_read(hu); return 0;
	VCSRS(READ)
#undef READ
	}
	return -DV_EINVAL;
}

long dvhw_vcsr_write(unsigned id, unsigned csr, uint64_t val)
{
	if (!own_vcpu(id))
		return -DV_EINVAL;
	if (csr == DV_VCSR_HTIMEDELTA)
		ctx[id].timedelta = val;
	switch (csr) {
#define WRITE(n, hu) case n: csr_write(hu, val); return 0;
	VCSRS(WRITE)
#undef WRITE
	}
	return -DV_EINVAL;
}

/*
 * The pool is this runtime's, read-write: the store is made here, unchecked (the runtime
 * is trusted for memory isolation in dv-hw). Replacing a valid entry flushes this hart's
 * G-stage TLB, as the minikernel does for dv-sw.
 */
long dvhw_gpt_write(uint64_t table_pa, unsigned idx, uint64_t pte)
{
	uint64_t off = table_pa - gpt.pa + idx * 8UL, old, *slot;

	if (table_pa < gpt.pa || table_pa & 4095 || off >= gpt.size)
		return -DV_EINVAL;
	slot = (uint64_t *)(gpt.va + off);
	old = *slot;
	__atomic_store_n(slot, pte, __ATOMIC_RELEASE);
	if (old & 1)
		hufence_gvma();
	return 0;
}
