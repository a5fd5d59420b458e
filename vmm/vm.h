/* SPDX-License-Identifier: BSD-2-Clause */
/* The VM and its vCPUs as the runtime sees them. */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dv_abi.h"
#include "mmio.h"

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
	EXIT_WFI,
	EXIT_VIRT_INSN,
	EXIT_OTHER,
	EXIT_NR,
};

struct vm;
struct board;

struct vcpu {
	unsigned id;
	struct vm *vm;
	struct dv_exit *exit; /* the exit page shared with the minikernel */
	enum vcpu_state state;
	uint64_t start_pc, start_arg; /* HSM hart_start */
	uint64_t exits[EXIT_NR];
};

struct vm {
	unsigned id;
	unsigned nr_vcpus;
	struct vcpu vcpu[DV_MAX_VCPUS];
	uint64_t ram_gpa, ram_size;
	uint8_t *ram; /* the guest's RAM as mapped in the runtime */
	bool sstc;    /* the guest programs vstimecmp itself */
	uint64_t timebase_hz;
	struct mmio_bus bus;
	struct board *board; /* the devices on the bus and their interrupt wiring */
	enum vm_end end;
	const char *end_why;
	unsigned warnings; /* guest-caused warnings printed so far */
};

#define VM_MAX_WARNINGS 16

/* A pointer to guest-physical [gpa, gpa+len) when it lies wholly in RAM, else NULL. */
void *vm_gpa_ptr(struct vm *vm, uint64_t gpa, uint64_t len);

/* Whether one more guest-caused warning may be printed (the first VM_MAX_WARNINGS are). */
bool vm_warn_ok(struct vm *vm);

/* Ends the VM's run loop with `end`; `why` is printed in the report. */
void vm_stop(struct vm *vm, enum vm_end end, const char *why);

/* Assert or clear virtual interrupts (DV_HVIP_*) of a vCPU. */
void vcpu_irq_raise(struct vcpu *v, uint64_t hvip_bits);
void vcpu_irq_clear(struct vcpu *v, uint64_t hvip_bits);

/* Arm the guest timer of a vCPU at `deadline` (time CSR units); ~0 disarms. */
void vcpu_set_timer(struct vcpu *v, uint64_t deadline);

/* Deliver a synchronous exception to the guest as if the hardware had (e.g. an access fault). */
void vcpu_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval);

/* Ask for a fence (DV_REQ_FENCE_*) on vCPU `v` before it next runs. */
void vcpu_request(struct vcpu *v, uint64_t req);

#endif
