# SPDX-License-Identifier: BSD-2-Clause
# The bench runner: the bench guest under DuVisor-C and natively, as a table and bench.json.
"""Run the exit micro-benchmarks and compare them with the native baseline.

For each CPU variant (sstc, nosstc) this boots DIR/img/bench.bin (the bench
guest under our hypervisor) and DIR/guest/bench-native.bin (the same guest as
OpenSBI's payload, no hypervisor), both under `-icount shift=0,sleep=off` so
that rdcycle counts retired instructions deterministically. Each prints lines
`BENCH <op> insns=<n> exits=<x.y>`. The table shows both instruction counts,
their ratio, the exits per operation under the hypervisor, and whether the
targets are met. A missed target is reported, not an error.

The Linux boot benchmark boots the Linux guest under the hypervisor and natively,
on one hart natively twice: with QEMU virt's own DTB, and with the DTB the
runtime gives the VM (DIR/tools/vmdtb) plus the nodes a native OpenSBI needs,
so that both kernels probe the same devices; the boot target is taken against
the latter. It also reads the minikernel's image check at boot from its log.

The I/O part boots the Linux guest with dv.bench=io natively and under the
hypervisor (DIR/img/linux-benchio.bin), both with the platform's virtio
devices and the QEMU plugin DIR/tools/insn_window.so, which counts the
instructions executed between the guest's marker instructions: block reads
and TCP transfers, in instructions (and VM exits) per MiB.

With --qemu-dvext (or $QEMU_DVEXT) the DV-Ext part runs the exit micro-benchmarks on that
QEMU, the DuVisor authors' DV-Ext fork: dv-hw (DIR/img/dvhw-hw/bench.bin) beside dv-sw
(DIR/img/bench.bin) and native, with the VM's timer exits and the minikernel's entries per
exit; without it the part is skipped. --only dvext runs just it.
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading

from tcp_server import TcpServer

QEMU = "qemu-system-riscv64"
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
ICOUNT = "shift=0,sleep=off"
CPU_VARIANTS = {
    "sstc": "rv64,h=true",
    "nosstc": "rv64,h=true,sstc=false",
}
OPS = ["null_sbi", "mmio_read", "mmio_write", "uart_probe", "uart_line", "timer_sstc",
       "timer_sbi"]
# The 16550 replays (guest/bench/uart_ops.h), also run in a VM whose UART loads all exit: the
# figures before the UART's register shadow, in the same run.
UART_OPS = ["uart_probe", "uart_line"]
BENCH_LINE = re.compile(r"^BENCH (\S+) insns=(\d+) exits=(\d+(?:\.\d+)?) window=(\d+) "
                        r"iters=(\d+)\s*$", re.MULTILINE)


class Target:
    """A goal for one operation under the hypervisor."""

    def __init__(self, text, field, limit):
        self.text = text
        self.field = field  # "insns" or "exits"
        self.limit = limit

    def met(self, dv):
        return dv[self.field] <= self.limit


TARGETS = {
    "null_sbi": Target("insns <= 300", "insns", 300),
    "mmio_read": Target("insns <= 450", "insns", 450),
    "timer_sstc": Target("exits = 0", "exits", 0.0),
}


class Progress:
    """One line per step as its first run starts, flushed: under make, stdout is a pipe."""

    def __init__(self, total):
        self.total = total
        self.count = 0
        self.begun = set()
        self.lock = threading.Lock()

    def begin(self, what, runs):
        with self.lock:
            if what in self.begun:
                return
            self.begun.add(what)
            self.count += 1
            print("bench: [%d/%d] %s: %d run%s ..." % (self.count, self.total, what, runs,
                                                      "" if runs == 1 else "s"), flush=True)


def qemu_base(variant, harts=1, icount=ICOUNT, machine="virt"):
    return qemu_args(QEMU, CPU_VARIANTS[variant], harts, icount, machine)


def qemu_args(qemu, cpu, harts=1, icount=ICOUNT, machine="virt"):
    return [qemu, "-M", machine, "-cpu", cpu, "-m", "512M", "-smp", str(harts), "-nographic",
            "-icount", icount]


def run_qemu(cmd, log_path, timeout):
    """Runs one QEMU to its end; returns (its output, problem or None)."""
    problem = None
    try:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                problem = "did not finish in %d s; log %s" % (timeout, log_path)
    except OSError as e:
        return "", "cannot run %s: %s" % (cmd[0], e)
    with open(log_path, "rb") as f:
        return f.read().decode("utf-8", errors="replace").replace("\r", ""), problem


def run(cmd, log_path, timeout):
    """Runs one QEMU; returns ({op: {"insns", "exits"}}, problem or None).

    What a run printed before it stalled still counts, with the stall as its problem.
    """
    return bench_results(*run_qemu(cmd, log_path, timeout), log_path)


def bench_results(out, problem, log_path):
    """({op: {"insns", "exits"}} of a run's BENCH lines, its problem): none is a problem."""
    results = {op: {"insns": int(n), "exits": float(x)}
               for op, n, x, _, _ in BENCH_LINE.findall(out)}
    if not results and not problem:
        problem = "no BENCH lines; log %s" % log_path
    return results, problem


def fmt(v):
    return "-" if v is None else str(v)


def met_text(met):
    return "not measured" if met is None else "met" if met else "MISSED"


def compare(native, dv, targets=None):
    """Rows of one variant: one dict per operation either run measured."""
    rows = []
    for op in OPS + sorted((set(native) | set(dv)) - set(OPS)):
        n, d = native.get(op), dv.get(op)
        if n is None and d is None:
            continue
        target = (targets if targets is not None else TARGETS).get(op)
        row = {
            "op": op,
            "native_insns": n["insns"] if n else None,
            "dv_insns": d["insns"] if d else None,
            "ratio": round(d["insns"] / n["insns"], 1) if n and d and n["insns"] else None,
            "dv_exits_per_op": d["exits"] if d else None,
            "target": target.text if target else None,
            "met": target.met(d) if target and d else None,
        }
        rows.append(row)
    return rows


def print_table(variant, rows):
    head = ["operation", "native insns", "dv-sw insns", "ratio", "exits/op", "target", ""]
    lines = [head]
    for r in rows:
        lines.append([r["op"], fmt(r["native_insns"]), fmt(r["dv_insns"]),
                      "-" if r["ratio"] is None else "%.1fx" % r["ratio"],
                      "-" if r["dv_exits_per_op"] is None else "%.1f" % r["dv_exits_per_op"],
                      r["target"] or "-", "" if r["target"] is None else met_text(r["met"])])
    print("\n[%s: -cpu %s, -icount %s]" % (variant, CPU_VARIANTS[variant], ICOUNT))
    print_columns(lines)


def print_columns(lines):
    """Rows of cells, each column as wide as its widest cell."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())


def uart_before_after(before, after):
    """The UART replays with every load exiting (before) and with the shadow (after)."""
    rows = []
    for op in UART_OPS:
        b, a = before.get(op), after.get(op)
        rows.append({
            "op": op,
            "before_insns": b["insns"] if b else None,
            "before_exits_per_op": b["exits"] if b else None,
            "after_insns": a["insns"] if a else None,
            "after_exits_per_op": a["exits"] if a else None,
            "after_vs_before": round(a["insns"] / b["insns"], 3) if a and b and b["insns"]
            else None,
        })
    return rows


def print_uart(rows):
    print("(the 16550 replays before the UART's shadow, every load an exit, and after)")
    for r in rows:
        print("  %-10s  before %s insns, %s exits  after %s insns, %s exits  after/before %s"
              % (r["op"], fmt(r["before_insns"]), fmt(r["before_exits_per_op"]),
                 fmt(r["after_insns"]), fmt(r["after_exits_per_op"]),
                 fmt(r["after_vs_before"])))


# The Linux boot benchmark: kernel entry to the init banner, virtualized and native, at equal
# guest RAM, on one vCPU against one hart and on four against four. The VM images add
# "quiet dv.bench", after which init prints the cycle count at its banner and powers off.
BOOT_RAM = "128M"
BOOT_APPEND = "console=ttyS0 quiet dv.bench"
BOOT_TARGET = 1.05
BOOT_IMAGES = {1: "linux-bench-up", 4: "linux-bench"}
BOOT_TIMEOUT = 180
BANNER = re.compile(r"^init: banner at cycle (\d+)", re.MULTILINE)
DV_ENTRY = re.compile(r"^vm0: guest entered at cycle (\d+)", re.MULTILINE)
NATIVE_ENTRY = re.compile(r"^BENCH entry cycle=(\d+)", re.MULTILINE)
EXITS = re.compile(r"^vm0: exits: (.*)$", re.MULTILINE)
# The minikernel's check of the firmware image, printed early at boot (its cycles are
# instructions under -icount shift=0).
IMAGE_CHECK = re.compile(r"^mk: image verified: (\d+) parts, (\d+) bytes in (\d+) cycles",
                         re.MULTILINE)
IMAGE_CHECK_TARGET = 5.0  # percent of the virtualized boot from reset

# On one hart the native boot also runs with the VM's own devices: the DTB the runtime gives
# linux-bench-up.bin's guest (its VM config and cmdline blob, as the Makefile composes it),
# written by tools/vmdtb, with what a native OpenSBI needs and the guest gets through SBI
# instead: QEMU virt's CLINT (OpenSBI's timer for SBI set_timer, without Sstc, and its IPIs)
# and the PLIC's M-mode context (natively context 0 of the PLIC is hart 0's M-mode one; the
# VM's has only S-mode contexts). Linux has a driver for neither. The VM's DTB already has
# the test device OpenSBI resets the machine with, and its RTC. The bootargs are the
# DTB's (no -append); the initrd's place is QEMU's: its -initrd loader writes
# linux,initrd-start/end into the -dtb's /chosen, over where the runtime would put it.
BOOT_VM_CONFIG = "linux-up"
BOOT_VM_CMDLINE = "linux-bench"
HART0_INTC = "&{/cpus/cpu@0/interrupt-controller}"
NATIVE_DTB_NODES = """
/ {
	soc {
		plic@c000000 {
			interrupts-extended = <%(intc)s 11 %(intc)s 9>;
		};
		clint@2000000 {
			compatible = "sifive,clint0", "riscv,clint0";
			reg = <0x0 0x2000000 0x0 0x10000>;
			interrupts-extended = <%(intc)s 3 %(intc)s 7>;
		};
	};
};
""" % {"intc": HART0_INTC}

# SMP micro-benchmarks: bench_smp on 4 harts; one vCPU measures, another answers. With Sstc they
# also run on a machine with an ACLINT SSWI, an S-level IPI path: there a virtual IPI must cost
# less than through OpenSBI.
SMP_TARGETS = {"ipi_oneway": Target("insns <= 1500", "insns", 1500)}
SMP_TIMEOUT = 120
SSWI_MACHINE = "virt,aclint=on"


def vm_native_dtb(args, variant):
    """The one-vCPU boot VM's DTB on this CPU variant with NATIVE_DTB_NODES added, for -dtb;
    returns (its path, None) or (None, problem). Files in DIR/bench."""
    out = os.path.join(args.build, "bench")
    host = os.path.join(out, "virt-%s.dtb" % variant)
    vm = os.path.join(out, "%s-%s.dtb" % (BOOT_VM_CONFIG, variant))
    native = os.path.join(out, "%s-%s-native.dtb" % (BOOT_VM_CONFIG, variant))
    os.makedirs(out, exist_ok=True)
    # The host's DTB as the minikernel reads it (the ISA differs between the variants).
    steps = [
        [QEMU, "-M", "virt,dumpdtb=" + host, "-cpu", CPU_VARIANTS[variant], "-m", "512M",
         "-smp", "1", "-nographic"],
        [os.path.join(args.build, "tools", "vmdtb"),
         "-c", os.path.join(args.build, "vm", BOOT_VM_CONFIG + ".dtb"), "-H", host,
         "-a", os.path.join(args.build, "img", BOOT_VM_CMDLINE + ".cmdline"),
         "-r", os.path.join(args.build, "linux", "initramfs.cpio"), "-o", vm],
        ["dtc", "-q", "-I", "dtb", "-O", "dts", vm],  # its output gets NATIVE_DTB_NODES
    ]
    try:
        for cmd in steps:
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, check=False)
            if done.returncode:
                return None, "native boot with the VM's DTB: %s failed: %s" % (
                    os.path.basename(cmd[0]), done.stderr.decode(errors="replace").strip())
        done = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", native],
                              input=done.stdout + NATIVE_DTB_NODES.encode(),
                              stderr=subprocess.PIPE, check=False)
    except OSError as e:
        return None, "native boot with the VM's DTB: %s" % e
    if done.returncode:
        return None, "native boot with the VM's DTB: dtc failed: %s" % (
            done.stderr.decode(errors="replace").strip())
    return native, None


def boot_jobs(args, variant, harts, logs, vm_dtb=None):
    """The runs of the boot benchmark on one CPU variant and hart count; with vm_dtb, also
    the native boot with that DTB."""
    native = [QEMU, "-M", "virt", "-cpu", CPU_VARIANTS[variant], "-m", BOOT_RAM,
              "-smp", str(harts), "-nographic", "-icount", ICOUNT, "-bios", args.opensbi,
              "-initrd", os.path.join(args.build, "linux", "initramfs.cpio")]
    kernel = ["-kernel", os.path.join(args.build, "linux", "Image")]
    # Same QEMU arguments, so OpenSBI does the same work before its payload starts.
    entry = ["-kernel", os.path.join(args.build, "guest", "bench-native.bin")]
    log = lambda what: os.path.join(logs, "boot%d-%s-%s.log" % (harts, variant, what))
    jobs = {
        (variant, "boot%d-dv" % harts): (qemu_base(variant, harts) + ["-bios", os.path.join(
            args.build, "img", BOOT_IMAGES[harts] + ".bin")], log("dv")),
        (variant, "boot%d-native" % harts): (native + ["-append", BOOT_APPEND] + kernel,
                                             log("native")),
        (variant, "boot%d-entry" % harts): (native + ["-append", BOOT_APPEND] + entry,
                                            log("entry")),
    }
    if vm_dtb:
        # No -append: the bootargs are the DTB's, the VM's.
        jobs[(variant, "boot%d-vmnative" % harts)] = (native + ["-dtb", vm_dtb] + kernel,
                                                      log("vmnative"))
        jobs[(variant, "boot%d-vmentry" % harts)] = (native + ["-dtb", vm_dtb] + entry,
                                                     log("vmentry"))
    return jobs


def first_int(regex, out):
    m = regex.search(out)
    return int(m.group(1)) if m else None


# The boot target applies to one vCPU against one hart only, for this reason.
SMP_BOOT_NOTE = ("no target: natively each cross-hart spin-wait may last a whole QEMU "
                 "round-robin turn (docs/testing.md)")


def native_boot(boot_out, entry_out):
    """(kernel entry -> banner, reset -> banner) of a native boot, or (None, None)."""
    banner, entry = first_int(BANNER, boot_out), first_int(NATIVE_ENTRY, entry_out)
    if banner is None or entry is None:
        return None, None
    return banner - entry, banner


def image_check(dv_out, dv_from_reset):
    """The minikernel's image check as the virtualized boot's log reports it, or None."""
    m = IMAGE_CHECK.search(dv_out)
    if not m:
        return None
    insns = int(m.group(3))
    percent = round(100.0 * insns / dv_from_reset, 2) if dv_from_reset else None
    return {"parts": int(m.group(1)), "bytes": int(m.group(2)), "insns": insns,
            "percent_of_dv_boot_from_reset": percent,
            "target": "<= %g%% of the boot from reset" % IMAGE_CHECK_TARGET,
            "met": percent <= IMAGE_CHECK_TARGET if percent is not None else None}


def boot_figures(outs, harts):
    """Instructions from kernel entry (and reset) to the banner, the ratios, the exits and the
    image check; outs maps each run ("dv", "native", "entry", ...) to its output."""
    dv_out = outs["dv"]
    dv_banner, dv_entry = first_int(BANNER, dv_out), first_int(DV_ENTRY, dv_out)
    exits = EXITS.search(dv_out)
    b = {"dv_from_entry": None, "dv_from_reset": dv_banner,
         "exits_until_poweroff": exits.group(1) if exits else ""}
    if dv_banner is not None and dv_entry is not None:
        b["dv_from_entry"] = dv_banner - dv_entry
    b["native_qemu_dtb_from_entry"], b["native_qemu_dtb_from_reset"] = native_boot(
        outs["native"], outs["entry"])
    b["ratio_qemu_dtb"] = (round(b["dv_from_entry"] / b["native_qemu_dtb_from_entry"], 3)
                           if b["dv_from_entry"] and b["native_qemu_dtb_from_entry"] else None)
    if harts == 1:
        b["native_vm_dtb_from_entry"], b["native_vm_dtb_from_reset"] = native_boot(
            outs.get("vmnative", ""), outs.get("vmentry", ""))
        b["ratio_vm_dtb"] = (round(b["dv_from_entry"] / b["native_vm_dtb_from_entry"], 3)
                             if b["dv_from_entry"] and b["native_vm_dtb_from_entry"] else None)
        b["target"] = "ratio (VM's DTB) <= %.2f" % BOOT_TARGET
        b["met"] = b["ratio_vm_dtb"] <= BOOT_TARGET if b["ratio_vm_dtb"] is not None else None
    b["image_check"] = image_check(dv_out, dv_banner)
    return b


def mega(v):
    return "%.2f M" % (v / 1e6) if v is not None else "not measured"


def print_boot(variant, harts, b):
    print("\n[%s: Linux boot on %d vCPU(s) vs %d hart(s), kernel entry -> init banner, %s RAM]"
          % (variant, harts, harts, BOOT_RAM))
    if harts == 1:
        if b["ratio_vm_dtb"] is None:
            verdict = "not measured"
        else:
            verdict = "%.3fx  %s  %s" % (b["ratio_vm_dtb"], b["target"],
                                         "met" if b["met"] else "MISSED")
        print("native, VM's DTB   %s  dv-sw %s  ratio %s" % (
            mega(b["native_vm_dtb_from_entry"]), mega(b["dv_from_entry"]), verdict))
        print("native, QEMU's DTB %s  dv-sw %s  ratio %s" % (
            mega(b["native_qemu_dtb_from_entry"]), mega(b["dv_from_entry"]),
            "not measured" if b["ratio_qemu_dtb"] is None else
            "%.3fx  (informational: QEMU virt's own devices)" % b["ratio_qemu_dtb"]))
        if b["ratio_vm_dtb"] is not None or b["ratio_qemu_dtb"] is not None:
            print("from reset: native %s (VM's DTB), %s (QEMU's DTB), dv-sw %s (incl. OpenSBI, "
                  "minikernel and runtime set-up)" % (mega(b["native_vm_dtb_from_reset"]),
                                                      mega(b["native_qemu_dtb_from_reset"]),
                                                      mega(b["dv_from_reset"])))
    else:
        if b["ratio_qemu_dtb"] is None:
            verdict = "not measured (%s)" % SMP_BOOT_NOTE
        else:
            verdict = "%.3fx  (%s)" % (b["ratio_qemu_dtb"], SMP_BOOT_NOTE)
        print("native %s  dv-sw %s  ratio %s" % (mega(b["native_qemu_dtb_from_entry"]),
                                                 mega(b["dv_from_entry"]), verdict))
        if b["ratio_qemu_dtb"] is not None:
            print("from reset: native %s, dv-sw %s (incl. OpenSBI, minikernel and runtime "
                  "set-up)" % (mega(b["native_qemu_dtb_from_reset"]), mega(b["dv_from_reset"])))
    c = b["image_check"]
    if c is None:
        print("image check at boot: not measured (no \"mk: image verified\" line)")
    elif c["percent_of_dv_boot_from_reset"] is None:
        print("image check at boot: %s instructions (%d parts, %d bytes); boot from reset not "
              "measured" % (mega(c["insns"]), c["parts"], c["bytes"]))
    else:
        print("image check at boot: %s instructions (%d parts, %d bytes), %.2f%% of the dv-sw "
              "boot from reset  %s  %s" % (mega(c["insns"]), c["parts"], c["bytes"],
                                           c["percent_of_dv_boot_from_reset"], c["target"],
                                           "met" if c["met"] else "MISSED"))
    print("VM exits from entry to poweroff: %s" % b["exits_until_poweroff"])


def smp_jobs(args, variant, logs, tag="smp", machine="virt"):
    base = qemu_base(variant, 4, machine=machine)
    return {
        (variant, tag + "-dv"): (base + ["-bios", os.path.join(
            args.build, "img", "smp", "bench_smp.bin")], os.path.join(logs, "%s-%s-dv.log"
                                                                      % (tag, variant))),
        (variant, tag + "-native"): (base + ["-bios", args.opensbi, "-kernel",
                                             os.path.join(args.build, "guest",
                                                          "bench_smp-native.bin")],
                                     os.path.join(logs, "%s-%s-native.log" % (tag, variant))),
    }


# Two VMs (docs/vms.md): VM 0 runs the exit benchmarks while VM 1 spins on a hart of its own
# (firmware/vm/bench-two.dts, guest/bench/busy.c). rdcycle under -icount counts every hart's
# instructions, so here the plugin counts VM 0's hart alone (hart=0) between the markers each
# MEASURE puts around its loop, in this run and in a run of the one-VM image beside nothing.
TWO_OPS = ["null_sbi", "mmio_read", "mmio_write", "timer_sstc", "timer_sbi"]
TWO_IMAGES = {"two-alone": "bench", "two-beside": "bench-two"}
TAG = re.compile(r"^\[[^\]]+\] ", re.MULTILINE)
GUEST_ENTERED = re.compile(r"^\[(\S+)\] vm\d+: guest entered at cycle (\d+)", re.MULTILINE)


def two_vm_jobs(args, logs):
    plugin = os.path.join(args.build, "tools", "insn_window.so") + ",hart=0"
    return {("sstc", key): (qemu_base("sstc", 2) + ["-bios", os.path.join(args.build, "img",
                                                                         img + ".bin"),
                                                    "-plugin", plugin, "-d", "plugin"],
                            os.path.join(logs, "bench-sstc-%s.log" % key))
            for key, img in TWO_IMAGES.items()}


def hart0_figures(out):
    """{op: instructions per iteration on hart 0} from the BENCH lines and plugin windows."""
    plain = TAG.sub("", out)
    windows = {int(k): int(n) for k, n, _ in INSN_WINDOW.findall(plain)}
    return {op: round(windows[int(w)] / int(iters))
            for op, _, _, w, iters in BENCH_LINE.findall(plain) if int(w) in windows}


def two_vm_rows(alone, beside):
    rows = []
    for op in TWO_OPS:
        a, b = alone.get(op), beside.get(op)
        rows.append({"op": op, "alone_insns": a, "beside_busy_vm_insns": b,
                     "equal": a == b if a is not None and b is not None else None})
    return rows


def print_two_vm(rows, entered):
    print("\n[sstc: VM 0's exits while VM 1 spins on its own hart; instructions on VM 0's hart "
          "alone]")
    for r in rows:
        verdict = ("not measured" if r["equal"] is None else
                   "same" if r["equal"] else "DIFFERENT")
        print("  %-10s  alone %s  beside a busy VM %s  %s" % (
            r["op"], fmt(r["alone_insns"]), fmt(r["beside_busy_vm_insns"]), verdict))
    print("  set-up, reset to each guest's first instruction (all harts): " +
          (", ".join("%s %s" % (vm, mega(int(c))) for vm, c in entered) or "not measured"))


# The I/O benchmark. rdcycle says nothing about I/O under -icount (the virtual clock jumps while
# every hart waits); the plugin counts executed instructions instead, on all harts (guest,
# hypervisor, OpenSBI) between the markers of guest/linux/bench_io.c. The guest reads the disk
# with O_DIRECT and talks TCP to IoServer through QEMU user networking, whose 10.0.2.2 is the
# host's 127.0.0.1; the port is the dv.benchport of the image's command line. One hart against
# one vCPU with equal guest RAM. It runs with sleep=on: with sleep=off, QEMU warps the virtual
# clock to the next timer deadline as soon as the hart idles waiting for the host's I/O, so each
# request also paid for however many guest timer ticks passed before the host completed it
# (native 4 KiB reads measured 1.88-2.54 M/MiB from one bench run to the next). QEMU still
# completes I/O in host time, so where a completion lands in the guest's instruction stream
# (before or after it went idle, how much TCP handles per wake-up) varies: each side runs
# IO_RUNS times and the lowest count is reported (all are in bench.json). Each side is pinned to
# a host core of its own (io_pin): left to the host scheduler, QEMU's I/O threads woke on either
# core, and whether a completion beat the guest's reader to sleep swung with that choice (the
# virtualized guest's own instructions per 4 KiB read: 8.5 K unpinned, 6.9 K pinned).
IO_ICOUNT = "shift=0,sleep=on"
IO_IMAGE = "linux-benchio"
IO_VARIANT = "sstc"
IO_RAM = "128M"
IO_DISK_MIB = 32
IO_RUNS = 3
IO_TIMEOUT = 180
IO_DEFAULT_PORT = 15555
# name, plugin window, MiB moved (as guest/linux/bench_io.c does it)
IO_WORKLOADS = [("blk-read-4k", 1, 16), ("blk-read-64k", 2, 16), ("net-recv", 3, 8),
                ("net-send", 4, 8)]
IO_TARGET = 1.5
IO_TARGETS = {"blk-read-4k": IO_TARGET, "blk-read-64k": IO_TARGET}
BENCHIO = re.compile(r"^BENCHIO (\S+) (?:bytes=(\d+)|failed: (.*))$", re.MULTILINE)
INSN_WINDOW = re.compile(r"^INSN_WINDOW (\d+) insns=(\d+) exits=(\d+)", re.MULTILINE)


class IoServer(TcpServer):
    """The host end of the guest's TCP windows, on 127.0.0.1:port.

    A connection starts with a line: "send N" gets N bytes, then the server closes; "recv N"
    is followed by N bytes, which the server acknowledges with "ok N" before it closes.
    """

    def __init__(self, port):
        self.problems = []
        super().__init__(port)

    def handle(self, conn):
        chunk = bytes(range(256)) * 256
        try:
            with conn, conn.makefile("rb") as f:
                conn.settimeout(IO_TIMEOUT)
                words = f.readline(64).split()
                if len(words) != 2 or words[0] not in (b"send", b"recv") or \
                        not words[1].isdigit():
                    raise ValueError("bad request %r" % b" ".join(words))
                left = int(words[1])
                if words[0] == b"send":
                    while left:
                        n = min(left, len(chunk))
                        conn.sendall(chunk[:n])
                        left -= n
                    return
                got = 0
                while got < left:
                    data = f.read1(65536)
                    if not data:
                        break
                    got += len(data)
                conn.sendall(b"ok %d\n" % got)
        except (OSError, ValueError) as e:
            self.problems.append("I/O server: %s" % e)


def io_disk(build):
    """A 32 MiB raw disk of fixed pseudo-random bytes, made once."""
    path = os.path.join(build, "bench", "io-disk.img")
    if not os.path.isfile(path) or os.path.getsize(path) != IO_DISK_MIB << 20:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".tmp", "wb") as f:
            f.write(random.Random(1).randbytes(IO_DISK_MIB << 20))
        os.replace(path + ".tmp", path)
    return path


def io_port(build):
    """dv.benchport of the image's command line, which the guest connects to."""
    try:
        with open(os.path.join(build, "img", IO_IMAGE + ".cmdline"), encoding="utf-8") as f:
            words = f.read().split()
    except OSError:
        return IO_DEFAULT_PORT, "quiet dv.bench=io dv.benchport=%d" % IO_DEFAULT_PORT
    port = [int(w.split("=", 1)[1]) for w in words if re.fullmatch(r"dv\.benchport=\d+", w)]
    return (port[0] if port else IO_DEFAULT_PORT), " ".join(words)


def symbol_address(elf, name):
    """The address of @name in @elf from nm, or None."""
    try:
        out = subprocess.run(["nm", elf], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             check=True).stdout.decode(errors="replace")
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.search(r"^([0-9a-fA-F]+) \S %s$" % re.escape(name), out, re.MULTILINE)
    return int(m.group(1), 16) if m else None


def io_pin(cmd, side):
    """cmd run on host core 0 (native) or 1 (dv), where there are two cores and taskset."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cores) < 2 or not shutil.which("taskset"):
        return cmd
    return ["taskset", "-c", str(cores[side == "dv"])] + cmd


def io_jobs(args, logs, disk, append, exit_addr):
    """IO_RUNS native and IO_RUNS virtualized runs of the I/O benchmark, keyed (side, run)."""
    plugin = os.path.join(args.build, "tools", "insn_window.so")
    devices = ["-global", "virtio-mmio.force-legacy=false",
               "-drive", "file=%s,if=none,format=raw,id=d0,readonly=on" % disk,
               "-device", "virtio-blk-device,drive=d0",
               "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0",
               "-device", "virtio-rng-device", "-chardev", "null,id=vc0",
               "-device", "virtio-serial-device", "-device", "virtconsole,chardev=vc0",
               "-d", "plugin"]
    native = [QEMU, "-M", "virt", "-cpu", CPU_VARIANTS[IO_VARIANT], "-m", IO_RAM, "-smp", "1",
              "-nographic", "-icount", IO_ICOUNT, "-bios", args.opensbi,
              "-kernel", os.path.join(args.build, "linux", "Image"),
              "-initrd", os.path.join(args.build, "linux", "initramfs.cpio"),
              "-append", "console=ttyS0 " + append, "-plugin", plugin] + devices
    dv = qemu_base(IO_VARIANT, 1, IO_ICOUNT) + ["-bios", os.path.join(args.build, "img",
                                                                       IO_IMAGE + ".bin"),
                                     "-plugin", plugin + (",exit=0x%x" % exit_addr
                                                          if exit_addr is not None else "")]
    dv += devices
    jobs = {}
    for run in range(IO_RUNS):
        for side, cmd in (("native", native), ("dv", dv)):
            jobs[(side, run)] = (io_pin(cmd, side), os.path.join(logs, "io-%s-%d.log" % (side, run)))
    return jobs


def io_parse(out, problem):
    """{workload: {"insns", "exits"} or {"problem"}} of one run."""
    done = {m.group(1): (m.group(2), m.group(3)) for m in BENCHIO.finditer(out)}
    windows = {int(k): (int(n), int(x)) for k, n, x in INSN_WINDOW.findall(out)}
    results = {}
    for name, k, mib in IO_WORKLOADS:
        nbytes, why = done.get(name, (None, None))
        if why is not None:
            results[name] = {"problem": "guest: " + why.strip()}
        elif nbytes is None or k not in windows:
            results[name] = {"problem": problem or (
                "no BENCHIO line" if nbytes is None else "no INSN_WINDOW %d line" % k)}
        elif int(nbytes) != mib << 20:
            results[name] = {"problem": "moved %s bytes, not %d" % (nbytes, mib << 20)}
        else:
            results[name] = {"insns": windows[k][0], "exits": windows[k][1]}
    return results


def io_side(runs, name, mib):
    """Instructions and exits per MiB of one side's best run, and the first problem."""
    ok = [r[name] for r in runs if "insns" in r[name]]
    problems = [r[name]["problem"] for r in runs if "problem" in r[name]]
    if not ok:
        return None, problems[0] if problems else "not run"
    best = min(ok, key=lambda r: r["insns"])
    return {"insns_per_mib": round(best["insns"] / mib),
            "exits_per_mib": round(best["exits"] / mib, 1),
            "runs_insns_per_mib": [round(r["insns"] / mib) for r in ok]}, None


def io_rows(native_runs, dv_runs, counting_exits):
    rows = []
    for name, _, mib in IO_WORKLOADS:
        n, n_problem = io_side(native_runs, name, mib)
        d, d_problem = io_side(dv_runs, name, mib)
        target = IO_TARGETS.get(name)
        ratio = round(d["insns_per_mib"] / n["insns_per_mib"], 2) if n and d else None
        rows.append({
            "workload": name,
            "mib": mib,
            "native_insns_per_mib": n and n["insns_per_mib"],
            "dv_insns_per_mib": d and d["insns_per_mib"],
            "ratio": ratio,
            "dv_exits_per_mib": d["exits_per_mib"] if d and counting_exits else None,
            "native_runs": n["runs_insns_per_mib"] if n else [],
            "dv_runs": d["runs_insns_per_mib"] if d else [],
            "target": "ratio <= %.1f" % target if target else None,
            "met": ratio <= target if target and ratio is not None else None,
            "native_problem": n_problem,
            "dv_problem": d_problem,
        })
    return rows


def print_io(rows):
    print("\n[I/O: -cpu %s, 1 hart vs 1 vCPU, %s RAM, -icount %s, instructions per MiB, best "
          "of %d runs]" % (CPU_VARIANTS[IO_VARIANT], IO_RAM, IO_ICOUNT, IO_RUNS))
    head = ["workload", "native", "dv-sw", "ratio", "exits/MiB", "target", ""]
    lines = [head]
    for r in rows:
        missing = r["dv_problem"] if r["dv_insns_per_mib"] is None else r["native_problem"]
        if r["ratio"] is None:
            verdict = "not measured (%s)" % missing
        else:
            verdict = "" if r["target"] is None else ("met" if r["met"] else "MISSED")
        lines.append([r["workload"], mega(r["native_insns_per_mib"]), mega(r["dv_insns_per_mib"]),
                      "-" if r["ratio"] is None else "%.2fx" % r["ratio"],
                      "-" if r["dv_exits_per_mib"] is None else "%.1f" % r["dv_exits_per_mib"],
                      r["target"] or "-", verdict])
    print_columns(lines)


def io_bench(args, logs, progress):
    """Runs the I/O benchmark; returns its bench.json section and whether anything was measured."""
    section = {"cpu": CPU_VARIANTS[IO_VARIANT], "ram": IO_RAM, "icount": IO_ICOUNT,
               "runs": IO_RUNS,
               "problems": [], "workloads": []}
    common = [os.path.join(args.build, "tools", "insn_window.so"),
              os.path.join(args.build, "linux", "Image"),
              os.path.join(args.build, "linux", "initramfs.cpio")]
    missing = {"native": [p for p in common if not os.path.isfile(p)]}
    missing["dv"] = missing["native"] + [p for p in [os.path.join(args.build, "img",
                                                                  IO_IMAGE + ".bin")]
                                         if not os.path.isfile(p)]
    runs = {"native": [], "dv": []}
    exit_addr = symbol_address(os.path.join(args.build, "minikernel.elf"), "mk_guest_exit")
    if exit_addr is None:
        section["problems"].append("no mk_guest_exit in minikernel.elf: VM exits not counted")
    # A side that cannot run is reported "not measured" with the reason; one that measured
    # nothing in a round, or did not finish, is not run again.
    sides = [side for side in runs if not missing[side]]
    for side in runs:
        if missing[side]:
            why = "%s missing (run make bench)" % ", ".join(missing[side])
            section["problems"].append("%s: %s" % (side, why))
            runs[side].append({name: {"problem": why} for name, _, _ in IO_WORKLOADS})
    if sides:
        port, append = io_port(args.build)
        try:
            server = IoServer(port)
        except OSError as e:
            server = None
            section["problems"].append("cannot serve 127.0.0.1:%d: %s" % (port, e))
        jobs = io_jobs(args, logs, io_disk(args.build), append, exit_addr)
        # Round by round, the native and the virtualized run side by side.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for run in range(IO_RUNS):
                progress.begin("I/O, round %d of %d (%s side by side)"
                               % (run + 1, IO_RUNS, " and ".join(sides)), len(sides))
                futures = {side: pool.submit(run_qemu, *jobs[(side, run)], IO_TIMEOUT)
                           for side in sides}
                for side, f in futures.items():
                    out, problem = f.result()
                    if problem:
                        section["problems"].append("%s run %d: %s" % (side, run, problem))
                    runs[side].append(io_parse(out, problem))
                    if problem or not any("insns" in r for r in runs[side][-1].values()):
                        sides.remove(side)
                if not sides:
                    break
        if server:
            server.close()
            section["problems"] += server.problems
    section["workloads"] = io_rows(runs["native"], runs["dv"], exit_addr is not None)
    print_io(section["workloads"])
    for p in section["problems"]:
        print("bench: io: %s" % p, file=sys.stderr)
    return section, any(r["native_insns_per_mib"] or r["dv_insns_per_mib"]
                        for r in section["workloads"])


# The DV-Ext part (--qemu-dvext): the exit benchmarks on the DuVisor authors' QEMU 5.2 fork, the
# DV-Ext reference model (docs/dv-hw.md), one hart: the bench guest in the test VM with dv-hw and
# with dv-sw, both on the product minikernel, and natively as OpenSBI's payload. The fork has no
# Sstc, so no timer_sstc. The runtime's start-up makes minikernel entries (syscalls) that no
# exit causes; each backend therefore also runs the short sbi_base guest in the same VM config,
# whose start-up is the same: (entries - its entries) / (exits - its exits) counts the entries
# the bench guest's exits alone cause.
DVEXT_CPU = "rv64,x-h=true,x-z=true"
# Natively timer_sbi never ends: the fork fires SBI set_timer(~0) at once (docs/dv-hw.md), so
# each disarm in the guest's handler raises the interrupt again. The native run is cut off after
# this many seconds (the rest takes one), with the other operations measured.
DVEXT_NATIVE_TIMEOUT = 10
DVEXT_TARGETS = {
    "null_sbi": Target("insns <= 150", "insns", 150),
    "mmio_read": Target("insns <= 250", "insns", 250),
}
# backend: (the bench image, the start-up run's image), under DIR/img
DVEXT_IMAGES = {"dv-hw": ("dvhw-hw/bench", "dvhw-hw/sbi_base"), "dv-sw": ("bench", "sbi_base")}
DVEXT_SKIPPED = ("DV-Ext part skipped: no DV-Ext QEMU (make bench QEMU_DVEXT=/path/to/"
                 "qemu-system-riscv64, or tools/bench.py --qemu-dvext PATH)")
REFUSED = re.compile(r"^mk: fatal: .*$", re.MULTILINE)
ENTRIES = re.compile(r"^mk: vm0: minikernel entries: (.*)$", re.MULTILINE)


def counts(regex, out):
    """{name: n} of the "name=n name=n ..." line regex finds first in out, or None."""
    m = regex.search(out)
    return {k: int(v) for k, v in re.findall(r"(\S+)=(\d+)", m.group(1))} if m else None


def dvext_backend(bench, start, log_path):
    """One backend's figures from its bench run and its start-up run, each (output, problem):
    {"refused": the minikernel's line} if it refused to start the VM."""
    (out, problem), (start_out, start_problem) = bench, start
    refused = REFUSED.search(out)
    if refused:
        return {"refused": refused.group(0)}
    ops, problem = bench_results(out, problem, log_path)
    b = {"ops": ops, "problems": [p for p in (problem, start_problem) if p],
         "exits": counts(EXITS, out), "entries": counts(ENTRIES, out),
         "start_exits": counts(EXITS, start_out), "start_entries": counts(ENTRIES, start_out),
         "timer_exits": None, "entries_per_exit": None}
    if b["exits"]:
        b["timer_exits"] = b["exits"]["timer"]
    if b["exits"] and b["entries"] and b["start_exits"] and b["start_entries"]:
        exits = sum(b["exits"].values()) - sum(b["start_exits"].values())
        entries = sum(b["entries"].values()) - sum(b["start_entries"].values())
        b["entries_per_exit"] = round(entries / exits, 3) if exits > 0 else None
    return b


def dvext_rows(native, hw, sw):
    """One row per operation any run measured: dv-hw's and dv-sw's instructions, exits per
    operation and ratio to native, and dv-hw's target."""
    rows = []
    for op in OPS + sorted((set(native) | set(hw) | set(sw)) - set(OPS)):
        n = native.get(op)
        if n is None and op not in hw and op not in sw:
            continue
        row = {"op": op, "native_insns": n["insns"] if n else None}
        for name, ops in (("dv_hw", hw), ("dv_sw", sw)):
            d = ops.get(op)
            row[name + "_insns"] = d["insns"] if d else None
            row[name + "_exits_per_op"] = d["exits"] if d else None
            row[name + "_ratio"] = (round(d["insns"] / n["insns"], 1)
                                    if n and d and n["insns"] else None)
        target = DVEXT_TARGETS.get(op)
        row["target"] = target.text if target else None
        row["met"] = target.met(hw[op]) if target and op in hw else None
        rows.append(row)
    return rows


def listed(c):
    """A "name=n ..." line's counts as it printed them, and their sum."""
    return "not measured" if c is None else "%s (%d in all)" % (
        " ".join("%s=%d" % kv for kv in c.items()), sum(c.values()))


def print_dvext(section):
    backends = section["backends"]
    sw_refused = "refused" in backends["dv-sw"]
    print("\n[dvext: %s (%s), -cpu %s, 1 hart, -icount %s; dv-hw and dv-sw on the product "
          "minikernel]" % (section["qemu"], section["qemu_path"], DVEXT_CPU, ICOUNT))
    head = ["operation", "dv-hw", "exits/op", "dv-sw", "exits/op", "native", "dv-hw/native",
            "dv-sw/native", "dv-hw target", ""]
    lines = [head]
    for r in section["ops"]:
        cells = [r["op"]]
        for name in ("dv_hw", "dv_sw"):
            if name == "dv_sw" and sw_refused:
                cells += ["refused", "-"]
                continue
            exits = r[name + "_exits_per_op"]
            cells += [fmt(r[name + "_insns"]), "-" if exits is None else "%.1f" % exits]
        cells.append(fmt(r["native_insns"]))
        cells += ["-" if r[k] is None else "%.1fx" % r[k] for k in ("dv_hw_ratio", "dv_sw_ratio")]
        cells += [r["target"] or "-", "" if r["target"] is None else met_text(r["met"])]
        lines.append(cells)
    print_columns(lines)
    print("(instructions per operation; exits/op from the guest's DVDEBUG calls. Per backend,\n"
          " over the whole run: the VM's exits (vm0: exits:), the minikernel's entries (mk: vm0:\n"
          " minikernel entries:), the same of the start-up run (sbi_base in the same VM: the\n"
          " runtime's start-up syscalls, few exits), and entries per exit without the start-up)")
    for name, b in backends.items():
        if "refused" in b:
            print("%s: refused: %s" % (name, b["refused"]))
            continue
        t = section["targets_met"] if name == "dv-hw" else None
        indent = " " * (len(name) + 2)
        print("%s: exits %s" % (name, listed(b["exits"])))
        print("%sentries %s" % (indent, listed(b["entries"])))
        if b["start_exits"] and b["start_entries"]:
            print("%sstart-up run: %d exits, %d entries (%s)" % (
                indent, sum(b["start_exits"].values()), sum(b["start_entries"].values()),
                " ".join("%s=%d" % kv for kv in b["start_entries"].items() if kv[1])))
        print("%stimer exits %s%s" % (indent, fmt(b["timer_exits"]),
                                      "  (target 0: %s)" % met_text(t["timer_exits"]) if t else ""))
        per_exit = "not measured" if b["entries_per_exit"] is None else (
            "(%d - %d) / (%d - %d) = %.3f" % (
                sum(b["entries"].values()), sum(b["start_entries"].values()),
                sum(b["exits"].values()), sum(b["start_exits"].values()), b["entries_per_exit"]))
        print("%sminikernel entries per exit %s%s" % (
            indent, per_exit, "  (target 0: %s)" % met_text(t["entries_per_exit"]) if t else ""))
    for p in section["problems"]:
        print("(%s)" % p)


def dvext_bench(args, logs, progress):
    """Runs the DV-Ext part on args.qemu_dvext; returns its bench.json section and whether
    anything was measured."""
    if not args.qemu_dvext:
        print("\nbench: " + DVEXT_SKIPPED)
        return {"skipped": DVEXT_SKIPPED}, False
    base = qemu_args(args.qemu_dvext, DVEXT_CPU)
    native_img = os.path.join(args.build, "guest", "bench-native.bin")
    jobs = {"native": (base + ["-bios", args.opensbi, "-kernel", native_img],
                       os.path.join(logs, "dvext-native.log"))}
    for backend, images in DVEXT_IMAGES.items():
        for run, img in zip(("bench", "start"), images):
            jobs[(backend, run)] = (base + ["-bios", os.path.join(args.build, "img", img + ".bin")],
                                    os.path.join(logs, "dvext-%s-%s.log" % (backend, run)))
    missing = [p for p in [native_img] + [cmd[cmd.index("-bios") + 1] for cmd, _ in jobs.values()]
               if not os.path.isfile(p)]
    if missing:
        why = "%s missing (run make bench)" % ", ".join(missing)
        print("\nbench: DV-Ext part: " + why, file=sys.stderr)
        return {"problems": [why]}, False
    progress.begin("DV-Ext QEMU: native, dv-hw and dv-sw", len(jobs))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(run_qemu, cmd, log,
                                    DVEXT_NATIVE_TIMEOUT if key == "native" else args.timeout)
                   for key, (cmd, log) in jobs.items()}
        done = {key: f.result() for key, f in futures.items()}
    native, native_problem = bench_results(*done["native"], jobs["native"][1])
    backends = {name: dvext_backend(done[(name, "bench")], done[(name, "start")],
                                    jobs[(name, "bench")][1])
                for name in DVEXT_IMAGES}
    hw, sw = (backends[name].get("ops", {}) for name in ("dv-hw", "dv-sw"))
    problems = ["native: " + native_problem] if native_problem else []
    problems += ["%s: %s" % (name, p) for name, b in backends.items()
                 for p in b.get("problems", [])]
    hw_b = backends["dv-hw"]
    section = {
        "qemu": qemu_version(args.qemu_dvext), "qemu_path": args.qemu_dvext, "cpu": DVEXT_CPU,
        "icount": ICOUNT,
        "ops": dvext_rows(native, hw, sw),
        "backends": backends,
        "targets_met": {
            "timer_exits": None if hw_b.get("timer_exits") is None else hw_b["timer_exits"] == 0,
            "entries_per_exit": None if hw_b.get("entries_per_exit") is None
            else hw_b["entries_per_exit"] == 0,
        },
        "problems": problems,
    }
    print_dvext(section)
    return section, bool(native or hw or sw)


def qemu_version(qemu=QEMU):
    try:
        out = subprocess.run([qemu, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, check=False).stdout
        return out.decode(errors="replace").splitlines()[0]
    except (OSError, IndexError) as e:
        return "unavailable (%s)" % e


def started(progress, what, runs, fn, *fn_args):
    """fn(*fn_args), the step's progress line first if it is the step's first run."""
    progress.begin(what, runs)
    return fn(*fn_args)


def exit_and_boot_bench(args, logs, report, progress):
    """The exit, SMP and boot benchmarks into report["variants"]; None if an input is missing,
    else whether anything was measured."""
    dv_img = os.path.join(args.build, "img", "bench.bin")
    uart_exits_img = os.path.join(args.build, "img", "bench-uart-exits.bin")
    native_img = os.path.join(args.build, "guest", "bench-native.bin")
    vm_dtb, dtb_problem = {}, {}
    for variant in CPU_VARIANTS:
        vm_dtb[variant], dtb_problem[variant] = vm_native_dtb(args, variant)
    steps = []  # (what, its runs), in the order they start
    for variant in CPU_VARIANTS:
        steps.append(("exit micro-benchmarks (%s)" % variant, {
            (variant, "dv"): (qemu_base(variant) + ["-bios", dv_img],
                              os.path.join(logs, "bench-%s-dv.log" % variant)),
            (variant, "native"): (qemu_base(variant) + ["-bios", args.opensbi,
                                                        "-kernel", native_img],
                                  os.path.join(logs, "bench-%s-native.log" % variant)),
            (variant, "uart-exits"): (qemu_base(variant) + ["-bios", uart_exits_img],
                                      os.path.join(logs, "bench-%s-uart-exits.log" % variant))}))
    for variant in CPU_VARIANTS:
        for harts in BOOT_IMAGES:
            steps.append(("Linux boot, %d vCPU vs %d hart (%s)" % (harts, harts, variant)
                          if harts == 1 else
                          "Linux boot, %d vCPUs vs %d harts (%s)" % (harts, harts, variant),
                          boot_jobs(args, variant, harts, logs,
                                    vm_dtb[variant] if harts == 1 else None)))
        steps.append(("SMP micro-benchmarks, 4 harts (%s)" % variant,
                      smp_jobs(args, variant, logs)))
        if variant == "sstc":
            steps.append(("SMP micro-benchmarks, 4 harts, -M %s (%s)" % (SSWI_MACHINE, variant),
                          smp_jobs(args, variant, logs, "smp-sswi", SSWI_MACHINE)))
            steps.append(("exit micro-benchmarks beside a busy VM (%s)" % variant,
                          two_vm_jobs(args, logs)))
    jobs = {key: job for _, step in steps for key, job in step.items()}
    for path in [dv_img, uart_exits_img, os.path.join(args.build, "img", "bench-two.bin"),
                 native_img] + [cmd[cmd.index("-kernel") + 1] for cmd, _ in jobs.values()
                                        if "-kernel" in cmd]:
        if not os.path.isfile(path):
            print("bench: %s missing (run make first)" % path, file=sys.stderr)
            return None

    # Two QEMUs at a time: with -icount each one's counts do not depend on the load.
    progress.total += len(steps)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(started, progress, what, len(step),
                                    run_qemu if key[1].startswith(("boot", "two")) else run,
                                    cmd, log,
                                    BOOT_TIMEOUT if key[1].startswith("boot") else
                                    SMP_TIMEOUT if key[1].startswith("smp") else args.timeout)
                   for what, step in steps for key, (cmd, log) in step.items()}
        measured = {key: f.result() for key, f in futures.items()}

    any_measured = False
    for variant in CPU_VARIANTS:
        native, native_problem = measured[(variant, "native")]
        dv, dv_problem = measured[(variant, "dv")]
        for what, problem in (("native", native_problem), ("dv-sw", dv_problem)):
            if problem:
                print("bench: %s %s run: %s" % (variant, what, problem), file=sys.stderr)
        rows = compare(native, dv)
        any_measured = any_measured or bool(native or dv)
        print_table(variant, rows)
        before, before_problem = measured[(variant, "uart-exits")]
        uart_rows = uart_before_after(before, dv)
        print_uart(uart_rows)
        problems = [p for p in (native_problem, dv_problem, before_problem) if p]
        smp_native, smp_np = measured[(variant, "smp-native")]
        smp_dv, smp_dp = measured[(variant, "smp-dv")]
        problems += [p for p in (smp_np, smp_dp) if p]
        smp_rows = compare(smp_native, smp_dv, SMP_TARGETS)
        print("(4 harts: virtual IPI and remote fence; a native figure missing means the run "
              "stalled under -icount)")
        print_table(variant, smp_rows)
        sswi_rows = []
        if (variant, "smp-sswi-dv") in measured:
            sswi_native, sswi_np = measured[(variant, "smp-sswi-native")]
            sswi_dv, sswi_dp = measured[(variant, "smp-sswi-dv")]
            problems += [p for p in (sswi_np, sswi_dp) if p]
            via_sbi = smp_dv.get("ipi_oneway", {}).get("insns")
            targets = {"ipi_oneway": Target("insns < %d (OpenSBI's IPIs)" % via_sbi, "insns",
                                            via_sbi - 1)} if via_sbi else {}
            sswi_rows = compare(sswi_native, sswi_dv, targets)
            print("(the same with an ACLINT SSWI, -M %s: the minikernel kicks harts itself; "
                  "natively the guest still asks OpenSBI)" % SSWI_MACHINE)
            print_table(variant, sswi_rows)
        boots = {}
        for harts in BOOT_IMAGES:
            runs = {k: measured[(variant, "boot%d-%s" % (harts, k))]
                    for k in ("dv", "native", "entry", "vmnative", "vmentry")
                    if (variant, "boot%d-%s" % (harts, k)) in measured}
            problems += [p for _, p in runs.values() if p]
            if harts == 1 and dtb_problem[variant]:
                problems.append(dtb_problem[variant])
            boots[harts] = boot_figures({k: out for k, (out, _) in runs.items()}, harts)
            print_boot(variant, harts, boots[harts])
        for p in problems:
            print("bench: %s: %s" % (variant, p), file=sys.stderr)
        two_rows = []
        if (variant, "two-alone") in measured:
            (alone_out, alone_p), (beside_out, beside_p) = (measured[(variant, k)]
                                                            for k in TWO_IMAGES)
            problems += [p for p in (alone_p, beside_p) if p]
            two_rows = two_vm_rows(hart0_figures(alone_out), hart0_figures(beside_out))
            entered = GUEST_ENTERED.findall(beside_out)
            print_two_vm(two_rows, entered)
            two_rows.append({"setup_insns": {vm: int(c) for vm, c in entered}})
        report["variants"][variant] = {
            "cpu": CPU_VARIANTS[variant],
            "problems": problems,
            "ops": rows,
            "smp_ops": smp_rows,
            "smp_sswi_ops": sswi_rows,
            "uart_shadow": uart_rows,
            "two_vms": two_rows,
            "linux_boot": {"%d_vcpus" % h: b for h, b in boots.items()},
        }
    return any_measured


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="build directory (default: build)")
    ap.add_argument("--opensbi", default=OPENSBI, help="firmware of the native runs")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per QEMU run")
    ap.add_argument("--only", choices=("dvext", "io"),
                    help="run only the DV-Ext part or the I/O benchmark (bench.json then holds "
                         "only it)")
    ap.add_argument("--qemu-dvext", metavar="PATH", default=os.environ.get("QEMU_DVEXT") or None,
                    help="QEMU built from the DuVisor authors' DV-Ext fork: the DV-Ext part runs "
                         "on it (default: $QEMU_DVEXT; without it the part is skipped)")
    args = ap.parse_args()

    logs = os.path.join(args.build, "logs")
    os.makedirs(logs, exist_ok=True)
    version = qemu_version()
    print("QEMU: %s" % version, flush=True)

    report = {"qemu": version, "icount": ICOUNT, "variants": {}}
    any_measured = False
    dvext = args.only in (None, "dvext")
    io = args.only in (None, "io")
    progress = Progress((IO_RUNS if io else 0) + (1 if dvext and args.qemu_dvext else 0))
    if args.only is None:
        any_measured = exit_and_boot_bench(args, logs, report, progress)
        if any_measured is None:
            return 1
    if dvext:
        report["dvext"], measured = dvext_bench(args, logs, progress)
        any_measured = any_measured or measured
    if io:
        report["io"], measured = io_bench(args, logs, progress)
        any_measured = any_measured or measured

    out = os.path.join(args.build, "bench.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print("\nwrote %s" % out)
    return 0 if any_measured else 1

if __name__ == "__main__":
    sys.exit(main())
