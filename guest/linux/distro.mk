# SPDX-License-Identifier: BSD-2-Clause
# make test-distro: the unmodified riscv defconfig kernel from the same linux-source-6.1, booted
# with the project's initramfs in the default VM (included by the top Makefile).

DISTRO_DIR := $(BUILD)/distro
DISTRO_OBJ := $(DISTRO_DIR)/obj

$(DISTRO_OBJ)/.config: $(LINUX_SRC_OK)
	@echo "  DISTRO configuring Linux with the riscv defconfig, unmodified"
	@mkdir -p $(DISTRO_OBJ)
	+$(call linux_kmake,$(DISTRO_OBJ)) -s defconfig

$(DISTRO_DIR)/Image: $(DISTRO_OBJ)/.config guest/linux/linux.mk
	@echo "  DISTRO building Linux (one time, most of an hour on 2 cores; cached in $(DISTRO_DIR))"
	+$(call linux_kmake,$(DISTRO_OBJ)) -j$(shell nproc) Image
	cp $(DISTRO_OBJ)/arch/riscv/boot/Image $@

$(BUILD)/img/linux-distro.bin: $(IMG_DEPS) $(BUILD)/vm/linux.dtb $(DISTRO_DIR)/Image \
		$(BUILD)/linux/initramfs.cpio
	@mkdir -p $(dir $@)
	printf '' > $(BUILD)/img/linux-distro.cmdline
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/linux.dtb \
		-b guest=$(DISTRO_DIR)/Image -b initrd=$(BUILD)/linux/initramfs.cpio \
		-b cmdline=$(BUILD)/img/linux-distro.cmdline

test-distro: $(BUILD)/img/linux-distro.bin
	python3 tests/run.py --build $(BUILD) --table distro.tsv
