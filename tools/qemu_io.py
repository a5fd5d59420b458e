#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The QEMU virt command-line words a VM config asks of the host (docs/vms.md).

`make run` and tests/run.py build the machine from the config, so every VM finds the host
devices its `grant-host-virtio` names: a disk, a user network, an entropy source and a
virtio-console port on a socket of its own. The minikernel grants each VM, in config order,
the first device of each class not granted yet in address order; QEMU puts command-line
devices at the lowest free virtio-mmio address first, so each VM's devices are emitted in
that same order and VM k gets the disk and socket named after it.

Usage: qemu_io.py CONFIG.dtb DIR [--smp N] [--disk-mib M]
prints `-smp <total vCPUs>` (or N) and the device words; disks missing in DIR are made.
"""
import argparse
import os
import shutil
import subprocess
import sys

VIRT_TRANSPORTS = 8  # QEMU virt's virtio-mmio slots
EVERY_CLASS = ("blk", "net", "rng", "console")  # a plain `grant-host-virtio;`
CLASSES = set(EVERY_CLASS)


def fdtget(dtb, opts, *where):
    """fdtget's output for a node (and property), or None when it is missing."""
    r = subprocess.run(["fdtget"] + opts + [dtb] + list(where), capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def vms(dtb):
    """[(name, node path, vCPUs, [virtio classes granted])] in config order."""
    out = []
    for node in fdtget(dtb, ["-l"], "/").split():
        if node != "vm" and not node.startswith("vm@"):
            continue
        path = "/" + node
        name = node[3:] if node.startswith("vm@") else "vm0"
        vcpus = fdtget(dtb, ["-t", "u"], path, "vcpus")
        grant = fdtget(dtb, ["-t", "s"], path, "grant-host-virtio")
        classes = [] if grant is None else (grant.split() or list(EVERY_CLASS))
        out.append((name, path, int(vcpus) if vcpus else 1, classes))
    return out


def make_disk(path, mib):
    """An empty ext2 file system of `mib` MiB, kept across runs once made."""
    with open(path, "wb") as f:
        f.truncate(mib << 20)
    mke2fs = shutil.which("mke2fs") or "/sbin/mke2fs"
    subprocess.run([mke2fs, "-q", "-t", "ext2", "-F", path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def devices(dtb, state_dir, disk_mib=64, disk_step=0):
    """(QEMU words, {VM name: its virtio-console socket}, total vCPUs) for the config.

    A disk made for VM k has disk_mib + k * disk_step MiB (the tests tell disks apart so).
    """
    config = vms(dtb)
    words, sockets = [], {}
    several = len(config) > 1
    count = sum(len(c[3]) for c in config)
    if count > VIRT_TRANSPORTS:
        raise ValueError("the config grants %d host virtio devices; QEMU virt has %d slots"
                         % (count, VIRT_TRANSPORTS))
    if count:
        words += ["-global", "virtio-mmio.force-legacy=false"]
        os.makedirs(state_dir, exist_ok=True)
    for k, (name, _, _, classes) in enumerate(config):
        tag = "-" + name if several else ""
        for i, cls in enumerate(classes):
            dev = "%s%d_%d" % (cls, k, i)
            nth = classes[:i].count(cls)  # a second disk or socket of one VM gets a number
            tag_n = tag + ("-%d" % nth if nth else "")
            if cls not in CLASSES:
                raise ValueError("%s: grant-host-virtio names %r, not one of %s"
                                 % (name, cls, ", ".join(EVERY_CLASS)))
            if cls == "blk":
                disk = os.path.join(state_dir, "disk%s.img" % tag_n)
                if not os.path.exists(disk):
                    make_disk(disk, disk_mib + k * disk_step)
                words += ["-drive", "file=%s,if=none,format=raw,id=%s" % (disk, dev),
                          "-device", "virtio-blk-device,drive=%s" % dev]
            elif cls == "net":
                words += ["-netdev", "user,id=%s" % dev,
                          "-device", "virtio-net-device,netdev=%s" % dev]
            elif cls == "rng":
                words += ["-device", "virtio-rng-device"]
            else:
                sock = os.path.join(state_dir, "console%s.sock" % tag_n)
                sockets.setdefault(name, sock)
                words += ["-chardev", "socket,id=%s,path=%s,server=on,wait=off" % (dev, sock),
                          "-device", "virtio-serial-device,id=%ss" % dev,
                          "-device", "virtconsole,chardev=%s,bus=%ss.0" % (dev, dev)]
    return words, sockets, sum(c[2] for c in config)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("config")
    ap.add_argument("dir")
    ap.add_argument("--smp", type=int)
    ap.add_argument("--disk-mib", type=int, default=64)
    a = ap.parse_args()
    try:
        words, _, vcpus = devices(a.config, a.dir, a.disk_mib)
    except ValueError as e:
        sys.exit("qemu_io: %s: %s" % (a.config, e))
    print(" ".join(["-smp", str(a.smp or vcpus)] + words))


if __name__ == "__main__":
    main()
