/* SPDX-License-Identifier: BSD-2-Clause */
/* The DV-Ext model's test hooks, which test guests call: not DV-Ext, never in the product. */
#ifndef DVMODEL_HOOKS_H
#define DVMODEL_HOOKS_H

/*
 * An SBI call with this extension id (SBI's experimental range) makes the model hold the
 * runtime's next HURET until a host interrupt is pending, which is then taken at the HURET's
 * pc: the entry window's rewind, made deterministic. The runtime answers the call as any
 * unknown extension.
 */
#define DVMODEL_EID_HOLD_HURET 0x0844564dUL /* "\bDVM" */

/*
 * The same for the runtime's next wait, its U-mode WFI in the entry window: held until a
 * host interrupt is pending, which is then taken at the WFI's pc.
 */
#define DVMODEL_EID_HOLD_WFI 0x0944564dUL /* "\tDVM" */

#endif
