/* SPDX-License-Identifier: BSD-2-Clause */
/* The attacking runtime's parts (tests/attack/): what one file uses of another. */
#ifndef TESTS_ATTACK_H
#define TESTS_ATTACK_H

#include "dv_abi.h"

/* Waits (up to a second) for chain `id` to come back from host device hdev: bytes written, or -1. */
long await_chain(const struct dv_boot_info *bi, unsigned hdev, long id);

/* race.c: the racing attack on every hart of the VM; returns how many of its checks failed. */
unsigned race_attack(const struct dv_boot_info *bi);

#endif
