/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's /chosen/rng-seed: fresh bytes for each guest boot, expanded from the host's seed. */
#ifndef VMM_RNG_SEED_H
#define VMM_RNG_SEED_H

#include <stddef.h>
#include <stdint.h>

#define RNG_SEED_SIZE 64 /* one ChaCha20 block */

/* The ChaCha20 block function (RFC 8439, 2.3): 64 bytes of keystream. */
void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
		    uint8_t out[64]);

/*
 * The seed of guest boot number `boot`: the ChaCha20 block `boot` under a key that is the
 * host's seed (any length) folded into 32 bytes by XOR. Distinct boots get independent bytes;
 * none of them tells anything about the key, nor about the other boots' seeds.
 */
void rng_seed_derive(const uint8_t *host_seed, size_t len, uint64_t boot,
		     uint8_t out[RNG_SEED_SIZE]);

#endif
