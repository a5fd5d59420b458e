// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the goldfish RTC model and the wall clock it reads. */
#include "dev_access.h"
#include "goldfish_rtc.h"
#include "wallclock.h"

#define BASE 0x101000ULL
#define S    1000000000ULL

static struct goldfish_rtc r;
static uint64_t host_now; /* the fake host clock, ns since 1970 */
static unsigned host_reads;

static uint64_t fake_host_ns(const void *ctx)
{
	CHECK(ctx == &host_now);
	host_reads++;
	return host_now;
}

static void setup(uint64_t now)
{
	host_now = now;
	host_reads = 0;
	goldfish_rtc_init(&r, BASE, fake_host_ns, &host_now);
}

/* TIME_LOW, then TIME_HIGH, as Linux reads the time. */
static uint64_t rtc_time(void)
{
	uint64_t lo = dev_read32(&r.dev, RTC_TIME_LOW);

	return (uint64_t)dev_read32(&r.dev, RTC_TIME_HIGH) << 32 | lo;
}

/* TIME_HIGH, then TIME_LOW, as Linux sets it. */
static void rtc_set(uint64_t ns)
{
	dev_write32(&r.dev, RTC_TIME_HIGH, (uint32_t)(ns >> 32));
	dev_write32(&r.dev, RTC_TIME_LOW, (uint32_t)ns);
}

static void test_rtc_init(void)
{
	setup(1700000000 * S);
	CHECK_EQ(r.dev.base, BASE);
	CHECK_EQ(r.dev.size, 0x1000);
	CHECK(r.dev.opaque == &r);
	CHECK(r.dev.read && r.dev.write);
	CHECK_EQ(host_reads, 0);
	CHECK_EQ(rtc_time(), 1700000000 * S);
	CHECK_EQ(host_reads, 1); /* the host clock is read at TIME_LOW only */
}

/* The guest's clock follows the host's, whatever it reads. */
static void test_rtc_follows_host(void)
{
	setup(0);
	CHECK_EQ(rtc_time(), 0);
	host_now = 5 * S + 123;
	CHECK_EQ(rtc_time(), 5 * S + 123);
	host_now = 0xfedcba9876543210ULL;
	CHECK_EQ(rtc_time(), 0xfedcba9876543210ULL);
}

/* TIME_HIGH is the half of the time TIME_LOW was read with, even when the host moves on. */
static void test_rtc_high_half_latched(void)
{
	setup(0x00000001fffffff0ULL);
	CHECK_EQ(dev_read32(&r.dev, RTC_TIME_LOW), 0xfffffff0);
	host_now = 0x0000000200000010ULL;
	CHECK_EQ(dev_read32(&r.dev, RTC_TIME_HIGH), 1);
	CHECK_EQ(dev_read32(&r.dev, RTC_TIME_HIGH), 1);
	CHECK_EQ(dev_read32(&r.dev, RTC_TIME_LOW), 0x10);
	CHECK_EQ(dev_read32(&r.dev, RTC_TIME_HIGH), 2);
}

/* Setting the time moves the guest's clock only; it keeps running from there. */
static void test_rtc_set_time(void)
{
	setup(1700000000 * S);
	rtc_set(2000000000 * S);
	CHECK_EQ(host_now, 1700000000 * S);
	CHECK_EQ(rtc_time(), 2000000000 * S);
	host_now += 7 * S;
	CHECK_EQ(rtc_time(), 2000000007 * S);
	/* Into the past, below the host's time: the offset wraps and the clock still runs. */
	rtc_set(12345);
	CHECK_EQ(rtc_time(), 12345);
	host_now += S;
	CHECK_EQ(rtc_time(), S + 12345);
	rtc_set(0);
	CHECK_EQ(rtc_time(), 0);
	/* A TIME_LOW write without a TIME_HIGH one takes the high half last latched. */
	host_now += 0x300000000ULL;
	CHECK_EQ(rtc_time(), 0x300000000ULL);
	dev_write32(&r.dev, RTC_TIME_LOW, 5);
	CHECK_EQ(rtc_time(), 0x300000005ULL);
}

/* The alarm registers hold what is written, but no alarm ever runs. */
static void test_rtc_alarm_inert(void)
{
	setup(100 * S);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_LOW), 0);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_HIGH), 0);
	CHECK_EQ(dev_read32(&r.dev, RTC_IRQ_ENABLED), 0);
	dev_write32(&r.dev, RTC_ALARM_HIGH, 0x12);
	dev_write32(&r.dev, RTC_ALARM_LOW, 0x34567890);
	dev_write32(&r.dev, RTC_IRQ_ENABLED, 0xffffffff);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_HIGH), 0x12);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_LOW), 0x34567890);
	CHECK_EQ(dev_read32(&r.dev, RTC_IRQ_ENABLED), 1);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_STATUS), 0);
	host_now = 0x1300000000ULL; /* past the alarm */
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_STATUS), 0);
	dev_write32(&r.dev, RTC_ALARM_STATUS, 1);
	dev_write32(&r.dev, RTC_CLEAR_ALARM, 1);
	dev_write32(&r.dev, RTC_CLEAR_INTERRUPT, 1);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_STATUS), 0);
	CHECK_EQ(dev_read32(&r.dev, RTC_CLEAR_ALARM), 0);
	CHECK_EQ(dev_read32(&r.dev, RTC_CLEAR_INTERRUPT), 0);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_LOW), 0x34567890);
	dev_write32(&r.dev, RTC_IRQ_ENABLED, 2);
	CHECK_EQ(dev_read32(&r.dev, RTC_IRQ_ENABLED), 0);
	CHECK_EQ(rtc_time(), 0x1300000000ULL);
}

/* A VM reset clears the alarm but keeps the time the guest set. */
static void test_rtc_reset(void)
{
	setup(100 * S);
	rtc_set(5000 * S);
	dev_write32(&r.dev, RTC_ALARM_LOW, 9);
	dev_write32(&r.dev, RTC_IRQ_ENABLED, 1);
	goldfish_rtc_reset(&r);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_LOW), 0);
	CHECK_EQ(dev_read32(&r.dev, RTC_IRQ_ENABLED), 0);
	host_now += S;
	CHECK_EQ(rtc_time(), 5001 * S);
}

/* Only aligned 32-bit accesses are taken; refused ones change nothing. */
static void test_rtc_bad_accesses(void)
{
	static const unsigned widths[] = { 1, 2, 8 };
	uint64_t val;

	setup(0x0000000500000006ULL);
	for (unsigned i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		CHECK_EQ(dev_read(&r.dev, RTC_TIME_LOW, widths[i], &val), -1);
		CHECK_EQ(val, 0xdeadbeefdeadbeefULL);
		CHECK_EQ(dev_write(&r.dev, RTC_TIME_LOW, widths[i], 0), -1);
		CHECK_EQ(dev_write(&r.dev, RTC_TIME_HIGH, widths[i], 0x77), -1);
		CHECK_EQ(dev_write(&r.dev, RTC_IRQ_ENABLED, widths[i], 1), -1);
	}
	CHECK_EQ(dev_read(&r.dev, RTC_TIME_LOW + 2, 4, &val), -1);
	CHECK_EQ(dev_write(&r.dev, RTC_TIME_LOW + 1, 4, 0), -1);
	CHECK_EQ(dev_write(&r.dev, RTC_ALARM_LOW + 2, 4, 1), -1);
	CHECK_EQ(host_reads, 0);
	CHECK_EQ(rtc_time(), 0x0000000500000006ULL);
	CHECK_EQ(dev_read32(&r.dev, RTC_ALARM_LOW), 0);
	CHECK_EQ(dev_read32(&r.dev, RTC_IRQ_ENABLED), 0);
	/* The rest of the window reads 0 and ignores writes. */
	dev_write32(&r.dev, 0x20, 0xffffffff);
	dev_write32(&r.dev, 0xffc, 0xffffffff);
	CHECK_EQ(dev_read32(&r.dev, 0x20), 0);
	CHECK_EQ(dev_read32(&r.dev, 0xffc), 0);
	CHECK_EQ(rtc_time(), 0x0000000500000006ULL);
}

static void test_wallclock(void)
{
	struct wallclock c = { 1700000000 * S, 1000, 10000000 };

	CHECK_EQ(wallclock_ns(&c, 1000), 1700000000 * S);
	CHECK_EQ(wallclock_ns(&c, 1001), 1700000000 * S + 100);
	CHECK_EQ(wallclock_ns(&c, 1000 + 10000000), 1700000001 * S);
	/* Two days at 10 MHz: ticks * 10^9 alone would have overflowed long before. */
	CHECK_EQ(wallclock_ns(&c, 1000 + 2 * 86400 * 10000000ULL + 5), 1700172800 * S + 500);
	/* A timebase that does not divide 10^9: whole ns, rounded down. */
	c = (struct wallclock){ 0, 0, 3 };
	CHECK_EQ(wallclock_ns(&c, 1), 333333333);
	CHECK_EQ(wallclock_ns(&c, 3), S);
	CHECK_EQ(wallclock_ns(&c, 3000000004ULL), 1000000001 * S + 333333333);
	/* The time CSR wrapping past 2^64 since boot. */
	c = (struct wallclock){ 7, ~0ULL - 4, 10000000 };
	CHECK_EQ(wallclock_ns(&c, 5), 7 + 10 * 100);
	/* No timebase: the clock stands still rather than dividing by zero. */
	c = (struct wallclock){ 42, 0, 0 };
	CHECK_EQ(wallclock_ns(&c, 123456), 42);
}

int main(void)
{
	RUN(test_rtc_init);
	RUN(test_rtc_follows_host);
	RUN(test_rtc_high_half_latched);
	RUN(test_rtc_set_time);
	RUN(test_rtc_alarm_inert);
	RUN(test_rtc_reset);
	RUN(test_rtc_bad_accesses);
	RUN(test_wallclock);
	UNIT_EXIT();
}
