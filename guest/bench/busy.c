// SPDX-License-Identifier: BSD-2-Clause
/*
 * The busy VM of make bench's two-VM run: it spins on its own hart, with no exit, for far
 * longer than the other VM's exit benchmarks take, then powers off. Under -icount, QEMU runs
 * one hart at a time for up to the time left to the next timer deadline; the deadline kept
 * ~1 ms ahead here (stimecmp with Sstc, interrupts off: never taken) makes the two VMs' harts
 * take turns every few hundred thousand instructions instead of seconds.
 */
#include "print.h"
#include "riscv.h"
#include "sbi.h"

#define ROUNDS     2000
#define SPINS      100000
#define AHEAD      10000 /* time ticks: 1 ms at QEMU virt's 10 MHz */

int main(void)
{
	gprintf("busy: spinning\n");
	for (unsigned r = 0; r < ROUNDS; r++) {
		csr_write(CSR_STIMECMP, rdtime() + AHEAD);
		for (volatile unsigned long i = 0; i < SPINS; i++)
			;
	}
	gprintf("busy: done\n");
	sbi_system_reset(SBI_SRST_SHUTDOWN, 0);
	return 0;
}
