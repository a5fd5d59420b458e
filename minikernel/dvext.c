// SPDX-License-Identifier: BSD-2-Clause
/*
 * The minikernel's only access to DV-Ext: the HU CSRs read and written on the hart itself.
 * Test images link tests/dvmodel/model.c instead, which emulates DV-Ext on stock H
 * hardware behind the same functions (docs/dv-hw.md).
 */
#include "dvext.h"
#include "mk.h"

/* The CSRs the minikernel sets up or forwards an exit through (dv_hw.c). */
#define HU_CSRS(X) X(DVEXT_UTVEC) X(DVEXT_USCRATCH) X(DVEXT_UEPC) X(DVEXT_UCAUSE) X(DVEXT_UTVAL) X(DVEXT_SEDELEG) \
	X(DVEXT_SIDELEG) X(DVEXT_VTIMECTL) X(DVEXT_HUSTATUS) X(DVEXT_HUIE) X(DVEXT_HUTIMEDELTA) \
	X(DVEXT_HUCOUNTEREN) X(DVEXT_HUTVAL) X(DVEXT_HUVIP) X(DVEXT_HUGATP)

bool mk_dvext_present(void)
{
	return mk_probe_dvext();
}

uint64_t mk_hu_csr_read(struct mk_hart *h, unsigned csr)
{
	(void)h;
	switch (csr) {
#define READ(n) case n: return csr_read(n);
	HU_CSRS(READ)
#undef READ
	}
	return 0;
}

void mk_hu_csr_write(struct mk_hart *h, unsigned csr, uint64_t val)
{
	(void)h;
	switch (csr) {
#define WRITE(n) case n: csr_write(n, val); return;
	HU_CSRS(WRITE)
#undef WRITE
	}
}

/* DV-Ext hardware sends a guest's delegated exceptions and HURET nowhere near HS. */
bool mk_dvext_trap(struct mk_hart *h, uint64_t cause)
{
	(void)h;
	(void)cause;
	return false;
}
