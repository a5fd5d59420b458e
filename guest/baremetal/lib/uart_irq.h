/* SPDX-License-Identifier: BSD-2-Clause */
/* The 16550's receive interrupt: its registers and PLIC source 10 in context 0 (vCPU 0). */
#ifndef GUEST_UART_IRQ_H
#define GUEST_UART_IRQ_H

#define UART_RBR  0
#define UART_IER  1
#define UART_LSR  5
#define IER_ERBFI 0x01
#define LSR_DR    0x01

#define PLIC_BASE    0x0c000000UL
#define UART_IRQ     10
#define PLIC_PRIO    (PLIC_BASE + 4 * UART_IRQ)
#define PLIC_ENABLE0 (PLIC_BASE + 0x2000)
#define PLIC_THRESH  (PLIC_BASE + 0x200000)
#define PLIC_CLAIM   (PLIC_BASE + 0x200004)

#include <stdint.h>

/* Counted and kept by the handler uart_irq_keys installs: one per receive interrupt. */
extern volatile unsigned long uart_key_irqs;
extern volatile uint8_t uart_key;

/* Routes the receive interrupt through the PLIC to S-mode (sie.SEIE); sstatus.SIE untouched. */
void uart_irq_keys(void);

#endif
