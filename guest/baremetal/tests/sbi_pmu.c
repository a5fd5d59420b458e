// SPDX-License-Identifier: BSD-2-Clause
// SBI PMU: cycle and instret run, firmware counters count our own SBI calls and traps exactly.
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NR_COUNTERS 15 /* 0 cycle, 1 (time) none, 2 instret, 3..14 firmware */
#define CYCLE       0
#define INSTRET     2
#define FW0         3
#define ALL         ((1UL << NR_COUNTERS) - 1 - 2)

#define CFG_SKIP_MATCH  (1UL << 0)
#define CFG_CLEAR_VALUE (1UL << 1)
#define CFG_AUTO_START  (1UL << 2)
#define START_SET_INIT  (1UL << 0)
#define SNAPSHOT        (1UL << 1) /* INIT_SNAPSHOT for start, TAKE_SNAPSHOT for stop */
#define STOP_RESET      (1UL << 0)

#define EV_CYCLES   1
#define EV_INSNS    2
#define FW(code)    (0xf0000UL | (code))
#define FW_ACCESS_LOAD    FW(2)
#define FW_ACCESS_STORE   FW(3)
#define FW_ILLEGAL_INSN   FW(4)
#define FW_SET_TIMER      FW(5)
#define FW_IPI_SENT       FW(6)
#define FW_FENCE_I_SENT   FW(8)
#define FW_SFENCE_SENT    FW(10)
#define FW_ASID_SENT      FW(12)

/* The loop's iterations, two instructions each (addi, bnez). */
#define LOOP_ITERS 100000UL
#define HOLE       0x20000000UL /* between devices: accesses get access faults */

static struct sbiret pmu(unsigned long fid, unsigned long a0, unsigned long a1,
			 unsigned long a2, unsigned long a3, unsigned long a4)
{
	return sbi_ecall(SBI_EXT_PMU, fid, a0, a1, a2, a3, a4, 0);
}

static struct sbiret cfg(unsigned long base, unsigned long mask, unsigned long flags,
			 unsigned long event)
{
	return pmu(SBI_PMU_COUNTER_CFG_MATCH, base, mask, flags, event, 0);
}

static struct sbiret start(unsigned long idx, unsigned long flags, unsigned long value)
{
	return pmu(SBI_PMU_COUNTER_START, idx, 1, flags, value, 0);
}

static struct sbiret stop(unsigned long idx, unsigned long flags)
{
	return pmu(SBI_PMU_COUNTER_STOP, idx, 1, flags, 0, 0);
}

/* The value of firmware counter idx, -1 if it cannot be read. */
static long fw_read(unsigned long idx)
{
	struct sbiret r = pmu(SBI_PMU_COUNTER_FW_READ, idx, 0, 0, 0, 0);

	return r.error ? -1 : r.value;
}

/* A free firmware counter for `event`, started from 0. */
static unsigned long fw_counter(unsigned long event)
{
	struct sbiret r = cfg(0, ALL, CFG_CLEAR_VALUE | CFG_AUTO_START, event);

	expectf(r.error == SBI_SUCCESS && r.value >= FW0 && r.value < NR_COUNTERS,
		"firmware counter for event 0x%lx: error %ld value %ld", event, r.error, r.value);
	return r.value;
}

static void expect_count(unsigned long idx, long want, const char *what)
{
	long got = fw_read(idx);

	expectf(got == want, "%s: counter %lu reads %ld, want %ld", what, idx, got, want);
}

static void known_loop(void)
{
	asm volatile("li t0, %0\n1:\taddi t0, t0, -1\n\tbnez t0, 1b" : : "i"(LOOP_ITERS) : "t0");
}

static void info(void)
{
	struct sbiret r = sbi_probe_extension(SBI_EXT_PMU);

	expect(r.error == SBI_SUCCESS && r.value == 1, "PMU probed");
	r = pmu(SBI_PMU_NUM_COUNTERS, 0, 0, 0, 0, 0);
	expect_eq(r.value, NR_COUNTERS, "num_counters");
	for (unsigned long i = 0; i <= NR_COUNTERS; i++) {
		unsigned long want = i == CYCLE || i == INSTRET ? 0xc00 + i + (63UL << 12)
				     : i >= FW0 && i < NR_COUNTERS ? (1UL << 63) + (63UL << 12)
								    : 0;

		r = pmu(SBI_PMU_COUNTER_GET_INFO, i, 0, 0, 0, 0);
		expectf(r.error == (want ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM) &&
				(unsigned long)r.value == want,
			"counter_get_info(%lu): error %ld value 0x%lx", i, r.error, r.value);
	}
	expect_sbi(pmu(SBI_PMU_SNAPSHOT_SET_SHMEM, 0x80000000, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		   "snapshot_set_shmem");
	expect_sbi(pmu(SBI_PMU_EVENT_GET_INFO, 0x80000000, 0, 1, 0, 0), SBI_ERR_NOT_SUPPORTED,
		   "event_get_info");
	expect_sbi(pmu(9, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, "fid 9");
}

/*
 * cycle and instret advance over a loop while started, stand still while stopped, start from
 * a value set, and run again once freed. The readings over the loop and after the start
 * from a value are printed for the test row run under -icount, where both count
 * instructions; without it they count host time, which no bound can be put on.
 */
static void hardware(void)
{
	uint64_t c0, i0, c1, i1;

	expect_eq(cfg(0, ALL, 0xf8, EV_CYCLES).value, CYCLE, "cycles get counter 0");
	expect_eq(cfg(0, ALL, 0, EV_INSNS).value, INSTRET, "instructions get counter 2");
	expect_sbi(cfg(0, ALL, 0, EV_CYCLES), SBI_ERR_NOT_SUPPORTED, "cycles again (in use)");
	expect_sbi(pmu(SBI_PMU_COUNTER_START, 0, 5, 0, 0, 0), SBI_SUCCESS, "start both");
	c0 = rdcycle();
	i0 = rdinstret();
	known_loop();
	i1 = rdinstret();
	c1 = rdcycle();
	gprintf("sbi_pmu: instret over a loop of %lu instructions: %lu\n", 2 * LOOP_ITERS,
		(unsigned long)(i1 - i0));
	gprintf("sbi_pmu: cycle over a loop of %lu instructions: %lu\n", 2 * LOOP_ITERS,
		(unsigned long)(c1 - c0));
	expect(i1 > i0 && c1 > c0, "cycle and instret advance");
	expect_sbi(pmu(SBI_PMU_COUNTER_START, 0, 1, 0, 0, 0), SBI_ERR_ALREADY_STARTED,
		   "start cycle again");
	expect_sbi(pmu(SBI_PMU_COUNTER_STOP, 0, 5, 0, 0, 0), SBI_SUCCESS, "stop both");
	expect_sbi(pmu(SBI_PMU_COUNTER_STOP, 0, 5, 0, 0, 0), SBI_ERR_ALREADY_STOPPED,
		   "stop both again");
	i0 = rdinstret();
	c0 = rdcycle();
	known_loop();
	expect(rdinstret() == i0 && rdcycle() == c0, "cycle and instret stand still when stopped");
	expect_sbi(pmu(SBI_PMU_COUNTER_START, INSTRET, 1, START_SET_INIT, 1000000, 0), SBI_SUCCESS,
		   "instret started from 1000000");
	i0 = rdinstret();
	/* How far past it depends on host time unless under -icount: its row checks that. */
	expectf(i0 >= 1000000, "instret read %lu after a start from 1000000", (unsigned long)i0);
	gprintf("sbi_pmu: instret after a start from 1000000: %lu\n", (unsigned long)i0);
	expect_eq(fw_read(CYCLE), -1, "fw_read of cycle");
	expect_sbi(pmu(SBI_PMU_COUNTER_STOP, 0, 5, STOP_RESET, 0, 0), SBI_ERR_ALREADY_STOPPED,
		   "reset both");
	c0 = rdcycle();
	known_loop();
	expect(rdcycle() > c0, "a freed cycle runs");
	expect_eq(cfg(0, ALL, CFG_CLEAR_VALUE, EV_CYCLES).value, CYCLE, "cycles with CLEAR_VALUE");
	expect_eq(rdcycle(), 0, "cycle cleared");
	expect_sbi(stop(CYCLE, STOP_RESET), SBI_ERR_ALREADY_STOPPED, "reset cycle");
}

/* Five set_timer calls while the counter runs read exactly 5; none counts while it is stopped. */
static void set_timer(void)
{
	unsigned long c;

	expect_eq(cfg(0, ALL, CFG_CLEAR_VALUE, FW_SET_TIMER).value, FW0, "set_timer counter");
	c = FW0;
	expect_count(c, 0, "cleared");
	sbi_set_timer(~0ULL);
	expect_sbi(start(c, START_SET_INIT, 0), SBI_SUCCESS, "start at 0");
	for (int i = 0; i < 5; i++)
		sbi_set_timer(~0ULL);
	expect_count(c, 5, "5 set_timer calls");
	expect_sbi(start(c, 0, 0), SBI_ERR_ALREADY_STARTED, "start again");
	expect_sbi(stop(c, 0), SBI_SUCCESS, "stop");
	expect_sbi(stop(c, 0), SBI_ERR_ALREADY_STOPPED, "stop again");
	sbi_set_timer(~0ULL);
	expect_count(c, 5, "stopped");
	expect_eq(pmu(SBI_PMU_COUNTER_FW_READ_HI, c, 0, 0, 0, 0).value, 0, "fw_read_hi on RV64");
	expect_sbi(start(c, START_SET_INIT, 1000), SBI_SUCCESS,
		   "start at 1000");
	sbi_set_timer(~0ULL);
	sbi_legacy(SBI_LEGACY_SET_TIMER, ~0UL, 0, 0, 0);
	expect_count(c, 1002, "one set_timer and one legacy set_timer more");
	expect_sbi(stop(c, STOP_RESET), SBI_SUCCESS, "stop and reset");
	expect_eq(fw_read(c), -1, "fw_read of a free counter");
}

/* IPIs and fences to ourselves: each call one SENT and one RECEIVED; legacy ones too. */
static void ipis_and_fences(void)
{
	static const unsigned long events[] = { FW_IPI_SENT, FW_FENCE_I_SENT, FW_SFENCE_SENT,
						FW_ASID_SENT };
	unsigned long sent[4], rcvd[4];

	for (unsigned i = 0; i < 4; i++) {
		sent[i] = fw_counter(events[i]);
		rcvd[i] = fw_counter(events[i] + 1);
	}
	irq_disable();
	sbi_send_ipi(1, 0);
	sbi_send_ipi(0, -1UL);
	sbi_legacy(SBI_LEGACY_SEND_IPI, 0, 0, 0, 0);
	csr_clear(sip, SIE_SSIE);
	for (unsigned long fid = SBI_RFENCE_FENCE_I; fid <= SBI_RFENCE_SFENCE_VMA_ASID; fid++) {
		sbi_ecall(SBI_EXT_RFENCE, fid, 1, 0, 0, ~0UL, 0, 0);
		sbi_ecall(SBI_EXT_RFENCE, fid, 0, -1UL, 0, ~0UL, 0, 0);
		sbi_legacy(SBI_LEGACY_REMOTE_FENCE_I + fid, 0, 0, ~0UL, 0);
	}
	/* refused: hart 1 does not exist */
	sbi_send_ipi(2, 0);
	sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 2, 0, 0, 0, 0, 0);
	for (unsigned i = 0; i < 4; i++) {
		expect_count(sent[i], 3, "sent");
		expect_count(rcvd[i], 3, "received");
	}
	expect_sbi(pmu(SBI_PMU_COUNTER_STOP, FW0, 0xff, STOP_RESET, 0, 0), SBI_SUCCESS,
		   "stop and reset all 8");
}

/* Traps the hypervisor hands to us: a virtual-instruction trap, access faults. */
static void traps(void)
{
	unsigned long ill = fw_counter(FW_ILLEGAL_INSN), ld = fw_counter(FW_ACCESS_LOAD),
		      st = fw_counter(FW_ACCESS_STORE);

	for (int i = 0; i < 3; i++) {
		trap_expect();
		(void)csr_read(CSR_HSTATUS);
		expect_trap(EXC_ILLEGAL_INSN, ANY_STVAL, "csrr hstatus");
	}
	for (int i = 0; i < 2; i++) {
		trap_expect();
		(void)*(volatile uint32_t *)HOLE;
		expect_trap(EXC_LOAD_ACCESS, HOLE, "load from a hole");
	}
	trap_expect();
	*(volatile uint32_t *)HOLE = 1;
	expect_trap(EXC_STORE_ACCESS, HOLE, "store to a hole");
	/* an illegal instruction the hardware hands us directly is none of the hypervisor's */
	trap_expect();
	asm volatile(".2byte 0");
	expect_trap(EXC_ILLEGAL_INSN, ANY_STVAL, "instruction 0");
	expect_count(ill, 3, "virtual-instruction traps");
	expect_count(ld, 2, "load access faults");
	expect_count(st, 1, "store access faults");
	expect_sbi(pmu(SBI_PMU_COUNTER_STOP, FW0, 7, STOP_RESET, 0, 0), SBI_SUCCESS,
		   "stop and reset the 3");
}

/* A set that names no counter, or an index that is none: refused by every function. */
static void bad_set(unsigned long base, unsigned long mask)
{
	expectf(cfg(base, mask, 0, FW_SET_TIMER).error == SBI_ERR_INVALID_PARAM,
		"config_matching of base %lu mask 0x%lx: want INVALID_PARAM", base, mask);
	expectf(pmu(SBI_PMU_COUNTER_START, base, mask, 0, 0, 0).error == SBI_ERR_INVALID_PARAM,
		"start of base %lu mask 0x%lx: want INVALID_PARAM", base, mask);
	expectf(pmu(SBI_PMU_COUNTER_STOP, base, mask, 0, 0, 0).error == SBI_ERR_INVALID_PARAM,
		"stop of base %lu mask 0x%lx: want INVALID_PARAM", base, mask);
}

static void errors(void)
{
	static const unsigned long bad_sets[][2] = {
		{ 0, 0 }, { NR_COUNTERS, 1 }, { 0, 2 }, { 1, 1 }, { 14, 2 }, { 0, ~0UL },
		{ ~0UL, 1 },
	};
	static const unsigned long unsupported[] = {
		0, 3, 10, 0x10000, 0x20000, FW(0), FW(1), FW(14), FW(21), FW(22), FW(256),
		FW(0xffff), 0x40001, 1UL << 20 | FW_SET_TIMER,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(bad_sets); i++)
		bad_set(bad_sets[i][0], bad_sets[i][1]);
	for (unsigned i = 0; i < ARRAY_SIZE(unsupported); i++)
		expectf(cfg(0, ALL, 0, unsupported[i]).error == SBI_ERR_NOT_SUPPORTED,
			"event 0x%lx: want NOT_SUPPORTED", unsupported[i]);
	expect_sbi(pmu(SBI_PMU_COUNTER_CFG_MATCH, 0, ALL, 0, FW_SET_TIMER, 1),
		   SBI_ERR_NOT_SUPPORTED, "event_data 1");
	expect_sbi(cfg(0, ALL, 1UL << 8, FW_SET_TIMER), SBI_ERR_INVALID_PARAM, "reserved flag");
	/* counters with no event */
	expect_sbi(start(FW0, 0, 0), SBI_ERR_INVALID_PARAM, "start free");
	expect_sbi(stop(FW0, 0), SBI_ERR_INVALID_PARAM, "stop free");
	expect_eq(fw_read(FW0), -1, "read free");
	expect_sbi(pmu(SBI_PMU_COUNTER_FW_READ, NR_COUNTERS, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM,
		   "read past the last");
	/* no snapshot memory; reserved flags */
	expect_eq(cfg(FW0, 1, CFG_SKIP_MATCH, FW_SET_TIMER).value, FW0, "SKIP_MATCH");
	expect_sbi(start(FW0, SNAPSHOT, 0), SBI_ERR_NO_SHMEM, "INIT_SNAPSHOT");
	expect_sbi(start(FW0, 4, 0), SBI_ERR_INVALID_PARAM, "start flag 4");
	expect_sbi(start(FW0, 0, 0), SBI_SUCCESS, "start");
	expect_sbi(cfg(FW0, 1, CFG_SKIP_MATCH, FW_SET_TIMER), SBI_ERR_NOT_SUPPORTED,
		   "SKIP_MATCH of a started counter");
	expect_sbi(stop(FW0, SNAPSHOT), SBI_ERR_NO_SHMEM, "TAKE_SNAPSHOT");
	expect_sbi(stop(FW0, 4), SBI_ERR_INVALID_PARAM, "stop flag 4");
	expect_sbi(stop(FW0, STOP_RESET), SBI_SUCCESS, "stop");
}

int main(void)
{
	test_start("sbi_pmu");
	info();
	hardware();
	set_timer();
	ipis_and_fences();
	traps();
	errors();
	test_end();
}
