// SPDX-License-Identifier: BSD-2-Clause
/*
 * A guest that reaches for other VMs' memory: a load and a store at every 2 MiB of the
 * guest-physical space outside its RAM and devices up to 16 GiB (host RAM, and with it the
 * other VMs', lies there numerically), then every 1 GiB up to the 41-bit limit of Sv39x4.
 * Each must fault; the other VM checks its own RAM afterwards (vms_keeper).
 */
#include "dtb.h"
#include "print.h"
#include "test.h"
#include "trap.h"

#define MIB2 0x200000UL
#define GIB  0x40000000UL

static unsigned long probes, faults;

static void probe(uintptr_t a)
{
	struct trap_info t;

	trap_expect();
	(void)*(volatile uint64_t *)a;
	faults += trap_taken(&t) && t.scause == 5 && t.stval == a;
	trap_expect();
	*(volatile uint64_t *)a = 0xbad0bad0bad0bad0UL;
	faults += trap_taken(&t) && t.scause == 7 && t.stval == a;
	probes += 2;
}

/* The 2 MiB blocks holding the guest's devices: the test device and RTC, PLIC, UART and virtio. */
static bool device_block(uintptr_t a)
{
	return a < MIB2 || (a >= 0x0c000000 && a < 0x0c400000) || (a >= 0x10000000 && a < 0x10200000);
}

int main(unsigned long hartid, const void *dtb)
{
	uint64_t base = 0, size = 0;

	(void)hartid;
	test_start("vms_probe");
	if (!expect(dtb_memory(dtb, &base, &size), "the DTB names the RAM"))
		test_end();
	for (uintptr_t a = 0; a < base; a += MIB2)
		if (!device_block(a))
			probe(a);
	probe(base + size);
	for (uintptr_t a = (base + size + MIB2 - 1) & ~(MIB2 - 1); a < 16 * GIB; a += MIB2)
		probe(a);
	for (uintptr_t a = 16 * GIB; a < (1UL << 41); a += GIB)
		probe(a);
	expectf(faults == probes, "%lu of %lu accesses faulted", faults, probes);
	gprintf("vms_probe: %lu of %lu loads and stores outside RAM faulted\n", faults, probes);
	test_end();
}
