// SPDX-License-Identifier: BSD-2-Clause
/* Files and errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dvimage.h"

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("dvimage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* The whole file, 8-byte aligned (parts are digested in 64-bit words). */
uint8_t *read_file(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("cannot read %s", path);
	buf = aligned_alloc(8, ((size_t)n + 8) & ~(size_t)7);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	*size = (uint64_t)n;
	return buf;
}

/* Written beside and renamed, so a failed write never leaves half an image. */
void write_file(const char *path, const void *data, uint64_t size)
{
	size_t len = strlen(path) + 5;
	char *tmp = malloc(len);
	FILE *f;

	if (!tmp)
		die("out of memory");
	snprintf(tmp, len, "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) || rename(tmp, path))
		die("cannot write %s", path);
	free(tmp);
}

void set_name(struct part *p, const char *name, uint64_t len)
{
	if (!len || len >= DV_IMAGE_NAME)
		die("part name \"%.*s\": 1 to %d characters", (int)len, name, DV_IMAGE_NAME - 1);
	memset(p->name, 0, sizeof(p->name));
	memcpy(p->name, name, len);
}
