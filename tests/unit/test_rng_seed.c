// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the ChaCha20 block function and the guest's per-boot rng-seed. */
#include <string.h>

#include "rng_seed.h"
#include "unit.h"

/* RFC 8439, 2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, block count 1. */
static void test_chacha20_rfc8439(void)
{
	static const uint8_t nonce[12] = { 0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
	static const uint8_t want[64] = {
		0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20,
		0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a,
		0xc3, 0xd4, 0x6c, 0x4e, 0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2,
		0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9,
		0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
	};
	uint8_t key[32], out[64];

	for (unsigned i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	chacha20_block(key, 1, nonce, out);
	CHECK(!memcmp(out, want, sizeof(want)));
}

/* Boot n is block n (low half of n) of ChaCha20 under the folded seed, nonce = high half. */
static void test_derive_is_chacha20(void)
{
	uint8_t seed[32], out[64], block[64], nonce[12] = { 0 };

	for (unsigned i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0xa5 ^ i * 7);
	rng_seed_derive(seed, sizeof(seed), 3, out);
	chacha20_block(seed, 3, nonce, block);
	CHECK(!memcmp(out, block, sizeof(out)));
	rng_seed_derive(seed, sizeof(seed), 0x500000002ULL, out);
	nonce[0] = 5;
	chacha20_block(seed, 2, nonce, block);
	CHECK(!memcmp(out, block, sizeof(out)));
}

/* Every boot a different seed; the same boot of the same host seed the same. */
static void test_fresh_per_boot(void)
{
	uint8_t seed[32] = { 1, 2, 3 }, a[64], b[64], c[64];

	rng_seed_derive(seed, sizeof(seed), 0, a);
	rng_seed_derive(seed, sizeof(seed), 1, b);
	CHECK(memcmp(a, b, sizeof(a)));
	rng_seed_derive(seed, sizeof(seed), 1ULL << 32, c);
	CHECK(memcmp(a, c, sizeof(a)));
	CHECK(memcmp(b, c, sizeof(b)));
	rng_seed_derive(seed, sizeof(seed), 1, c);
	CHECK(!memcmp(b, c, sizeof(b)));
	seed[31] ^= 0x80;
	rng_seed_derive(seed, sizeof(seed), 1, c);
	CHECK(memcmp(b, c, sizeof(b)));
}

/* Host seeds of any length fold into the 32-byte key by XOR: every byte counts. */
static void test_fold(void)
{
	uint8_t seed[64] = { 0 }, short_seed[5] = { 9, 8, 7, 6, 5 }, a[64], b[64];

	memcpy(seed, short_seed, sizeof(short_seed));
	rng_seed_derive(short_seed, sizeof(short_seed), 4, a);
	rng_seed_derive(seed, sizeof(seed), 4, b);
	CHECK(!memcmp(a, b, sizeof(a)));
	seed[40] = 0x11;
	rng_seed_derive(seed, sizeof(seed), 4, b);
	CHECK(memcmp(a, b, sizeof(a)));
	seed[8] = 0x11; /* cancels byte 40 */
	rng_seed_derive(seed, sizeof(seed), 4, b);
	CHECK(!memcmp(a, b, sizeof(a)));
}

int main(void)
{
	RUN(test_chacha20_rfc8439);
	RUN(test_derive_is_chacha20);
	RUN(test_fresh_per_boot);
	RUN(test_fold);
	UNIT_EXIT();
}
