/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest platform's fixed addresses (mirroring QEMU virt where the devices match). */
#ifndef VMM_PLATFORM_H
#define VMM_PLATFORM_H

#define GUEST_KERNEL_OFFSET 0x200000UL /* the kernel loads at RAM base + 2 MiB */
#define GUEST_DTB_MAX       0x10000UL  /* the DTB takes the top 64 KiB of RAM */
#define GUEST_INITRD_ALIGN  0x1000UL   /* the initrd ends just below the DTB */

#define GUEST_SIFIVE_TEST_BASE 0x100000UL /* sifive,test0: poweroff, reboot (syscon) */
#define GUEST_SIFIVE_TEST_SIZE 0x1000UL
#define GUEST_RTC_BASE     0x101000UL
#define GUEST_RTC_SIZE     0x1000UL
#define GUEST_RTC_IRQ      11 /* described in the DTB; never raised (no alarm interrupt) */
#define GUEST_PLIC_BASE    0x0c000000UL
#define GUEST_PLIC_SIZE    0x600000UL
#define GUEST_PLIC_NDEV    95 /* sources 1..95 */
#define GUEST_UART_BASE    0x10000000UL
#define GUEST_UART_SIZE    0x100UL
#define GUEST_UART_IRQ     10
#define GUEST_VIRTIO_BASE  0x10001000UL /* slot n at + n * GUEST_VIRTIO_SIZE, PLIC source 1 + n */
#define GUEST_VIRTIO_SIZE  0x1000UL
#define GUEST_VIRTIO_SLOTS 8
#define GUEST_VIRTIO_IRQ   1
#define GUEST_TESTDEV_BASE 0x10010000UL
#define GUEST_TESTDEV_SIZE 0x1000UL

/*
 * The RAM grant's DV_RAM_EXTRA bytes past the guest's RAM hold read-only shadows of device
 * register pages (the PLIC's enables, each virtio device's registers, the UART's): page 0
 * the PLIC's, 1 + n slot n's, GUEST_UART_SHADOW the UART's.
 */
#define GUEST_UART_SHADOW (1 + GUEST_VIRTIO_SLOTS)

#endif
