// SPDX-License-Identifier: BSD-2-Clause
/* ChaCha20's block function, and the guest's rng-seed for each boot from the host's seed. */
#include <string.h>

#include "rng_seed.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t rotl(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static void quarter_round(uint32_t *x, unsigned a, unsigned b, unsigned c, unsigned d)
{
	x[a] += x[b];
	x[d] = rotl(x[d] ^ x[a], 16);
	x[c] += x[d];
	x[b] = rotl(x[b] ^ x[c], 12);
	x[a] += x[b];
	x[d] = rotl(x[d] ^ x[a], 8);
	x[c] += x[d];
	x[b] = rotl(x[b] ^ x[c], 7);
}

void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
		    uint8_t out[64])
{
	/* "expand 32-byte k" */
	uint32_t in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 }, x[16];

	for (unsigned i = 0; i < 8; i++)
		in[4 + i] = le32(key + 4 * i);
	in[12] = counter;
	for (unsigned i = 0; i < 3; i++)
		in[13 + i] = le32(nonce + 4 * i);
	memcpy(x, in, sizeof(x));
	/* 20 rounds: a column round and a diagonal round at a time */
	for (unsigned i = 0; i < 10; i++) {
		quarter_round(x, 0, 4, 8, 12);
		quarter_round(x, 1, 5, 9, 13);
		quarter_round(x, 2, 6, 10, 14);
		quarter_round(x, 3, 7, 11, 15);
		quarter_round(x, 0, 5, 10, 15);
		quarter_round(x, 1, 6, 11, 12);
		quarter_round(x, 2, 7, 8, 13);
		quarter_round(x, 3, 4, 9, 14);
	}
	for (unsigned i = 0; i < 16; i++)
		for (unsigned b = 0; b < 4; b++)
			out[4 * i + b] = (uint8_t)((x[i] + in[i]) >> (8 * b));
}

void rng_seed_derive(const uint8_t *host_seed, size_t len, uint64_t boot,
		     uint8_t out[RNG_SEED_SIZE])
{
	uint8_t key[32] = { 0 }, nonce[12] = { 0 };

	for (size_t i = 0; i < len; i++)
		key[i % sizeof(key)] ^= host_seed[i];
	/* The block counter is the boot number's low half, the nonce's first word its high half. */
	for (unsigned b = 0; b < 4; b++)
		nonce[b] = (uint8_t)(boot >> (32 + 8 * b));
	chacha20_block(key, (uint32_t)boot, nonce, out);
}
