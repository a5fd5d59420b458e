// SPDX-License-Identifier: BSD-2-Clause
// A walk over the structure block of a flattened devicetree (devicetree spec v0.4, ch. 5).
//
// Rather than a byte search of the blob, this walks the tokens so that "sstc" only counts
// inside a riscv,isa value. Node paths are not tracked: the first property of the wanted
// name in a node whose name matches is taken, which fits the DTBs QEMU and our runtime make.
#include <stddef.h>

#include "dtb.h"

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

/* Header field offsets. */
#define HDR_MAGIC     0
#define HDR_TOTALSIZE 4
#define HDR_OFF_STRUCT 8
#define HDR_OFF_STRINGS 12
#define HDR_SIZE_STRUCT 36

/* One property as the walk sees it. */
struct dtb_prop {
	const char *node; /* name of the enclosing node, e.g. "memory@80000000" */
	const char *name;
	const uint8_t *val;
	uint32_t len;
};

typedef bool (*prop_fn)(const struct dtb_prop *p, void *ctx);

/* Big-endian 32-bit read; the blob's alignment is not trusted. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool str_starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static uint32_t align4(uint32_t x)
{
	return (x + 3) & ~3U;
}

bool dtb_valid(const void *dtb)
{
	return dtb && be32((const uint8_t *)dtb + HDR_MAGIC) == FDT_MAGIC;
}

uint32_t dtb_size(const void *dtb)
{
	return dtb_valid(dtb) ? be32((const uint8_t *)dtb + HDR_TOTALSIZE) : 0;
}

/* Calls fn for each property until it returns true; returns whether one did. */
static bool dtb_walk(const void *dtb, prop_fn fn, void *ctx)
{
	const uint8_t *b = dtb;
	const uint8_t *s, *end;
	const char *strings;
	struct dtb_prop p = { .node = "" };

	if (!dtb_valid(dtb))
		return false;
	s = b + be32(b + HDR_OFF_STRUCT);
	end = s + be32(b + HDR_SIZE_STRUCT);
	strings = (const char *)b + be32(b + HDR_OFF_STRINGS);
	while (s + 4 <= end) {
		uint32_t tok = be32(s);

		s += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			p.node = (const char *)s;
			s += align4(str_len(p.node) + 1);
			break;
		case FDT_PROP:
			p.len = be32(s);
			p.name = strings + be32(s + 4);
			p.val = s + 8;
			s += 8 + align4(p.len);
			if (fn(&p, ctx))
				return true;
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		default:
			return false;
		}
	}
	return false;
}

/* Whether `ext` is one of the '_'-separated tokens of the NUL-terminated `isa`. */
static bool isa_token(const char *isa, uint32_t len, const char *ext)
{
	size_t n = str_len(ext);
	uint32_t i = 0;

	while (i < len && isa[i]) {
		uint32_t start = i;

		while (i < len && isa[i] && isa[i] != '_')
			i++;
		if (i - start == n && str_starts(isa + start, ext))
			return true;
		if (i < len && isa[i] == '_')
			i++;
	}
	return false;
}

/* Whether `ext` is one of the strings of the stringlist value. */
static bool in_stringlist(const char *list, uint32_t len, const char *ext)
{
	uint32_t i = 0;

	while (i < len) {
		if (str_eq(list + i, ext))
			return true;
		i += str_len(list + i) + 1;
	}
	return false;
}

static bool match_isa(const struct dtb_prop *p, void *ctx)
{
	const char *ext = ctx;

	if (str_eq(p->name, "riscv,isa"))
		return isa_token((const char *)p->val, p->len, ext);
	if (str_eq(p->name, "riscv,isa-extensions"))
		return in_stringlist((const char *)p->val, p->len, ext);
	return false;
}

bool dtb_has_isa_ext(const void *dtb, const char *ext)
{
	return dtb_walk(dtb, match_isa, (void *)ext);
}

struct mem_range {
	uint64_t base, size;
};

static bool match_memory(const struct dtb_prop *p, void *ctx)
{
	struct mem_range *m = ctx;

	if (!str_starts(p->node, "memory") || !str_eq(p->name, "reg") || p->len < 16)
		return false;
	m->base = be64(p->val);
	m->size = be64(p->val + 8);
	return true;
}

bool dtb_memory(const void *dtb, uint64_t *base, uint64_t *size)
{
	struct mem_range m;

	if (!dtb_walk(dtb, match_memory, &m))
		return false;
	*base = m.base;
	*size = m.size;
	return true;
}

struct prop_query {
	const char *node, *name;
	struct dtb_prop found;
};

static bool match_prop(const struct dtb_prop *p, void *ctx)
{
	struct prop_query *q = ctx;

	if (!str_eq(p->node, q->node) || !str_eq(p->name, q->name))
		return false;
	q->found = *p;
	return true;
}

const void *dtb_prop(const void *dtb, const char *node, const char *name, uint32_t *len)
{
	struct prop_query q = { node, name, { 0 } };

	if (!dtb_walk(dtb, match_prop, &q))
		return NULL;
	*len = q.found.len;
	return q.found.val;
}

uint32_t dtb_cell(const void *val, unsigned i)
{
	return be32((const uint8_t *)val + 4 * i);
}

bool dtb_compatible(const void *dtb, const char *node, const char *compat)
{
	uint32_t len;
	const char *list = dtb_prop(dtb, node, "compatible", &len);

	return list && in_stringlist(list, len, compat);
}
