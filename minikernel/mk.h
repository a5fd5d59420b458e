/* SPDX-License-Identifier: BSD-2-Clause */
/* Minikernel-internal types and functions (nothing here is visible to the runtime). */
#ifndef MK_H
#define MK_H

#include "dv_abi.h"
#include "riscv.h"

#define MK_MAX_HARTS  8
#define MK_STACK_SIZE 8192
#define MK_GPT_PAGES  64   /* G-stage pool of a VM: 16 KiB root + 60 tables */
#define MK_FDT_ZONE   0x82200000UL /* fw_jump copies the host FDT here */
#define MK_FDT_ZONE_SIZE 0x200000UL
#define MK_DEV_SIZE   (1UL << 30) /* the low device gigabyte, identity-mapped (mm_new_root) */
#define MK_MAX_VIRTIO 16   /* virtio-mmio nodes of the host FDT looked at */
#define MK_CONSOLE_LINE 256 /* a VM's console output held for a whole line (vms.c) */
#define MK_MAX_VMS    MK_MAX_HARTS /* each VM has a hart of its own at least */
#define MK_MAX_SEGS   4    /* PT_LOAD segments of a runtime ELF */

/* Offsets used by trap.S; checked against the struct in trap.c. */
#define MK_HART_T5       0
#define MK_HART_POSTED   8
#define MK_HART_KSTACK   16
#define MK_HART_IN_GUEST 24
#define MK_HART_RT_PC    32
#define MK_HART_RT_SP    40
#define MK_HART_EXIT     48
#define MK_HART_VCPU_ID  56
#define MK_HART_T4       64
#define MK_HART_STOP     72
#define MK_HART_RT_FRAME 80
#define MK_HART_COUNT    (MK_HART_RT_FRAME + 32 * 8)
#define MK_HART_SIZE     (MK_HART_COUNT + MK_COUNT_NR * 8 + 8 * 8 + MK_STACK_SIZE) /* 6 fields, padding */

/*
 * The minikernel's own entries, counted per hart (mk_hart.count) and summed per VM when it
 * ends (vms.c): a guest exit by its exception code, a host interrupt by its code wherever it
 * arrived, a runtime syscall, a runtime fault.
 */
#define MK_COUNT_GUEST    0  /* + exception code (< 32) */
#define MK_COUNT_IRQ      32 /* + interrupt code (< 16) */
#define MK_COUNT_SYSCALL  48
#define MK_COUNT_RT_FAULT 49
#define MK_COUNT_NR       50

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mk_vm;
struct mk_hdev;

/*
 * A spinlock. The minikernel runs with interrupts off and never sleeps, so a holder always
 * finishes; waiters spin on a plain load so that they do not keep the line busy.
 */
static inline void mk_lock(uint32_t *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			;
}

static inline void mk_unlock(uint32_t *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

struct mk_vcpu {
	unsigned id;
	struct dv_exit *exit; /* the exit page, by its identity-mapped physical address */
};

struct mk_hart {
	uint64_t t5;       /* trap entry spills t5 here */
	uint64_t *posted;  /* &exit->posted, for the kick fast path */
	uint64_t kstack;   /* top of this hart's minikernel stack */
	uint64_t in_guest; /* 1 while the guest runs: its traps are exits */
	uint64_t rt_pc;    /* where the runtime resumes after DV_SYS_VCPU_RUN */
	uint64_t rt_sp;    /* the runtime's sp at DV_SYS_VCPU_RUN */
	struct dv_exit *exit; /* exit page of the vCPU pinned here, NULL if none */
	uint64_t vcpu_id;
	uint64_t t4;       /* the kick fast path spills t4 here */
	uint64_t stop;     /* its VM is ending: the thread here must park (vms.c) */
	uint64_t rt_frame[32]; /* the runtime's GPRs at a trap; a guest's go to its exit page */
	uint64_t count[MK_COUNT_NR]; /* entries by MK_COUNT_*: written by this hart only */
	uint64_t hartid;
	struct mk_vm *vm;
	int plic_ctx;      /* host PLIC context of this hart's S-mode, -1 if none */
	uint32_t state;    /* MK_HART_*, changed with atomics by the hart and its starter */
	int sswi;          /* its ACLINT SSWI register, -1 if none */
	uint64_t start_pc, start_sp, start_arg; /* the thread DV_SYS_VCPU_START asked for */
	uint8_t stack[MK_STACK_SIZE] __attribute__((aligned(16)));
};

/* What a VM does when it ends (its config's on-crash and on-poweroff). */
#define MK_END_STOP    0
#define MK_END_RESTART 1

struct mk_vm {
	unsigned id;
	char name[DV_NAME_LEN];
	uint32_t ending;   /* 0, or how it ends (MK_ENDING_*): set once by the first ender (atomic) */
	uint8_t on_crash, on_poweroff; /* MK_END_* */
	struct dv_boot_info *bi;
	const void *rt_elf; /* its runtime ELF in the image, reloaded on a restart */
	uint64_t rt_size;
	uint64_t seg_pa[MK_MAX_SEGS]; /* where each PT_LOAD segment was loaded */
	uint64_t root_pa; /* the runtime's Sv39 root */
	uint64_t ram_gpa, ram_pa, ram_size;
	uint64_t gpt_pa;
	uint8_t backend;   /* DV_BACKEND_* */
	uint32_t gpt_lock; /* gpt_level and every store into the pool (gpt.c) */
	uint8_t gpt_level[MK_GPT_PAGES]; /* table level of each pool page, MK_GPT_FREE if unlinked */
	unsigned nr_vcpus;
	struct mk_vcpu vcpu[DV_MAX_VCPUS];
	struct mk_hart *hart[DV_MAX_VCPUS]; /* vCPU i is pinned to this hart */
	uint32_t nr_threads; /* runtime threads running or being started (atomic) */
	uint64_t fixup_start, fixup_end; /* each pair stored by sys_range (syscall.c) */
	uint64_t entry_start, entry_end; /* dv-hw: the runtime's entry window (DV_SYS_ENTRY_WINDOW) */
	uint64_t entry;
	unsigned irq;      /* the host IRQ granted with the UART, 0 if none */
	uint32_t irq_claimed; /* claimed from the host PLIC, not yet completed by the runtime */
	unsigned nr_irqs;  /* every host IRQ granted, enabled on each hart of the VM */
	unsigned irqs[1 + DV_MAX_HDEVS];
	unsigned nr_hdevs; /* host virtio devices granted, in the boot info's order */
	struct mk_hdev *hdev[DV_MAX_HDEVS];
	unsigned nr_held;  /* console output held until its line ends (mk_vm_console) */
	char held[MK_CONSOLE_LINE];
};
#define MK_GPT_FREE 0xff
#define MK_ENDING_CRASH    1
#define MK_ENDING_POWEROFF 2

/*
 * A hart pinned to a vCPU is OFF (in OpenSBI, never started), STARTING (a start is on its
 * way), RUNNING (a runtime thread runs there) or PARKED (its thread stopped; it waits in the
 * minikernel). Only OFF harts are started through OpenSBI HSM, and only RUNNING ones kicked:
 * OpenSBI 1.1 publishes START_PENDING before the start address, so a hart kept awake in its
 * HSM wait loop by a stray IPI could jump to a stale address.
 */
#define MK_HART_OFF      0
#define MK_HART_STARTING 1
#define MK_HART_RUNNING  2
#define MK_HART_PARKED   3

/* What the minikernel learned from the host FDT and the image. */
struct mk_platform {
	uint64_t ram_base, ram_size;
	uint64_t uart_pa, plic_pa;
	unsigned uart_kind; /* DV_UART_*: the console's driver; NONE: the firmware's console */
	uint64_t sswi_pa;   /* ACLINT SSWI: supervisor IPIs without OpenSBI; 0 if none */
	unsigned uart_irq;
	unsigned nr_virtio; /* virtio-mmio nodes (reg, first interrupt), in FDT order */
	uint64_t virtio_pa[MK_MAX_VIRTIO];
	unsigned virtio_irq[MK_MAX_VIRTIO];
	unsigned nr_harts; /* harts that can run guests, in FDT order */
	unsigned hart_id[MK_MAX_HARTS];
	unsigned nr_skipped; /* harts that cannot, reported at boot */
	struct mk_skipped {
		uint64_t id;
		const char *why, *isa;
	} skipped[MK_MAX_HARTS];
	uint64_t timebase_hz;
	uint64_t features; /* DV_FEAT_* */
	bool has_h;
	bool dvext_csrs;    /* the boot hart has DV-Ext's CSRs, not only a 'z' in its riscv,isa */
	char isa[128];
	void *fdt;          /* writable: the seed taken out of it (mk_fdt_host_inputs) */
	uint64_t image_end; /* first byte after the firmware payload */
};

extern struct mk_platform mk_plat;

/* console.c */
void mk_console_init(unsigned kind, uint64_t uart_pa);
void mk_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
long mk_console_getc(const struct mk_vm *vm);
void mk_console_enable_rx(void);

/* sbi.c: calls into OpenSBI */
#define MK_SBI_EXT_DBCN 0x4442434E
bool mk_sbi_probe(unsigned long eid);
void mk_sbi_console_putc(bool dbcn, char c);
long mk_sbi_console_getc(bool dbcn);
void mk_sbi_set_timer(uint64_t when);
long mk_sbi_hart_start(uint64_t hartid, uint64_t addr, uint64_t opaque);
void mk_sbi_send_ipi(uint64_t harts); /* bit i: hart id i (< MK_MAX_HARTS); not 0 */
__attribute__((noreturn)) void mk_sbi_shutdown(bool failure);

/* fdt.c */
const char *mk_fdt_probe(void *fdt, unsigned long hartid); /* NULL, or why it failed */
int mk_fdt_hart_output(const char *compatible, unsigned irq, unsigned long hartid);
uint64_t fdt_read_cells(const uint32_t *p, int cells);
void mk_fdt_host_inputs(struct dv_boot_info *bi);

/* vmconfig.c: the parts of a VM's node in the config that the minikernel enforces */
struct mk_vmcfg {
	uint64_t ram_size;
	unsigned nr_vcpus;
	bool uart, virtio;  /* grant-host-uart, grant-host-virtio */
	const char *virtio_classes; /* grant-host-virtio's strings, virtio_len bytes (0: all) */
	int virtio_len;
	char name[DV_NAME_LEN];
	const char *runtime;
	uint8_t on_crash, on_poweroff;
	uint8_t backend; /* DV_BACKEND_* */
};
int mk_vmconfig_next(const void *cfg, int node);
const char *mk_vmconfig_read(const void *cfg, int node, struct mk_vmcfg *c);
bool mk_vmconfig_names(const void *cfg, int node, const char *blob);
const char *mk_vmconfig_missing(const void *cfg, int node);

/* mm.c */
void mm_init(void);
uint64_t mm_left(void);
void mm_zero(uint64_t pa, uint64_t size);
uint64_t mm_alloc(uint64_t size, uint64_t align, bool zero); /* 0 when memory is exhausted */
int mm_map(uint64_t root_pa, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);
uint64_t mm_new_root(void);

/* image.c: nothing is looked up before mk_image_verify succeeded */
bool mk_image_verify(void);
uint64_t mk_image_end(void);
const void *mk_image_find(const char *name, uint64_t *size);
int mk_image_foreach(int (*fn)(void *ctx, const char *name, uint64_t pa, uint64_t size), void *ctx);

/* elf.c: loads into fresh pages (their addresses into seg_pa), or again into seg_pa's */
int mk_elf_load(uint64_t root_pa, const void *elf, uint64_t size, uint64_t *entry,
		uint64_t *seg_pa, bool again);

/* head.S: whether this hart has DV-Ext (reading hugatp does not trap), Sstc (stimecmp) */
bool mk_probe_dvext(void);
bool mk_probe_sstc(void);

/* main.c */
extern struct mk_hart mk_harts[MK_MAX_HARTS];
void mk_secondary_entry(void);

/* vm.c: every VM of the config built (all refusals first), then started */
__attribute__((noreturn)) void mk_vms_start(unsigned long boot_hart);
__attribute__((noreturn)) void mk_enter_runtime(struct mk_hart *h, uint64_t pc, uint64_t sp,
						uint64_t arg);
void mk_vm_reset(struct mk_hart *h, struct mk_vm *vm);
extern unsigned mk_nr_vms;
extern struct mk_vm mk_vms[MK_MAX_VMS];
extern struct mk_vm *mk_uart_vm; /* the VM given console input, if any */
extern unsigned mk_console_irq;  /* several VMs: the UART's IRQ, which the minikernel serves */
void mk_console_rx(void);
int mk_uart_getc(void);
extern uint32_t mk_vms_alive;

/* vms.c: a VM's life: its threads parked, its end reported, a restart */
__attribute__((noreturn)) void mk_park(struct mk_hart *h);
__attribute__((noreturn)) void mk_vm_end(struct mk_hart *h, uint32_t how, const char *why);
void mk_hart_wake(struct mk_hart *t, uint64_t pc, uint64_t sp, uint64_t arg);
long mk_vm_console(struct mk_vm *vm, const uint64_t *words, uint64_t n);
void mk_console_release(struct mk_vm *vm);
void mk_console_break(void); /* under the console lock: end a VM's unfinished line */

/* console.c */
extern uint32_t mk_console_lock;
void mk_putc(char c);

/* gpt.c: the VM's G-stage pool; mk_hfence_gvma (vm.c) flushes this hart's G-stage TLB */
void mk_gpt_init(struct mk_vm *vm);
long mk_gpt_write(struct mk_vm *vm, uint64_t table_pa, uint64_t idx, uint64_t pte);
void mk_hfence_gvma(void);

/* dv_sw.c: the C parts of the exit path (trap.S has the fast path) */
void dvsw_apply_requests(struct mk_hart *h, struct dv_exit *ex);
bool dvsw_host_irq(struct mk_hart *h, uint64_t cause, struct dv_exit *ex);
void mk_host_timer_off(void);
long mk_host_ext_irq(struct mk_hart *h);

/* dv_hw.c: the dv-hw backend's hart set-up and the host interrupts that reach HS */
void mk_dvext_hart_reset(struct mk_hart *h, uint64_t sedeleg, uint64_t gatp);
void dvhw_hart_init(struct mk_hart *h);
void dvhw_guest_trap(struct mk_hart *h, uint64_t cause);
void mk_dvhw_forward(struct mk_hart *h, uint64_t cause, uint64_t tval, uint64_t htval);
const char *dvhw_irq_refusal(const struct mk_vm *vm);
void dvhw_runtime_irq(struct mk_hart *h, uint64_t cause);
long dvhw_sys_req(struct mk_hart *h, uint64_t id);

/*
 * dvext.c (the product) or tests/dvmodel/model.c (test images): DV-Ext itself. The HU CSRs
 * of hart h; whether this hart has DV-Ext; mk_dvext_trap takes a trap that DV-Ext hardware
 * would not have sent to HS (only the model, emulating it, ever returns true).
 */
bool mk_dvext_present(void);
uint64_t mk_hu_csr_read(struct mk_hart *h, unsigned csr);
void mk_hu_csr_write(struct mk_hart *h, unsigned csr, uint64_t val);
bool mk_dvext_trap(struct mk_hart *h, uint64_t cause);

/* plic.c: the host PLIC, owned by the minikernel */
void mk_plic_grant(struct mk_hart *h, unsigned irq);
unsigned mk_plic_claim(struct mk_hart *h);
void mk_plic_complete(struct mk_hart *h, unsigned irq);
void dvsw_hart_init(void);
long dvsw_vcsr(struct mk_hart *h, uint64_t id, uint64_t csr, bool write, uint64_t *val);

/* hvirtio.c: host virtio devices, driven for the VM they are granted to (the DMA gate) */
const char *mk_hdev_grant(struct mk_vm *vm, struct dv_boot_info *bi, const char *classes,
			  int len);
bool mk_hdev_irq(struct mk_vm *vm, unsigned irq);
long mk_hq_submit(struct mk_hart *h, uint64_t hdev, uint64_t queue, uint64_t n, uint64_t *id);
long mk_hq_reap(struct mk_hart *h, uint64_t hdev, uint64_t queue, uint64_t max, uint64_t *n);
long mk_hdev_reset(struct mk_hart *h, uint64_t hdev);

/* trap.c / syscall.c */
struct mk_hart *mk_trap(struct mk_hart *h);
void mk_syscall(struct mk_hart *h);
/* Two values, returned in a0 and a1 (the psABI's rule for a two-word struct). */
struct mk_ret {
	long a0;
	uint64_t a1;
};
struct mk_ret mk_dma_syscall(struct mk_hart *h, uint64_t nr, uint64_t a0, uint64_t a1,
			     uint64_t a2);
/* Interrupt the harts of the VM's vCPUs in `ids` (bit i = vCPU i) that run a thread. */
void mk_kick_vcpus(struct mk_hart *h, uint64_t ids);

/* Kicks hart t: through its ACLINT SSWI at once, else it joins *sbi, the harts of one SBI IPI. */
static inline void mk_kick_hart(const struct mk_hart *t, uint64_t *sbi)
{
	if (t->sswi >= 0)
		*(volatile uint32_t *)(mk_plat.sswi_pa + 4 * (long)t->sswi) = 1;
	else
		*sbi |= 1UL << t->hartid;
}
/* The kicks a runtime thread deferred (DV_REQ_KICK), sent at its resume or its stop. */
static inline void mk_kick_deferred(struct mk_hart *h, struct dv_exit *ex)
{
	if (ex->req & DV_REQ_KICK)
		mk_kick_vcpus(h, ex->kick);
	ex->req &= ~DV_REQ_KICK;
	ex->kick = 0;
}
__attribute__((noreturn)) void mk_trap_return(struct mk_hart *h);
void mk_trap_entry(void);
__attribute__((noreturn)) void mk_panic_trap(void);

#endif
#endif
