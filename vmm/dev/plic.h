/* SPDX-License-Identifier: BSD-2-Clause */
/* A RISC-V PLIC model (spec 1.0.0 layout, "sifive,plic-1.0.0") with level-triggered sources. */
#ifndef VMM_DEV_PLIC_H
#define VMM_DEV_PLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "mmio.h"

/*
 * Register map, offsets from the base; every register is 32 bits wide:
 *   PLIC_PRIORITY + 4*i                priority of source i (WARL, 0..PLIC_MAX_PRIORITY)
 *   PLIC_PENDING + 4*(i/32)            pending bits, read-only
 *   PLIC_ENABLE + 0x80*ctx + 4*(i/32)  enable bits of context ctx
 *   PLIC_CONTEXT + 0x1000*ctx          priority threshold of ctx (WARL, 0..PLIC_MAX_PRIORITY)
 *   PLIC_CONTEXT + 0x1000*ctx + 4      claim (read) / complete (write) of ctx
 *
 * Bus errors (read and write callbacks return -1):
 *   - any width other than 4, or an offset that is not a multiple of 4;
 *   - the enable block or the threshold/claim block of a context >= nctx, which includes
 *     the reserved tail of the enable region (0x1f2000..0x1fffff, past context 15871);
 *   - offsets at or beyond the window (PLIC_WINDOW).
 * Decoded but reserved (read 0, writes ignored):
 *   - priority word 0 (source 0 does not exist) and priorities of sources > ndev;
 *   - pending and enable words, and bits, of sources > ndev, bit 0 (source 0) of word 0;
 *   - the rest of 0x000000..0x001fff outside the priority and pending arrays;
 *   - words 2..1023 of an existing context's threshold/claim block.
 * Pending words ignore every write; a completion of an id that is out of range, not in
 * service, or not enabled for the completing context is ignored (spec: "silently ignored").
 *
 * Deliberate choices where the spec leaves room or QEMU's virt PLIC differs from its letter:
 *   - a claim ignores the threshold, as the spec says (QEMU honours it); the threshold only
 *     gates the context's interrupt line;
 *   - a level source whose line drops before it is claimed stops being pending, as QEMU and
 *     real level sources behave (the spec's gateway would keep the request latched).
 */
#define PLIC_PRIORITY       0x000000
#define PLIC_PENDING        0x001000
#define PLIC_ENABLE         0x002000
#define PLIC_ENABLE_STRIDE  0x80
#define PLIC_CONTEXT        0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_THRESHOLD      0x0 /* within a context block */
#define PLIC_CLAIM          0x4 /* within a context block */

/* QEMU virt's reg size: 0x200000 + 1024 contexts (512 harts, M and S), far above our 8. */
#define PLIC_WINDOW 0x600000

#define PLIC_MAX_PRIORITY 7    /* 3 priority bits, like QEMU virt */
#define PLIC_MAX_SOURCES  1023 /* ids 1..1023; id 0 means "no interrupt" */
#define PLIC_MAX_CONTEXTS 8    /* one S-mode context per vCPU */
#define PLIC_WORDS        ((PLIC_MAX_SOURCES + 1) / 32)

/* What every interrupt uses comes first: a RISC-V load reaches 2 KiB past p in one instruction. */
struct plic {
	unsigned ndev, nctx;
	uint32_t pending_words; /* bit w set when pending[w] is not 0 */
	/* What a claim by ctx takes: its pending source of highest priority, lowest id, or 0. */
	uint16_t best[PLIC_MAX_CONTEXTS];
	uint8_t threshold[PLIC_MAX_CONTEXTS];
	bool eip[PLIC_MAX_CONTEXTS]; /* the level last reported through notify */
	void (*notify)(void *opaque, unsigned ctx, bool level);
	void *opaque;
	uint32_t line[PLIC_WORDS];    /* input levels as plic_set_irq last set them */
	uint32_t pending[PLIC_WORDS];
	uint32_t claimed[PLIC_WORDS]; /* in service: claimed by some context, not yet completed */
	uint8_t priority[PLIC_MAX_SOURCES + 1];
	uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
	uint32_t *enable_shadow; /* the enable page as the guest's loads see it, or NULL */
	struct mmio_dev dev;
};

/*
 * Resets every register to 0 (all priorities 0, nothing enabled, thresholds 0) and readies
 * p->dev for mmio_register() (opaque = p, size = PLIC_WINDOW). Sources are ids 1..ndev
 * (QEMU's riscv,ndev), contexts 0..nctx-1; ndev is clamped to PLIC_MAX_SOURCES and nctx to
 * PLIC_MAX_CONTEXTS. notify(opaque, ctx, level) is called whenever whether ctx has a
 * claimable interrupt changes, after the state change is complete, never with an unchanged
 * level; it may call back into the model. A NULL notify leaves the guest to poll claims.
 */
void plic_init(struct plic *p, uint64_t base, unsigned ndev, unsigned nctx,
	       void (*notify)(void *opaque, unsigned ctx, bool level), void *opaque);

/*
 * Keeps `page` (4 KiB, at PLIC_ENABLE of the window) equal to the enable registers from now on,
 * for a guest whose loads of them read that page instead of exiting; NULL: no shadow.
 */
void plic_shadow_enables(struct plic *p, uint32_t *page);

/*
 * Drives the input line of source src. Returns 0, or -1 (and changes nothing) when src is
 * not an id in 1..ndev.
 */
int plic_set_irq(struct plic *p, unsigned src, bool level);

#endif
