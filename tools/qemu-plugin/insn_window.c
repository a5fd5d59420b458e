// SPDX-License-Identifier: BSD-2-Clause
/* QEMU TCG plugin: instructions (and VM exits) executed between the guest's marker HINTs. */
/*
 * The guest brackets what it measures with two HINTs, executed as no-ops by every RISC-V hart:
 *   addi x0, x0, 0x7d0 + k   begins window k (k = 1..15)
 *   addi x0, x0, 0x7e0 + k   ends window k
 * A window counts every instruction executed on every hart from just after its begin marker up
 * to and including its end marker: guest user and kernel, the hypervisor, OpenSBI. A window
 * run several times adds up. Unlike rdcycle under -icount sleep=off, the count does not include
 * the virtual time QEMU skips while all harts wait for I/O.
 *
 * Argument exit=ADDR (a virtual address, e.g. of the minikernel's mk_guest_exit) also counts
 * the executions of the instruction at ADDR within each window. Argument hart=N counts only
 * what QEMU's CPU N executes, and only its markers (make bench: one VM's figures while
 * another VM runs on other harts); exit= still counts on every hart. At exit, one line per window
 * that was closed: "INSN_WINDOW k insns=N exits=E" (E is 0 without exit=), then
 * "INSN_TOTAL insns=N exits=E" for the whole run.
 *
 * The counts are kept in plain variables: exact under -icount or -accel tcg,thread=single,
 * where one host thread runs all harts; with MTTCG, harts racing on them would lose counts.
 * The per-block count is added at block entry, so a block left early by an exception counts
 * in full: a few instructions per trap.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define NR_WINDOWS	16		/* windows 1..15; 0 is not a window */
#define OP_IMM		0x13		/* major opcode of addi; rd = rs1 = x0 and funct3 = 0 */
#define MARK_BEGIN	0x7d0
#define MARK_END	0x7e0

struct window {
	uint64_t insns, exits;		/* sums over the closed runs */
	uint64_t insns0, exits0;	/* the counters at the begin marker of the open run */
	bool open;
	unsigned long runs;
};

static uint64_t insns, exits;
static uint64_t exit_addr;
static bool count_exits;
static long only_hart = -1;
static struct window windows[NR_WINDOWS];

/*
 * A marker's callback data, packed into the pointer so that retranslations allocate nothing:
 * bits 0-3 the window, bit 4 set for an end marker, bits 5+ the instructions of its block
 * after it (counted already at block entry, but not yet executed).
 */
#define MARK_DATA(k, end, after)	((void *)(uintptr_t)((k) | (end) << 4 | (uint64_t)(after) << 5))

/* Window k if @word is a marker, with @end set for an end marker; 0 otherwise. */
static unsigned int marker(uint32_t word, bool *end)
{
	uint32_t imm = word >> 20;

	if ((word & 0xfffff) != OP_IMM)
		return 0;
	*end = (imm & ~0xfu) == MARK_END;
	if ((imm & ~0xfu) != MARK_BEGIN && !*end)
		return 0;
	return imm & 0xf;
}

static void on_marker(unsigned int vcpu, void *data)
{
	uintptr_t v = (uintptr_t)data;
	struct window *w = &windows[v & 0xf];
	uint64_t now = insns - (v >> 5);

	if (only_hart >= 0 && vcpu != only_hart)
		return;
	if (!(v & 0x10)) {
		w->insns0 = now;
		w->exits0 = exits;
		w->open = true;
	} else if (w->open) {
		w->insns += now - w->insns0;
		w->exits += exits - w->exits0;
		w->open = false;
		w->runs++;
	}
}

/* With hart=N: a block's instructions, counted when CPU N runs it. */
static void on_block(unsigned int vcpu, void *data)
{
	if (vcpu == only_hart)
		insns += (uintptr_t)data;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	if (only_hart >= 0)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block, QEMU_PLUGIN_CB_NO_REGS,
						     (void *)(uintptr_t)n);
	else
		qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint32_t word;
		unsigned int k;
		bool end;

		if (count_exits && qemu_plugin_insn_vaddr(insn) == exit_addr)
			qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
								   &exits, 1);
		if (qemu_plugin_insn_size(insn) != 4)
			continue;
		memcpy(&word, qemu_plugin_insn_data(insn), 4);	/* RISC-V is little-endian */
		k = marker(word, &end);
		if (k)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
							       MARK_DATA(k, end, n - 1 - i));
	}
}

static void on_qemu_exit(qemu_plugin_id_t id, void *data)
{
	char line[128];

	(void)id;
	(void)data;
	for (unsigned int k = 1; k < NR_WINDOWS; k++) {
		const struct window *w = &windows[k];

		if (w->runs)
			snprintf(line, sizeof(line), "INSN_WINDOW %u insns=%" PRIu64 " exits=%" PRIu64
				 "\n", k, w->insns, w->exits);
		else if (w->open)
			snprintf(line, sizeof(line), "INSN_WINDOW %u not closed\n", k);
		else
			continue;
		qemu_plugin_outs(line);
	}
	snprintf(line, sizeof(line), "INSN_TOTAL insns=%" PRIu64 " exits=%" PRIu64 "\n", insns,
		 exits);
	qemu_plugin_outs(line);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		char *end;

		if (!strncmp(argv[i], "exit=", 5)) {
			exit_addr = strtoull(argv[i] + 5, &end, 0);
			if (end != argv[i] + 5 && !*end) {
				count_exits = true;
				continue;
			}
		}
		if (!strncmp(argv[i], "hart=", 5)) {
			only_hart = strtol(argv[i] + 5, &end, 0);
			if (end != argv[i] + 5 && !*end && only_hart >= 0)
				continue;
		}
		fprintf(stderr, "insn_window: bad argument \"%s\" (exit=ADDR and hart=N are the "
			"ones)\n", argv[i]);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
