# SPDX-License-Identifier: BSD-2-Clause
# The image tests of tests/run.py: the dvimage tool, the minikernel's check at boot, reproducible
# images, the image following make's arguments, the README's commands as written, the FireSim ELF.
"""Each test is a function returning None (passed) or the reason it failed; `tests()` lists
them by name (image:<name>). They share one scratch
directory, DIR/imgtest, and a Machine that runs QEMU the way tests/run.py does."""

import json
import os
import re
import shutil
import struct
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
MASK = (1 << 64) - 1
FOLD, MIX1, MIX2 = 0x9e3779b97f4a7c16, 0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53
# The parts the minikernel loads (it checks them at boot) and the ones already running when it
# does (only `dvimage verify` can check those).
LOADED = ("runtime", "config", "guest", "initrd", "cmdline", "disk")
RUNNING = ("firmware", "minikernel")
DRAM_BASE = 0x80000000
PT_LOAD = 1
# The default VM's guest at its shell, then powered off: what a boot of the default image prints.
SHELL_SCRIPT = [r"expect:^DuVisor-C guest init: Linux 6\.1\.\d+ on 4 vCPU\(s\)", "expect:^dv# ",
                "send:poweroff\\r", "expect:^vm0: ended: poweroff"]


# The minikernel's last line on sifive_u, whose firmware cannot power off (run.py's END_LINES).
SIFIVE_U_HALT = r"^mk: the firmware did not power off \(SBI SRST error -?\d+\): halted\r?$"


def digest(data):
    """dv_digest (include/dv_digest.h), written again from its description."""
    n = len(data)
    a = b = 0
    for (w,) in struct.iter_unpack("<Q", data[:n - n % 8]):
        a = (a + w) & MASK
        b = (b + a) & MASK
    if n % 8:
        a = (a + int.from_bytes(data[n - n % 8:], "little")) & MASK
        b = (b + a) & MASK
    h = ((a + FOLD * b) & MASK) ^ n
    h ^= h >> 33
    h = (h * MIX1) & MASK
    h ^= h >> 33
    h = (h * MIX2) & MASK
    return h ^ (h >> 33)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


class Env:
    """Paths and runners shared by the tests."""

    def __init__(self, build, machine):
        self.build = build
        self.machine = machine  # machine(image, log, script=None, smp=1) -> (status, output, failed)
        self.dir = os.path.join(build, "imgtest")
        self.tool = os.path.join(build, "tools", "dvimage")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self._all = None

    def path(self, name):
        return os.path.join(self.dir, name)

    def dvimage(self, *args):
        done = subprocess.run([self.tool] + list(args), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        return done.returncode, done.stdout, done.stderr.decode(errors="replace")

    def parts(self, image):
        """{name: (offset, size, digest)} as `dvimage info` lists them."""
        status, out, err = self.dvimage("info", image)
        if status:
            raise AssertionError("dvimage info %s failed: %s" % (image, err.strip()))
        rows = re.findall(r"^  (\S+)\s+0x([0-9a-f]+)\s+(\d+)\s+([0-9a-f]{16})$",
                          out.decode(), re.MULTILINE)
        return {r[0]: (int(r[1], 16), int(r[2]), int(r[3], 16)) for r in rows}

    def all_parts(self):
        """An image with every kind of part: the virtio-blk test guest and VM, its embedded disk,
        an initrd and a command line (a bare-metal guest ignores the last two)."""
        if self._all is None:
            b = self.build
            write(self.path("initrd.bin"), bytes((i * 7 + 3) & 0xff for i in range(4096 + 13)))
            write(self.path("cmdline.txt"), b"dv.image-test")
            self._all = self.path("all.bin")
            status, _, err = self.dvimage(
                "create", "-o", self._all, "-f", OPENSBI, "-k", os.path.join(b, "minikernel.elf"),
                "-b", "runtime=" + os.path.join(b, "runtime.elf"),
                "-b", "config=" + os.path.join(b, "vm", "test-disk.dtb"),
                "-b", "guest=" + os.path.join(b, "guest", "virtio_blk.bin"),
                "-b", "initrd=" + self.path("initrd.bin"),
                "-b", "cmdline=" + self.path("cmdline.txt"),
                "-b", "disk=" + os.path.join(b, "disk", "pattern.img"))
            if status:
                raise AssertionError("dvimage create failed: %s" % err.strip())
        return self._all

    def table_offset(self, image):
        out = self.dvimage("info", image)[1].decode()
        return int(re.search(r"part table at 0x([0-9a-f]+)", out).group(1), 16)

    def flipped(self, image, offset, name):
        """A copy of image with bit 5 of the byte at offset inverted."""
        data = bytearray(read(image))
        data[offset] ^= 0x20
        out = self.path(name)
        write(out, data)
        return out


def make(*args):
    done = subprocess.run(["make", "--no-print-directory", "-C", TOP] + list(args),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=False)
    return done.returncode, done.stdout.decode(errors="replace")


# ---- the tool ----

def t_digest(env):
    """Every part's digest in `dvimage info` is the digest of the bytes `extract` gives, and
    those bytes are the files the image was built from."""
    image = os.path.join(env.build, "duvisor.bin")
    sources = {"firmware": OPENSBI, "runtime": os.path.join(env.build, "runtime.elf"),
               "guest": os.path.join(env.build, "linux", "Image"),
               "initrd": os.path.join(env.build, "linux", "initramfs.cpio")}
    parts = env.parts(image)
    if set(parts) != {"firmware", "minikernel", "runtime", "config", "guest", "initrd",
                      "cmdline"}:
        return "dvimage info lists %s" % sorted(parts)
    for name, (_, size, listed) in parts.items():
        status, data, err = env.dvimage("extract", image, name)
        if status or len(data) != size:
            return "extract %s: status %d, %d bytes of %d: %s" % (name, status, len(data), size,
                                                                   err.strip())
        if digest(data) != listed:
            return "part %s: listed digest %016x, its bytes give %016x" % (name, listed,
                                                                            digest(data))
        if name in sources and data != read(sources[name]):
            return "part %s is not %s" % (name, sources[name])
    return None


def t_info(env):
    status, out, err = env.dvimage("info", os.path.join(env.build, "duvisor.bin"))
    out = out.decode()
    for pattern in (r"^\S+duvisor.bin: DuVisor-C image, \d+ bytes, 7 parts",
                    r'^VM config "config": 4 vCPU\(s\), 128 MiB of RAM at 0x80000000, '
                    r'guest in part "guest"$',
                    r"^  devices: 16550 UART, PLIC, virtio blk net console rng$",
                    r'^part "cmdline" \(added to the guest\'s bootargs\): ""$'):
        if status or not re.search(pattern, out, re.MULTILINE):
            return "status %d, %r not in:\n%s%s" % (status, pattern, out, err)
    return None


def t_verify(env):
    status, out, err = env.dvimage("verify", env.all_parts())
    if status or b"8 parts, every digest matches" not in out:
        return "status %d: %s%s" % (status, out.decode(), err)
    return None


def t_bad_files(env):
    """A truncated, damaged or foreign file: a non-zero status and a message saying which."""
    good = read(env.all_parts())
    table = env.table_offset(env.all_parts())
    cases = {
        "truncated.bin": (good[:len(good) - 4096], "truncated"),
        "half.bin": (good[:table], "not a DuVisor-C image"),
        "longer.bin": (good + b"\0" * 8, "after the image's end"),
        "foreign.bin": (read(os.path.join(env.build, "linux", "Image")), "not a DuVisor-C image"),
        "empty.bin": (b"", "not a DuVisor-C image"),
    }
    for name, (data, message) in cases.items():
        write(env.path(name), data)
        for command in ("info", "verify"):
            status, _, err = env.dvimage(command, env.path(name))
            if status == 0 or message not in err:
                return "%s %s: status %d, %r not in %r" % (command, name, status, message, err)
    status, _, err = env.dvimage("verify", env.path("missing.bin"))
    if status == 0 or "missing.bin" not in err:
        return "verify of a missing file: status %d, %r" % (status, err)
    return None


def t_replace(env):
    image = env.all_parts()
    guest = os.path.join(env.build, "guest", "virtio_blk.bin")
    other = os.path.join(env.build, "guest", "sbi_base.bin")
    status, _, err = env.dvimage("replace", image, "guest=" + guest, "-o", env.path("same.bin"))
    if status or read(env.path("same.bin")) != read(image):
        return "replacing a part with the same bytes changed the image: %s" % err
    status, _, err = env.dvimage("replace", image, "guest=" + other, "-o", env.path("other.bin"))
    if status:
        return "replace guest: %s" % err
    status, data, err = env.dvimage("extract", env.path("other.bin"), "guest")
    if status or data != read(other):
        return "the replaced guest is not the new file: %s" % err
    # In place, and the image then boots the new guest.
    shutil.copy(image, env.path("inplace.bin"))
    status, _, err = env.dvimage("replace", env.path("inplace.bin"), "guest=" + other)
    if status or read(env.path("inplace.bin")) != read(env.path("other.bin")):
        return "replace in place: %s" % err
    status, out, failed = env.machine(env.path("inplace.bin"), env.path("inplace.log"))
    if failed or not re.search(r"^PASS: sbi_base$", out, re.MULTILINE):
        return "the image with the replaced guest did not run it: %s" % (failed or "no PASS")
    return None


def t_replace_refused(env):
    """A bad VM config, an unknown part, a damaged kept part: refused, nothing written."""
    image = env.all_parts()
    bad_dts = env.path("bad-config.dts")
    with open(bad_dts, "w") as f:
        f.write('/dts-v1/;\n/ { compatible = "duvisor,vm-config"; vm { memory-base = <0x0 '
                '0x80000000>; memory-size = <0x0 0x1000000>; vcpus = <9>; guest = "guest"; '
                'bootargs = ""; }; };\n')
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", env.path("bad-config.dtb"),
                    bad_dts], check=True)
    write(env.path("not-a-dtb.bin"), b"vcpus = 2\n")
    damaged = env.flipped(image, env.parts(image)["guest"][0] + 100, "damaged-guest.bin")
    cases = [
        ((image, "config=" + env.path("bad-config.dtb")), "vcpus"),
        ((image, "config=" + env.path("not-a-dtb.bin")), "config"),
        ((image, "kernel=" + env.path("cmdline.txt")), 'no part "kernel"'),
        ((damaged, "cmdline=" + env.path("cmdline.txt")), 'part "guest" is damaged'),
    ]
    for args, message in cases:
        out = env.path("refused.bin")
        status, _, err = env.dvimage("replace", *args, "-o", out)
        if status == 0 or message not in err or os.path.exists(out):
            return "replace %s: status %d, %r not in %r (or %s written)" % (
                args[1], status, message, err, out)
    return None


def forged(env, image, part, old, new, name):
    """A copy of image with `old` replaced by `new` (as long) in `part`, whose digest and the
    table's are recomputed: what a tool without dvimage's checks could write."""
    data = bytearray(read(image))
    t = env.table_offset(image)
    count = struct.unpack_from("<Q", data, t + 16)[0]
    for e in range(t + 40, t + 40 + 40 * count, 40):
        if data[e:e + 16].rstrip(b"\0") == part.encode():
            offset, size = struct.unpack_from("<QQ", data, e + 16)
            data[offset:offset + size] = data[offset:offset + size].replace(old, new)
            struct.pack_into("<Q", data, e + 32, digest(bytes(data[offset:offset + size])))
    struct.pack_into("<Q", data, t + 8, digest(bytes(data[t + 16:t + 16 + 464])))
    write(env.path(name), data)
    return env.path(name)


def t_bad_backend(env):
    """A backend other than dv-sw and dv-hw: dvimage refuses the config, and an image forged
    past that check is refused by the minikernel before any VM starts."""
    configs = {}
    for backend in ("dv-sw", "dv-xx"):
        dts = env.path("backend-%s.dts" % backend)
        with open(dts, "w") as f:
            f.write('/dts-v1/;\n/ { compatible = "duvisor,vm-config"; vm { memory-base = <0x0 '
                    '0x80000000>; memory-size = <0x0 0x2003000>; guest = "guest"; backend = '
                    '"%s"; grant-host-uart; }; };\n' % backend)
        configs[backend] = env.path("backend-%s.dtb" % backend)
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", configs[backend], dts],
                       check=True)
    images = {}
    for backend, config in configs.items():
        images[backend] = env.path("backend-%s.bin" % backend)
        status, out, err = env.dvimage(
            "create", "-o", images[backend], "-f", OPENSBI, "-k",
            os.path.join(env.build, "minikernel.elf"),
            "-b", "runtime=" + os.path.join(env.build, "runtime.elf"), "-b", "config=" + config,
            "-b", "guest=" + os.path.join(env.build, "guest", "sbi_base.bin"))
        said = 'backend must be "dv-sw" or "dv-hw"' in out.decode()
        if (status != 0) != (backend == "dv-xx") or said != (backend == "dv-xx"):
            return "dvimage create with backend %s: status %d, %r%r" % (backend, status, out, err)
    bad = forged(env, images["dv-sw"], "config", b"dv-sw", b"dv-xx", "backend-forged.bin")
    status, out, failed = env.machine(bad, env.path("backend-forged.log"))
    message = r'^mk: vm0: cannot create: backend must be "dv-sw" or "dv-hw"; no VM is started$'
    if failed or not re.search(message, out, re.MULTILINE) or "runtime up" in out:
        return "the forged image: %s" % (failed or "%r not found, or a VM started" % message)
    return None


# ---- integrity at boot ----

def t_boot_good(env):
    status, out, failed = env.machine(env.all_parts(), env.path("all.log"))
    for pattern in (r"^mk: image verified: 6 parts, \d+ bytes in \d+ cycles$",
                    r"^PASS: virtio_blk$"):
        if failed or not re.search(pattern, out, re.MULTILINE):
            return "the undamaged image: %s" % (failed or "%r not found" % pattern)
    return None


def damaged_part(name):
    def test(env):
        image = env.all_parts()
        offset, size, _ = env.parts(image)[name]
        bad = env.flipped(image, offset + size // 2, "flip-%s.bin" % name)
        status, _, err = env.dvimage("verify", bad)
        if status == 0 or 'part "%s" is damaged' % name not in err:
            return "dvimage verify: status %d, %r" % (status, err)
        if name in RUNNING:
            return None
        status, out, failed = env.machine(bad, env.path("flip-%s.log" % name))
        message = r'^mk: fatal: image damaged: part "%s" \(%d bytes at offset 0x%x\) does ' \
                  r"not match its digest; nothing is started$" % (name, size, offset)
        if failed or not re.search(message, out, re.MULTILINE) or "runtime up" in out:
            return "boot: %s" % (failed or "%r not found (or the runtime started)" % message)
        return None
    test.__doc__ = "A one-bit flip in part %s is caught." % name
    return test


def t_damaged_table(env):
    image = env.all_parts()
    bad = env.flipped(image, env.table_offset(image) + 40, "flip-table.bin")
    status, _, err = env.dvimage("verify", bad)
    if status == 0 or "part table" not in err:
        return "dvimage verify: status %d, %r" % (status, err)
    status, out, failed = env.machine(bad, env.path("flip-table.log"))
    if failed or not re.search(r"^mk: fatal: image damaged: the part table does not match its "
                               r"digest; nothing is started$", out, re.MULTILINE):
        return "boot: %s" % (failed or "no message naming the part table")
    return None


# ---- reproducible images ----

def t_reproducible(env):
    """The image built again in a copy of the tree at another path is the same bytes; the
    kernel's build stamp is the fixed one and the initramfs is the same when made again."""
    copy = env.path("tree")
    listed = subprocess.run(["git", "-C", TOP, "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], stdout=subprocess.PIPE, check=True)
    for rel in filter(None, listed.stdout.decode().split("\0")):
        if os.path.isfile(os.path.join(TOP, rel)):
            os.makedirs(os.path.dirname(os.path.join(copy, rel)), exist_ok=True)
            shutil.copy2(os.path.join(TOP, rel), os.path.join(copy, rel))
    # What the copy would fetch from Debian packages is taken as it is (libfdt's sources).
    shutil.copytree(os.path.join(env.build, "libfdt"), os.path.join(copy, "build", "libfdt"),
                    copy_function=shutil.copy2, ignore=shutil.ignore_patterns("*.o", "*.a"))
    shutil.copy2(os.path.join(env.build, ".deps-ok"), os.path.join(copy, "build", ".deps-ok"))
    linux = os.path.abspath(os.path.join(env.build, "linux"))
    done = subprocess.run(["make", "--no-print-directory", "-C", copy, "-j2",
                           "GUEST=" + os.path.join(linux, "Image"),
                           "INITRD=" + os.path.join(linux, "initramfs.cpio"), "build/duvisor.bin",
                           "firesim"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        return "the build in %s failed:\n%s" % (copy, done.stdout.decode()[-2000:])
    ours, theirs = read(os.path.join(env.build, "duvisor.bin")), \
        read(os.path.join(copy, "build", "duvisor.bin"))
    if ours != theirs:
        at = next(i for i in range(min(len(ours), len(theirs))) if ours[i] != theirs[i])
        return "the images differ (sizes %d and %d, first at 0x%x)" % (len(ours), len(theirs), at)
    for rel in ("firesim/duvisor.elf", "firesim/duvisor.json"):
        if read(os.path.join(env.build, rel)) != read(os.path.join(copy, "build", rel)):
            return "build/%s differs between the two trees" % rel
    image = read(os.path.join(linux, "Image"))
    if b"(duvisor@build)" not in image or b"SMP Thu Jan  1 00:00:00 UTC 1970" not in image:
        return "the guest kernel's build stamp is not the fixed one"
    again = subprocess.run([os.path.join(linux, "gen_init_cpio"), "-t", "0",
                            os.path.join(linux, "initramfs.list")], stdout=subprocess.PIPE,
                           check=True).stdout
    if again != read(os.path.join(linux, "initramfs.cpio")):
        return "the initramfs made again differs"
    shutil.rmtree(copy)
    return None


# ---- what a newcomer trips on ----

def t_follows_args(env):
    """`make` gives the image the command line asks for, in both directions, whatever the files'
    times, and leaves it alone when nothing changed."""
    image = env.path("follow.bin")
    a, b, initrd = env.path("a.bin"), env.path("b.bin"), env.path("initrd.bin")
    shutil.copy(os.path.join(env.build, "guest", "sbi_base.bin"), a)
    shutil.copy(os.path.join(env.build, "guest", "uart.bin"), b)
    write(initrd, b"initrd of the follow test")
    os.utime(b, (978307200, 978307200))  # 2001: older than any image
    test_vm, smp_vm = "VMCONFIG=firmware/vm/test.dts", "VMCONFIG=firmware/vm/test-smp.dts"
    steps = [  # (make arguments, part, expected bytes or None for "no such part", info pattern)
        ((test_vm, "GUEST=" + a), "guest", read(a), r"1 vCPU\(s\)"),
        ((test_vm, "GUEST=" + b), "guest", read(b), None),
        ((test_vm, "GUEST=" + a), "guest", read(a), None),
        ((test_vm, "GUEST=" + a, "INITRD=" + initrd), "initrd", read(initrd), None),
        ((test_vm, "GUEST=" + a), "initrd", None, None),
        ((test_vm, "GUEST=" + a, "GUEST_APPEND=dv.one two"), "cmdline", b"dv.one two", None),
        ((test_vm, "GUEST=" + a), "cmdline", b"", None),
        ((smp_vm, "GUEST=" + a), "guest", read(a), r"4 vCPU\(s\)"),
        ((test_vm, "GUEST=" + a), "guest", read(a), r"1 vCPU\(s\)"),
    ]
    for args, part, expected, info in steps:
        status, out = make("IMAGE=" + image, *args)
        if status:
            return "make %s failed:\n%s" % (" ".join(args), out[-1500:])
        status, data, _ = env.dvimage("extract", image, part)
        if (expected is None and status == 0) or (expected is not None and data != expected):
            return "after make %s the part %s is not what was asked for" % (" ".join(args), part)
        if info and not re.search(info, env.dvimage("info", image)[1].decode()):
            return "after make %s the VM config is not %s" % (" ".join(args), args[0])
    before = os.stat(image).st_mtime_ns
    status, out = make("IMAGE=" + image, test_vm, "GUEST=" + a)
    if status or os.stat(image).st_mtime_ns != before or "IMAGE" in out:
        return "make with unchanged arguments rewrote the image:\n%s" % out
    return None


def readme_command(build):
    """The README's "boots anywhere" command, as written there, on this build's image."""
    with open(os.path.join(TOP, "README.md")) as f:
        m = re.search(r"`(qemu-system-riscv64 -M virt [^`]*-bios build/duvisor\.bin)`", f.read())
    if not m:
        return None
    return m.group(1).replace("build/duvisor.bin", os.path.join(build, "duvisor.bin")).split()


def t_readme(env):
    """The README's command boots the default image to the guest's shell, which powers off;
    on one hart it is refused with what the VM asks for and what the machine has."""
    cmd = readme_command(env.build)
    if cmd is None:
        return "no `qemu-system-riscv64 -M virt ... -bios build/duvisor.bin` command in README.md"
    script = ["expect:^dv# ", "send:poweroff\\r", "expect:^vm0: ended: poweroff"]
    status, out, failed = env.machine(cmd, env.path("readme.log"), script)
    if failed or status != 0:
        return "README command %s: %s" % (" ".join(cmd), failed or "QEMU status %s" % status)
    smp1 = [w for i, w in enumerate(cmd) if "-smp" not in (w, cmd[i - 1])] + ["-smp", "1"]
    status, out, failed = env.machine(smp1, env.path("readme-smp1.log"))
    message = r"^mk: vm0 asks for 4 harts \(one per vCPU, 1 to 8\), 1 left of the 1 with H$"
    if failed or not re.search(message, out, re.MULTILINE):
        return "on one hart: %s" % (failed or "%r not found" % message)
    return None


def t_make_run_two(env):
    """`make run VMCONFIG=firmware/vm/two-linux.dts` (docs/vms.md) boots both Linux VMs to
    their shells on the machine make derives from the config, and each answers typed
    commands through the console switch."""
    cmd = ["make", "--no-print-directory", "-s", "-C", TOP, "run",
           "VMCONFIG=firmware/vm/two-linux.dts", "IMAGE=" + env.path("two-linux.bin")]
    script = ["expect:^\\[vm0\\] dv# ", "send:echo typed-to-vm0\\r",
              "expect:^\\[vm0\\] (dv# )?typed-to-vm0", "send:\\x1d1",
              "expect:^mk: console input to vm1", "send:\\r", "expect:^\\[vm1\\] dv# ",
              "send:echo typed-to-vm1\\r", "expect:^\\[vm1\\] (dv# )?typed-to-vm1",
              "send:poweroff\\r", "expect:^mk: vm1: ended; the other VMs run on",
              "send:\\x1d0", "expect:^mk: console input to vm0", "send:poweroff\\r",
              "expect:^mk: no VM left running"]
    status, out, failed = env.machine(cmd, env.path("make-run-two.log"), script)
    if failed or status != 0:
        return "make run VMCONFIG=firmware/vm/two-linux.dts: %s" % (
            failed or "status %s" % status)
    for vm in ("vm0", "vm1"):
        if not re.search(r"^\[%s\] DuVisor-C guest init: Linux \S+ on 2 vCPU\(s\)" % vm, out,
                         re.MULTILINE):
            return "%s did not boot Linux on 2 vCPUs" % vm
    return None


# ---- the FireSim payload (docs/firesim.md) ----

def elf_load_segments(data):
    """(entry, [(type, offset, vaddr, paddr, filesz, memsz)] of every program header) of a
    little-endian ELF64 RISC-V executable, or a string saying what it is not."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return "not a little-endian ELF64 file"
    e_type, e_machine, _, e_entry, e_phoff = struct.unpack_from("<HHIQQ", data, 16)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    if e_type != 2 or e_machine != 243:
        return "ELF type %d machine %d, not an executable for RISC-V (2, 243)" % (e_type, e_machine)
    phdrs = []
    for i in range(e_phnum):
        p_type, _, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz = struct.unpack_from(
            "<IIQQQQQ", data, e_phoff + i * e_phentsize)
        phdrs.append((p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz))
    return e_entry, phdrs


def firesim_elf(env):
    path = os.path.join(env.build, "firesim", "duvisor.elf")
    if not os.path.isfile(path):
        raise AssertionError("%s missing (make firesim)" % path)
    return path


def t_firesim_files(env):
    """build/firesim/duvisor.elf is the image, byte for byte, as one PT_LOAD at the DRAM base
    with its entry there; duvisor.json is a FireMarshal bare workload naming that ELF."""
    data = read(firesim_elf(env))
    image = read(os.path.join(env.build, "duvisor.bin"))
    parsed = elf_load_segments(data)
    if isinstance(parsed, str):
        return parsed
    entry, phdrs = parsed
    if entry != DRAM_BASE:
        return "entry point 0x%x, not 0x%x" % (entry, DRAM_BASE)
    if len(phdrs) != 1 or phdrs[0][0] != PT_LOAD:
        return "program headers %s, not one PT_LOAD" % phdrs
    _, offset, vaddr, paddr, filesz, memsz = phdrs[0]
    if vaddr != DRAM_BASE or paddr != DRAM_BASE:
        return "PT_LOAD at virtual 0x%x, physical 0x%x, not 0x%x" % (vaddr, paddr, DRAM_BASE)
    if filesz != len(image) or memsz != len(image):
        return "PT_LOAD of %d bytes (%d in memory), the image has %d" % (filesz, memsz, len(image))
    if data[offset:offset + filesz] != image:
        return "the PT_LOAD's bytes are not build/duvisor.bin"
    with open(os.path.join(env.build, "firesim", "duvisor.json")) as f:
        workload = json.load(f)
    # FireMarshal resolves "bin" against "workdir", itself relative to the JSON's directory.
    named = os.path.join(env.build, "firesim", workload.get("workdir", workload.get("name", "")),
                         workload.get("bin", ""))
    if workload.get("base") != "bare-base.json" or not os.path.isfile(named) or \
            not os.path.samefile(named, firesim_elf(env)):
        return "duvisor.json is not a bare workload naming duvisor.elf: %r" % workload
    return None


def t_firesim_virt(env):
    """The ELF as QEMU virt's -bios (the README's command otherwise) boots the default VM to
    the guest's shell, which powers off."""
    cmd = readme_command(env.build)
    if cmd is None:
        return "no `qemu-system-riscv64 -M virt ... -bios build/duvisor.bin` command in README.md"
    cmd[cmd.index("-bios") + 1] = firesim_elf(env)
    status, _, failed = env.machine(cmd, env.path("firesim-virt.log"), SHELL_SCRIPT)
    if failed or status != 0:
        return "%s: %s" % (" ".join(cmd), failed or "QEMU status %s" % status)
    return None


def t_firesim_marshal_launch(env):
    """The ELF the way `marshal launch` runs a bare workload in QEMU (FireMarshal's
    wlutil/launch.py at 514fab6: -bios none, -kernel the "bin", 4 harts, 16 GiB, a virtio
    entropy and network device) with the workload's qemu-args: the guest's shell, powered off."""
    with open(os.path.join(env.build, "firesim", "duvisor.json")) as f:
        extra = json.load(f).get("qemu-args", "").split()
    cmd = ["qemu-system-riscv64", "-nographic", "-bios", "none", "-smp", "4", "-machine", "virt",
           "-m", "16384", "-kernel", firesim_elf(env),
           "-object", "rng-random,filename=/dev/urandom,id=rng0",
           "-device", "virtio-rng-device,rng=rng0",
           "-device", "virtio-net-device,netdev=usernet", "-netdev", "user,id=usernet"] + extra
    status, _, failed = env.machine(cmd, env.path("firesim-marshal.log"), SHELL_SCRIPT)
    if failed or status != 0:
        return "%s: %s" % (" ".join(cmd), failed or "QEMU status %s" % status)
    return None


def t_firesim_sifive_u(env):
    """The ELF on QEMU's sifive_u (a SiFive UART, no 16550, no virtio; hart 0 an E51 without
    H): the default VM's 4 vCPUs on harts 1-4, to the guest's shell, which powers off. The
    firmware there cannot power the machine off: QEMU is ended at the minikernel's last line."""
    cmd = ["qemu-system-riscv64", "-M", "sifive_u", "-cpu", "rv64,h=true", "-smp", "5", "-m",
           "2G", "-nographic", "-bios", firesim_elf(env)]
    status, _, failed = env.machine(cmd, env.path("firesim-sifive_u.log"),
                                    SHELL_SCRIPT + ["end:" + SIFIVE_U_HALT])
    if failed or status != 0:
        return "%s: %s" % (" ".join(cmd), failed or "QEMU status %s" % status)
    return None


def tests():
    """(name, function) of every image test, in the order they run."""
    named = [("digest", t_digest), ("info", t_info), ("verify", t_verify),
             ("bad-files", t_bad_files), ("replace", t_replace),
             ("replace-refused", t_replace_refused), ("bad-backend", t_bad_backend),
             ("boot-undamaged", t_boot_good)]
    named += [("damaged-" + p, damaged_part(p)) for p in RUNNING + LOADED]
    named += [("damaged-table", t_damaged_table), ("reproducible", t_reproducible),
              ("follows-make-arguments", t_follows_args), ("readme-command", t_readme),
              ("make-run-two-linux", t_make_run_two),
              ("firesim-files", t_firesim_files), ("firesim-virt", t_firesim_virt),
              ("firesim-marshal-launch", t_firesim_marshal_launch),
              ("firesim-sifive_u", t_firesim_sifive_u)]
    return [("image:" + n, f) for n, f in named]
