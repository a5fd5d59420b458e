// SPDX-License-Identifier: BSD-2-Clause
// SBI DBCN: writes and reads through guest-physical buffers, which must lie wholly in RAM.
#include "sbi.h"
#include "test.h"

#define RAM_END 0x82003000UL

static const char line[] = "sbi_dbcn: hello via DBCN\n";
static const char bytes[] = "sbi_dbcn: byte path\n";
static char input[16];

static void write_ok(void)
{
	struct sbiret r = sbi_dbcn_write(sizeof(line) - 1, (unsigned long)line, 0);

	expect_sbi(r, SBI_SUCCESS, "console_write");
	expect_eq(r.value, sizeof(line) - 1, "console_write returns the bytes written");
}

static void write_bad(void)
{
	expect_sbi(sbi_dbcn_write(8, 0x0, 0), SBI_ERR_INVALID_PARAM, "write from 0x0");
	expect_sbi(sbi_dbcn_write(8, 0x10000000, 0), SBI_ERR_INVALID_PARAM,
		   "write from the UART");
	expect_sbi(sbi_dbcn_write(16, RAM_END - 8, 0), SBI_ERR_INVALID_PARAM,
		   "write straddling the end of RAM");
	expect_sbi(sbi_dbcn_write(8, RAM_END, 0), SBI_ERR_INVALID_PARAM,
		   "write just past RAM");
	expect_sbi(sbi_dbcn_write(8, (unsigned long)line, 1), SBI_ERR_INVALID_PARAM,
		   "write with base_addr_hi = 1");
	expect_sbi(sbi_dbcn_write(~0UL, (unsigned long)line, 0), SBI_ERR_INVALID_PARAM,
		   "write of 2^64-1 bytes (wraps)");
}

static void write_bytes(void)
{
	for (const char *p = bytes; *p; p++) {
		struct sbiret r = sbi_dbcn_write_byte((uint8_t)*p);

		if (!expectf(r.error == SBI_SUCCESS, "console_write_byte: error %ld", r.error))
			break;
	}
}

/* stdin is empty under the test runner: success with 0..n bytes is what we can ask for. */
static void read(void)
{
	struct sbiret r = sbi_dbcn_read(sizeof(input), (unsigned long)input, 0);

	expect_sbi(r, SBI_SUCCESS, "console_read");
	expectf(r.value >= 0 && r.value <= (long)sizeof(input), "console_read returned %ld bytes",
		r.value);
	expect_sbi(sbi_dbcn_read(8, 0x20000000, 0), SBI_ERR_INVALID_PARAM,
		   "read into unmapped space");
	expect_sbi(sbi_dbcn_read(16, RAM_END - 8, 0), SBI_ERR_INVALID_PARAM,
		   "read straddling the end of RAM");
}

int main(void)
{
	test_start("sbi_dbcn");
	write_ok();
	write_bad();
	write_bytes();
	read();
	expect_sbi(sbi_ecall(SBI_EXT_DBCN, 3, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		   "DBCN fid 3");
	test_end();
}
