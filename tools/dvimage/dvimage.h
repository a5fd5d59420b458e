/* SPDX-License-Identifier: BSD-2-Clause */
/* dvimage: the firmware image tool (create, info, verify, replace, extract). */
#ifndef DVIMAGE_H
#define DVIMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "dv_image.h"

/* One part of an image: its bytes, and where the layout put them. */
struct part {
	char name[DV_IMAGE_NAME];
	const uint8_t *data;
	uint64_t size;
	uint64_t offset;
	uint64_t digest;
};

/* An image read from a file: every part's bytes point into `bytes`. */
struct image {
	const char *path;
	uint8_t *bytes;
	uint64_t size;
	const struct dv_image_table *table;
	unsigned nr_parts;
	struct part part[DV_IMAGE_MAX];
};

/* util.c */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
uint8_t *read_file(const char *path, uint64_t *size);
void write_file(const char *path, const void *data, uint64_t size);
void set_name(struct part *p, const char *name, uint64_t len);

/* layout.c: parts[0] is the firmware, parts[1] the minikernel's memory image, then the blobs */
uint8_t *layout(struct part *parts, unsigned n, uint64_t *size);
uint8_t *minikernel_flat(const char *path, const uint8_t *elf, uint64_t elf_size, uint64_t *size);

/* read.c: loads an image and its part table; dies with the reason on a foreign file */
void image_read(struct image *im, const char *path);
struct part *image_part(struct image *im, const char *name);

/* vmconfig.c: every VM config of the parts checked and described */
int vmconfig_check(const struct part *parts, unsigned n);
void vmconfig_describe(const struct part *cfg);

/* commands.c */
int cmd_create(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_replace(int argc, char **argv);
int cmd_extract(int argc, char **argv);

#endif
