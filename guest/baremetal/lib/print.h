/* SPDX-License-Identifier: BSD-2-Clause */
/* Console output for the guests through the legacy SBI console_putchar. */
#ifndef GUEST_PRINT_H
#define GUEST_PRINT_H

#include <stdarg.h>

void putchar(int c);
void puts(const char *s); /* no newline added */

/*
 * A small printf: %s %c %d %u %x %p and %%, with l/ll length modifiers and an optional
 * '0' flag and field width (e.g. %016lx). Nothing else.
 */
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void gvprintf(const char *fmt, va_list ap);

#endif
