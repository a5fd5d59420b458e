// SPDX-License-Identifier: BSD-2-Clause
/* SBI Debug Console extension: byte strings between guest RAM and the host console. */
#include <stdint.h>

#include "console.h"
#include "sbi.h"

#define SBI_EXT_DBCN 0x4442434E

#define DBCN_CONSOLE_WRITE      0
#define DBCN_CONSOLE_READ       1
#define DBCN_CONSOLE_WRITE_BYTE 2

/*
 * The guest-physical buffer [lo + 2^XLEN * hi, + len) in the runtime, or NULL unless it
 * lies wholly in RAM; on RV64 a nonzero hi is beyond any RAM.
 */
static uint8_t *dbcn_buffer(struct vm *vm, unsigned long len, unsigned long lo, unsigned long hi)
{
	return hi ? NULL : vm_gpa_ptr(vm, lo, len);
}

static struct sbi_ret dbcn_write(struct vm *vm, const uint64_t *a)
{
	struct sbi_ret ret = { SBI_ERR_INVALID_PARAM, 0 };
	const uint8_t *buf = dbcn_buffer(vm, a[0], a[1], a[2]);
	unsigned long i;

	if (!buf)
		return ret;
	for (i = 0; i < a[0]; i++)
		console_putc(buf[i]);
	ret.error = SBI_SUCCESS;
	ret.value = a[0];
	return ret;
}

/* Non-blocking: takes what is waiting, possibly nothing. */
static struct sbi_ret dbcn_read(struct vm *vm, const uint64_t *a)
{
	struct sbi_ret ret = { SBI_ERR_INVALID_PARAM, 0 };
	uint8_t *buf = dbcn_buffer(vm, a[0], a[1], a[2]);
	unsigned long n;
	int c;

	if (!buf)
		return ret;
	for (n = 0; n < a[0] && (c = console_getc()) >= 0; n++)
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
