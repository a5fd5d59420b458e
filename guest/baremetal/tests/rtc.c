// SPDX-License-Identifier: BSD-2-Clause
// The goldfish RTC: its DT node, its pace against the time CSR, set and read back (also across
// a reboot), inert alarm registers, and access faults for every access but an aligned word.
#include "dtb.h"
#include "mmio.h"
#include "print.h"
#include "riscv.h"
#include "sbi.h"
#include "test.h"
#include "trap.h"

#define NS_PER_S 1000000000UL
#define SET_TO   (2000000000UL * NS_PER_S) /* 2033-05-18 03:33:20 UTC */
#define RTC_MAGIC 0x5254434230303031UL      /* "RTCB0001" */

/* Left in free RAM across the reboot, which keeps RAM past the image. */
struct rtc_note {
	uint64_t magic;
	uint64_t boot1_failures;
	uint64_t set_before, set_after; /* the time CSR around setting the RTC to SET_TO */
};

extern char __image_end[];
static uint64_t timebase_hz;

static uint64_t rtc_read(void)
{
	uint64_t lo = mmio_lwu(RTC_BASE + RTC_TIME_LOW);

	return mmio_lwu(RTC_BASE + RTC_TIME_HIGH) << 32 | lo;
}

static void rtc_set(uint64_t ns)
{
	mmio_sw(RTC_BASE + RTC_TIME_HIGH, ns >> 32);
	mmio_sw(RTC_BASE + RTC_TIME_LOW, (uint32_t)ns);
}

/* Time CSR ticks in ns, rounded down as the runtime rounds. */
static uint64_t ticks_ns(uint64_t ticks)
{
	return ticks / timebase_hz * NS_PER_S + ticks % timebase_hz * NS_PER_S / timebase_hz;
}

static unsigned year_of(uint64_t s)
{
	uint64_t days = s / 86400;
	unsigned y = 1970;

	for (;;) {
		unsigned len = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365;

		if (days < len)
			return y;
		days -= len;
		y++;
	}
}

/*
 * The RTC read at `rtc` sometime within [t0, t1] of the time CSR: `then` read within
 * [t2, t3] must have advanced by the time CSR's ticks in between, give or take rounding.
 */
static void expect_pace(uint64_t then, uint64_t rtc, uint64_t t0, uint64_t t1, uint64_t t2,
			uint64_t t3, const char *what)
{
	uint64_t lo = ticks_ns(t2 - t1), hi = ticks_ns(t3 - t0) + 2;

	lo = lo > 2 ? lo - 2 : 0;
	expectf(rtc - then >= lo && rtc - then <= hi,
		"%s: the RTC advanced %lu ns while the time CSR says %lu..%lu", what,
		(unsigned long)(rtc - then), (unsigned long)lo, (unsigned long)hi);
}

static void check_dt_node(const void *dtb)
{
	uint32_t len = 0;
	const void *irq = dtb_prop(dtb, "rtc@101000", "interrupts", &len);

	expect(dtb_compatible(dtb, "rtc@101000", "google,goldfish-rtc"),
	       "rtc@101000 is compatible with google,goldfish-rtc");
	expect(irq && len == 4 && dtb_cell(irq, 0) == RTC_IRQ, "rtc@101000 has PLIC source 11");
}

/* Two readings 10 ms of the time CSR apart. */
static void check_runs(void)
{
	uint64_t t0 = rdtime(), r1 = rtc_read(), t1 = rdtime(), t2, t3, r2;

	spin_until(t1 + timebase_hz / 100);
	t2 = rdtime();
	r2 = rtc_read();
	t3 = rdtime();
	expect(r2 > r1, "the RTC advances");
	expect_pace(r1, r2, t0, t1, t2, t3, "10 ms");
	gprintf("rtc: now %u (%lu s since 1970)\n", year_of(r2 / NS_PER_S),
		(unsigned long)(r2 / NS_PER_S));
}

static void check_alarm_inert(void)
{
	mmio_sw(RTC_BASE + RTC_ALARM_HIGH, 0x12);
	mmio_sw(RTC_BASE + RTC_ALARM_LOW, 0x345678);
	mmio_sw(RTC_BASE + RTC_IRQ_ENABLED, 1);
	expect_eq(mmio_lwu(RTC_BASE + RTC_ALARM_HIGH), 0x12, "ALARM_HIGH reads back");
	expect_eq(mmio_lwu(RTC_BASE + RTC_ALARM_LOW), 0x345678, "ALARM_LOW reads back");
	expect_eq(mmio_lwu(RTC_BASE + RTC_IRQ_ENABLED), 1, "IRQ_ENABLED reads back");
	expect_eq(mmio_lwu(RTC_BASE + RTC_ALARM_STATUS), 0, "no alarm runs");
	expect_eq(mmio_lwu(RTC_BASE + 0x20), 0, "past the registers reads 0");
}

static void check_bad_accesses(void)
{
	uint64_t before = rtc_read();

	expect_load_fault(RTC_BASE + RTC_TIME_LOW, mmio_ld, "ld of the time");
	expect_load_fault(RTC_BASE + RTC_TIME_LOW, mmio_lhu, "lhu of the time");
	expect_load_fault(RTC_BASE + RTC_TIME_HIGH, mmio_lbu, "lbu of the time");
	expect_load_fault(RTC_BASE + RTC_TIME_LOW + 2, mmio_lwu, "misaligned lwu of the time");
	expect_store_fault(RTC_BASE + RTC_TIME_LOW, mmio_sd, "sd of the time");
	expect_store_fault(RTC_BASE + RTC_TIME_HIGH, mmio_sh, "sh of the time");
	expect_store_fault(RTC_BASE + RTC_TIME_LOW, mmio_sb, "sb of the time");
	expect(rtc_read() >= before, "refused stores leave the time alone");
}

static void first_boot(volatile struct rtc_note *note)
{
	uint64_t t0, t1, r;

	check_runs();
	check_alarm_inert();
	check_bad_accesses();
	note->set_before = rdtime();
	rtc_set(SET_TO);
	note->set_after = t0 = rdtime();
	r = rtc_read();
	t1 = rdtime();
	expect_pace(SET_TO, r, note->set_before, note->set_after, t0, t1, "after setting");
	gprintf("rtc: set to %u\n", year_of(r / NS_PER_S));
	note->boot1_failures = test_failures();
	note->magic = RTC_MAGIC;
	sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
	expect(false, "reboot returned");
}

/* The time the guest set survives the reboot; the alarm does not. */
static void second_boot(volatile struct rtc_note *note)
{
	uint64_t t0 = rdtime(), r = rtc_read(), t1 = rdtime();

	note->magic = 0;
	expect_eq(note->boot1_failures, 0, "failed checks in boot 1");
	expect_pace(SET_TO, r, note->set_before, note->set_after, t0, t1, "across the reboot");
	expect_eq(mmio_lwu(RTC_BASE + RTC_IRQ_ENABLED), 0, "a reboot clears IRQ_ENABLED");
	expect_eq(mmio_lwu(RTC_BASE + RTC_ALARM_LOW), 0, "a reboot clears the alarm");
	gprintf("rtc: after the reboot %u\n", year_of(r / NS_PER_S));
}

int main(unsigned long hartid, const void *dtb)
{
	volatile struct rtc_note *note = (volatile struct rtc_note *)__image_end;
	uint32_t len = 0;
	const void *tb = dtb_prop(dtb, "cpus", "timebase-frequency", &len);

	(void)hartid;
	test_start("rtc");
	if (!expect(tb && len == 4 && dtb_cell(tb, 0), "the DTB has a timebase"))
		test_end();
	timebase_hz = dtb_cell(tb, 0);
	check_dt_node(dtb);
	if (note->magic == RTC_MAGIC)
		second_boot(note);
	else
		first_boot(note);
	test_end();
}
