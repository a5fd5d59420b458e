/* SPDX-License-Identifier: BSD-2-Clause */
/* The host console the guest's console devices write to and read from. */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdint.h>

/* Directs the console to a 16550 at `uart` (the granted host UART window). */
void console_init(volatile uint8_t *uart);
void console_putc(char c);
/* The next input byte, or -1 when none is waiting. */
int console_getc(void);

#endif
