// SPDX-License-Identifier: BSD-2-Clause
/* The goldfish RTC: the host's wall clock offset by what the guest set; inert alarm registers. */
#include "goldfish_rtc.h"

static uint64_t guest_ns(const struct goldfish_rtc *r)
{
	return r->host_ns(r->ctx) + r->offset;
}

static int rtc_read(void *opaque, uint64_t off, unsigned width, uint64_t *val)
{
	struct goldfish_rtc *r = opaque;
	uint64_t now;

	if (width != 4 || off % 4)
		return -1;
	switch (off) {
	case RTC_TIME_LOW:
		now = guest_ns(r);
		r->time_high = (uint32_t)(now >> 32);
		*val = (uint32_t)now;
		break;
	case RTC_TIME_HIGH:
		*val = r->time_high;
		break;
	case RTC_ALARM_LOW:
		*val = (uint32_t)r->alarm;
		break;
	case RTC_ALARM_HIGH:
		*val = r->alarm >> 32;
		break;
	case RTC_IRQ_ENABLED:
		*val = r->irq_enabled;
		break;
	default:
		*val = 0;
	}
	return 0;
}

static int rtc_write(void *opaque, uint64_t off, unsigned width, uint64_t val)
{
	struct goldfish_rtc *r = opaque;

	if (width != 4 || off % 4)
		return -1;
	switch (off) {
	case RTC_TIME_LOW:
		/* Only the guest's clock moves: the host's is read, never set. */
		r->offset += ((uint64_t)r->time_high << 32 | (uint32_t)val) - guest_ns(r);
		break;
	case RTC_TIME_HIGH:
		r->time_high = (uint32_t)val;
		break;
	case RTC_ALARM_LOW:
		r->alarm = (r->alarm & ~0xffffffffULL) | (uint32_t)val;
		break;
	case RTC_ALARM_HIGH:
		r->alarm = (r->alarm & 0xffffffffULL) | (uint64_t)(uint32_t)val << 32;
		break;
	case RTC_IRQ_ENABLED:
		r->irq_enabled = val & 1;
		break;
	}
	return 0;
}

void goldfish_rtc_init(struct goldfish_rtc *r, uint64_t base,
		       uint64_t (*host_ns)(const void *ctx), const void *ctx)
{
	*r = (struct goldfish_rtc){
		.host_ns = host_ns,
		.ctx = ctx,
		.dev = {
			.name = "google,goldfish-rtc",
			.base = base,
			.size = GOLDFISH_RTC_WINDOW,
			.opaque = r,
			.read = rtc_read,
			.write = rtc_write,
		},
	};
}

void goldfish_rtc_reset(struct goldfish_rtc *r)
{
	r->alarm = 0;
	r->irq_enabled = 0;
}
