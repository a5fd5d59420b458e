/* SPDX-License-Identifier: BSD-2-Clause */
/* The firmware image's part table, written by tools/dvimage and read by the minikernel. */
#ifndef DV_IMAGE_H
#define DV_IMAGE_H

#include <stdint.h>

/*
 * An image is OpenSBI fw_jump at its first byte, the minikernel's memory image at
 * DV_IMAGE_PAYLOAD, this table at the first page boundary after the minikernel's bss, then
 * the blobs the minikernel loads, each page aligned. Every part has an entry, the firmware
 * and the minikernel first, with its offset from the image's first byte and the digest
 * (dv_digest.h) of its bytes. `digest` is the digest of the table from `count` to its end.
 */
#define DV_IMAGE_MAGIC   0x32474d4956445544ULL /* "DUDVIMG2" */
#define DV_IMAGE_MAX     11 /* firmware, minikernel, runtime, DV_MAX_BLOBS blobs */
#define DV_IMAGE_NAME    16
#define DV_IMAGE_PAYLOAD 0x200000UL

struct dv_image_entry {
	char name[DV_IMAGE_NAME];
	uint64_t offset;
	uint64_t size;
	uint64_t digest;
};

struct dv_image_table {
	uint64_t magic;
	uint64_t digest;
	uint64_t count;
	uint64_t table_offset; /* this table's own offset in the image */
	uint64_t image_size;
	struct dv_image_entry entry[DV_IMAGE_MAX];
};

/* From the table's own address: a pointer to `count` may not be walked past `count`. */
#define DV_IMAGE_TABLE_DIGESTED(t) ((const uint8_t *)(t) + 16)
#define DV_IMAGE_TABLE_DIGEST_LEN  (sizeof(struct dv_image_table) - 16)

#endif
