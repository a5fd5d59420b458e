# SPDX-License-Identifier: BSD-2-Clause
# Build rules of the Linux guest: kernel Image, static init and initramfs (included by the top Makefile).

LINUX_CROSS    ?= riscv64-linux-gnu-
KSRC_TAR       ?= /usr/src/linux-source-6.1.tar.xz
HOSTCC         ?= gcc

LINUX_DIR      := $(BUILD)/linux
LINUX_SRC      := $(LINUX_DIR)/src
LINUX_OBJ      := $(LINUX_DIR)/obj
LINUX_FRAGMENT := guest/linux/config.fragment
LINUX_SRC_OK   := $(LINUX_SRC)/.extracted
# The kernel's make gets neither our command-line variables nor our jobserver, only its own -j;
# the build stamp is fixed so that two builds give the same Image (reproducible images).
linux_kmake     = MAKEFLAGS= $(MAKE) -C $(LINUX_SRC) O=$(abspath $(1)) ARCH=riscv \
	CROSS_COMPILE=$(LINUX_CROSS) KBUILD_BUILD_TIMESTAMP="$(LINUX_STAMP)" \
	KBUILD_BUILD_USER=duvisor KBUILD_BUILD_HOST=build KBUILD_BUILD_VERSION=1
LINUX_KMAKE     = $(call linux_kmake,$(LINUX_OBJ))
LINUX_STAMP    := Thu Jan  1 00:00:00 UTC 1970

# Only the top Makefile knows how to install the build dependencies.
LINUX_DEPS     := $(if $(DEPS_OK),| $(DEPS_OK))

$(LINUX_SRC_OK): $(LINUX_DEPS)
	@echo "  LINUX extracting sources (one time, ~1 min)"
	@rm -rf $(LINUX_SRC)
	@mkdir -p $(LINUX_SRC)
	tar -xJf $(KSRC_TAR) -C $(LINUX_SRC) --strip-components=1
	@touch $@

# allnoconfig silently drops options whose dependencies are missing, so every line of the
# fragment is checked against the result; a failed check leaves no .config behind. kconfig keeps
# an unchanged .config as it was, hence the touch.
$(LINUX_OBJ)/.config: $(LINUX_FRAGMENT) $(LINUX_SRC_OK)
	@echo "  LINUX configuring from $(LINUX_FRAGMENT)"
	@mkdir -p $(LINUX_OBJ)
	+$(LINUX_KMAKE) -s KCONFIG_ALLCONFIG=$(abspath $(LINUX_FRAGMENT)) allnoconfig
	@dropped=$$(grep '^CONFIG_' $(LINUX_FRAGMENT) | grep -vxF -f $@); \
	forced=$$(sed -n 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$$/^\1=/p' $(LINUX_FRAGMENT) | \
		grep -f - $@); \
	[ -z "$$dropped$$forced" ] || { \
		[ -z "$$dropped" ] || printf 'linux.mk: kconfig dropped %s\n' $$dropped >&2; \
		[ -z "$$forced" ] || printf 'linux.mk: kconfig turned on %s\n' $$forced >&2; \
		rm -f $@; exit 1; }
	@echo "  LINUX config check ok"
	@touch $@

$(LINUX_DIR)/Image: $(LINUX_OBJ)/.config guest/linux/linux.mk
	+$(LINUX_KMAKE) -j$(shell nproc) Image
	cp $(LINUX_OBJ)/arch/riscv/boot/Image $@

LINUX_INIT_SRCS := guest/linux/init.c guest/linux/io.c guest/linux/bench_io.c guest/linux/perf.c \
	guest/linux/clock.c

$(LINUX_DIR)/init: $(LINUX_INIT_SRCS) $(wildcard guest/linux/*.h) $(LINUX_DEPS)
	@mkdir -p $(@D)
	$(LINUX_CROSS)gcc -static -O2 -Wall -Wextra -Werror -s -Iguest/linux $(LINUX_INIT_SRCS) -o $@

# Built from the kernel tree on its own so the initramfs does not wait for (or follow) the kernel.
$(LINUX_DIR)/gen_init_cpio: $(LINUX_SRC_OK)
	$(HOSTCC) -O2 $(LINUX_SRC)/usr/gen_init_cpio.c -o $@

# The archive holds a copy of init dated like everything else in it (gen_init_cpio takes a
# file's own mtime), so that two builds give the same bytes.
$(LINUX_DIR)/initramfs.list: guest/linux/initramfs.list guest/linux/linux.mk
	@mkdir -p $(@D)
	sed 's|@INIT@|$(abspath $(LINUX_DIR)/cpio/init)|' $< > $@

$(LINUX_DIR)/initramfs.cpio: $(LINUX_DIR)/initramfs.list $(LINUX_DIR)/init $(LINUX_DIR)/gen_init_cpio
	@mkdir -p $(LINUX_DIR)/cpio
	cp $(LINUX_DIR)/init $(LINUX_DIR)/cpio/init
	touch -d @0 $(LINUX_DIR)/cpio/init
	$(LINUX_DIR)/gen_init_cpio -t 0 $< > $@.tmp
	mv $@.tmp $@
