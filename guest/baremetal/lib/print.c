// SPDX-License-Identifier: BSD-2-Clause
// Console output: putchar, puts and the small gprintf formatter.
#include <stdbool.h>

#include "print.h"
#include "sbi.h"

void putchar(int c)
{
	sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (unsigned char)c, 0, 0, 0);
}

void puts(const char *s)
{
	while (*s)
		putchar(*s++);
}

struct spec {
	bool zero;
	unsigned width;
	unsigned longs; /* how many 'l' */
};

static void put_padded(const char *digits, unsigned n, bool neg, const struct spec *sp)
{
	unsigned len = n + neg;
	char pad = sp->zero ? '0' : ' ';

	if (neg && sp->zero)
		putchar('-');
	for (; len < sp->width; len++)
		putchar(pad);
	if (neg && !sp->zero)
		putchar('-');
	while (n)
		putchar(digits[--n]);
}

static void put_number(unsigned long long v, unsigned base, bool neg, const struct spec *sp)
{
	char digits[24];
	unsigned n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	put_padded(digits, n, neg, sp);
}

static unsigned long long arg_unsigned(va_list *ap, unsigned longs)
{
	if (longs >= 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long arg_signed(va_list *ap, unsigned longs)
{
	if (longs >= 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void put_signed(long long v, const struct spec *sp)
{
	bool neg = v < 0;

	put_number(neg ? -(unsigned long long)v : (unsigned long long)v, 10, neg, sp);
}

/* Formats one conversion starting after '%'; returns the position after it. */
static const char *convert(const char *f, va_list *ap)
{
	struct spec sp = { 0 };
	const char *s;

	if (*f == '0') {
		sp.zero = true;
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp.width = sp.width * 10 + (unsigned)(*f++ - '0');
	while (*f == 'l') {
		sp.longs++;
		f++;
	}
	switch (*f) {
	case 'd':
		put_signed(arg_signed(ap, sp.longs), &sp);
		break;
	case 'u':
		put_number(arg_unsigned(ap, sp.longs), 10, false, &sp);
		break;
	case 'x':
		put_number(arg_unsigned(ap, sp.longs), 16, false, &sp);
		break;
	case 'p':
		puts("0x");
		put_number((unsigned long)va_arg(*ap, void *), 16, false, &sp);
		break;
	case 'c':
		putchar(va_arg(*ap, int));
		break;
	case 's':
		s = va_arg(*ap, const char *);
		puts(s ? s : "(null)");
		break;
	case '%':
		putchar('%');
		break;
	default:
		/* Unknown conversion: show it rather than lose it silently. */
		putchar('%');
		if (!*f)
			return f;
		putchar(*f);
	}
	return f + 1;
}

void gvprintf(const char *fmt, va_list ap)
{
	va_list args;

	/* A copy, so that convert() can take its address portably. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt == '%')
			fmt = convert(fmt + 1, &args);
		else
			putchar(*fmt++);
	}
	va_end(args);
}

void gprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
}
