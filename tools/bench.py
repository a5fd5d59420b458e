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
    try:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                return "", "hung (killed after %d s); log %s" % (timeout, log_path)
    except OSError as e:
        return "", "cannot run %s: %s" % (cmd[0], e)
    with open(log_path, "rb") as f:
        return f.read().decode("utf-8", errors="replace").replace("\r", ""), None


def run(cmd, log_path, timeout):
    """Runs one QEMU; returns ({op: {"insns", "exits"}}, problem or None)."""
    out, problem = run_qemu(cmd, log_path, timeout)
    if problem:
        return {}, problem
    results = {op: {"insns": int(n), "exits": float(x)}
               for op, n, x in BENCH_LINE.findall(out)}
    if not results:
        return {}, "no BENCH lines; log %s" % log_path
    return results, None


def fmt(v):
    return "-" if v is None else str(v)


def compare(native, dv):
    """Rows of one variant: one dict per operation either run measured."""
    rows = []
    for op in OPS + sorted((set(native) | set(dv)) - set(OPS)):
        n, d = native.get(op), dv.get(op)
        if n is None and d is None:
            continue
        target = TARGETS.get(op)
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
# guest RAM. The VM's config has 128 MiB and "console=ttyS0"; build/img/linux-bench.bin adds
# "quiet dv.bench", after which init prints the cycle count at its banner and powers off.
BOOT_RAM = "128M"
BOOT_HARTS = 4  # the default VM has 4 vCPUs: it is compared with a native 4-hart boot
BOOT_APPEND = "console=ttyS0 quiet dv.bench"
BOOT_TARGET = 1.15
BANNER = re.compile(r"^init: banner at cycle (\d+)", re.MULTILINE)
DV_ENTRY = re.compile(r"^vm0: guest entered at cycle (\d+)", re.MULTILINE)
NATIVE_ENTRY = re.compile(r"^BENCH entry cycle=(\d+)", re.MULTILINE)
EXITS = re.compile(r"^vm0: exits: (.*)$", re.MULTILINE)


def boot_jobs(args, variant, logs):
    """The three runs of the boot benchmark on one CPU variant."""
    native = [QEMU, "-M", "virt", "-cpu", CPU_VARIANTS[variant], "-m", BOOT_RAM,
              "-smp", str(BOOT_HARTS),
              "-nographic", "-icount", ICOUNT, "-bios", args.opensbi,
              "-initrd", os.path.join(args.build, "linux", "initramfs.cpio"),
              "-append", BOOT_APPEND]
    log = lambda what: os.path.join(logs, "boot-%s-%s.log" % (variant, what))
    return {
        (variant, "boot-dv"): (qemu_base(variant, BOOT_HARTS) + ["-bios", os.path.join(
            args.build, "img", "linux-bench.bin")], log("dv")),
        (variant, "boot-native"): (native + ["-kernel", os.path.join(
            args.build, "linux", "Image")], log("native")),
        # Same QEMU arguments, so OpenSBI does the same work before its payload starts.
        (variant, "boot-entry"): (native + ["-kernel", os.path.join(
            args.build, "guest", "bench-native.bin")], log("entry")),
    }


def first_int(regex, out):
    m = regex.search(out)
    return int(m.group(1)) if m else None


def boot_figures(outs):
    """{"native", "dv"} instructions from kernel entry to the banner, ratio, exits; or a problem."""
    dv_out, native_out, entry_out = outs
    dv_banner, dv_entry = first_int(BANNER, dv_out), first_int(DV_ENTRY, dv_out)
    native_banner, native_entry = first_int(BANNER, native_out), first_int(NATIVE_ENTRY, entry_out)
    if None in (dv_banner, dv_entry, native_banner, native_entry):
        return None, "boot runs printed no banner/entry counts"
    native, dv = native_banner - native_entry, dv_banner - dv_entry
    exits = EXITS.search(dv_out)
    return {
        "native_from_entry": native, "dv_from_entry": dv, "ratio": round(dv / native, 3),
        "native_from_reset": native_banner, "dv_from_reset": dv_banner,
        "exits_until_poweroff": exits.group(1) if exits else "",
        "target": "ratio <= %.2f" % BOOT_TARGET, "met": dv / native <= BOOT_TARGET,
    }, None


def print_boot(variant, b):
    print("\n[%s: Linux boot on %d vCPUs vs %d harts, kernel entry -> init banner, %s guest RAM]"
          % (variant, BOOT_HARTS, BOOT_HARTS, BOOT_RAM))
    print("native %.2f M  dv-sw %.2f M  ratio %.3fx  target %s  %s" % (
        b["native_from_entry"] / 1e6, b["dv_from_entry"] / 1e6, b["ratio"], b["target"],
        "met" if b["met"] else "MISSED"))
    print("from reset: native %.2f M, dv-sw %.2f M (incl. OpenSBI, minikernel and runtime set-up)"
          % (b["native_from_reset"] / 1e6, b["dv_from_reset"] / 1e6))
    print("VM exits from entry to poweroff: %s" % b["exits_until_poweroff"])


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
        jobs.update(boot_jobs(args, variant, logs))
    for path in [dv_img, native_img] + [cmd[cmd.index("-kernel") + 1] for cmd, _ in jobs.values()
                                        if "-kernel" in cmd]:
        if not os.path.isfile(path):
            print("bench: %s missing (run make first)" % path, file=sys.stderr)
            return 1

    # Two QEMUs at a time: with -icount each one's counts do not depend on the load.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(run_qemu if key[1].startswith("boot") else run,
                                    cmd, log, args.timeout)
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
        boot_runs = [measured[(variant, k)] for k in ("boot-dv", "boot-native", "boot-entry")]
        problems = [p for p in (native_problem, dv_problem) if p]
        problems += [p for _, p in boot_runs if p]
        boot, boot_problem = boot_figures([out for out, _ in boot_runs])
        if boot:
            print_boot(variant, boot)
        else:
            problems.append(boot_problem)
            print("bench: %s boot: %s" % (variant, boot_problem), file=sys.stderr)
        report["variants"][variant] = {
            "cpu": CPU_VARIANTS[variant],
            "problems": problems,
            "ops": rows,
            "linux_boot": boot,
        }

    out = os.path.join(args.build, "bench.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print("\nwrote %s" % out)
    return 0 if any_measured else 1


if __name__ == "__main__":
    sys.exit(main())
