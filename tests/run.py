# SPDX-License-Identifier: BSD-2-Clause
# The test runner: host unit tests, then each guest and attack table row under QEMU.
"""Run DuVisor-C's tests.

(a) every host unit-test binary DIR/unit/test_*: each `PASS unit:<case>` or
    `FAIL unit:<case>` line it prints is one test; a non-zero exit (or a crash)
    without any FAIL line counts as one more failure; then every fuzz target
    DIR/fuzz/fuzz_<name>, run over its seeds tests/fuzz/corpus/<name> and FUZZ_RUNS
    inputs more from a fixed seed, is one test `fuzz:<name>` (log DIR/logs/fuzz-<name>.log);
(b) every row of tests/guests.tsv under each of its CPU variants, booting the
    firmware image DIR/img/<image>.bin in QEMU with the output in
    DIR/logs/<name>-<variant>.log;
(c) the rows of tests/attacks.tsv, tests/vms.tsv and tests/dvext.tsv, when they exist
    (same columns); with --table NAME only the rows of tests/NAME instead, and nothing else;
    a row's runs in the DV-Ext variants (DVEXT_VARIANTS) use the QEMU of --qemu-dvext (a
    build of the DuVisor authors' fork, never part of this tree) and are skipped without it;
(d) the image tests of tests/image_tests.py, image:<name> (the dvimage tool, the
    minikernel's check at boot, reproducible images, make's arguments, the README,
    the FireSim ELF).

A row may have a fifth column, a console script played against the guest's serial
console while it runs: steps separated by ' ;; ', each `expect:REGEX` (wait until the
output after the previous match matches), `send:TEXT` (type TEXT; `\r` is Enter, `\\xNN`
the byte NN) or
`expect-now:REGEX`, an expect whose REGEX's first group is a time in seconds since 1970
(the guest's wall clock, which comes from the host's): when it matches, that number must
be within NOW_SLACK_S seconds of the host's clock (time.time()), else the step fails.
Output arrives in pieces, so such a REGEX must end past the number (e.g. `^date: (\d+) \(`).
`end:REGEX` waits for REGEX and then ends QEMU: run.py adds it as the last step of every run
on a machine whose firmware cannot power off (END_LINES).
Variants ending in `-io` give the machine the host virtio devices the image's VM config
asks for, as `make run` does (see io_args): fresh ext2 disks, user networking, entropy
devices and virtio consoles on sockets. Their scripts may also use `vc-send:TEXT` /
`vc-expect:REGEX` on the first VM's virtio console that has one, `boot:` (wait
for QEMU to end, then boot the same machine again, same disk), and `{port}` / `{token}`
in any text: the port of a TCP server run.py starts for the row (it sends one line
`hello-from-host {token}` and echoes each line it receives as `host got: LINE`), and a
token fresh for each run.

--only REGEX keeps the guest/attack runs whose `<name>[<variant>]` it matches
(re.search), the unit binaries whose `unit:<binary>`, the fuzz targets whose
`fuzz:<name>` and the image tests whose `image:<name>` it matches.
"""

import argparse
import concurrent.futures
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from tcp_server import TcpServer  # noqa: E402 (found through the line above)
import qemu_io  # noqa: E402 (likewise)
import image_tests  # noqa: E402 (next to this file)

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU = "qemu-system-riscv64"
HANG_GUARD_S = 120
CPU_VARIANTS = {  # name: (-cpu, -smp, with host virtio devices, -M[, -dtb under the build dir])
    "sstc": ("rv64,h=true", 1, False, "virt"),
    "nosstc": ("rv64,h=true,sstc=false", 1, False, "virt"),
    "noh": ("rv64,h=false", 1, False, "virt"),  # a host the minikernel must refuse
    "sstc2": ("rv64,h=true", 2, False, "virt"),  # two one-vCPU VMs (tests/vms.tsv)
    "nosstc2": ("rv64,h=true,sstc=false", 2, False, "virt"),
    "sstc4": ("rv64,h=true", 4, False, "virt"),
    "nosstc4": ("rv64,h=true,sstc=false", 4, False, "virt"),
    # An ACLINT SSWI: the minikernel kicks harts without OpenSBI.
    "sstc4-sswi": ("rv64,h=true", 4, False, "virt,aclint=on"),
    "sstc-io": ("rv64,h=true", 1, True, "virt"),
    "sstc2-io": ("rv64,h=true", 2, True, "virt"),
    "sstc4-io": ("rv64,h=true", 4, True, "virt"),
    "nosstc4-io": ("rv64,h=true,sstc=false", 4, True, "virt"),
    # QEMU virt's device tree saying the hart has DV-Ext (Makefile: dtb/virt-dvext.dtb).
    "dvext-fdt": ("rv64,h=true", 1, False, "virt", "dtb/virt-dvext.dtb"),
    "sstc-icount": ("rv64,h=true", 1, False, "virt"),
    # QEMU virt's device tree without its RTC (Makefile: dtb/virt-nortc.dtb).
    "nortc-fdt": ("rv64,h=true", 1, False, "virt", "dtb/virt-nortc.dtb"),
    # HiFive Unleashed: a SiFive UART, hart 0 an E51 without S-mode, no Sstc (no time CSR),
    # no virtio devices; harts 1-2 run the vCPUs.
    "sifive_u": ("rv64,h=true", 3, False, "sifive_u"),
    # No UART: the console is the firmware's (HTIF through SBI); no Sstc (no time CSR).
    "spike": ("rv64,h=true", 1, False, "spike"),
    # AIA (APLIC + IMSIC) instead of a PLIC: the console UART's input is polled.
    "aia4": ("rv64,h=true", 4, False, "virt,aia=aplic-imsic"),
    "nosstc4-aia": ("rv64,h=true,sstc=false", 4, False, "virt,aia=aplic-imsic"),
    # DV-Ext: the DuVisor authors' QEMU 5.2 fork (--qemu-dvext), which knows only virt, with
    # the draft H 0.6.1 and no Sstc, AIA or ACLINT.
    "dvext": ("rv64,x-h=true,x-z=true", 1, False, "virt"),
    "dvext4": ("rv64,x-h=true,x-z=true", 4, False, "virt"),
}
DVEXT_VARIANTS = ("dvext", "dvext4")
QEMU_DVEXT = None  # --qemu-dvext: the QEMU of DVEXT_VARIANTS; without it they are skipped
# Machines whose firmware cannot power off (sifive_u: no shutdown device; spike: OpenSBI
# 1.1's HTIF reset never returns): run.py ends QEMU once the console shows this line.
END_LINES = {
    "sifive_u": image_tests.SIFIVE_U_HALT,
    "spike": r"^mk: no VM left running; powering off\r*$",
}
# Variants ending in -icount: without it QEMU's cycle and instret count host ticks; with it
# they count the instructions retired (by all harts: these variants have one).
ICOUNT_ARGS = ["-icount", "shift=0,sleep=on"]
DISK_MIB = 16
SCRIPT_STEPS = ("send", "expect", "expect-now", "vc-send", "vc-expect", "boot", "end")
NOW_SLACK_S = 5  # a guest's clock against the host's: HCTOSYS drops the fraction of a second
UNIT_LINE = re.compile(r"^(PASS|FAIL) (unit:\S+)", re.MULTILINE)
# With several VMs, a VM's lines start with its name in brackets (docs/vms.md).
FAIL_LINE = re.compile(r"^(\[[^]]*\] )?FAIL:.*$", re.MULTILINE)


class Result:
    """One verdict line: ok is True, False, or None for a test skipped (the reason says why)."""

    def __init__(self, name, ok, reason=""):
        self.name = name
        self.ok = ok
        self.reason = reason

    def line(self):
        if self.ok is None:
            return "SKIP %s: %s" % (self.name, self.reason)
        if self.ok:
            return "PASS %s" % self.name
        return "FAIL %s: %s" % (self.name, self.reason)


def run_guarded(cmd, log_path):
    """Runs cmd with stdin from /dev/null and all output into log_path.

    Returns (exit status or None when the hang guard fired, seconds taken).
    The child gets its own process group so that a hung QEMU is killed whole.
    """
    start = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        status = wait_guarded(proc)
    return status, time.monotonic() - start


def wait_guarded(proc):
    """The exit status of proc, or None when the hang guard had to kill its process group."""
    try:
        return proc.wait(timeout=HANG_GUARD_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return None


class Stream:
    """Output of QEMU's serial console or of a socket, collected for expect; input for send."""

    def __init__(self, read_chunk, write, log):
        self.read_chunk = read_chunk
        self.write = write
        self.log = log
        self.out = bytearray()
        self.pos = 0
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                chunk = self.read_chunk()
            except OSError:
                chunk = b""
            if not chunk:
                break
            if self.log:
                self.log.write(chunk)
                self.log.flush()
            with self.cond:
                self.out += chunk
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def expect(self, regex, deadline):
        """The match once the output shows one, or None at the deadline or its end."""
        pat = re.compile(regex.encode(), re.MULTILINE)
        with self.cond:
            while True:
                m = pat.search(self.out, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or not self.reader.is_alive():
                    return None
                self.cond.wait(min(left, 1.0))

    def send(self, text):
        text = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), text)
        self.write(text.replace("\\r", "\r").replace("\\n", "\n").encode())


def console_stream(proc, log):
    def write(data):
        proc.stdin.write(data)
        proc.stdin.flush()
    return Stream(lambda: proc.stdout.read1(4096), write, log)


def socket_stream(path, deadline):
    """A Stream on QEMU's virtio console socket, once QEMU has made it; None if it never did."""
    while time.monotonic() < deadline:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return Stream(lambda: sock.recv(4096), sock.sendall, None)
        except OSError:
            sock.close()
            time.sleep(0.2)
    return None


class HostServer(TcpServer):
    """The TCP peer of a row's guest: says hello with the token, echoes one line, closes."""

    def __init__(self, token):
        self.token = token
        super().__init__(0)

    def handle(self, conn):
        with conn:
            conn.settimeout(HANG_GUARD_S)
            try:
                conn.sendall(b"hello-from-host %s\n" % self.token.encode())
                line = conn.makefile("rb").readline().rstrip(b"\n")
                conn.sendall(b"host got: " + line + b"\n")
            except OSError:
                pass


def expect_now(console, regex, deadline):
    """An expect-now step: None, or why it failed."""
    m = console.expect(regex, deadline)
    if not m:
        return "console never showed %r" % regex
    guest, host = int(m.group(1)), time.time()
    if abs(guest - host) > NOW_SLACK_S:
        return "%r: the guest says %d s since 1970, the host %.0f (more than %d s apart)" % (
            regex, guest, host, NOW_SLACK_S)
    return None


def play(qemu, script, log, vc_path):
    """Plays a console script on the machine qemu() starts; returns (status, failure or None).

    `boot:` waits for the machine to end and starts it again; the status is the last QEMU's.
    A script with virtio console steps connects to its socket as soon as QEMU has made it:
    QEMU drops what the guest writes there while no one is connected.
    """
    uses_vc = any(step.startswith("vc-") for step in script)

    def connect():
        return socket_stream(vc_path, time.monotonic() + HANG_GUARD_S) if uses_vc else None
    proc = qemu()
    console = console_stream(proc, log)
    vc = connect()
    failed = None
    for step in script:
        kind, _, arg = step.partition(":")
        deadline = time.monotonic() + HANG_GUARD_S
        if kind == "end":
            if not console.expect(arg, deadline):
                failed = "console never showed the end line %r" % arg
            os.killpg(proc.pid, signal.SIGKILL)
        if kind == "send":
            console.send(arg)
        elif kind == "expect" and not console.expect(arg, deadline):
            failed = "console never showed %r" % arg
        elif kind == "expect-now":
            failed = expect_now(console, arg, deadline)
        elif kind in ("vc-send", "vc-expect"):
            vc = vc or socket_stream(vc_path, deadline)
            if vc is None:
                failed = "no virtio console socket at %s" % vc_path
            elif kind == "vc-send":
                vc.send(arg)
            elif not vc.expect(arg, deadline):
                failed = "virtio console never showed %r" % arg
        elif kind == "boot":
            status = wait_guarded(proc)
            console.reader.join()
            if status is None:
                return None, "hung before boot: step"
            proc = qemu()
            console = console_stream(proc, log)
            vc = connect()
        if failed:
            break
    status = wait_guarded(proc)
    console.reader.join()
    if script and script[-1].startswith("end:") and status == -signal.SIGKILL:
        status = 0  # run.py ended it at the end line
    return status, failed


def run_scripted(cmd, log_path, script, vc_path):
    """Like run_guarded, with the console script played on QEMU's stdin/stdout.

    Returns (exit status or None, seconds, the script step that failed or None).
    """
    start = time.monotonic()

    def qemu():
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
    with open(log_path, "wb") as log:
        status, failed = play(qemu, script, log, vc_path)
    return status, time.monotonic() - start, failed


def read_log(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", errors="replace")
    # The serial console may end lines with CR LF; patterns anchor on '$'.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def describe_status(status):
    if status < 0:
        return "killed by signal %d" % -status
    return "exited with status %d" % status


# ---- (a) unit tests ----

def unit_binaries(build):
    unit_dir = os.path.join(build, "unit")
    if not os.path.isdir(unit_dir):
        return []
    paths = []
    for entry in sorted(os.listdir(unit_dir)):
        path = os.path.join(unit_dir, entry)
        if (entry.startswith("test_") and "." not in entry and os.path.isfile(path)
                and os.access(path, os.X_OK)):
            paths.append(path)
    return paths


def run_unit(path, logs):
    name = os.path.basename(path)
    log_path = os.path.join(logs, "unit-%s.log" % name)
    try:
        status, _ = run_guarded([path], log_path)
    except OSError as e:
        return [Result("unit:%s" % name, False, "cannot run: %s" % e)]
    if status is None:
        return [Result("unit:%s" % name, False, "hung (killed after %d s); log %s"
                       % (HANG_GUARD_S, log_path))]
    out = read_log(log_path)
    results = []
    for verdict, case in UNIT_LINE.findall(out):
        results.append(Result(case, verdict == "PASS",
                              "failed; log %s" % log_path))
    if status != 0 and all(r.ok for r in results):
        results.append(Result("unit:%s" % name, False, "%s with no FAIL line; log %s"
                              % (describe_status(status), log_path)))
    if not results:
        results.append(Result("unit:%s" % name, False, "printed no PASS/FAIL lines; log %s"
                              % log_path))
    return results


# ---- (a) fuzz targets, briefly ----

FUZZ_RUNS = 20000
FUZZ_FAILURE = re.compile(r"^(fuzz check failed.*|SUMMARY: .*)$", re.MULTILINE)


def fuzz_binaries(build):
    fuzz_dir = os.path.join(build, "fuzz")
    if not os.path.isdir(fuzz_dir):
        return []
    paths = [os.path.join(fuzz_dir, e) for e in sorted(os.listdir(fuzz_dir))
             if e.startswith("fuzz_") and "." not in e]
    return [p for p in paths if os.path.isfile(p) and os.access(p, os.X_OK)]


def run_fuzz(path, build, logs):
    """The seeds, then FUZZ_RUNS inputs grown from them; deterministic (-seed=1, an empty
    scratch corpus for what it finds: the checked-in one is only read)."""
    name = os.path.basename(path)[len("fuzz_"):]
    label = "fuzz:" + name
    log_path = os.path.join(logs, "fuzz-%s.log" % name)
    scratch = os.path.join(build, "fuzz", "test-corpus", name)
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    cmd = [path, "-runs=%d" % FUZZ_RUNS, "-seed=1", "-timeout=10", "-print_final_stats=1",
           "-close_fd_mask=1", "-artifact_prefix=%s-" % os.path.join(logs, "fuzz-" + name),
           scratch, os.path.join(HERE, "fuzz", "corpus", name)]
    try:
        status, secs = run_guarded(cmd, log_path)
    except OSError as e:
        return Result(label, False, "cannot run: %s" % e)
    if status is None:
        return Result(label, False, "hung (killed after %d s); log %s" % (HANG_GUARD_S, log_path))
    out = read_log(log_path)
    execs = re.search(r"^stat::number_of_executed_units: *(\d+)", out, re.MULTILINE)
    with open(log_path, "a", encoding="utf-8") as log:
        log.write("\n# run.py: %s executions in %.1f s, %s\n"
                  % (execs.group(1) if execs else "?", secs, describe_status(status)))
    if status == 0:
        return Result(label, True)
    why = FUZZ_FAILURE.search(out)
    crash = re.search(r"Test unit written to (\S+)", out)
    return Result(label, False, "%s%s; log %s"
                  % (why.group(1) if why else describe_status(status),
                     "; input %s" % crash.group(1) if crash else "", log_path))


# ---- (b), (c) guest runs ----

class GuestRun:
    """One row of a test table under one CPU variant."""

    def __init__(self, name, image, variant, patterns, origin, script):
        self.name = name
        self.image = image
        self.variant = variant
        self.patterns = patterns
        self.origin = origin
        self.script = script

    @property
    def label(self):
        return "%s[%s]" % (self.name, self.variant)


def parse_table(path):
    """Returns (runs, problems) of a TSV test table; problems are Results."""
    runs, problems = [], []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            origin = "%s:%d" % (os.path.relpath(path), lineno)
            cols = line.split("\t")
            if len(cols) not in (4, 5):
                problems.append(Result(origin, False, "want 4 or 5 TAB-separated columns, got %d"
                                       % len(cols)))
                continue
            name, image, variants, patterns = (c.strip() for c in cols[:4])
            script = [st.strip() for st in cols[4].split(" ;; ")] if len(cols) == 5 else []
            if any(st.partition(":")[0] not in SCRIPT_STEPS for st in script):
                problems.append(Result(origin, False, "script steps are %s"
                                       % ", ".join(SCRIPT_STEPS)))
                continue
            pats = [p.strip() for p in patterns.split(" && ") if p.strip()]
            bad = [v for v in variants.split(",") if v.strip() not in CPU_VARIANTS]
            if bad or not pats:
                problems.append(Result(origin, False, "unknown CPU variant %s" % bad[0]
                                       if bad else "no patterns"))
                continue
            try:
                for p in pats:
                    re.compile(p[1:] if p.startswith("!") else p, re.MULTILINE)
            except re.error as e:
                problems.append(Result(origin, False, "bad pattern %r: %s" % (p, e)))
                continue
            for v in variants.split(","):
                runs.append(GuestRun(name, image, v.strip(), pats, origin, script))
    return runs, problems


def io_args(build, image_path, state_dir):
    """The host virtio devices of `-io` variants, as `make run` gives them (tools/qemu_io.py)
    from the image's VM config, in a fresh state_dir: (QEMU words, the socket of the first
    VM with a virtio console port or None). VM k's disk has DISK_MIB + 8k MiB."""
    shutil.rmtree(state_dir, ignore_errors=True)
    os.makedirs(state_dir)
    config = os.path.join(state_dir, "config.dtb")
    dvimage = os.path.join(build, "tools", "dvimage")
    subprocess.run([dvimage, "extract", image_path, "config", "-o", config], check=True,
                   stdout=subprocess.DEVNULL)
    words, sockets, _ = qemu_io.devices(config, state_dir, DISK_MIB, 8)
    return words, next(iter(sockets.values()), None)


def qemu_cmd(image_path, variant, io=None):
    cpu, harts, _, machine = CPU_VARIANTS[variant][:4]
    dtb = CPU_VARIANTS[variant][4:]
    build = os.path.dirname(os.path.dirname(image_path))
    qemu = QEMU_DVEXT if variant in DVEXT_VARIANTS else QEMU
    return [qemu, "-M", machine, "-cpu", cpu, "-m", "512M", "-smp", str(harts),
            "-nographic", "-bios", image_path] + (io or []) + \
        (["-dtb", os.path.join(build, dtb[0])] if dtb else []) + \
        (ICOUNT_ARGS if variant.endswith("-icount") else [])


def check_output(out, patterns):
    """The first reason the output fails its patterns, or None."""
    fail = FAIL_LINE.search(out)
    if fail:
        return "guest printed %r" % fail.group(0)
    for p in patterns:
        if p.startswith("!"):
            m = re.search(p[1:], out, re.MULTILINE)
            if m:
                return "forbidden pattern %r matched %r" % (p[1:], m.group(0))
        elif not re.search(p, out, re.MULTILINE):
            return "pattern %r not found" % p
    return None


def run_guest(run, build, logs):
    if run.variant in DVEXT_VARIANTS and not QEMU_DVEXT:
        return Result(run.label, None, "no DV-Ext QEMU (make test QEMU_DVEXT=...)")
    image_path = os.path.join(build, "img", run.image + ".bin")
    base = os.path.join(logs, "%s-%s" % (run.name, run.variant))
    log_path = base + ".log"
    if not os.path.isfile(image_path):
        return Result(run.label, False, "image %s missing" % image_path)
    failed = None
    server = None
    io = None
    script = run.script
    vc_path = base + ".vc.sock"
    try:
        if CPU_VARIANTS[run.variant][2]:
            io, vc_path = io_args(build, image_path, base + ".io")
            server = HostServer(secrets.token_hex(8))
            script = [st.replace("{port}", str(server.port)).replace("{token}", server.token)
                      for st in script]
        cmd = qemu_cmd(image_path, run.variant, io)
        if run.variant in END_LINES:
            script = script + ["end:" + END_LINES[run.variant]]
        if script:
            status, secs, failed = run_scripted(cmd, log_path, script, vc_path)
        else:
            status, secs = run_guarded(cmd, log_path)
    except (OSError, subprocess.CalledProcessError) as e:
        return Result(run.label, False, "cannot run the machine: %s" % e)
    finally:
        if server:
            server.close()
    if failed:
        return Result(run.label, False, "%s; log %s" % (failed, log_path))
    if status is None:
        return Result(run.label, False, "hung: no exit after %d s; log %s"
                      % (HANG_GUARD_S, log_path))
    why = check_output(read_log(log_path), run.patterns)
    with open(log_path, "a", encoding="utf-8") as log:
        log.write("\n# run.py: qemu %s after %.1f s\n" % (describe_status(status), secs))
    if why:
        return Result(run.label, False, "%s; log %s" % (why, log_path))
    return Result(run.label, True)


# ---- (d) image tests ----

def image_machine(target, log_path, script=None):
    """Runs an image (a path: one hart, Sstc) or a whole QEMU command line for image_tests;
    returns (status or None, the log's text, the failure or None)."""
    cmd = qemu_cmd(target, "sstc") if isinstance(target, str) else target
    if script:
        status, _, failed = run_scripted(cmd, log_path, script, None)
    else:
        (status, _), failed = run_guarded(cmd, log_path), None
    if status is None and not failed:
        failed = "hung: no exit after %d s; log %s" % (HANG_GUARD_S, log_path)
    return status, read_log(log_path), failed


def run_image_test(name, test, env):
    try:
        why = test(env)
    except (OSError, AssertionError, subprocess.CalledProcessError) as e:
        why = "%s: %s" % (type(e).__name__, e)
    return Result(name, why is None, why or "")


def qemu_version(qemu=QEMU):
    try:
        out = subprocess.run([qemu, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, check=False).stdout
        return out.decode(errors="replace").splitlines()[0]
    except (OSError, IndexError) as e:
        return "unavailable (%s)" % e


def main():
    global HANG_GUARD_S, QEMU_DVEXT

    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="build directory (default: build)")
    ap.add_argument("--only", help="regex: run only the tests whose name it matches")
    ap.add_argument("--table", action="append",
                    help="run only this table of tests/ (repeatable; e.g. distro.tsv for "
                         "make test-distro): no unit, fuzz or image tests")
    ap.add_argument("-j", type=int, default=2, help="QEMU runs at a time (default: 2)")
    ap.add_argument("--hang-guard", type=int, default=HANG_GUARD_S,
                    help="seconds before a run counts as hung (default: %d)" % HANG_GUARD_S)
    ap.add_argument("--qemu-dvext", default=os.environ.get("QEMU_DVEXT") or None,
                    help="a qemu-system-riscv64 with DV-Ext (the DuVisor authors' fork): the "
                         "QEMU of the DV-Ext variants, which are skipped without it "
                         "(default: $QEMU_DVEXT)")
    args = ap.parse_args()
    HANG_GUARD_S = args.hang_guard
    QEMU_DVEXT = args.qemu_dvext
    only = re.compile(args.only) if args.only else None
    build = args.build
    logs = os.path.join(build, "logs")
    os.makedirs(logs, exist_ok=True)

    print("QEMU: %s" % qemu_version(), flush=True)
    if QEMU_DVEXT:
        print("QEMU with DV-Ext: %s (%s)" % (qemu_version(QEMU_DVEXT), QEMU_DVEXT), flush=True)
    results = []

    def report(rs):
        for r in rs:
            print(r.line(), flush=True)
        results.extend(rs)

    for path in [] if args.table else unit_binaries(build):
        if only is None or only.search("unit:" + os.path.basename(path)):
            report(run_unit(path, logs))
    for path in [] if args.table else fuzz_binaries(build):
        if only is None or only.search("fuzz:" + os.path.basename(path)[len("fuzz_"):]):
            report([run_fuzz(path, build, logs)])

    runs = []
    for table in args.table or ("guests.tsv", "attacks.tsv", "vms.tsv", "dvext.tsv"):
        path = os.path.join(HERE, table)
        if os.path.isfile(path):
            table_runs, problems = parse_table(path)
            report(problems)
            runs += [r for r in table_runs if only is None or only.search(r.label)]

    chosen = [(n, t) for n, t in image_tests.tests()
              if not args.table and (only is None or only.search(n))]
    if chosen:
        env = image_tests.Env(build, image_machine)
        try:
            env.all_parts()
        except (OSError, AssertionError) as e:
            report([Result(n, False, "no test image: %s" % e) for n, _ in chosen])
            chosen = []

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        futures = [pool.submit(run_image_test, n, t, env) for n, t in chosen]
        futures += [pool.submit(run_guest, r, build, logs) for r in runs]
        for f in futures:
            report([f.result()])

    passed = sum(r.ok is True for r in results)
    failed = sum(r.ok is False for r in results)
    print("%d passed, %d failed, %d skipped" % (passed, failed, len(results) - passed - failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
