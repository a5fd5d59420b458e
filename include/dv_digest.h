/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The digest of every image part: the minikernel checks each one at boot, and a Linux kernel
 * and its initrd are megabytes, so the digest must cost well under an instruction per byte
 * (docs/appliance.md: 5% of the boot). It is Fletcher's checksum over little-endian 64-bit
 * words, modulo 2^64 (a = sum of the words, b = sum of the running a's), folded as
 * a + DV_DIGEST_FOLD * b with an even DV_DIGEST_FOLD and then avalanched by a bijection.
 * Folding with an even factor keeps Fletcher's guarantee: a change confined to one word
 * (delta in a, k * delta in b) moves the fold by delta * (1 + FOLD * k), and 1 + FOLD * k is
 * odd, so never by zero: every one-bit flip and every damaged word is caught. It detects
 * corruption, not tampering (no key, no signature). The bytes after the last whole word are
 * one more word, zero-padded; the length is mixed in. `data` must be 8-byte aligned (parts
 * are page aligned). tests/image_digest.py recomputes it independently.
 */
#ifndef DV_DIGEST_H
#define DV_DIGEST_H

#include <stdint.h>

#define DV_DIGEST_FOLD 0x9e3779b97f4a7c16ULL
#define DV_DIGEST_MIX1 0xff51afd7ed558ccdULL
#define DV_DIGEST_MIX2 0xc4ceb9fe1a85ec53ULL

static inline uint64_t dv_digest(const void *data, uint64_t len)
{
	const uint64_t *w = data;
	uint64_t a = 0, b = 0, n = len / 8, tail = 0, h;

	/* Eight words a round, unrolled: three instructions a word and two a round. */
	for (; n >= 8; n -= 8, w += 8) {
#pragma GCC unroll 8
		for (unsigned k = 0; k < 8; k++) {
			a += w[k];
			b += a;
		}
	}
	for (; n; n--, w++) {
		a += *w;
		b += a;
	}
	if (len & 7) {
		const uint8_t *p = (const uint8_t *)w;

		for (unsigned i = 0; i < (len & 7); i++)
			tail |= (uint64_t)p[i] << (8 * i);
		a += tail;
		b += a;
	}
	h = (a + DV_DIGEST_FOLD * b) ^ len;
	h ^= h >> 33;
	h *= DV_DIGEST_MIX1;
	h ^= h >> 33;
	h *= DV_DIGEST_MIX2;
	return h ^ h >> 33;
}

#endif
