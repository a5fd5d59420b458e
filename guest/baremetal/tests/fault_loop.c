// SPDX-License-Identifier: BSD-2-Clause
// A guest whose trap vector is unmapped: its first fault would loop, so the runtime must stop it.
#include "print.h"
#include "sbi.h"
#include "test.h"

extern char trap_entry[];

/*
 * Never prints PASS: the load must end the VM ("faults at its own trap vector"). Getting
 * past it at all is the failure.
 */
int main(void)
{
	test_start("fault_loop");
	gprintf("fault_loop: stvec -> 0x20000000, then a load from 0x0\n");
	asm volatile("csrw stvec, %0" : : "r"(0x20000000UL) : "memory");
	(void)*(volatile uint64_t *)0x0;
	asm volatile("csrw stvec, %0" : : "r"(trap_entry) : "memory");
	gprintf("FAIL: fault_loop: the load from 0x0 did not end the VM\n");
	sbi_shutdown(1);
}
