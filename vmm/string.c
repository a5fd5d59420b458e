// SPDX-License-Identifier: BSD-2-Clause
/*
 * memcpy and memset for the runtime: picolibc's are byte loops (built for size), and the
 * runtime copies megabytes (the guest kernel, its initrd, device buffers).
 */
#include <stdint.h>
#include <string.h>

#define WORD sizeof(uint64_t)

/* Without this GCC recognises the loops below as memcpy/memset and calls them: recursion. */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALL void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (!(((uintptr_t)d | (uintptr_t)s) & (WORD - 1))) {
		for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
			uint64_t a = ((const uint64_t *)s)[0], b = ((const uint64_t *)s)[1];
			uint64_t c = ((const uint64_t *)s)[2], e = ((const uint64_t *)s)[3];

			((uint64_t *)d)[0] = a;
			((uint64_t *)d)[1] = b;
			((uint64_t *)d)[2] = c;
			((uint64_t *)d)[3] = e;
		}
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t w = 0x0101010101010101ULL * (uint8_t)c;

	for (; n && ((uintptr_t)d & (WORD - 1)); n--)
		*d++ = (uint8_t)c;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(uint64_t *)d = w;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}
