/* SPDX-License-Identifier: BSD-2-Clause */
/* The VM and its vCPUs as the runtime sees them. */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dv_abi.h"
#include "lock.h"
#include "mmio.h"
#include "pmu.h"

/* SBI HSM states (SBI spec v2.0, chapter 9). */
enum vcpu_state {
	VCPU_STARTED = 0,
	VCPU_STOPPED = 1,
	VCPU_START_PENDING = 2,
	VCPU_STOP_PENDING = 3,
	VCPU_SUSPENDED = 4,
	VCPU_SUSPEND_PENDING = 5,
	VCPU_RESUME_PENDING = 6,
};

/* How a SUSPENDED vCPU wakes. */
enum vcpu_suspend {
	SUSPEND_RETENTIVE,     /* where it called, on any interrupt (SBI HSM) */
	SUSPEND_NON_RETENTIVE, /* at start_pc, as if started there (SBI HSM) */
	SUSPEND_SYSTEM,        /* likewise, only for an interrupt the guest enabled (SBI SUSP) */
};

/* Why a VM stopped running. */
enum vm_end {
	VM_RUNNING = 0,
	VM_POWEROFF, /* the guest asked for shutdown */
	VM_REBOOT,   /* the guest asked for a reset */
	VM_CRASH,    /* the guest did something the VM cannot continue from */
};

/* Exit counters by kind, reported when the VM ends and read by the benchmark. */
enum vcpu_exit_kind {
	EXIT_SBI,
	EXIT_MMIO,
	EXIT_TIMER,
	EXIT_HOST_IRQ,
	EXIT_KICK,
	EXIT_WFI,
	EXIT_COUNTER, /* a guest's read of cycle or instret (SBI PMU: docs/devices.md) */
	EXIT_VIRT_INSN,
	EXIT_OTHER,
	EXIT_NR,
};

struct vm;
struct board;
struct sbi_ext;

/*
 * Everything but `state`, the exit page's `posted` and `eip`, and the parts of `pmu` that
 * pmu.h names belongs to the vCPU's own thread (on its own hart). Other threads post to it
 * (vcpu_irq_raise, vcpu_set_eip, vcpu_request: DV_POST_* in dv_abi.h) and kick its hart; the
 * owner takes the posts before entering the guest, the minikernel when a kick finds the
 * guest running.
 */
struct vcpu {
	unsigned id;
	struct vm *vm;
	struct dv_exit *exit; /* the exit page shared with the minikernel */
	int state;            /* enum vcpu_state, read and written atomically */
	bool polls;           /* vCPU 0, when console input raises no host IRQ: it polls (vcpu.c) */
	uint64_t start_pc, start_arg; /* HSM hart_start, non-retentive and system suspend */
	enum vcpu_suspend suspend;    /* the kind of the suspend in progress */
	uint32_t fwft_locked;         /* SBI FWFT: bit i = feature i locked until a hart reset */
	const struct sbi_ext *sbi_last; /* the SBI extension of its last call */
	uint64_t exits[EXIT_NR];
	struct vcpu_pmu pmu;            /* its SBI PMU counters */
	uint64_t deadline;              /* the guest's timer as it set it; ~0 once raised */
	uint64_t poll_at;               /* vCPU 0 of a polled console: its next poll */
};

struct vm {
	unsigned id;
	unsigned nr_vcpus;
	struct vcpu vcpu[DV_MAX_VCPUS];
	uint64_t ram_gpa, ram_size;
	uint8_t *ram; /* the guest's RAM as mapped in the runtime */
	bool sstc;    /* the guest programs vstimecmp itself */
	bool host_timer; /* the host timer is not the guest's: Sstc, or dv-hw (the vtimer) */
	uint64_t timebase_hz;
	struct mmio_bus bus;
	struct board *board; /* the devices on the bus and their interrupt wiring */
	int end;                /* enum vm_end, set once by vm_stop until a reboot clears it */
	const char *end_why;
	uint32_t finishing;     /* a thread has taken on ending (or rebooting) the VM */
	/* Held by a retiring thread between "is any other vCPU alive" and its own STOPPED. */
	struct spinlock retire_lock;
	unsigned warnings;      /* guest-caused warnings printed so far */
	/* Starts the thread of a vCPU that is START_PENDING; 0 or -1. */
	int (*start_vcpu)(struct vcpu *v);
};

#define VM_MAX_WARNINGS 16

/* A pointer to guest-physical [gpa, gpa+len) when it lies wholly in RAM, else NULL. */
static inline void *vm_gpa_ptr(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa < vm->ram_gpa || len > vm->ram_size || gpa - vm->ram_gpa > vm->ram_size - len)
		return NULL;
	return vm->ram + (gpa - vm->ram_gpa);
}

/* Whether one more guest-caused warning may be printed (the first VM_MAX_WARNINGS are). */
bool vm_warn_ok(struct vm *vm);

/* Ends the VM's run loop with `end`; `why` is printed in the report. */
void vm_stop(struct vm *vm, enum vm_end end, const char *why);

/* The vCPU whose thread is running this code (NULL outside vCPU threads). */
extern __thread struct vcpu *vcpu_current;

/* Raise virtual interrupts (DV_HVIP_*) of the vCPUs in a bitmap of ids. */
void vm_raise_irqs(struct vm *vm, unsigned long vcpus, uint64_t hvip_bits);

static inline void vcpu_irq_raise(struct vcpu *v, uint64_t hvip_bits)
{
	vm_raise_irqs(v->vm, 1UL << v->id, hvip_bits);
}

/* Clear virtual interrupts of the caller's own vCPU. */
void vcpu_irq_clear(struct vcpu *v, uint64_t hvip_bits);

/* The level of a vCPU's external interrupt (VSEIP), from any thread. */
void vcpu_set_eip(struct vcpu *v, bool level);

/* The owner merges what was posted to it into its exit page; before every guest entry. */
void vcpu_take_posts(struct vcpu *v);

/* A plain load first: a post that races past it comes with a kick, which forces an exit. */
static inline void vcpu_take_posted(struct vcpu *v)
{
	if (__atomic_load_n(&v->exit->posted, __ATOMIC_RELAXED))
		vcpu_take_posts(v);
}

/* HSM state, shared between threads. */
static inline int vcpu_state(const struct vcpu *v)
{
	return __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
}

void vcpu_set_state(struct vcpu *v, int state);
bool vcpu_move_state(struct vcpu *v, int from, int to);

/* Whether any vCPU of the VM other than `self` is not STOPPED. */
bool vm_others_alive(const struct vm *vm, const struct vcpu *self);

/* Arm the guest timer of a vCPU at `deadline` (time CSR units); ~0 disarms. */
void vcpu_set_timer(struct vcpu *v, uint64_t deadline);

/* Deliver a synchronous exception to the guest as if the hardware had (e.g. an access fault). */
void vcpu_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval);

/* Ask for a fence (DV_REQ_FENCE_*) on the vCPUs in a bitmap, or a wait on one's own, before they next run. */
void vm_request(struct vm *vm, unsigned long vcpus, uint64_t req);

static inline void vcpu_request(struct vcpu *v, uint64_t req)
{
	vm_request(v->vm, 1UL << v->id, req);
}

#endif
