// SPDX-License-Identifier: BSD-2-Clause
/* The host PLIC: the minikernel enables granted sources on its hart's context, claims, completes. */
#include "mk.h"

#define PLIC_PRIORITY(irq)    (4UL * (irq))
#define PLIC_ENABLE(ctx, irq) (0x2000UL + 0x80UL * (ctx) + 4UL * ((irq) / 32))
#define PLIC_THRESHOLD(ctx)   (0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)       (PLIC_THRESHOLD(ctx) + 4)

static volatile uint32_t *plic_reg(uint64_t off)
{
	return (volatile uint32_t *)(mk_plat.plic_pa + off);
}

void mk_plic_grant(struct mk_hart *h, unsigned irq)
{
	*plic_reg(PLIC_PRIORITY(irq)) = 1;
	*plic_reg(PLIC_ENABLE(h->plic_ctx, irq)) |= 1U << (irq % 32);
	*plic_reg(PLIC_THRESHOLD(h->plic_ctx)) = 0;
}

unsigned mk_plic_claim(struct mk_hart *h)
{
	return h->plic_ctx < 0 ? 0 : *plic_reg(PLIC_CLAIM(h->plic_ctx));
}

void mk_plic_complete(struct mk_hart *h, unsigned irq)
{
	*plic_reg(PLIC_CLAIM(h->plic_ctx)) = irq;
}
