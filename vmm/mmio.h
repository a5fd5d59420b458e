/* SPDX-License-Identifier: BSD-2-Clause */
/* Emulated MMIO: the decoded access and the bus that routes it to a device model. */
#ifndef VMM_MMIO_H
#define VMM_MMIO_H

#include <stdbool.h>
#include <stdint.h>

/* One decoded guest load or store; bytes, which the emulation indexes and shifts with as is. */
struct mmio_access {
	uint64_t gpa;
	uint8_t width;    /* 1, 2, 4 or 8 bytes */
	bool write;
	bool sign_extend; /* loads: LB/LH/LW sign-extend, LBU/LHU/LWU/LD do not */
	uint8_t reg;      /* loads: rd; stores: rs2 */
	uint8_t insn_len; /* 2 (compressed) or 4 */
};

/*
 * A device model: `read` fills *val with the `width` bytes at `off` (zero-extended);
 * `write` takes the low `width` bytes of val. Both return 0, or -1 when the access is
 * not one the device answers (the caller then treats it as a bus error).
 */
struct mmio_dev {
	const char *name;
	uint64_t base, size;
	void *opaque;
	int (*read)(void *opaque, uint64_t off, unsigned width, uint64_t *val);
	int (*write)(void *opaque, uint64_t off, unsigned width, uint64_t val);
};

#define MMIO_MAX_DEVS 16
#define MMIO_SITES    16

/*
 * An instruction that exits often: a driver touches its device registers from a handful of
 * places (pc), each always the same access to the same device. mmio_emulate keeps the last
 * two decoded per set of pcs, as hints only: one is used when the instruction word fetched
 * now is the one decoded then and the device still holds the address.
 */
struct __attribute__((aligned(64))) mmio_site { /* a shift apart: the index is no product */
	uint64_t pc;
	uint32_t insn;
	uint32_t cause;       /* the exit's: a load or a store guest-page fault; 0 when empty */
	uint64_t base, span;  /* the device holds the access at gpa when gpa - base <= span */
	struct mmio_access a; /* all but gpa */
	struct mmio_dev *dev;
};

/* Sorted by base address. mmio_emulate updates `site`: callers serialise it (the board lock). */
struct mmio_bus {
	unsigned nr;
	struct mmio_dev *dev[MMIO_MAX_DEVS];
	struct mmio_site site[MMIO_SITES];
};

/* Adds a device; -1 when the bus is full or the range overlaps another device. */
int mmio_register(struct mmio_bus *bus, struct mmio_dev *dev);

/* The device whose range holds [gpa, gpa+width), or NULL. */
struct mmio_dev *mmio_find(struct mmio_bus *bus, uint64_t gpa, unsigned width);

#endif
