/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest platform's fixed addresses (mirroring QEMU virt where the devices match). */
#ifndef VMM_PLATFORM_H
#define VMM_PLATFORM_H

#define GUEST_KERNEL_OFFSET 0x200000UL /* the kernel loads at RAM base + 2 MiB */
#define GUEST_DTB_MAX       0x10000UL  /* the DTB takes the top 64 KiB of RAM */

#define GUEST_UART_BASE    0x10000000UL
#define GUEST_UART_SIZE    0x100UL
#define GUEST_TESTDEV_BASE 0x10010000UL
#define GUEST_TESTDEV_SIZE 0x1000UL

#endif
