/* SPDX-License-Identifier: BSD-2-Clause */
/* The minikernel/runtime ABI: syscalls, the exit page, the boot info page, the runtime's address map. */
#ifndef DV_ABI_H
#define DV_ABI_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * Syscalls: `ecall` from U-mode with a7 = number, arguments in a0..a5.
 * a0 returns 0 or a negative DV_E* code; a1 returns a value where one is defined.
 * Like a function call, a syscall may clobber ra, t0..t6 and a2..a7; sp, gp, tp and
 * s0..s11 are kept.
 */
#define DV_SYS_VCPU_RUN   0 /* a0 = vcpu: enter the guest; returns when an exit is in the exit page */
#define DV_SYS_VCSR_READ  1 /* a0 = vcpu, a1 = DV_VCSR_*: a1 <- value */
#define DV_SYS_VCSR_WRITE 2 /* a0 = vcpu, a1 = DV_VCSR_*, a2 = value */
#define DV_SYS_GPT_WRITE  3 /* a0 = table page PA, a1 = index, a2 = PTE: validated G-stage store */
#define DV_SYS_FIXUP      4 /* a0 = start, a1 = end: faults at pc in [start,end) return -DV_EFAULT to ra */
#define DV_SYS_EXIT       5 /* a0 = DV_EXIT_*: the runtime is done; does not return */
#define DV_SYS_IRQ_DONE   6 /* a0 = host IRQ: the device is served, complete it at the host PLIC */
#define DV_SYS_VCPU_START 7 /* a0 = vcpu, a1 = pc, a2 = sp, a3 = a0 of a runtime thread on its hart */
#define DV_SYS_VCPU_STOP  8 /* the calling hart's thread ends; its hart parks; does not return */
#define DV_SYS_VCPU_KICK  9 /* a0 = vcpu: interrupt its hart so that it takes its posts (DV_EXIT_POSTED) */
/*
 * Host virtio devices (hdev: index into the boot info's hdev[]) are driven by the minikernel
 * on the VM's behalf; the runtime passes buffers through the DMA area of the calling hart's
 * exit page, and the minikernel checks every one against the VM's RAM before a device sees it.
 */
#define DV_SYS_HQ_SUBMIT  10 /* a0 = hdev, a1 = queue, a2 = segments in the DMA area: a1 <- chain id */
#define DV_SYS_HQ_REAP    11 /* a0 = hdev, a1 = queue, a2 = max: completions into the DMA area, a1 <- count */
#define DV_SYS_HDEV_RESET 12 /* a0 = hdev: reset the device and its queues; chains in flight are dropped */
/*
 * a0 = n (0 to DV_CONSOLE_MAX), a1..a5 = n bytes (little-endian, a1's low byte first): the
 * VM's console output, written to the minikernel's console (its UART driver or the
 * firmware's) under its console lock; with several VMs each line is tagged with the VM's
 * name and held until it ends, or until a call with n = 0 says the guest paused
 * (docs/vms.md).
 */
#define DV_SYS_CONSOLE    13
/* a1 <- a byte read from the firmware's console, or -1 (a VM given no UART window: spike) */
#define DV_SYS_CONSOLE_GETC 14
/*
 * dv-hw only (docs/dv-hw.md). a0 = start, a1 = end: the runtime's guest-entry window, which
 * checks host_irqs at `start` and holds its HURET (and its wait for an interrupt); a host
 * interrupt taken at a pc in [start, end] is posted to host_irqs and the runtime resumes
 * at `start`.
 */
#define DV_SYS_ENTRY_WINDOW 15
/* dv-hw only. a0 = vcpu (the caller's): the exit page's requests only HS can apply (DV_REQ_KICK, DV_REQ_HOST_TIMER) */
#define DV_SYS_VCPU_REQ   16
#define DV_SYS_NR         17
#define DV_CONSOLE_MAX    40

#define DV_EOK     0
#define DV_ENOSYS  1 /* no such syscall */
#define DV_EINVAL  2 /* argument out of range */
#define DV_EPERM   3 /* the VM's grant does not allow it */
#define DV_EBUSY   4 /* a valid G-stage table link may not be replaced */
#define DV_EFAULT  5 /* a guest-memory access under DV_SYS_FIXUP faulted */

/* Reasons given with DV_SYS_EXIT. */
#define DV_EXIT_POWEROFF 0
#define DV_EXIT_FAILURE  1

/* Guest CSRs the runtime may read and write through DV_SYS_VCSR_*. */
#define DV_VCSR_VSSTATUS   0
#define DV_VCSR_VSTVEC     1
#define DV_VCSR_VSEPC      2
#define DV_VCSR_VSCAUSE    3
#define DV_VCSR_VSTVAL     4
#define DV_VCSR_VSSCRATCH  5
#define DV_VCSR_VSATP      6
#define DV_VCSR_VSIE       7
#define DV_VCSR_HTIMEDELTA 8
#define DV_VCSR_NR         9

/*
 * The exit page: one 4 KiB page per vCPU, shared by the minikernel and the runtime.
 * On an exit the minikernel fills gpr, pc and the exit fields; before DV_SYS_VCPU_RUN the
 * runtime edits gpr, pc, priv, hvip and the requests. Offsets are ABI (used from assembly).
 */
#define DV_EXIT_GPR     0x000 /* x0..x31; x0 is ignored */
#define DV_EXIT_PC      0x100
#define DV_EXIT_CAUSE   0x108 /* scause of the exit */
#define DV_EXIT_TVAL    0x110 /* stval: guest-virtual address or instruction bits */
#define DV_EXIT_HTVAL   0x118 /* guest-physical address >> 2 on guest-page faults */
/* On a host external interrupt exit, tval is the granted host IRQ to serve (0: none). */
#define DV_EXIT_HTINST  0x120
#define DV_EXIT_PRIV    0x128 /* 1: guest in VS-mode, 0: VU-mode (at exit and on resume) */
#define DV_EXIT_HVIP    0x130 /* VSSIP/VSTIP/VSEIP asserted while the guest runs */
#define DV_EXIT_TIMER   0x138 /* deadline applied when DV_REQ_TIMER is set */
#define DV_EXIT_REQ     0x140 /* DV_REQ_* consumed by DV_SYS_VCPU_RUN */
#define DV_EXIT_POSTED  0x148 /* DV_POST_*, OR-ed in atomically by the VM's other runtime threads */
#define DV_EXIT_EIP     0x150 /* the level VSEIP takes when DV_POST_EIP is taken (0 or 1) */
#define DV_EXIT_KICK    0x158 /* vCPU ids (bit i = vCPU i) to kick under DV_REQ_KICK */
#define DV_EXIT_HOST_TIMER 0x160 /* deadline applied when DV_REQ_HOST_TIMER is set */
/* With a shared console, in vCPU 0's page: input bytes the minikernel has written */
#define DV_EXIT_CONS_HEAD 0x168
#define DV_EXIT_CONS_TAIL 0x170 /* input bytes taken by the runtime */
/*
 * dv-hw: host interrupts the minikernel took while the runtime ran, for the runtime to see
 * as exits: bit IRQ_S_SOFT (a kick), IRQ_S_TIMER (the host timer), DV_HOST_IRQ_EXT + n (host
 * external IRQ n granted to the VM). Set atomically by the minikernel, cleared by the runtime.
 */
#define DV_EXIT_HOST_IRQS 0x178
#define DV_HOST_IRQ_EXT   16
#define DV_HOST_IRQ_MAX   32 /* dv-hw VMs are granted host IRQs numbered below this only */
/*
 * dv-sw on a DV-Ext host, whose hvip drops VSEIP (DVEXT.md): DV_HVIP_VSEIP or 0, as the
 * minikernel last set it for the guest (DV_REQ_VSEIP, a DV_POST_EIP). Written by it only.
 */
#define DV_EXIT_VSEIP     0x180
#define DV_EXIT_CONS_BUF  0x400 /* the ring: byte i at DV_EXIT_CONS_BUF + i % DV_EXIT_CONS_SIZE */
#define DV_EXIT_CONS_SIZE 0x400
#define DV_EXIT_DMA     0x800 /* DMA area: struct dv_dma_seg[] in, struct dv_dma_done[] out */
#define DV_EXIT_DMA_SIZE 0x800

#define DV_REQ_TIMER (1UL << 0) /* arm the guest timer at `timer` (~0: disarm) */
#define DV_REQ_WFI   (1UL << 1) /* wait for an interrupt before entering the guest */
#define DV_REQ_FENCE_I    (1UL << 2) /* fence.i on the vCPU's hart before entering */
#define DV_REQ_FENCE_VVMA (1UL << 3) /* flush the vCPU's VS-stage TLB (hfence.vvma) before entering */
/* kick the vCPUs in `kick` as DV_SYS_VCPU_KICK would, at DV_SYS_VCPU_RUN or DV_SYS_VCPU_STOP */
#define DV_REQ_KICK       (1UL << 4)
/* flush the hart's G-stage TLB (hfence.gvma) before entering: another thread unmapped a page */
#define DV_REQ_FENCE_GVMA (1UL << 5)
#define DV_REQ_FENCES     (DV_REQ_FENCE_I | DV_REQ_FENCE_VVMA | DV_REQ_FENCE_GVMA)
/*
 * With Sstc: arm the host timer (not the guest's) at `host_timer`; it exits as a supervisor
 * timer interrupt (the runtime's console poll). Without Sstc the host timer is the guest's
 * (DV_REQ_TIMER) and this is ignored.
 */
#define DV_REQ_HOST_TIMER (1UL << 6)
/* dv-sw on a DV-Ext host: `hvip`'s VSEIP for the guest, in huvip there (DV_EXIT_VSEIP) */
#define DV_REQ_VSEIP      (1UL << 7)

/*
 * Posts: what another runtime thread wants a vCPU to see, without waiting for its owner.
 * A poster ORs them into the vCPU's `posted` word and kicks it (DV_SYS_VCPU_KICK). Whoever
 * runs next on the vCPU's hart takes the word (atomic swap with 0): the owner thread before
 * DV_SYS_VCPU_RUN, or the minikernel when the kick finds the guest running. The minikernel
 * then raises the posted VSSIP/VSTIP, sets VSEIP to `eip` if DV_POST_EIP, performs the posted
 * fences and resumes the guest; only DV_POST_EXIT makes it exit to the runtime.
 */
#define DV_POST_REQ_SHIFT 32        /* DV_REQ_FENCE_* << DV_POST_REQ_SHIFT: a fence */
#define DV_POST_EXIT (1UL << 62) /* the runtime must see an exit (kick cause) */
#define DV_POST_EIP  (1UL << 63) /* VSEIP follows `eip` */

/* Interrupt bits of hvip (RISC-V privileged spec, H extension). */
#define DV_HVIP_VSSIP 0x004
#define DV_HVIP_VSTIP 0x040
#define DV_HVIP_VSEIP 0x400

#ifndef __ASSEMBLER__
struct dv_exit {
	uint64_t gpr[32];
	uint64_t pc;
	uint64_t cause;
	uint64_t tval;
	uint64_t htval;
	uint64_t htinst;
	uint64_t priv;
	uint64_t hvip;
	uint64_t timer;
	uint64_t req;
	uint64_t posted;
	uint64_t eip;
	uint64_t kick;
	uint64_t host_timer;
	uint64_t cons_head; /* console input ring (vCPU 0's page, several VMs): bytes written */
	uint64_t cons_tail; /* bytes the runtime has taken */
	uint64_t host_irqs; /* dv-hw: DV_EXIT_HOST_IRQS */
	uint64_t vseip;     /* dv-sw on DV-Ext: DV_EXIT_VSEIP */
};

/* A buffer of a chain for a host device: `off` is a byte offset into the VM's RAM grant. */
struct dv_dma_seg {
	uint64_t off;
	uint32_t len;
	uint32_t flags; /* DV_DMA_WRITE: the device writes it; device-readable ones come first */
};
#define DV_DMA_WRITE 1U
#define DV_DMA_MAX_SEGS (DV_EXIT_DMA_SIZE / 16)

/* A chain the host device has finished: the id DV_SYS_HQ_SUBMIT returned, bytes written. */
struct dv_dma_done {
	uint32_t id;
	uint32_t len;
};
#define DV_DMA_MAX_DONE (DV_EXIT_DMA_SIZE / 8)
#endif

/*
 * The runtime's address space (Sv39, U-mode). The runtime ELF is linked at DV_RT_IMAGE_VA;
 * everything else is described by the boot info page, whose address the runtime gets in a0.
 */
#define DV_RT_IMAGE_VA   0x1000000000UL
#define DV_RT_RAM_VA     0x2000000000UL /* the VM's RAM, read-write */
/* The RAM grant is the config's memory-size and this much more: pages the runtime may map
 * into its guest besides its RAM (the register shadows of docs/memory-map.md). */
#define DV_RAM_EXTRA     0x10000UL
#define DV_RT_INFO_VA    0x3000000000UL /* boot info, read-only */
#define DV_RT_EXIT_VA    0x3000001000UL /* exit page of vCPU i at + i * 4 KiB, read-write */
#define DV_RT_GPT_VA     0x3000200000UL /* G-stage table pool, read-only */
#define DV_RT_BLOB_VA    0x3100000000UL /* image blobs (VM config, guest payloads), read-only */
#define DV_RT_DEV_VA     0x3800000000UL /* granted device windows, read-write */

#define DV_BOOT_MAGIC 0x4456424f4f54UL /* "DVBOOT" */
#define DV_MAX_VCPUS  8
#define DV_MAX_BLOBS  8
#define DV_MAX_DEVS   4
#define DV_NAME_LEN   16
#define DV_MAX_HDEVS  4
#define DV_HDEV_QUEUES 2
#define DV_HDEV_CONFIG 64
#define DV_RNG_SEED_MAX 64

#define DV_FEAT_SSTC  (1UL << 0) /* host has Sstc: the guest gets vstimecmp */
#define DV_FEAT_DVEXT (1UL << 1) /* host has DV-Ext */

/* The host UART granted as "uart" (the boot info's uart_kind); NONE: use DV_SYS_CONSOLE. */
#define DV_UART_NONE     0
#define DV_UART_NS16550A 1
#define DV_UART_SIFIVE   2 /* sifive,uart0 */

#define DV_BACKEND_SW 0 /* dv-sw: exits go through the minikernel */
#define DV_BACKEND_HW 1 /* dv-hw: exits land in the runtime */

#ifndef __ASSEMBLER__
struct dv_region {
	char name[DV_NAME_LEN];
	uint64_t va;
	uint64_t pa;
	uint64_t size;
	uint64_t irq; /* devices: the host IRQ granted with it, 0 if none */
};

/* A host virtio-mmio device (version 2) the minikernel has set up and granted to the VM. */
struct dv_hdev {
	uint32_t device_id;  /* virtio device ID: 1 net, 2 block, 3 console, 4 entropy */
	uint32_t nr_queues;
	uint32_t queue_size[DV_HDEV_QUEUES];
	uint64_t features;   /* negotiated with the device (VIRTIO_F_VERSION_1 included) */
	uint64_t irq;        /* its host IRQ, given in tval on host external interrupt exits */
	uint64_t pa;         /* its MMIO base, for messages */
	uint8_t config[DV_HDEV_CONFIG]; /* its device config space as read at set-up */
};

struct dv_boot_info {
	uint64_t magic;
	uint64_t features;
	uint64_t backend;
	uint64_t vm_id;
	uint64_t nr_vcpus;
	uint64_t timebase_hz;
	char host_isa[128];       /* the boot hart's riscv,isa string */
	struct dv_region ram;     /* guest RAM: va in the runtime, pa = host-physical, name = "ram" */
	uint64_t ram_gpa;
	struct dv_region gpt;     /* G-stage pool; its first 4 pages are the 16 KiB root */
	uint64_t exit_va;
	uint64_t nr_blobs;
	struct dv_region blob[DV_MAX_BLOBS];
	uint64_t nr_devs;
	struct dv_region dev[DV_MAX_DEVS];
	uint64_t nr_hdevs;
	struct dv_hdev hdev[DV_MAX_HDEVS];
	/* The host's RTC read once at boot, ns since 1970 (0: no host RTC); the time CSR then. */
	uint64_t host_rtc_ns;
	uint64_t host_rtc_time;
	/* The host's /chosen/rng-seed (its first DV_RNG_SEED_MAX bytes); given to this VM alone. */
	uint64_t rng_seed_len;
	uint8_t rng_seed[DV_RNG_SEED_MAX];
	/* This VM in the config: its node's offset in the "config" blob, its name. */
	int64_t vm_node;
	char vm_name[DV_NAME_LEN];
	uint64_t console;  /* DV_CONSOLE_* */
	uint64_t instance; /* 0, then +1 at each restart of the VM by the minikernel */
	uint64_t uart_kind; /* DV_UART_* of the "uart" device window */
};
/* The runtime writes the granted UART itself (the only VM, granted the host UART). */
#define DV_CONSOLE_OWN    0
/*
 * Output through DV_SYS_CONSOLE; input (several VMs) from the ring in vCPU 0's exit page,
 * filled by the minikernel, which owns the UART then: no "uart" window is granted.
 */
#define DV_CONSOLE_SHARED 1
#endif

#endif
