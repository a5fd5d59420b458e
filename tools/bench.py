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
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

QEMU = "qemu-system-riscv64"
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
ICOUNT = "shift=0,sleep=off"
CPU_VARIANTS = {
    "sstc": "rv64,h=true",
    "nosstc": "rv64,h=true,sstc=false",
}
OPS = ["null_sbi", "mmio_read", "mmio_write", "timer_sstc", "timer_sbi"]
BENCH_LINE = re.compile(r"^BENCH (\S+) insns=(\d+) exits=(\d+(?:\.\d+)?)\s*$", re.MULTILINE)


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


def qemu_base(variant, harts=1):
    return [QEMU, "-M", "virt", "-cpu", CPU_VARIANTS[variant], "-m", "512M", "-smp", str(harts),
            "-nographic", "-icount", ICOUNT]


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
    out, problem = run_qemu(cmd, log_path, timeout)
    results = {op: {"insns": int(n), "exits": float(x)}
               for op, n, x in BENCH_LINE.findall(out)}
    if not results and not problem:
        problem = "no BENCH lines; log %s" % log_path
    return results, problem


def fmt(v):
    return "-" if v is None else str(v)


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
        verdict = "" if r["target"] is None else (
            "not measured" if r["met"] is None else ("met" if r["met"] else "MISSED"))
        lines.append([r["op"], fmt(r["native_insns"]), fmt(r["dv_insns"]),
                      "-" if r["ratio"] is None else "%.1fx" % r["ratio"],
                      "-" if r["dv_exits_per_op"] is None else "%.1f" % r["dv_exits_per_op"],
                      r["target"] or "-", verdict])
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    print("\n[%s: -cpu %s, -icount %s]" % (variant, CPU_VARIANTS[variant], ICOUNT))
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())


# The Linux boot benchmark: kernel entry to the init banner, virtualized and native, at equal
# guest RAM, on one vCPU against one hart and on four against four. The VM images add
# "quiet dv.bench", after which init prints the cycle count at its banner and powers off.
BOOT_RAM = "128M"
BOOT_APPEND = "console=ttyS0 quiet dv.bench"
BOOT_TARGET = 1.15
BOOT_IMAGES = {1: "linux-bench-up", 4: "linux-bench"}
BOOT_TIMEOUT = 180
BANNER = re.compile(r"^init: banner at cycle (\d+)", re.MULTILINE)
DV_ENTRY = re.compile(r"^vm0: guest entered at cycle (\d+)", re.MULTILINE)
NATIVE_ENTRY = re.compile(r"^BENCH entry cycle=(\d+)", re.MULTILINE)
EXITS = re.compile(r"^vm0: exits: (.*)$", re.MULTILINE)

# SMP micro-benchmarks: bench_smp on 4 harts; one vCPU measures, another answers.
SMP_TARGETS = {"ipi_oneway": Target("insns <= 1500", "insns", 1500)}
SMP_TIMEOUT = 120


def boot_jobs(args, variant, harts, logs):
    """The three runs of the boot benchmark on one CPU variant and hart count."""
    native = [QEMU, "-M", "virt", "-cpu", CPU_VARIANTS[variant], "-m", BOOT_RAM,
              "-smp", str(harts), "-nographic", "-icount", ICOUNT, "-bios", args.opensbi,
              "-initrd", os.path.join(args.build, "linux", "initramfs.cpio"),
              "-append", BOOT_APPEND]
    log = lambda what: os.path.join(logs, "boot%d-%s-%s.log" % (harts, variant, what))
    return {
        (variant, "boot%d-dv" % harts): (qemu_base(variant, harts) + ["-bios", os.path.join(
            args.build, "img", BOOT_IMAGES[harts] + ".bin")], log("dv")),
        (variant, "boot%d-native" % harts): (native + ["-kernel", os.path.join(
            args.build, "linux", "Image")], log("native")),
        # Same QEMU arguments, so OpenSBI does the same work before its payload starts.
        (variant, "boot%d-entry" % harts): (native + ["-kernel", os.path.join(
            args.build, "guest", "bench-native.bin")], log("entry")),
    }


def first_int(regex, out):
    m = regex.search(out)
    return int(m.group(1)) if m else None


def boot_figures(outs):
    """Instructions from kernel entry (and reset) to the banner, the ratio, the exits."""
    dv_out, native_out, entry_out = outs
    dv_banner, dv_entry = first_int(BANNER, dv_out), first_int(DV_ENTRY, dv_out)
    native_banner, native_entry = first_int(BANNER, native_out), first_int(NATIVE_ENTRY, entry_out)
    exits = EXITS.search(dv_out)
    b = {"dv_from_entry": None, "native_from_entry": None, "ratio": None, "met": None,
         "target": "ratio <= %.2f" % BOOT_TARGET,
         "exits_until_poweroff": exits.group(1) if exits else ""}
    if dv_banner is not None and dv_entry is not None:
        b["dv_from_entry"], b["dv_from_reset"] = dv_banner - dv_entry, dv_banner
    if native_banner is not None and native_entry is not None:
        b["native_from_entry"], b["native_from_reset"] = native_banner - native_entry, native_banner
    if b["dv_from_entry"] and b["native_from_entry"]:
        b["ratio"] = round(b["dv_from_entry"] / b["native_from_entry"], 3)
        b["met"] = b["ratio"] <= BOOT_TARGET
    return b


def mega(v):
    return "%.2f M" % (v / 1e6) if v is not None else "not measured"


def print_boot(variant, harts, b):
    print("\n[%s: Linux boot on %d vCPU(s) vs %d hart(s), kernel entry -> init banner, %s RAM]"
          % (variant, harts, harts, BOOT_RAM))
    verdict = "not measured" if b["ratio"] is None else \
        "%.3fx  %s  %s" % (b["ratio"], b["target"], "met" if b["met"] else "MISSED")
    print("native %s  dv-sw %s  ratio %s" % (mega(b["native_from_entry"]),
                                             mega(b["dv_from_entry"]), verdict))
    if b["ratio"] is not None:
        print("from reset: native %s, dv-sw %s (incl. OpenSBI, minikernel and runtime set-up)"
              % (mega(b["native_from_reset"]), mega(b["dv_from_reset"])))
    print("VM exits from entry to poweroff: %s" % b["exits_until_poweroff"])


def smp_jobs(args, variant, logs):
    return {
        (variant, "smp-dv"): (qemu_base(variant, 4) + ["-bios", os.path.join(
            args.build, "img", "smp", "bench_smp.bin")], os.path.join(logs, "smp-%s-dv.log"
                                                                      % variant)),
        (variant, "smp-native"): (qemu_base(variant, 4) + ["-bios", args.opensbi, "-kernel",
                                                          os.path.join(args.build, "guest",
                                                                       "bench_smp-native.bin")],
                                  os.path.join(logs, "smp-%s-native.log" % variant)),
    }


def qemu_version():
    try:
        out = subprocess.run([QEMU, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, check=False).stdout
        return out.decode(errors="replace").splitlines()[0]
    except (OSError, IndexError) as e:
        return "unavailable (%s)" % e


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="build directory (default: build)")
    ap.add_argument("--opensbi", default=OPENSBI, help="firmware of the native runs")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per QEMU run")
    args = ap.parse_args()

    dv_img = os.path.join(args.build, "img", "bench.bin")
    native_img = os.path.join(args.build, "guest", "bench-native.bin")
    logs = os.path.join(args.build, "logs")
    os.makedirs(logs, exist_ok=True)
    version = qemu_version()
    print("QEMU: %s" % version, flush=True)

    jobs = {}
    for variant in CPU_VARIANTS:
        jobs[(variant, "dv")] = (qemu_base(variant) + ["-bios", dv_img],
                                 os.path.join(logs, "bench-%s-dv.log" % variant))
        jobs[(variant, "native")] = (qemu_base(variant) + ["-bios", args.opensbi,
                                                           "-kernel", native_img],
                                     os.path.join(logs, "bench-%s-native.log" % variant))
    for variant in CPU_VARIANTS:
        for harts in BOOT_IMAGES:
            jobs.update(boot_jobs(args, variant, harts, logs))
        jobs.update(smp_jobs(args, variant, logs))
    for path in [dv_img, native_img] + [cmd[cmd.index("-kernel") + 1] for cmd, _ in jobs.values()
                                        if "-kernel" in cmd]:
        if not os.path.isfile(path):
            print("bench: %s missing (run make first)" % path, file=sys.stderr)
            return 1

    # Two QEMUs at a time: with -icount each one's counts do not depend on the load.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(run_qemu if key[1].startswith("boot") else run, cmd, log,
                                    BOOT_TIMEOUT if key[1].startswith("boot") else
                                    SMP_TIMEOUT if key[1].startswith("smp") else args.timeout)
                   for key, (cmd, log) in jobs.items()}
        measured = {key: f.result() for key, f in futures.items()}

    report = {"qemu": version, "icount": ICOUNT, "variants": {}}
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
        problems = [p for p in (native_problem, dv_problem) if p]
        smp_native, smp_np = measured[(variant, "smp-native")]
        smp_dv, smp_dp = measured[(variant, "smp-dv")]
        problems += [p for p in (smp_np, smp_dp) if p]
        smp_rows = compare(smp_native, smp_dv, SMP_TARGETS)
        print("(4 harts: virtual IPI and remote fence; a native figure missing means the run "
              "stalled under -icount)")
        print_table(variant, smp_rows)
        boots = {}
        for harts in BOOT_IMAGES:
            runs = [measured[(variant, "boot%d-%s" % (harts, k))]
                    for k in ("dv", "native", "entry")]
            problems += [p for _, p in runs if p]
            boots[harts] = boot_figures([out for out, _ in runs])
            print_boot(variant, harts, boots[harts])
        for p in problems:
            print("bench: %s: %s" % (variant, p), file=sys.stderr)
        report["variants"][variant] = {
            "cpu": CPU_VARIANTS[variant],
            "problems": problems,
            "ops": rows,
            "smp_ops": smp_rows,
            "linux_boot": {"%d_vcpus" % h: b for h, b in boots.items()},
        }

    out = os.path.join(args.build, "bench.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print("\nwrote %s" % out)
    return 0 if any_measured else 1


if __name__ == "__main__":
    sys.exit(main())
