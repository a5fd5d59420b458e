// SPDX-License-Identifier: BSD-2-Clause
/* Finding the blobs (runtime, VM config, guest) that tools/mkimage appended to the minikernel. */
#include <string.h>

#include "dv_image.h"
#include "mk.h"

extern char __mk_end[];

static const struct dv_image_table *table(void)
{
	const struct dv_image_table *t = (const void *)__mk_end;

	return t->magic == DV_IMAGE_MAGIC && t->count <= DV_IMAGE_MAX ? t : NULL;
}

/* The end of the whole payload, so the allocator starts past it. */
uint64_t mk_image_end(void)
{
	const struct dv_image_table *t = table();
	uint64_t end = (uint64_t)__mk_end + sizeof(*t);

	for (unsigned i = 0; t && i < t->count; i++) {
		uint64_t e = (uint64_t)t + t->entry[i].offset + t->entry[i].size;

		if (e > end)
			end = e;
	}
	return end;
}

int mk_image_foreach(int (*fn)(void *ctx, const char *name, uint64_t pa, uint64_t size), void *ctx)
{
	const struct dv_image_table *t = table();

	for (unsigned i = 0; t && i < t->count; i++)
		if (fn(ctx, t->entry[i].name, (uint64_t)t + t->entry[i].offset, t->entry[i].size))
			return -1;
	return t ? 0 : -1;
}

const void *mk_image_find(const char *name, uint64_t *size)
{
	const struct dv_image_table *t = table();

	for (unsigned i = 0; t && i < t->count; i++) {
		if (!strncmp(t->entry[i].name, name, sizeof(t->entry[i].name))) {
			*size = t->entry[i].size;
			return (const char *)t + t->entry[i].offset;
		}
	}
	return NULL;
}
