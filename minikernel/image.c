// SPDX-License-Identifier: BSD-2-Clause
/* The image's part table: checked once at boot, then the blobs (runtime, VM config, guest...). */
#include <string.h>

#include "dv_digest.h"
#include "dv_image.h"
#include "mk.h"

extern char __mk_end[];

/* Set by mk_image_verify: nothing is looked up in a table that has not been checked. */
static const struct dv_image_table *checked;

static uint64_t image_base(const struct dv_image_table *t)
{
	return (uint64_t)t - t->table_offset;
}

static bool entry_sane(const struct dv_image_table *t, const struct dv_image_entry *e)
{
	return !(e->offset & (PAGE_SIZE - 1)) && e->offset <= t->image_size &&
	       e->size <= t->image_size - e->offset;
}

/* The parts after the table are the ones this minikernel loads (and checks). */
static bool loaded(const struct dv_image_table *t, const struct dv_image_entry *e)
{
	return e->offset > t->table_offset;
}

static bool damaged(const char *what, const struct dv_image_entry *e)
{
	if (e)
		mk_printf("mk: fatal: image damaged: part \"%s\" (%lu bytes at offset 0x%lx) %s; "
			  "nothing is started\n", e->name, e->size, e->offset, what);
	else
		mk_printf("mk: fatal: image damaged: %s; nothing is started\n", what);
	return false;
}

/*
 * Checks the table and the digest of every part this minikernel loads: the blobs after the
 * table. The firmware and the minikernel are already running; `dvimage verify` checks them.
 */
bool mk_image_verify(void)
{
	const struct dv_image_table *t = (const void *)__mk_end;
	uint64_t start = csr_read(cycle), bytes = 0;
	unsigned parts = 0;

	if (t->magic != DV_IMAGE_MAGIC)
		return damaged("no part table after the minikernel (not a DuVisor-C image?)", NULL);
	if (t->digest != dv_digest(DV_IMAGE_TABLE_DIGESTED(t), DV_IMAGE_TABLE_DIGEST_LEN) ||
	    t->count > DV_IMAGE_MAX)
		return damaged("the part table does not match its digest", NULL);
	for (unsigned i = 0; i < t->count; i++) {
		const struct dv_image_entry *e = &t->entry[i];

		if (e->name[DV_IMAGE_NAME - 1])
			return damaged("a part's name is not terminated", NULL);
		if (!entry_sane(t, e))
			return damaged("lies outside the image", e);
		if (!loaded(t, e))
			continue;
		if (dv_digest((const void *)(image_base(t) + e->offset), e->size) != e->digest)
			return damaged("does not match its digest", e);
		parts++;
		bytes += e->size;
	}
	checked = t;
	mk_printf("mk: image verified: %u parts, %lu bytes in %lu cycles\n", parts, bytes,
		  csr_read(cycle) - start);
	return true;
}

/* The end of the whole payload, so the allocator starts past it. */
uint64_t mk_image_end(void)
{
	return image_base(checked) + checked->image_size;
}

int mk_image_foreach(int (*fn)(void *ctx, const char *name, uint64_t pa, uint64_t size), void *ctx)
{
	const struct dv_image_table *t = checked;

	for (unsigned i = 0; i < t->count; i++)
		if (loaded(t, &t->entry[i]) &&
		    fn(ctx, t->entry[i].name, image_base(t) + t->entry[i].offset, t->entry[i].size))
			return -1;
	return 0;
}

const void *mk_image_find(const char *name, uint64_t *size)
{
	const struct dv_image_table *t = checked;

	for (unsigned i = 0; i < t->count; i++) {
		if (loaded(t, &t->entry[i]) && !strcmp(t->entry[i].name, name)) {
			*size = t->entry[i].size;
			return (const char *)image_base(t) + t->entry[i].offset;
		}
	}
	return NULL;
}
