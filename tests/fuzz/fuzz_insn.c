// SPDX-License-Identifier: BSD-2-Clause
/* Fuzz target: the MMIO instruction decoder (vmm/insn.c), plain words and htinst. */
#include <string.h>

#include "fuzz.h"
#include "insn.h"

#define OPC_LOAD  0x03
#define OPC_STORE 0x23
#define GPA_MARK  0x1234567890abcdefULL

/*
 * Bits of a load/store that name neither width, direction nor data register (the base
 * register and the offset), and the upper half of a compressed instruction: changing them
 * must not change the decoded access.
 */
static uint32_t ignored_bits(uint32_t w, const struct mmio_access *a)
{
	if ((w & 3) == 3)
		return a->write ? 0xfe0f8f80u : 0xffff8000u;
	if ((w & 3) == 0)
		return 0xffff1fe0u; /* CL/CS: uimm and rs1' */
	return a->write ? 0xffff1f80u : 0xffff107cu; /* CSS: uimm; CI: imm */
}

/* The data register as the spec's encodings name it. */
static unsigned reg_field(uint32_t w, bool write)
{
	if ((w & 3) == 3)
		return write ? (w >> 20) & 31 : (w >> 7) & 31;
	if ((w & 3) == 0)
		return 8 + ((w >> 2) & 7);
	return write ? (w >> 2) & 31 : (w >> 7) & 31;
}

static bool same_access(const struct mmio_access *a, const struct mmio_access *b)
{
	return a->width == b->width && a->write == b->write && a->sign_extend == b->sign_extend &&
	       a->reg == b->reg && a->insn_len == b->insn_len;
}

/* Fresh poison each time: a field the decoder forgot to set reads as an invalid bool. */
static int decode(uint32_t w, struct mmio_access *a)
{
	int r;

	memset(a, 0xa5, sizeof(*a));
	a->gpa = GPA_MARK;
	r = insn_decode_mmio(w, a);
	FUZZ_CHECK(r == 0 || r == -1);
	FUZZ_CHECK(a->gpa == GPA_MARK);
	return r;
}

static int decode_htinst(uint64_t h, struct mmio_access *a)
{
	int r;

	memset(a, 0xa5, sizeof(*a));
	a->gpa = GPA_MARK;
	r = insn_decode_htinst(h, a);
	FUZZ_CHECK(r == 0 || r == -1);
	FUZZ_CHECK(a->gpa == GPA_MARK);
	return r;
}

/* What the hardware writes to htinst for this access (priv. spec, transformed load/store). */
static uint32_t transformed(const struct mmio_access *a)
{
	unsigned f3 = (unsigned)__builtin_ctz(a->width);
	uint32_t t;

	if (a->write) {
		t = f3 << 12 | a->reg << 20 | OPC_STORE;
	} else {
		if (!a->sign_extend && a->width < 8)
			f3 |= 4;
		t = f3 << 12 | a->reg << 7 | OPC_LOAD;
	}
	return a->insn_len == 2 ? t & ~2u : t;
}

static void check_word(uint32_t w, uint32_t other)
{
	struct mmio_access a, b;

	if (decode(w, &a))
		return;
	FUZZ_CHECK(a.width == 1 || a.width == 2 || a.width == 4 || a.width == 8);
	FUZZ_CHECK(a.reg < 32);
	FUZZ_CHECK(a.reg == reg_field(w, a.write));
	/* Only a 16-bit word decodes as compressed, and only a 32-bit one as 4 bytes. */
	FUZZ_CHECK(a.insn_len == ((w & 3) == 3 ? 4u : 2u));
	FUZZ_CHECK(!a.sign_extend || (!a.write && a.width < 8));
	if ((w & 3) == 3) {
		FUZZ_CHECK((w & 0x7f) == (a.write ? OPC_STORE : OPC_LOAD));
	} else {
		/* RV64C has only word and doubleword integer loads and stores */
		FUZZ_CHECK(a.width == 4 || a.width == 8);
		FUZZ_CHECK(a.sign_extend == (!a.write && a.width == 4));
		FUZZ_CHECK(a.write || a.reg != 0); /* C.LWSP/C.LDSP with rd = x0 are reserved */
	}
	w = (w & ~ignored_bits(w, &a)) | (other & ignored_bits(w, &a));
	FUZZ_CHECK(decode(w, &b) == 0 && same_access(&a, &b));
	FUZZ_CHECK(decode_htinst(transformed(&a), &b) == 0 && same_access(&a, &b));
}

/* htinst decodes exactly when it is a transformed 32-bit load/store; bit 1 gives the length. */
static void check_htinst(uint64_t h)
{
	struct mmio_access a, b;
	bool usable = (h & 1) && !(h >> 32) && decode((uint32_t)h | 2, &b) == 0;

	FUZZ_CHECK((decode_htinst(h, &a) == 0) == usable);
	if (!usable)
		return;
	FUZZ_CHECK(a.insn_len == ((h & 2) ? 4u : 2u));
	b.insn_len = a.insn_len;
	FUZZ_CHECK(same_access(&a, &b));
}

/* Records of 16 bytes: an instruction word, bits to put in its ignored fields, an htinst. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	do {
		uint32_t w = fuzz_u32(&in), other = fuzz_u32(&in);

		check_word(w, other);
		check_htinst(fuzz_u64(&in));
	} while (in.n);
	return 0;
}
