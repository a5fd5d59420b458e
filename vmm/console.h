/* SPDX-License-Identifier: BSD-2-Clause */
/* The host console the guest's console devices write to and read from. */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Directs the console to the granted host UART window `uart` of kind DV_UART_* (boot info),
 * or without one to the minikernel's console. shared (DV_CONSOLE_SHARED): output goes
 * through the minikernel, which keeps the VMs' lines apart; the window is only read.
 */
void console_init(volatile uint8_t *uart, unsigned kind, bool shared);
void console_putc(char c);
/* Lets the host UART raise its interrupt when input arrives. */
void console_enable_rx_irq(void);
/* Whether input is waiting at the host UART. */
bool console_has_input(void);
/* The next input byte, or -1 when none is waiting. */
int console_getc(void);

#endif
