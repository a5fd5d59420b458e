// SPDX-License-Identifier: BSD-2-Clause
/* SBI Debug Console extension: byte strings between guest RAM and the host console, bounded. */
#include <stdint.h>

#include "console.h"
#include "sbi.h"

#define SBI_EXT_DBCN 0x4442434E

#define DBCN_CONSOLE_WRITE      0
#define DBCN_CONSOLE_READ       1
#define DBCN_CONSOLE_WRITE_BYTE 2

/*
 * The most bytes one call moves (SBI v2.0, 12.1 and 12.2: a write or read may be partial,
 * and the caller retries with the rest). Each byte waits for the host UART and stores to it
 * with host interrupts masked: on a 115200-baud UART 64 bytes take under 6 ms, where one
 * unbounded call could hold the vCPU's thread for minutes.
 */
#define DBCN_MAX_BYTES 64

/*
 * The guest-physical buffer [lo + 2^XLEN * hi, + len) in the runtime, or NULL unless it
 * lies wholly in RAM; on RV64 a nonzero hi is beyond any RAM. The whole buffer is checked
 * even though a call uses at most DBCN_MAX_BYTES of it: a bad one is refused at once.
 */
static uint8_t *dbcn_buffer(struct vm *vm, unsigned long len, unsigned long lo, unsigned long hi)
{
	return hi ? NULL : vm_gpa_ptr(vm, lo, len);
}

static unsigned long dbcn_chunk(unsigned long len)
{
	return len < DBCN_MAX_BYTES ? len : DBCN_MAX_BYTES;
}

static struct sbi_ret dbcn_write(struct vm *vm, const uint64_t *a)
{
	struct sbi_ret ret = { SBI_ERR_INVALID_PARAM, 0 };
	const uint8_t *buf = dbcn_buffer(vm, a[0], a[1], a[2]);
	unsigned long i, n = dbcn_chunk(a[0]);

	if (!buf)
		return ret;
	for (i = 0; i < n; i++)
		console_putc(buf[i]);
	ret.error = SBI_SUCCESS;
	ret.value = n;
	return ret;
}

/* Non-blocking: takes what is waiting, possibly nothing, at most DBCN_MAX_BYTES. */
static struct sbi_ret dbcn_read(struct vm *vm, const uint64_t *a)
{
	struct sbi_ret ret = { SBI_ERR_INVALID_PARAM, 0 };
	uint8_t *buf = dbcn_buffer(vm, a[0], a[1], a[2]);
	unsigned long n, max = dbcn_chunk(a[0]);
	int c;

	if (!buf)
		return ret;
	for (n = 0; n < max && (c = console_getc()) >= 0; n++)
		buf[n] = c;
	ret.error = SBI_SUCCESS;
	ret.value = n;
	return ret;
}

static struct sbi_ret dbcn_handle(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct sbi_ret ret = { SBI_SUCCESS, 0 };
	const uint64_t *a = &v->exit->gpr[10];

	(void)eid;
	switch (fid) {
	case DBCN_CONSOLE_WRITE:
		return dbcn_write(v->vm, a);
	case DBCN_CONSOLE_READ:
		return dbcn_read(v->vm, a);
	case DBCN_CONSOLE_WRITE_BYTE:
		console_putc(a[0]);
		return ret;
	default:
		ret.error = SBI_ERR_NOT_SUPPORTED;
		return ret;
	}
}

static const struct sbi_ext sbi_dbcn = {
	.name = "dbcn",
	.eid_lo = SBI_EXT_DBCN,
	.eid_hi = SBI_EXT_DBCN,
	.handle = dbcn_handle,
};
SBI_EXTENSION(sbi_dbcn);
