// SPDX-License-Identifier: BSD-2-Clause
// The default demo guest: greets through the emulated 16550, shows what it runs on, powers off.
#include "print.h"
#include "sbi.h"

#define UART_THR ((volatile unsigned char *)0x10000000)
#define UART_LSR ((volatile unsigned char *)0x10000005)

static void uart_puts(const char *s)
{
	for (; *s; s++) {
		while (!(*UART_LSR & 0x20))
			;
		*UART_THR = (unsigned char)*s;
	}
}

int main(unsigned long hartid, unsigned long dtb)
{
	struct sbiret ver = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0, 0);
	struct sbiret impl = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0, 0, 0, 0);

	uart_puts("\r\nHello from a guest of DuVisor-C (this line went through the emulated 16550)\r\n");
	gprintf("hello: hart %lu, DTB at 0x%lx, SBI v%ld.%ld, implementation 0x%lx\n", hartid, dtb,
		(ver.value >> 24) & 0x7f, ver.value & 0xffffff, impl.value);
	gprintf("hello: %ld VM exits so far; powering off\n", sbi_dv_exits());
	return 0;
}
