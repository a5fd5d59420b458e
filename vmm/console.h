/* SPDX-License-Identifier: BSD-2-Clause */
/* The host console the guest's console devices write to and read from. */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "dv_abi.h"

/*
 * Directs the console to the granted host UART window `uart` of kind DV_UART_* (boot info),
 * or without one to the minikernel's console. With a shared_ring (DV_CONSOLE_SHARED: vCPU
 * 0's exit page) output goes through the minikernel, which keeps the VMs' lines apart, and
 * input comes from that page's ring.
 */
void console_init(volatile uint8_t *uart, unsigned kind, struct dv_exit *shared_ring);
void console_putc(char c);
/*
 * The guest paused (it waits in WFI, or reads input): through the minikernel, which holds a
 * VM's unfinished line while several VMs share the console, a prompt is shown now.
 */
void console_pause(void);

/* The shared console's input ring (vCPU 0's exit page), NULL otherwise. */
extern struct dv_exit *console_ring;

/* Whether the ring holds input the runtime has not taken: checked after every exit. */
static inline bool console_ring_waiting(void)
{
	struct dv_exit *r = console_ring;

	return r && __atomic_load_n(&r->cons_head, __ATOMIC_ACQUIRE) != r->cons_tail;
}
/* Lets the host UART raise its interrupt when input arrives. */
void console_enable_rx_irq(void);
/* Whether input is waiting at the host UART. */
bool console_has_input(void);
/* The next input byte, or -1 when none is waiting. */
int console_getc(void);

#endif
