// SPDX-License-Identifier: BSD-2-Clause
/* Reading an image: finding its part table and checking that every part lies inside the file. */
#include <string.h>

#include "dv_digest.h"
#include "dvimage.h"

#define PAGE 4096UL

/* The table is on the first page after the minikernel whose magic and digest both match. */
static const struct dv_image_table *find_table(const struct image *im)
{
	for (uint64_t off = DV_IMAGE_PAYLOAD; off + sizeof(struct dv_image_table) <= im->size;
	     off += PAGE) {
		const struct dv_image_table *t = (const void *)(im->bytes + off);

		if (t->magic != DV_IMAGE_MAGIC)
			continue;
		if (t->digest != dv_digest(DV_IMAGE_TABLE_DIGESTED(t), DV_IMAGE_TABLE_DIGEST_LEN))
			die("%s: its part table (at 0x%llx) does not match its digest: the image is "
			    "damaged", im->path, (unsigned long long)off);
		if (t->table_offset != off)
			die("%s: its part table says it is at 0x%llx, not 0x%llx", im->path,
			    (unsigned long long)t->table_offset, (unsigned long long)off);
		return t;
	}
	die("%s: no part table: not a DuVisor-C image (or truncated before its table)", im->path);
}

void image_read(struct image *im, const char *path)
{
	const struct dv_image_table *t;

	im->path = path;
	im->bytes = read_file(path, &im->size);
	im->table = t = find_table(im);
	if (t->count < 2 || t->count > DV_IMAGE_MAX)
		die("%s: its part table lists %llu parts", path, (unsigned long long)t->count);
	if (t->image_size > im->size)
		die("%s: truncated: %llu bytes, the image is %llu", path,
		    (unsigned long long)im->size, (unsigned long long)t->image_size);
	if (t->image_size < im->size)
		die("%s: %llu bytes after the image's end (%llu): not an image as dvimage writes it",
		    path, (unsigned long long)(im->size - t->image_size),
		    (unsigned long long)t->image_size);
	im->nr_parts = (unsigned)t->count;
	for (unsigned i = 0; i < im->nr_parts; i++) {
		const struct dv_image_entry *e = &t->entry[i];
		struct part *p = &im->part[i];

		if (memchr(e->name, 0, sizeof(e->name)) == NULL || e->offset % 8 ||
		    e->offset > im->size || e->size > im->size - e->offset)
			die("%s: part %u of the table lies outside the image", path, i);
		set_name(p, e->name, strlen(e->name));
		p->data = im->bytes + e->offset;
		p->size = e->size;
		p->offset = e->offset;
		p->digest = e->digest;
	}
}

struct part *image_part(struct image *im, const char *name)
{
	for (unsigned i = 0; i < im->nr_parts; i++)
		if (!strcmp(im->part[i].name, name))
			return &im->part[i];
	return NULL;
}
