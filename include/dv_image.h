/* SPDX-License-Identifier: BSD-2-Clause */
/* The firmware payload's blob table, written by tools/mkimage and read by the minikernel. */
#ifndef DV_IMAGE_H
#define DV_IMAGE_H

#include <stdint.h>

/*
 * The table sits at the first page boundary after the minikernel's memory image (its
 * bss included); each blob is page aligned at `offset` bytes from the table.
 */
#define DV_IMAGE_MAGIC  0x31474d4956445544ULL /* "DUDVIMG1" */
#define DV_IMAGE_MAX    8

struct dv_image_entry {
	char name[16];
	uint64_t offset;
	uint64_t size;
};

struct dv_image_table {
	uint64_t magic;
	uint64_t count;
	struct dv_image_entry entry[DV_IMAGE_MAX];
};

#endif
