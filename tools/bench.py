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


def qemu_base(variant):
    return [QEMU, "-M", "virt", "-cpu", CPU_VARIANTS[variant], "-m", "512M", "-smp", "1",
            "-nographic", "-icount", ICOUNT]


def run(cmd, log_path, timeout):
    """Runs one QEMU; returns ({op: {"insns", "exits"}}, problem or None)."""
    try:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                return {}, "hung (killed after %d s); log %s" % (timeout, log_path)
    except OSError as e:
        return {}, "cannot run %s: %s" % (cmd[0], e)
    with open(log_path, "rb") as f:
        out = f.read().decode("utf-8", errors="replace").replace("\r", "")
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
    for path in (dv_img, native_img):
        if not os.path.isfile(path):
            print("bench: %s missing (run make first)" % path, file=sys.stderr)
            return 1

    # Two QEMUs at a time: with -icount each one's counts do not depend on the load.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(run, cmd, log, args.timeout)
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
        report["variants"][variant] = {
            "cpu": CPU_VARIANTS[variant],
            "problems": [p for p in (native_problem, dv_problem) if p],
            "ops": rows,
        }

    out = os.path.join(args.build, "bench.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print("\nwrote %s" % out)
    return 0 if any_measured else 1


if __name__ == "__main__":
    sys.exit(main())
