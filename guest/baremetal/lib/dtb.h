/* SPDX-License-Identifier: BSD-2-Clause */
/* Just enough flattened-devicetree reading for the guests: ISA extensions, RAM, a property. */
#ifndef GUEST_DTB_H
#define GUEST_DTB_H

#include <stdbool.h>
#include <stdint.h>

/* True when `dtb` starts with a flattened-devicetree header we can walk. */
bool dtb_valid(const void *dtb);

/* The blob's totalsize from its header (0 if not valid). */
uint32_t dtb_size(const void *dtb);

/*
 * True when some riscv,isa property names multi-letter extension `ext` (e.g. "sstc") as
 * one of its '_'-separated tokens, or some riscv,isa-extensions list holds it.
 */
bool dtb_has_isa_ext(const void *dtb, const char *ext);

/* The first memory node's reg (2 address and 2 size cells assumed); false if none. */
bool dtb_memory(const void *dtb, uint64_t *base, uint64_t *size);

/*
 * The value of the first property `name` in a node named exactly `node` (e.g. "chosen",
 * "rtc@101000"), with its length in *len; NULL if there is none.
 */
const void *dtb_prop(const void *dtb, const char *node, const char *name, uint32_t *len);

/* A property's big-endian 32-bit cell i (the blob's alignment is not trusted). */
uint32_t dtb_cell(const void *val, unsigned i);

/* Whether `compat` is one of the strings of the compatible property of the node `node`. */
bool dtb_compatible(const void *dtb, const char *node, const char *compat);

#endif
