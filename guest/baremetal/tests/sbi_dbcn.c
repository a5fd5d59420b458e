// SPDX-License-Identifier: BSD-2-Clause
// SBI DBCN: writes and reads through guest-physical buffers, which must lie wholly in RAM;
// a long write is answered in part and finished by retrying with the rest.
#include "sbi.h"
#include "test.h"

#define RAM_END 0x82003000UL

static const char line[] = "sbi_dbcn: hello via DBCN\n";
static const char bytes[] = "sbi_dbcn: byte path\n";
static char input[16];

/*
 * 80 lines of 50 bytes: "sbi_dbcn: long NN " and 31 times letter NN % 26. The runtime
 * writes 64 bytes a call, which no line length divides, so a piece lost, repeated or out of
 * order shows as a malformed line in the log (tests/guests.tsv matches all 80).
 */
#define LONG_LINES    80
#define LONG_LINE_LEN 50
#define LONG_PREFIX   18
static char long_text[LONG_LINES * LONG_LINE_LEN];

static void write_ok(void)
{
	struct sbiret r = sbi_dbcn_write(sizeof(line) - 1, (unsigned long)line, 0);

	expect_sbi(r, SBI_SUCCESS, "console_write");
	expect_eq(r.value, sizeof(line) - 1, "console_write returns the bytes written");
}

static void long_text_fill(void)
{
	static const char prefix[] = "sbi_dbcn: long ";

	for (unsigned k = 0; k < LONG_LINES; k++) {
		char *l = long_text + k * LONG_LINE_LEN;

		for (unsigned i = 0; i < sizeof(prefix) - 1; i++)
			l[i] = prefix[i];
		l[15] = (char)('0' + k / 10);
		l[16] = (char)('0' + k % 10);
		l[17] = ' ';
		for (unsigned i = LONG_PREFIX; i < LONG_LINE_LEN - 1; i++)
			l[i] = (char)('a' + k % 26);
		l[LONG_LINE_LEN - 1] = '\n';
	}
}

/* The first call writes only part of it; the loop goes on from what each call returns. */
static void write_long(void)
{
	const unsigned long len = sizeof(long_text);
	unsigned long off = 0, calls = 0;

	long_text_fill();
	while (off < len && calls < len) {
		struct sbiret r = sbi_dbcn_write(len - off, (unsigned long)long_text + off, 0);

		if (!expect_sbi(r, SBI_SUCCESS, "long console_write") ||
		    !expectf(r.value > 0 && (unsigned long)r.value <= len - off,
			     "long console_write at %lu of %lu returned %ld", off, len, r.value))
			return;
		if (!calls)
			expectf((unsigned long)r.value < len,
				"a %lu-byte console_write written in one call", len);
		off += r.value;
		calls++;
	}
	expect_eq(off, len, "the long write's calls add up to its length");
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
	write_long();
	write_bad();
	write_bytes();
	read();
	expect_sbi(sbi_ecall(SBI_EXT_DBCN, 3, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		   "DBCN fid 3");
	test_end();
}
