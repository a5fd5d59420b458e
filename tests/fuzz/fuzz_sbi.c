// SPDX-License-Identifier: BSD-2-Clause
/* Fuzz target: SBI dispatch (vmm/sbi) of any call from any vCPU of a VM in any HSM state. */
#include <string.h>

#include "fake_dv.h"
#include "fuzz.h"
#include "sbi.h"

#define EXT_IPI    0x735049UL
#define EXT_RFENCE 0x52464E43UL
#define EXT_HSM    0x48534DUL
#define EXT_SRST   0x53525354UL
#define EXT_DBCN   0x4442434EUL
#define EXT_PMU    0x504D55UL
#define EXT_SUSP   0x53555350UL
#define EXT_FWFT   0x46574654UL
#define SUSPEND_NON_RETENTIVE 0x80000000U

#define RAM_GPA  0x80000000UL
#define RAM_SIZE 0x10000UL
#define PC       0x80001000UL
#define GVA_MASK 0x1000UL /* the fake guest's mapped words are at k * GVA_MASK */

#define HVIP_BITS (DV_HVIP_VSSIP | DV_HVIP_VSTIP | DV_HVIP_VSEIP)
#define REQ_BITS                                                                          \
	(DV_REQ_TIMER | DV_REQ_WFI | DV_REQ_FENCE_I | DV_REQ_FENCE_VVMA | DV_REQ_KICK)

/* Every extension we serve, the legacy ones, and some we do not. */
static const unsigned long eids[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 0x09, 0x0f, 0x10, 0x54494D45, 0x735049, 0x52464E43, 0x48534D,
	0x53525354, 0x4442434E, 0x0A000044, 0x08000000, 0x504D55, 0x46574654, 0x53555350,
};
#define NR_EIDS (sizeof(eids) / sizeof(eids[0]))

static uint8_t *ram;
static struct vm vm;
static struct dv_exit exits[DV_MAX_VCPUS];
static char console_in[17];
static bool start_fails;

static int fake_start_vcpu(struct vcpu *t)
{
	FUZZ_CHECK(t->vm == &vm && t->id < vm.nr_vcpus);
	FUZZ_CHECK(vcpu_state(t) == VCPU_START_PENDING);
	return start_fails ? -1 : 0;
}

static bool in_ram(uint64_t gpa, uint64_t len)
{
	return gpa >= RAM_GPA && len <= RAM_SIZE && gpa - RAM_GPA <= RAM_SIZE - len;
}

static bool is_sbi_error(long e)
{
	return (e <= SBI_SUCCESS && e >= SBI_ERR_NO_SHMEM) || e == SBI_ERR_DENIED_LOCKED;
}

/* An argument: small, in or just past RAM, near -1, a fake guest word's address, or anything. */
static uint64_t arg(struct fuzz_in *in)
{
	switch (fuzz_u8(in) % 7) {
	case 0:
		return fuzz_u8(in);
	case 1:
		return RAM_GPA + fuzz_u16(in) * 2;
	case 2:
		return RAM_GPA + RAM_SIZE - fuzz_u8(in);
	case 3:
		return -1UL - fuzz_u8(in);
	case 4:
		return GVA_MASK * (fuzz_u8(in) % 4);
	case 5:
		return 0x80000000UL | fuzz_u8(in); /* a non-retentive suspend type */
	default:
		return fuzz_u64(in);
	}
}

/* The VM: 1..8 vCPUs in any HSM state, the fake console's input, the fake guest's words. */
static void make_vm(struct fuzz_in *in)
{
	uint8_t flags;
	unsigned n;

	fake_dv_reset();
	memset(ram, 0, RAM_SIZE);
	memset(exits, 0, sizeof(exits));
	vm = (struct vm){ .id = 1, .ram_gpa = RAM_GPA, .ram_size = RAM_SIZE, .ram = ram,
			  .timebase_hz = 10000000 };
	vm.nr_vcpus = 1 + fuzz_u8(in) % DV_MAX_VCPUS;
	flags = fuzz_u8(in);
	vm.sstc = flags & 1;
	vm.start_vcpu = (flags & 2) ? fake_start_vcpu : NULL;
	start_fails = flags & 4;
	/* The vCPUs past nr_vcpus have no exit page: touching one crashes. */
	for (unsigned i = 0; i < vm.nr_vcpus; i++) {
		struct vcpu *v = &vm.vcpu[i];
		uint8_t st = fuzz_u8(in);

		v->id = i;
		v->vm = &vm;
		v->exit = &exits[i];
		v->state = st % 7;
		/* as a start or a suspend left it: its next entry is in RAM */
		v->start_pc = RAM_GPA;
		v->suspend = (st & 64) ? SUSPEND_NON_RETENTIVE : SUSPEND_RETENTIVE;
		exits[i].hvip = ((st & 8) ? DV_HVIP_VSSIP : 0) | ((st & 16) ? DV_HVIP_VSTIP : 0) |
				((st & 32) ? DV_HVIP_VSEIP : 0);
		if (st & 0x80)
			v->sbi_last = sbi_find(eids[fuzz_u8(in) % NR_EIDS]);
	}
	n = fuzz_u8(in) % sizeof(console_in);
	for (unsigned i = 0; i < n; i++)
		console_in[i] = (char)fuzz_u8(in);
	console_in[n] = 0;
	fake_dv.in = console_in;
	n = fuzz_u8(in) % 4;
	for (unsigned i = 0; i < n; i++) {
		uint8_t w = fuzz_u8(in);

		fake_guest_map(GVA_MASK * (w % 4), fuzz_u64(in), w & 4);
	}
}

/* What a0 may hold after the call: legacy getchar a byte or -1, clear_ipi 0 or 1. */
static void check_a0(unsigned long eid, long a0)
{
	if (eid == 2)
		FUZZ_CHECK(a0 >= -1 && a0 <= 255);
	else if (eid == 3)
		FUZZ_CHECK(a0 == 0 || a0 == 1);
	else
		FUZZ_CHECK(is_sbi_error(a0));
}

/*
 * The PMU hooks count exactly the firmware events of started counters; a started counter
 * has an event, cycle and instret only theirs, and index 1 (time) none.
 */
static void check_pmu(const struct vcpu_pmu *p)
{
	uint32_t counting = 0;

	for (unsigned i = 0; i < PMU_COUNTERS; i++) {
		const struct pmu_counter *c = &p->ctr[i];

		FUZZ_CHECK(!c->started || c->event);
		if (i == PMU_CYCLE || i == PMU_INSTRET)
			FUZZ_CHECK(c->event == 0 || c->event == (i ? 2U : 1U));
		else if (i < PMU_FW_BASE)
			FUZZ_CHECK(c->event == 0);
		else if (c->event)
			FUZZ_CHECK(c->event >> 16 == 0xf && (c->event & 0xffff) >= PMU_FW_FIRST &&
				   (c->event & 0xffff) < PMU_FW_END);
		if (i >= PMU_FW_BASE && c->started)
			counting |= 1U << (c->event & 0xffff);
	}
	FUZZ_CHECK(p->counting == counting);
}

static void check_vm(void)
{
	FUZZ_CHECK(vm.end >= VM_RUNNING && vm.end <= VM_CRASH);
	FUZZ_CHECK(fake_dv.kicks == 0 || fake_dv.last_kick < vm.nr_vcpus);
	for (unsigned i = 0; i < vm.nr_vcpus; i++) {
		const struct vcpu *t = &vm.vcpu[i];
		int st = vcpu_state(t);

		FUZZ_CHECK(st >= VCPU_STARTED && st <= VCPU_RESUME_PENDING);
		FUZZ_CHECK(!(exits[i].hvip & ~HVIP_BITS) && !(exits[i].req & ~REQ_BITS));
		/* A vCPU is only ever sent to run from guest RAM. */
		if (st == VCPU_START_PENDING ||
		    (st == VCPU_SUSPENDED && t->suspend != SUSPEND_RETENTIVE))
			FUZZ_CHECK(in_ram(t->start_pc, 2));
		check_pmu(&t->pmu);
		/* FWFT locks only the one feature it offers, MISALIGNED_EXC_DELEG */
		FUZZ_CHECK(!(t->fwft_locked & ~1U));
	}
}

/*
 * What a call must answer where the spec and our extensions' contracts pin it down (a0, and
 * for IPIs and remote fences the bit each named vCPU gets), computed before the call.
 */
struct want {
	bool pinned;
	long a0;
	bool marks;            /* targets get `bit` in hvip or req; every other vCPU nothing */
	bool in_req;
	uint64_t bit;
	unsigned long targets;
};

static struct want pinned(long a0)
{
	return (struct want){ .pinned = true, .a0 = a0 };
}

static bool interruptible(uint64_t i)
{
	return vm.vcpu[i].state == VCPU_STARTED || vm.vcpu[i].state == VCPU_SUSPENDED;
}

/* hartmask.h's contract, bit by bit: every named vCPU exists and can take an interrupt. */
static long ref_hart_mask(uint64_t mask, uint64_t base, unsigned long *targets)
{
	*targets = 0;
	if (base == ~0ULL) {
		for (unsigned i = 0; i < vm.nr_vcpus; i++)
			*targets |= interruptible(i) ? 1UL << i : 0;
		return SBI_SUCCESS;
	}
	if (base >= vm.nr_vcpus)
		return SBI_ERR_INVALID_PARAM;
	for (unsigned b = 0; b < 64; b++) {
		if (!(mask >> b & 1))
			continue;
		if (base + b >= vm.nr_vcpus || !interruptible(base + b)) {
			*targets = 0;
			return SBI_ERR_INVALID_PARAM;
		}
		*targets |= 1UL << (base + b);
	}
	return SBI_SUCCESS;
}

static struct want marks(long err, unsigned long targets, uint64_t bit, bool in_req)
{
	return (struct want){ true, err, true, in_req, bit, targets };
}

/* v0.1 hart masks: a pointer to a guest word (the fake guest's), 0 for every hart. */
static struct want legacy_marks(uint64_t gva, uint64_t bit, bool in_req)
{
	unsigned long targets;

	if (!gva)
		return marks(ref_hart_mask(0, ~0ULL, &targets), targets, bit, in_req);
	for (unsigned i = 0; i < fake_dv.nr_guest; i++)
		if (fake_dv.guest[i].gva == gva && !fake_dv.guest[i].fault)
			return marks(ref_hart_mask(fake_dv.guest[i].val, 0, &targets), targets, bit,
				     in_req);
	return marks(SBI_ERR_INVALID_ADDRESS, 0, bit, in_req);
}

static struct want want_hsm(unsigned long fid, const uint64_t *a)
{
	switch (fid) {
	case 0: /* hart_start */
		if (a[0] >= vm.nr_vcpus)
			return pinned(SBI_ERR_INVALID_PARAM);
		if (!in_ram(a[1], 2))
			return pinned(SBI_ERR_INVALID_ADDRESS);
		if (vm.vcpu[a[0]].state != VCPU_STOPPED)
			return pinned(SBI_ERR_ALREADY_AVAILABLE);
		return pinned(vm.start_vcpu && start_fails ? SBI_ERR_FAILED : SBI_SUCCESS);
	case 1:
		return pinned(SBI_SUCCESS);
	case 2:
		return pinned(a[0] < vm.nr_vcpus ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM);
	case 3:
		if ((uint32_t)a[0] == 0)
			return pinned(SBI_SUCCESS);
		if ((uint32_t)a[0] != SUSPEND_NON_RETENTIVE)
			return pinned(SBI_ERR_INVALID_PARAM);
		return pinned(in_ram(a[1], 2) ? SBI_SUCCESS : SBI_ERR_INVALID_ADDRESS);
	default:
		return pinned(SBI_ERR_NOT_SUPPORTED);
	}
}

/* PMU: the counter count, each index's info, read_hi's 0; fids past read_hi are not offered. */
static struct want want_pmu(const struct vcpu *v, unsigned long fid, const uint64_t *a)
{
	switch (fid) {
	case 0:
		return pinned(SBI_SUCCESS);
	case 1:
		return pinned(a[0] < PMU_COUNTERS && a[0] != 1 ? SBI_SUCCESS
							       : SBI_ERR_INVALID_PARAM);
	case 5:
	case 6:
		return pinned(a[0] >= PMU_FW_BASE && a[0] < PMU_COUNTERS && v->pmu.ctr[a[0]].event
				      ? SBI_SUCCESS
				      : SBI_ERR_INVALID_PARAM);
	case 2:
	case 3:
	case 4:
		return (struct want){ 0 };
	default:
		return pinned(SBI_ERR_NOT_SUPPORTED);
	}
}

/* system_suspend: type 0 only, every other vCPU STOPPED, resume_addr in RAM, in that order. */
static struct want want_susp(const struct vcpu *v, unsigned long fid, const uint64_t *a)
{
	if (fid)
		return pinned(SBI_ERR_NOT_SUPPORTED);
	if ((uint32_t)a[0])
		return pinned(SBI_ERR_INVALID_PARAM);
	for (unsigned i = 0; i < vm.nr_vcpus; i++)
		if (&vm.vcpu[i] != v && vm.vcpu[i].state != VCPU_STOPPED)
			return pinned(SBI_ERR_DENIED);
	return pinned(in_ram(a[1], 2) ? SBI_SUCCESS : SBI_ERR_INVALID_ADDRESS);
}

/*
 * set, get: feature 0 (MISALIGNED_EXC_DELEG) is offered, fixed at 0, lockable; 1..5 are not
 * supported, the rest reserved or platform-specific. set checks flags, lock, then value.
 */
static struct want want_fwft(const struct vcpu *v, unsigned long fid, const uint64_t *a)
{
	uint32_t feature = (uint32_t)a[0];

	if (fid > 1)
		return pinned(SBI_ERR_NOT_SUPPORTED);
	if (feature > 5)
		return pinned(SBI_ERR_DENIED);
	if (feature)
		return pinned(SBI_ERR_NOT_SUPPORTED);
	if (fid == 1)
		return pinned(SBI_SUCCESS);
	if (a[2] > 1)
		return pinned(SBI_ERR_INVALID_PARAM);
	if (v->fwft_locked)
		return pinned(SBI_ERR_DENIED_LOCKED);
	if (a[1] > 1)
		return pinned(SBI_ERR_INVALID_PARAM);
	return pinned(a[1] ? SBI_ERR_DENIED : SBI_SUCCESS);
}

static struct want want_call(const struct vcpu *v, unsigned long eid, unsigned long fid)
{
	const uint64_t *a = &v->exit->gpr[10];
	unsigned long targets;

	switch (eid) {
	case 2: /* legacy getchar: the next console byte */
		return pinned(fake_dv.in && *fake_dv.in ? (unsigned char)*fake_dv.in : -1);
	case 3: /* legacy clear_ipi: whether one was pending */
		return pinned((v->exit->hvip & DV_HVIP_VSSIP) != 0);
	case 4:
		return legacy_marks(a[0], DV_HVIP_VSSIP, false);
	case 5:
		return legacy_marks(a[0], DV_REQ_FENCE_I, true);
	case 6:
	case 7:
		return legacy_marks(a[0], DV_REQ_FENCE_VVMA, true);
	case EXT_IPI:
		if (fid)
			return pinned(SBI_ERR_NOT_SUPPORTED);
		return marks(ref_hart_mask(a[0], a[1], &targets), targets, DV_HVIP_VSSIP, false);
	case EXT_RFENCE:
		if (fid > 2)
			return pinned(SBI_ERR_NOT_SUPPORTED);
		return marks(ref_hart_mask(a[0], a[1], &targets), targets,
			     fid ? DV_REQ_FENCE_VVMA : DV_REQ_FENCE_I, true);
	case EXT_HSM:
		return want_hsm(fid, a);
	case EXT_SUSP:
		return want_susp(v, fid, a);
	case EXT_FWFT:
		return want_fwft(v, fid, a);
	case EXT_DBCN: /* write, read: the buffer [a1 + 2^64 * a2, + a0) wholly in RAM */
		if (fid < 2)
			return pinned(!a[2] && in_ram(a[1], a[0]) ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM);
		return pinned(fid == 2 ? SBI_SUCCESS : SBI_ERR_NOT_SUPPORTED);
	case EXT_PMU:
		return want_pmu(v, fid, a);
	case EXT_SRST: /* type shutdown or cold/warm reboot, reason none or failure */
		if (fid)
			return pinned(SBI_ERR_NOT_SUPPORTED);
		return pinned((uint32_t)a[0] <= 2 && (uint32_t)a[1] <= 1 ? SBI_SUCCESS
									 : SBI_ERR_INVALID_PARAM);
	default:
		return (struct want){ 0 };
	}
}

/* The named vCPUs got the bit, from whichever vCPU the call came; the others nothing. */
static void check_marks(const struct want *w, const struct dv_exit *before)
{
	for (unsigned i = 0; i < vm.nr_vcpus; i++) {
		uint64_t was = w->in_req ? before[i].req : before[i].hvip;
		uint64_t now = w->in_req ? exits[i].req : exits[i].hvip;

		FUZZ_CHECK(now == ((w->targets >> i & 1) ? was | w->bit : was));
	}
}

/* One call: caller, eid, fid, a0..a5. */
static void one_call(struct fuzz_in *in)
{
	struct vcpu *v = &vm.vcpu[fuzz_u8(in) % vm.nr_vcpus];
	uint8_t e = fuzz_u8(in), f = fuzz_u8(in);
	unsigned long eid = e < 0xf0 ? eids[e % NR_EIDS] : fuzz_u64(in);
	struct dv_exit *ex = v->exit, before, all[DV_MAX_VCPUS];
	struct want w;

	ex->gpr[17] = eid;
	ex->gpr[16] = f < 0xf0 ? f % 8 : fuzz_u64(in);
	for (unsigned i = 10; i < 16; i++)
		ex->gpr[i] = arg(in);
	ex->pc = PC;
	before = *ex;
	memcpy(all, exits, sizeof(all));
	w = want_call(v, eid, ex->gpr[16]);
	vcpu_current = v;
	sbi_dispatch(v);
	for (unsigned i = 0; i < vm.nr_vcpus; i++)
		vcpu_take_posted(&vm.vcpu[i]);

	if (w.pinned)
		FUZZ_CHECK((long)ex->gpr[10] == w.a0);
	if (w.marks)
		check_marks(&w, all);

	FUZZ_CHECK(ex->pc == PC + 4);
	for (unsigned i = 0; i < 32; i++)
		FUZZ_CHECK(i == 10 || i == 11 || ex->gpr[i] == before.gpr[i]);
	if (eid <= 8) {
		FUZZ_CHECK(ex->gpr[11] == before.gpr[11]); /* legacy calls return in a0 alone */
	} else if (!sbi_find(eid)) {
		FUZZ_CHECK((long)ex->gpr[10] == SBI_ERR_NOT_SUPPORTED && ex->gpr[11] == 0);
	}
	check_a0(eid, (long)ex->gpr[10]);
	if (eid == EXT_PMU && ex->gpr[16] == 6 && !ex->gpr[10])
		FUZZ_CHECK(ex->gpr[11] == 0);
	check_vm();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	if (!ram)
		ram = malloc(RAM_SIZE);
	make_vm(&in);
	do
		one_call(&in);
	while (in.n);
	vcpu_current = NULL;
	return 0;
}
