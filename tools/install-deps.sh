#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Installs the Debian 12 packages the build and the tests need, only those missing.
set -e
PKGS="make gcc libc6-dev python3 xz-utils gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
opensbi qemu-system-misc device-tree-compiler linux-source-6.1
bc flex bison cpio e2fsprogs gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
