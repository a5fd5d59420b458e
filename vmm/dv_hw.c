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
#include "board.h"
#include "sbi.h"
#include "vcpu.h"
#include "vm.h"

/* The huvip bits the runtime sets; VSTIP is the vtimer's (guest_timer). */
#define HVIP_MASK (DV_HVIP_VSSIP | DV_HVIP_VSEIP)
/* The reference model fires at once for deadlines near ~0: further than this is never. */
#define VTIMER_NEVER (1ULL << 40)

/* DV-Ext CSRs by number: the argument is expanded before csr_read/csr_write stringify it. */
#define hu_read(n)     csr_read(n)
#define hu_write(n, v) csr_write(n, v)
#define hu_set(n, v)   csr_set(n, v)
#define hu_clear(n, v) csr_clear(n, v)

/* What dv_hw.S reaches through uscratch; the offsets are its CTX_*. */
struct dvhw_ctx {
	struct dv_exit *exit;
	uint64_t rt_sp;
	uint64_t t5;
	struct vcpu *vcpu;
	const bool *input_held; /* vcpu_input_held */
	/*
	 * Set while every exit must take the run loop's turn: input_held when the vCPU ran
	 * inline (vcpu_runs_inline) as the guest was entered, else `always`. One load tells.
	 */
	const bool *no_fast;
	bool served;        /* a fast exit served the exit but a turn of the run loop is due */
	uint64_t timedelta; /* hutimedelta: the guest's time base, for the vtimer */
	bool vtimer;        /* armed: it may set VSTIP in huvip while the runtime runs */
};
_Static_assert(__builtin_offsetof(struct dvhw_ctx, t5) == 16, "dv_hw.S offset");

long dvhw_enter(struct dvhw_ctx *c, bool wait);
long dvhw_fast_sbi(struct dvhw_ctx *c);
long dvhw_fast_mmio(struct dvhw_ctx *c, uint64_t cause);
void dvhw_utvec(void);
extern char dvhw_window_start[], dvhw_window_end[];

static struct dvhw_ctx ctx[DV_MAX_VCPUS];
static const bool always = true;
static uint64_t exit_va, nr_vcpus, hugatp;
static struct dv_region gpt;

void dvhw_init(const struct dv_boot_info *bi)
{
	exit_va = bi->exit_va;
	nr_vcpus = bi->nr_vcpus;
	gpt = bi->gpt;
	hugatp = HGATP_SV39X4 | (bi->vm_id + 1) << HGATP_VMID_SHIFT | bi->gpt.pa >> 12;
	dv_entry_window((uint64_t)dvhw_window_start, (uint64_t)dvhw_window_end);
}

static void hufence_gvma(void)
{
	__asm__ volatile(".word %0" ::"i"(INSN_HUFENCE_GVMA) : "memory");
}

/*
 * SBI set_timer: the vtimer raises VSTIP itself when due, with no exit (DVEXT.md). The
 * reference model arms it when vtimecmp is written with vtimectl enabled (writing vtimectl
 * arms nothing), so vtimectl goes first; vtimectl = 0 keeps an armed one from raising VSTIP.
 * There the vtimer raises VSTIP in huvip itself: only this clears it.
 */
static void guest_timer(struct dvhw_ctx *c, struct dv_exit *ex)
{
	hu_write(DVEXT_VTIMECTL, 0);
	hu_clear(DVEXT_HUVIP, DV_HVIP_VSTIP);
	ex->hvip &= ~DV_HVIP_VSTIP;
	c->vtimer = ex->timer < csr_read(time) + c->timedelta + VTIMER_NEVER;
	if (!c->vtimer)
		return;
	hu_write(DVEXT_VTIMECTL, VTIMECTL_VSTIP);
	hu_write(DVEXT_VTIMECMP, ex->timer);
}

/* What only HS can do: deferred kicks, the console poll's host timer. */
#define REQ_HS (DV_REQ_KICK | DV_REQ_HOST_TIMER)

/*
 * A WFI ends at once when an interrupt the guest enabled is pending: the vtimer's VSTIP or
 * a VSSIP the guest raised are in huvip, what the runtime raises in ex->hvip. Then there
 * is nothing to wait for.
 */
static bool wfi_ends(unsigned id, const struct dv_exit *ex)
{
	uint64_t vsie = 0;

	dvhw_vcsr_read(id, DV_VCSR_VSIE, &vsie);
	/* each VS bit of hvip is pending in the guest as the sie bit one below it */
	return (hu_read(DVEXT_HUVIP) | ex->hvip) >> 1 & vsie;
}

/*
 * The requests vcpu.c left in the exit page, which dv-sw's minikernel would apply: those
 * U-mode can are applied here, the others with one DV_SYS_VCPU_REQ. Returns whether the
 * guest is to be entered only after an interrupt (WFI): the runtime waits itself, with a
 * U-mode WFI in its entry window (dv_hw.S; legal with mstatus.TW = 0 on the DV-Ext model
 * and on Rocket), so that a host interrupt that ends the wait is never lost behind it.
 */
__attribute__((noinline)) static bool apply_requests(unsigned id, struct dvhw_ctx *c,
						     struct dv_exit *ex)
{
	uint64_t req = ex->req;

	ex->req = req & REQ_HS;
	if (req & DV_REQ_TIMER)
		guest_timer(c, ex);
	if (req & DV_REQ_FENCE_I)
		__asm__ volatile("fence.i" ::: "memory");
	if (req & DV_REQ_FENCE_VVMA)
		__asm__ volatile(".word %0" ::"i"(INSN_HUFENCE_VVMA) : "memory");
	if (req & DV_REQ_FENCE_GVMA)
		hufence_gvma();
	if (req & REQ_HS)
		dv_vcpu_req(id);
	return req & DV_REQ_WFI && !wfi_ends(id, ex);
}

/*
 * The minikernel took host interrupts while this runtime ran (host_irqs): the exit each
 * would have caused, one per call, the guest not entered. External ones go first, as
 * the hart orders them.
 */
static void host_irq_exit(struct dv_exit *ex)
{
	uint64_t p = __atomic_load_n(&ex->host_irqs, __ATOMIC_ACQUIRE), bit;
	unsigned code, n = 0;

	if (p >> DV_HOST_IRQ_EXT) {
		n = (unsigned)__builtin_ctzll(p >> DV_HOST_IRQ_EXT);
		bit = 1ULL << (DV_HOST_IRQ_EXT + n);
		code = IRQ_S_EXT;
	} else {
		code = p & 1ULL << IRQ_S_SOFT ? IRQ_S_SOFT : IRQ_S_TIMER;
		bit = 1ULL << code;
	}
	__atomic_fetch_and(&ex->host_irqs, ~bit, __ATOMIC_RELAXED);
	ex->cause = CAUSE_IRQ | code;
	ex->tval = n;
	ex->htval = 0;
	ex->htinst = 0;
}

/*
 * The guest's privilege at its last trap, as HURET would resume it: the fast exits leave it
 * in hustatus alone (SBI handlers do not read it), so each way out to vcpu.c reads it.
 */
static void exit_priv(struct dv_exit *ex)
{
	ex->priv = hu_read(DVEXT_HUSTATUS) & HUSTATUS_UPVP ? 1 : 0;
}

/* Its counterpart: the guest resumes at ex->priv (V = 1). */
static void entry_priv(const struct dv_exit *ex)
{
	hu_write(DVEXT_HUSTATUS, HUSTATUS_UPV | (ex->priv & 1 ? HUSTATUS_UPVP : 0));
}

/* tval, htval (guest-page faults) and htinst of an exit */
static void exit_fault_csrs(struct dv_exit *ex, uint64_t cause)
{
	ex->tval = hu_read(DVEXT_UTVAL);
	ex->htval = cause == EXC_INST_GUEST_PAGE_FAULT || cause == EXC_LOAD_GUEST_PAGE_FAULT ||
		    cause == EXC_STORE_GUEST_PAGE_FAULT ? hu_read(DVEXT_HUTVAL) : 0;
	/* hutinst reads 0 on the reference model: the MMIO decoder fetches the instruction. */
	ex->htinst = 0;
}

/* Not VSTIP: an armed vtimer that fired while the runtime ran (WFI) set it in huvip. */
static void huvip_write(struct dvhw_ctx *c, uint64_t hvip)
{
	if (!c->vtimer) {
		hu_write(DVEXT_HUVIP, hvip & HVIP_MASK);
	} else {
		hu_clear(DVEXT_HUVIP, ~hvip & HVIP_MASK);
		if (hvip & HVIP_MASK)
			hu_set(DVEXT_HUVIP, hvip & HVIP_MASK);
	}
}

/* What dv_hw.S's utvec does after a fast exit (dvhw_fast_sbi, dvhw_fast_mmio). */
#define DVHW_FAST_NONE   0 /* not served: dvhw_enter returns 0, dvhw_vcpu_run takes the exit */
#define DVHW_FAST_RESUME 1 /* served: the guest resumes, its s0..s11 still live */
/* Those registers: not in the exit page while a fast exit runs. */
#define GUEST_S_REGS (3UL << 8 | 0x3ffUL << 18)

/*
 * What the guest resumes with after a fast exit: the requests vcpu.c made, pc, interrupts.
 * None asks for a wait (HSM and the WFI exit are not fast exits); one would end at once,
 * as a WFI may.
 */
static inline __attribute__((always_inline)) void fast_resume(struct dvhw_ctx *c,
							      struct dv_exit *ex, uint64_t hvip)
{
	if (ex->req)
		apply_requests(c->vcpu->id, c, ex);
	hu_write(DVEXT_UEPC, ex->pc);
	if (ex->hvip != hvip)
		huvip_write(c, ex->hvip);
}

/*
 * The fast exits, called by dv_hw.S's utvec by cause with the guest's registers in the exit
 * page but for s0..s11, which are live, kept by this C as by any callee: an SBI call or a
 * guest-page fault (MMIO) is served and the guest resumed at once, without the full register
 * swap and the run loop's turn, when that turn has nothing to do. Either returns
 * DVHW_FAST_NONE, nothing done, when the vCPU must go through the loop at each exit (it
 * polls the console) or the board holds console input for the loop to deliver; when the
 * exit made a turn due after all (the VM ended), `served` tells dvhw_vcpu_run.
 */
static bool fast_allowed(const struct dvhw_ctx *c)
{
	return !__atomic_load_n(c->no_fast, __ATOMIC_RELAXED);
}

/*
 * An SBI call whose extension cannot stop the vCPU or end the VM (!may_stop): so after it
 * nothing of the run loop's turn is due either. The handlers read a0..a7 and the pc only.
 */
long dvhw_fast_sbi(struct dvhw_ctx *c)
{
	struct dv_exit *ex = c->exit;
	struct vcpu *v = c->vcpu;
	const struct sbi_ext *ext;
	uint64_t hvip;

	if (!fast_allowed(c))
		return DVHW_FAST_NONE;
	ext = sbi_ext_of(v, ex->gpr[17]);
	if (!ext || ext->may_stop)
		return DVHW_FAST_NONE;
	ex->pc = hu_read(DVEXT_UEPC);
	hvip = hu_read(DVEXT_HUVIP);
	ex->hvip = dv_hvip_eip(ex, hvip);
	v->exits[EXIT_SBI]++;
	sbi_serve(v, ext);
	fast_resume(c, ex, hvip);
	return DVHW_FAST_RESUME;
}

/* The device refused the access: the guest takes an access fault, as vcpu.c would give it. */
__attribute__((noinline)) static void fast_mmio_refused(struct vcpu *v, struct dv_exit *ex,
							enum mmio_result r)
{
	exit_fault_csrs(ex, ex->cause);
	exit_priv(ex);
	vcpu_mmio_result(v, r);
	entry_priv(ex);
}

/*
 * MMIO: an access the bus decoded before at this pc (its site cache), the common case, by a
 * register other than s0..s11; else the run loop takes it, nothing done yet. A device may
 * end the VM (the test device's poweroff), or refuse the access: the guest then takes an
 * access fault.
 */
long dvhw_fast_mmio(struct dvhw_ctx *c, uint64_t cause)
{
	struct dv_exit *ex = c->exit;
	struct vcpu *v = c->vcpu;
	enum mmio_result r;
	uint64_t hvip, gpa;
	uint32_t insn;

	if (!fast_allowed(c))
		return DVHW_FAST_NONE;
	ex->cause = cause;
	ex->pc = hu_read(DVEXT_UEPC);
	if (dv_hlvx_fetch_insn(ex->pc, &insn)) /* dv-hw has HLVX: dv_guest_fetch_insn's choice */
		return DVHW_FAST_NONE;
	gpa = hu_read(DVEXT_HUTVAL) << 2 | (hu_read(DVEXT_UTVAL) & 3);
	hvip = hu_read(DVEXT_HUVIP);
	ex->hvip = dv_hvip_eip(ex, hvip);
	r = board_mmio_cached(v->vm->board, ex, insn, gpa, GUEST_S_REGS);
	if (r == MMIO_MISS)
		return DVHW_FAST_NONE;
	v->exits[EXIT_MMIO]++;
	if (r != MMIO_DONE)
		fast_mmio_refused(v, ex, r);
	if (__atomic_load_n(&v->vm->end, __ATOMIC_RELAXED) != VM_RUNNING) {
		c->served = true;
		return DVHW_FAST_NONE;
	}
	fast_resume(c, ex, hvip);
	return DVHW_FAST_RESUME;
}

long dvhw_vcpu_run(unsigned id)
{
	struct dvhw_ctx *c = &ctx[id];
	struct dv_exit *ex;
	uint64_t cause;
	bool wait;

	if (id >= nr_vcpus)
		return -DV_EINVAL;
	ex = c->exit = (struct dv_exit *)(exit_va + id * 4096UL);
	/* The minikernel clears uscratch for each new thread on the hart (an HSM start). */
	if (hu_read(DVEXT_USCRATCH) != (uint64_t)c) {
		c->vcpu = vcpu_current;
		c->input_held = vcpu_input_held(c->vcpu);
		hu_write(DVEXT_UTVEC, (uint64_t)dvhw_utvec);
		hu_write(DVEXT_USCRATCH, (uint64_t)c);
		hu_write(DVEXT_HUGATP, hugatp);
		hufence_gvma();
	}
	wait = ex->req && apply_requests(id, c, ex);
	hu_write(DVEXT_UEPC, ex->pc);
	entry_priv(ex);
	huvip_write(c, ex->hvip);
	c->no_fast = vcpu_runs_inline(c->vcpu) ? c->input_held : &always;
	if (dvhw_enter(c, wait)) {
		exit_priv(ex);
		host_irq_exit(ex);
		return 0;
	}
	if (c->served) {
		c->served = false;
		exit_priv(ex);
		ex->cause = CAUSE_IRQ | VCPU_IRQ_SERVED;
		return 0;
	}
	cause = hu_read(DVEXT_UCAUSE);
	ex->cause = cause;
	ex->pc = hu_read(DVEXT_UEPC);
	exit_fault_csrs(ex, cause);
	exit_priv(ex);
	ex->hvip = dv_hvip_eip(ex, hu_read(DVEXT_HUVIP));
	return 0;
}

/* The guest CSRs of DV_VCSR_*, on this hart: only the calling thread's own vCPU. */
#define VCSRS(X) X(DV_VCSR_VSSTATUS, DVEXT_HUVSSTATUS) X(DV_VCSR_VSTVEC, DVEXT_HUVSTVEC) \
	X(DV_VCSR_VSEPC, DVEXT_HUVSEPC) X(DV_VCSR_VSCAUSE, DVEXT_HUVSCAUSE) \
	X(DV_VCSR_VSTVAL, DVEXT_HUVSTVAL) X(DV_VCSR_VSSCRATCH, DVEXT_HUVSSCRATCH) \
	X(DV_VCSR_VSATP, DVEXT_HUVSATP) X(DV_VCSR_VSIE, DVEXT_HUVSIE) \
	X(DV_VCSR_HTIMEDELTA, DVEXT_HUTIMEDELTA)

/*
 * vsie's enable bits are SSIE 1, STIE 5, SEIE 9; the reference model's huvsie has them in
 * hie's places (VSSIE 2, VSTIE 6, VSEIE 10). Both places are read, both written: each
 * side ignores the other's.
 */
#define VSIE_BITS ((1UL << 1) | (1UL << 5) | (1UL << 9))

static bool own_vcpu(unsigned id)
{
	return vcpu_current && vcpu_current->id == id;
}

long dvhw_vcsr_read(unsigned id, unsigned csr, uint64_t *val)
{
	if (!own_vcpu(id))
		return -DV_EINVAL;
	switch (csr) {
#define READ(n, hu) case n: *val = csr_read(hu); break;
	VCSRS(READ)
#undef READ
	default:
		return -DV_EINVAL;
	}
	if (csr == DV_VCSR_VSIE)
		*val = (*val & VSIE_BITS) | (*val >> 1 & VSIE_BITS);
	return 0;
}

long dvhw_vcsr_write(unsigned id, unsigned csr, uint64_t val)
{
	if (!own_vcpu(id))
		return -DV_EINVAL;
	if (csr == DV_VCSR_HTIMEDELTA)
		ctx[id].timedelta = val;
	if (csr == DV_VCSR_VSIE)
		val = (val & VSIE_BITS) | (val & VSIE_BITS) << 1;
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
