# SPDX-License-Identifier: BSD-2-Clause
# Writes the seed corpus of each fuzz target (tests/fuzz/corpus/<name>/), in its input layout.
"""python3 tests/fuzz/mkcorpus.py [DIR]: the seeds, each a small valid or invalid case that
the fuzzer grows from; DIR defaults to tests/fuzz/corpus. The layouts are those the
LLVMFuzzerTestOneInput of each tests/fuzz/fuzz_<name>.c reads."""

import os
import struct
import sys


def u8(v):
    return struct.pack("<B", v & 0xff)


def u16(v):
    return struct.pack("<H", v & 0xffff)


def u32(v):
    return struct.pack("<I", v & 0xffffffff)


def u64(v):
    return struct.pack("<Q", v & 0xffffffffffffffff)


# ---- insn: records of (word u32, bits for its ignored fields u32, htinst u64) ----

def insn_rec(word, htinst=0, other=0x5a5a5a5a):
    return u32(word) + u32(other) + u64(htinst)


def insn_seeds():
    # words from riscv64-unknown-elf-as, as in tests/unit/test_insn.c
    loads = [0x00058503, 0xffc29003, 0x00c7a483, 0x7f813f83, 0x8000cf83, 0x0066d603, 0x00006003]
    stores = [0x00a583a3, 0xfe029fa3, 0x07f12223, 0xfe143c23]
    compressed = [0x40dc, 0x4000, 0x7fe0, 0xdce8, 0xe41c, 0x50fe, 0x7ffe, 0xc002, 0xe46e,
                  0xffff40dc]
    rejects = [0x00052507, 0x00a53427, 0x2508, 0xa42a, 0x00b6252f, 0x1005b52f, 0x00c58533,
               0x0505, 0x4002, 0x0000, 0xffffffff]
    return {
        "loads": b"".join(insn_rec(w, w & 0x00007fff) for w in loads),
        "stores": b"".join(insn_rec(w, w & 0x01f0707f & ~2) for w in stores),
        "compressed": b"".join(insn_rec(w, 0x00002783 & ~2) for w in compressed),
        "rejects": b"".join(insn_rec(w, h) for w, h in
                            zip(rejects, [0, 0x2000, 0x3020, 0x100002503, 0x00b0252f, 1, 2, 3,
                                          0x00002507, 0x00002503, 0xffffffff])),
    }


# ---- mmio: devices, then exits ----

MMIO_LOAD, MMIO_STORE, MMIO_IFETCH = 0, 1, 2


def mmio_dev(size_sel, base_mode=0, base=b"\x00", fail=False, raw_size=0):
    """size_sel 0..6 picks a size from fuzz_mmio.c's sizes[], 7 takes raw_size."""
    return (u8(base_mode | size_sel << 2 | (0x80 if fail else 0)) +
            (u32(raw_size) if size_sel == 7 else b"") + base)


def mmio_exit(cause, insn, dev=0, off=0, pc=0, htinst=None, fetch_fails=False, raw_gpa=None,
              no_fetch=False, read_val=0x8081828384858687, seed=0x1122334455667788):
    flags = cause | (4 if htinst is not None else 0) | (8 if fetch_fails else 0) | pc << 4
    out = u8(flags) + u8(1 if no_fetch else 0)
    out += u8(0xff) + u64(raw_gpa) if raw_gpa is not None else u8(dev) + u16(off)
    out += u32(insn)
    if htinst is not None:
        out += u64(htinst)
    return out + u64(read_val) + u64(seed)


def mmio_seeds():
    two = u8(2) + mmio_dev(5, base=u8(0)) + mmio_dev(5, base=u8(1))  # 0x10000000, 0x10000100
    return {
        "load_store": two + b"".join([
            mmio_exit(MMIO_LOAD, 0x0005a503, dev=0, off=0x10),           # lw a0
            mmio_exit(MMIO_LOAD, 0x0005a503, dev=0, off=0x14),           # again: a site hit
            mmio_exit(MMIO_STORE, 0x00c5b023, dev=1, off=0x8, pc=8),     # sd a2, same set
            mmio_exit(MMIO_LOAD, 0x4188, dev=1, off=0xfc, pc=3),         # c.lw a0
            mmio_exit(MMIO_LOAD, 0x00058503, dev=1, off=0xff, pc=5),     # lb at the last byte
        ]),
        "htinst": two + b"".join([
            mmio_exit(MMIO_LOAD, 0, dev=0, off=0x40, htinst=0x00002503),      # lw a0
            mmio_exit(MMIO_STORE, 0, dev=1, off=0x48, htinst=0x00c03021),     # c.sd a2
            mmio_exit(MMIO_LOAD, 0x4188, dev=0, htinst=0x00003000, pc=1),     # pseudo: fetch
        ]),
        "errors": u8(3) + mmio_dev(3, base=u8(0), fail=True) + mmio_dev(4, base_mode=1) +
        mmio_dev(7, base_mode=2, base=u16(0x100), raw_size=0x30) + b"".join([
            mmio_exit(MMIO_LOAD, 0x0005b503, dev=0),                       # bus error
            mmio_exit(MMIO_LOAD, 0x0005b503, dev=1, off=0xc),              # ld at the top
            mmio_exit(MMIO_LOAD, 0x0005a503, dev=1, off=0xe),              # runs off the top
            mmio_exit(MMIO_STORE, 0x0005a503, dev=2, off=4),               # direction
            mmio_exit(MMIO_IFETCH, 0x0005a503, dev=2, off=4),              # not a data fault
            mmio_exit(MMIO_LOAD, 0x0005a503, dev=2, off=4, fetch_fails=True),
            mmio_exit(MMIO_LOAD, 0x0005a503, dev=2, off=4, no_fetch=True),
            mmio_exit(MMIO_LOAD, 0x00c58533, dev=2, off=4),                # add: undecodable
            mmio_exit(MMIO_STORE, 0x00c5a023, raw_gpa=0x20000000),         # unmapped
        ]),
    }


# ---- virtq: header, then guest RAM (16 KiB at RAM_GPA) ----

F_INDIRECT, F_SHADOW, F_PUSH = 1, 2, 8
RAM_GPA = 0x80000000
NEXT, WRITE, INDIRECT = 1, 2, 4


class Ram:
    """The first `size` bytes of guest RAM, with where queue 0's three areas are."""

    def __init__(self, size=0x200, desc=0x000, avail=0x080, used=0x0c0):
        self.b = bytearray(size)
        self.desc_off, self.avail_off, self.used_off = desc, avail, used

    def put(self, off, data):
        self.b[off:off + len(data)] = data

    def desc(self, table, i, off, length, flags, nxt=0):
        self.put(table + 16 * i, u64(RAM_GPA + off) + u32(length) + u16(flags) + u16(nxt))

    def ring(self, i, off, length, flags, nxt=0):
        self.desc(self.desc_off, i, off, length, flags, nxt)

    def avail(self, heads, qsz=8, idx=None):
        """The ring's entries, and its idx (all of them unless given)."""
        for i, h in enumerate(heads):
            self.put(self.avail_off + 4 + 2 * (i % qsz), u16(h))
        self.put(self.avail_off + 2, u16(len(heads) if idx is None else idx))


def virtq_input(flags, ram, log2_num=3, writes=(), rounds=((0, 0),), copy=(0, 64), patches=()):
    out = u8(flags) + u8(log2_num) + u16(ram.desc_off) + u16(ram.avail_off) + u16(ram.used_off)
    out += u8(len(writes)) + b"".join(u16(o) + u32(v) for o, v in writes)
    out += u8(len(rounds) - 1) + b"".join(u8(q) + u16(idx) for q, idx in rounds)
    out += u16(copy[0]) + u16(copy[1])
    return out + u8(len(patches)) + b"".join(patches) + bytes(ram.b)


# Patches (fuzz_virtq.c's patch()): numbers as pick_index, pick_len and pick_addr read them.
def index(i):
    return u8(2 * i)


def length(n):
    return u8(0) + u8(n)


def at(off):
    return u8(0) + u16(off)


def at_end(delta=0):
    """An address `delta` bytes past where a buffer of the length just given ends at RAM's end."""
    return u8(1) + u8(delta)


def ring_desc(i, length_, addr, flags, nxt=0):
    return u8(0) + index(i) + length_ + addr + u8(flags) + index(nxt)


def table_desc(table_off, i, length_, addr, flags, nxt=0):
    return u8(12) + at(table_off) + index(i) + length_ + addr + u8(flags) + index(nxt)


def avail_entry(slot, head):
    return u8(1) + u8(slot) + index(head)


def avail_idx(idx):
    return u8(2) + index(idx)


IND, BUF = 0x110, 0x180


def virtq_seeds():
    direct = Ram()
    direct.put(BUF, b"virtio-fuzz-seed")
    direct.ring(0, BUF, 16, NEXT, 5)
    direct.ring(5, BUF + 0x20, 8, NEXT | WRITE, 2)
    direct.ring(2, BUF + 0x40, 1, WRITE)
    direct.avail([0])

    indirect = Ram()
    indirect.ring(1, IND, 48, INDIRECT)
    indirect.desc(IND, 0, BUF, 16, NEXT, 1)
    indirect.desc(IND, 1, BUF + 0x20, 0x30, NEXT | WRITE, 2)
    indirect.desc(IND, 2, BUF + 0x60, 1, WRITE)
    indirect.avail([1])

    # one chain at DRIVER_OK, one more in the second round; queue 1 and a missing queue 2 too
    rounds = Ram()
    rounds.ring(0, BUF, 4, 0)
    rounds.ring(1, BUF + 8, 4, WRITE)
    rounds.avail([0, 1], idx=1)

    # the misaligned table is read bytewise; published by the round, not before DRIVER_OK
    misaligned = Ram()
    misaligned.ring(0, BUF, 8, NEXT, 1)
    misaligned.ring(1, IND + 4, 32, INDIRECT)
    misaligned.desc(IND + 4, 0, BUF + 0x10, 8, NEXT, 1)
    misaligned.desc(IND + 4, 1, BUF + 0x20, 8, WRITE)
    misaligned.avail([0], idx=0)

    # one direct descriptor and a full indirect table: one more than a chain may have
    longest = Ram(0xa00)
    longest.ring(0, BUF, 8, NEXT, 1)
    longest.ring(1, 0x200, 16 * 128, INDIRECT)
    for i in range(128):
        longest.desc(0x200, i, BUF, 1, WRITE | (NEXT if i < 127 else 0), i + 1)
    longest.avail([0])

    # QueueNum 2: one past the ring's table, a head, a next or the avail idx is a small step
    tiny = Ram()
    tiny.ring(0, BUF, 8, NEXT, 1)
    tiny.ring(1, BUF + 8, 8, WRITE)
    tiny.ring(2, BUF + 16, 8, WRITE)  # just past the table: never part of a chain
    tiny.avail([0, 1], qsz=2, idx=0)

    loop = Ram()
    loop.ring(0, BUF, 8, NEXT, 1)
    loop.ring(1, BUF, 8, NEXT, 0)
    loop.avail([0], qsz=2)

    # an indirect table naming itself: refused, or a walk without end
    nested = Ram()
    nested.ring(0, IND, 16, INDIRECT)
    nested.desc(IND, 0, IND, 16, INDIRECT)
    nested.avail([0])

    # RAM's last bytes, by patches: the ring's table, a buffer and an indirect table end
    # exactly there (the image is empty)
    end = Ram(0, desc=0x3f80, avail=0x100, used=0x140)
    end_patches = [ring_desc(7, length(0x80), at(0x3f00), NEXT, 6),
                   ring_desc(6, length(1), at_end(), WRITE), avail_entry(0, 7), avail_idx(1)]
    end_ind = Ram(0, desc=0x000, avail=0x100, used=0x140)
    end_ind_patches = [ring_desc(3, length(32), at_end(), INDIRECT),
                       table_desc(0x3fe0, 0, length(16), at(0x3f00), NEXT, 1),
                       table_desc(0x3fe0, 1, length(8), at_end(), WRITE),
                       avail_entry(0, 3), avail_idx(1)]

    outside = Ram()
    outside.ring(2, 0x3ff8, 16, WRITE)  # past the end of RAM
    outside.avail([2])

    return {
        "direct_chain": virtq_input(F_PUSH, direct, copy=(4, 64)),
        "indirect_chain": virtq_input(F_INDIRECT | F_PUSH, indirect, copy=(0, 0x100)),
        "two_rounds": virtq_input(F_INDIRECT | F_SHADOW | F_PUSH, rounds,
                                  writes=[(0x050, 0), (0x064, 1)],
                                  rounds=[(0, 0), (4, 2), (1, 0), (2, 0)]),
        "misaligned_indirect": virtq_input(F_INDIRECT | F_PUSH, misaligned,
                                           rounds=[(4 | 8, 1)]),
        "longest_chain": virtq_input(F_INDIRECT, longest),
        "tiny_queue": virtq_input(F_PUSH, tiny, log2_num=1, rounds=[(4, 2)]),
        "loop": virtq_input(0, loop, log2_num=1),
        "nested_indirect": virtq_input(F_INDIRECT, nested),
        "ram_end": virtq_input(F_PUSH, end, patches=end_patches),
        "ram_end_indirect": virtq_input(F_INDIRECT | F_PUSH, end_ind, patches=end_ind_patches),
        "outside_ram": virtq_input(0, outside),
        "bad_queue": virtq_input(F_PUSH, direct, log2_num=9,  # QueueNum 6, then a reset
                                 writes=[(0x070, 0)]),
    }


# ---- sbi: the VM, then calls (caller, eid, fid, a0..a5) ----

EIDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x09, 0x0f, 0x10, 0x54494D45, 0x735049, 0x52464E43, 0x48534D,
        0x53525354, 0x4442434E, 0x0A000044, 0x08000000, 0x504D55, 0x46574654, 0x53555350]


def arg(v):
    """An argument as the raw 64-bit kind, or a tuple (kind, payload bytes)."""
    if isinstance(v, tuple):
        return u8(v[0]) + v[1]
    return u8(6) + u64(v)


def sbi_call(caller, eid, fid, *args):
    args = list(args) + [0] * (6 - len(args))
    return u8(caller) + u8(EIDS.index(eid)) + u8(fid) + b"".join(arg(a) for a in args)


def vcpu_byte(state, non_retentive=False):
    """The byte fuzz_sbi.c reads as this HSM state, with no interrupts pending."""
    return next(b for b in range(0x80) if b % 7 == state and not b & 0x38 and
                bool(b & 64) == non_retentive)


def sbi_vm(states, flags=2, console=b"", words=()):
    out = u8(len(states) - 1) + u8(flags) + b"".join(u8(vcpu_byte(*s)) if isinstance(s, tuple)
                                                     else u8(vcpu_byte(s)) for s in states)
    out += u8(len(console)) + console
    return out + u8(len(words)) + b"".join(u8(w) + u64(v) for w, v in words)


RAM_ARG = (1, u16(0x800))  # RAM_GPA + 0x1000
BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN, DVDEBUG = EIDS[11:19]
PMU = EIDS[20]
FW_SET_TIMER, FW_IPI_RECEIVED = 0xf0005, 0xf0007
FWFT, SUSP = EIDS[21:23]


def sbi_seeds():
    started, stopped, suspended = 0, 1, 4
    return {
        "base_time": sbi_vm([started, stopped]) + b"".join([
            sbi_call(0, BASE, 0), sbi_call(0, BASE, 3, TIME), sbi_call(1, BASE, 3, 0x12345),
            sbi_call(0, TIME, 0, 0x123456789), sbi_call(0, DVDEBUG, 0), sbi_call(0, 0x0f, 0),
        ]),
        "hsm": sbi_vm([started, stopped, stopped, (suspended, True)]) + b"".join([
            sbi_call(0, HSM, 2, 2), sbi_call(0, HSM, 0, 2, RAM_ARG, 0xabcdef),
            sbi_call(0, HSM, 0, 2, RAM_ARG), sbi_call(1, HSM, 0, 9, RAM_ARG),
            sbi_call(0, HSM, 3, (5, u8(0)), RAM_ARG, 7), sbi_call(2, HSM, 1),
            sbi_call(0, HSM, 0, 1, (2, u8(1))),
        ]),
        "ipi_fence": sbi_vm([started, started, started, stopped], words=[(1, 0x3), (6, 0)]) +
        b"".join([
            sbi_call(0, IPI, 0, 3, 0), sbi_call(1, IPI, 0, 1, 2), sbi_call(0, IPI, 0, 0, -1),
            sbi_call(0, RFENCE, 1, 1, 1, RAM_ARG), sbi_call(2, RFENCE, 0, 0xb, 0),
            sbi_call(0, 4, 0, (4, u8(1))), sbi_call(0, 6, 0, 0), sbi_call(0, 3, 0),
            sbi_call(0, 5, 0, (4, u8(2))),
        ]),
        "console_reset": sbi_vm([started], console=b"hi") + b"".join([
            sbi_call(0, DBCN, 0, 5, RAM_ARG, 0), sbi_call(0, DBCN, 1, 8, RAM_ARG, 0),
            sbi_call(0, DBCN, 0, 0x20, (2, u8(0x10)), 0), sbi_call(0, DBCN, 2, 0x41),
            sbi_call(0, 1, 0, 0x42), sbi_call(0, 2, 0), sbi_call(0, 2, 0), sbi_call(0, 2, 0),
            sbi_call(0, SRST, 0, 9, 0), sbi_call(0, SRST, 0, 1, 0), sbi_call(0, 8, 0),
        ]),
        # counters: info, a set_timer counter (CLEAR_VALUE | AUTO_START), another vCPU's
        # IPI_RECEIVED, read, stop with RESET, cycle, a value for it (refused), a bad set
        "pmu": sbi_vm([started, started]) + b"".join([
            sbi_call(0, PMU, 0), sbi_call(0, PMU, 1, 2), sbi_call(0, PMU, 1, 1),
            sbi_call(0, PMU, 2, 0, 0x7ffd, 6, FW_SET_TIMER, 0), sbi_call(0, TIME, 0, 5),
            sbi_call(0, PMU, 5, 3), sbi_call(1, PMU, 2, 0, 0x7ffd, 4, FW_IPI_RECEIVED, 0),
            sbi_call(0, IPI, 0, 3, 0), sbi_call(1, PMU, 5, 3), sbi_call(0, PMU, 6, 3),
            sbi_call(0, PMU, 4, 3, 1, 1), sbi_call(0, PMU, 2, 0, 1, 0, 1, 0),
            sbi_call(0, PMU, 3, 0, 1, 1, 0), sbi_call(0, PMU, 3, 0, 1, 0, 0),
            sbi_call(0, PMU, 4, 0, 2, 0), sbi_call(0, PMU, 7, 0),
        ]),
        "fwft": sbi_vm([started, started]) + b"".join([
            sbi_call(0, FWFT, 1, 0), sbi_call(0, FWFT, 1, 4), sbi_call(0, FWFT, 1, 0x40000000),
            sbi_call(0, FWFT, 0, 0, 1), sbi_call(0, FWFT, 0, 0, 0, 2),
            sbi_call(0, FWFT, 0, 0, 0, 1), sbi_call(0, FWFT, 0, 0, 0, 0),
            sbi_call(1, FWFT, 0, 0, 0, 0),
        ]),
        "susp": sbi_vm([started, stopped, started]) + b"".join([
            sbi_call(0, SUSP, 0, 0, RAM_ARG, 7), sbi_call(2, HSM, 1), sbi_call(0, SUSP, 0, 1),
            sbi_call(0, SUSP, 0, 0, 0x1000), sbi_call(2, SUSP, 0, 0, RAM_ARG, 7),
        ]),
    }


# ---- gpt: the grant, then stores (table, idx, pte) ----

def gpt_store(page, idx, pte):
    return u8(page) + u16(idx) + pte


def gpt_link(page, flags=0):
    return u8(0x80 | flags if flags else 0) + u8(page)


def gpt_leaf(level, where, rwx=7):
    """where (mode, n): 0 = the grant's base + n pages of the leaf's size, 1 = its end less
    one such page plus n 4 KiB pages, 2 = its base - n pages of the size."""
    mode, n = where
    return (u8(1 | level << 2) + u8(mode | (n << 2 if mode != 1 else 0)) + u8(rwx - 1) +
            (u8(n) if mode == 1 else b""))


def gpt_seeds():
    grant = u8(0) + u8(2)  # 0x80000000, 1 GiB + 4 KiB
    return {
        "link_superpage": grant + b"".join([
            gpt_store(0, 2, gpt_link(4)),                       # level 1 table for GPA 2 GiB
            gpt_store(4, 0, gpt_leaf(1, (0, 0))),               # a 2 MiB page at the base
            gpt_store(4, 511, gpt_leaf(1, (1, -1), rwx=3)),     # the last whole 2 MiB
            gpt_store(0, 3, gpt_link(5)),
            gpt_store(5, 0, gpt_link(6)),                       # level 0 table
            gpt_store(6, 0, gpt_leaf(0, (1, 0))),               # the last 4 KiB of the grant
            gpt_store(6, 1, gpt_leaf(0, (1, 1), rwx=5)),        # one past it: refused
            gpt_store(6, 2, gpt_leaf(0, (0, 0))),               # the first 4 KiB
            gpt_store(6, 3, gpt_leaf(0, (2, 1))),               # the one before it: refused
        ]),
        "gigapage": grant + b"".join([
            gpt_store(0, 2, gpt_leaf(2, (0, 0))),               # the first GiB
            gpt_store(0, 3, gpt_leaf(2, (0, 1))),               # the second: only 4 KiB left
            gpt_store(0, 2, gpt_link(4)),                       # a leaf may become a link
            gpt_store(0, 2, u8(2) + u64(0)),                    # ... a link may not be cleared
        ]),
        "refusals": grant + b"".join([
            gpt_store(0, 4, gpt_link(0)),                       # the root as a child
            gpt_store(0, 5, gpt_link(7)),
            gpt_store(0, 6, gpt_link(7)),                       # a page linked twice
            gpt_store(0, 7, gpt_link(8, 0x10)),                 # a link with U
            gpt_store(7, 600, gpt_link(9)),                     # idx past a level-1 table
            gpt_store(1, 0, gpt_link(9)),                       # root page 1 is not a table
            gpt_store(9, 0, gpt_link(10)),                      # an unlinked page
            gpt_store(0xc0, 0, gpt_link(9)),                    # below the pool
            gpt_store(0xc2, 0, gpt_link(9)),                    # misaligned
            gpt_store(7, 1, gpt_leaf(1, (0, 0), rwx=2)),        # W without R
            gpt_store(7, 2, u8(3) + u64(1 | 0x80000000 >> 12 << 10 | 1 << 58 | 0xe)),  # rsvd
            gpt_store(7, 3, gpt_leaf(1, (2, 1))),               # below the grant
        ]),
    }


# ---- walk: RAM base, vsatp, stored entries, then accesses (fuzz_walk.c) ----

WALK_IDX = [0, 1, 2, 255, 256, 257, 510, 511]     # fuzz_walk.c's indices[]
WALK_R, WALK_W, WALK_X, WALK_U, WALK_A = 2, 4, 8, 16, 64


def walk_guest(mode_sel, root_page, entries, base_sel=0):
    """mode_sel 0..3 = Bare, Sv39, Sv48, Sv57, the root a RAM page; entries as walk_* below."""
    return (u8(base_sel) + u8(mode_sel | root_page << 3) + u8(0) + u8(len(entries)) +
            b"".join(entries))


def walk_link(page, idx, to):
    return u8(page) + u8(WALK_IDX.index(idx)) + u8(0) + u8(to)


def walk_leaf(page, idx, to, bits, rsvd=None):
    """bits: R W X U G A D; rsvd n sets bit 54 + n."""
    kind = 1 | ((rsvd or 0) << 2)
    return (u8(page) + u8(WALK_IDX.index(idx)) + u8(kind) + u8(to) +
            u8(bits | (1 if rsvd is not None else 0)))


def walk_raw(page, idx, pte):
    return u8(page) + u8(WALK_IDX.index(idx)) + u8(3) + u8(0) + u64(pte)


def walk_access(vpns, offset_sel, user=False, sum_=False, mxr=False, fetch=False, length=8,
                va=0):
    """vpns: the indices of VPN[0] up, offset_sel 0..3 = 0, 0xffe, 0xff8, 0xffc; va 0..2 =
    sign-extended from Sv39, Sv48, Sv57."""
    vpns = list(vpns) + [0] * (5 - len(vpns))
    flags = (user | sum_ << 1 | mxr << 2 | (length - 1) << 3 | fetch << 7)
    return (u8(va | offset_sel << 2 | 0x40) + u8(flags) +
            b"".join(u8(WALK_IDX.index(v)) for v in vpns))


def walk_seeds():
    rx = WALK_R | WALK_X | WALK_A
    # a 4 KiB page at VPNs (1, 1, 1) through tables in RAM pages 0, 1, 2
    sv39 = [walk_link(0, 1, 1), walk_link(1, 1, 2), walk_leaf(2, 1, 3, rx)]
    return {
        "bare": walk_guest(0, 0, []) + walk_access([1], 1, fetch=True) +
                walk_access([511, 511], 2, length=16),
        "sv39_4k": walk_guest(1, 0, sv39) +
                   walk_access([1, 1, 1], 1, fetch=True) + walk_access([1, 1, 1], 2) +
                   walk_access([2, 1, 1], 1, fetch=True, length=4) +
                   walk_access([1, 1, 1], 0, user=True),
        "superpages": walk_guest(1, 0, [walk_link(0, 256, 1), walk_leaf(1, 0, 0, rx),
                                        walk_leaf(1, 1, 4, rx), walk_leaf(0, 2, 0, rx)]) +
                      walk_access([0, 0, 256], 2, va=0) + walk_access([2, 1, 256], 1) +
                      walk_access([1, 1, 256], 0) + walk_access([1, 0, 2], 3, fetch=True),
        "sv48_sv57": walk_guest(2, 0, [walk_link(0, 1, 1)] + [walk_link(p, 1, p + 1)
                                                                for p in (1, 2, 3)] +
                                [walk_leaf(4, 1, 5, rx | WALK_U)]) +
                     walk_access([1, 1, 1, 1], 0, user=True, va=1) +
                     walk_access([1, 1, 1, 1, 1], 0, user=True, va=2),
        "rights": walk_guest(1, 0, [walk_link(0, 0, 1), walk_link(1, 0, 2),
                                    walk_leaf(2, 0, 3, WALK_X | WALK_A),
                                    walk_leaf(2, 1, 4, WALK_R | WALK_U | WALK_A),
                                    walk_leaf(2, 2, 5, WALK_W | WALK_A),
                                    walk_leaf(2, 255, 6, WALK_R),
                                    walk_leaf(2, 256, 7, rx, rsvd=7)]) +
                  walk_access([0], 0, mxr=True) + walk_access([1], 0, sum_=True) +
                  walk_access([2], 0) + walk_access([255], 0) + walk_access([256], 0),
        "bad_entries": walk_guest(1, 0, [walk_link(0, 0, 1), walk_raw(1, 0, 1),
                                         walk_raw(1, 1, 1 | 0x1000 << 10),
                                         walk_raw(1, 2, 0xffffffffffffffff)]) +
                       walk_access([0], 0) + walk_access([0, 1], 0) + walk_access([0, 2], 0),
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__),
                                                                 "corpus")
    for name, seeds in (("insn", insn_seeds()), ("mmio", mmio_seeds()),
                        ("virtq", virtq_seeds()), ("sbi", sbi_seeds()), ("gpt", gpt_seeds()),
                        ("walk", walk_seeds())):
        d = os.path.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        for seed, data in seeds.items():
            with open(os.path.join(d, seed), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
