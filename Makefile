# SPDX-License-Identifier: BSD-2-Clause
# DuVisor-C: `make` builds build/duvisor.bin; run, test, bench and tcb are described in README.md.

BUILD    ?= build
CROSS    ?= riscv64-unknown-elf-
CC_RV    := $(CROSS)gcc
OBJCOPY  := $(CROSS)objcopy
HOSTCC   ?= gcc
QEMU     ?= qemu-system-riscv64
OPENSBI  ?= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
KSRC_TAR ?= /usr/src/linux-source-6.1.tar.xz

# The board `make run` boots (docs/platforms.md): virt (QEMU virt with its virtio devices) or
# sifive_u (a HiFive Unleashed: 2 vCPUs on harts 1-2, the guest's disk embedded in the image).
BOARD    ?= virt
ifeq ($(BOARD),sifive_u)
VMCONFIG ?= firmware/vm/linux-sifive_u.dts
IMAGE    ?= $(BUILD)/duvisor-sifive_u.bin
IMAGE_DISK ?= $(BUILD)/disk/pattern.img
endif
# The default image boots the Linux guest; `make GUEST=path/to/Image` boots your own payload
# (with no initrd unless INITRD= names one). GUEST_APPEND="..." is added to the guest's bootargs.
# IMAGE_DISK= embeds a disk image (the blob "disk", for a VM config's embedded-disk).
VMCONFIG ?= firmware/vm/linux.dts
GUEST    ?= $(BUILD)/linux/Image
INITRD   ?= $(if $(filter $(BUILD)/linux/Image,$(GUEST)),$(BUILD)/linux/initramfs.cpio)
GUEST_APPEND ?=
IMAGE    ?= $(BUILD)/duvisor.bin
CPU      ?= rv64,h=true
# The machine follows from the VM config (tools/qemu_io.py): -smp is the VMs' vCPUs (SMP=
# overrides it), and each VM gets the host devices its grant-host-virtio names: a disk kept
# across runs (build/disk.img; with several VMs build/disk-<vm>.img), user networking, an
# entropy source and a console port on a socket (`socat - UNIX-CONNECT:build/console.sock`;
# build/console-<vm>.sock). Modern virtio-mmio: the minikernel drives it.
SMP      ?=
DISK_MIB ?= 64
QEMU_RUN = $(QEMU) -M virt -cpu $(CPU) -m 512M -nographic \
	$$(python3 tools/qemu_io.py $(IMAGE).config $(BUILD) --disk-mib $(DISK_MIB) $(if $(SMP),--smp $(SMP)))
ifeq ($(BOARD),sifive_u)
QEMU_RUN := $(QEMU) -M sifive_u -cpu $(CPU) -m 1G -smp 3 -nographic
endif

DEPS_OK  := $(BUILD)/.deps-ok
LIBFDT   := $(BUILD)/libfdt
RV_ARCH  := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany -fno-pie
# No build path in any binary (reproducible images): sources are named from the tree's top,
# in the debug information of C and of assembly alike.
NO_PATHS  := -ffile-prefix-map=$(CURDIR)=. -Wa,--debug-prefix-map=$(CURDIR)=.
RV_CFLAGS := $(RV_ARCH) -O2 -g $(NO_PATHS) -Wall -Wextra -Werror -fno-common -ffunction-sections \
	-fdata-sections -fno-stack-protector --specs=picolibc.specs -Iinclude -I$(LIBFDT)/src
RV_LDFLAGS := $(RV_ARCH) --specs=picolibc.specs -nostartfiles -no-pie -Wl,--gc-sections \
	-Wl,--no-relax -Wl,--no-warn-rwx-segments

all: $(IMAGE)

$(DEPS_OK): tools/install-deps.sh
	@mkdir -p $(BUILD)
	tools/install-deps.sh
	@touch $@

# libfdt is compiled from the Linux source package at build time, never kept in the tree.
$(LIBFDT)/src/libfdt.h: | $(DEPS_OK)
	@echo "  EXTRACT libfdt from $(KSRC_TAR)"
	@mkdir -p $(LIBFDT)/src
	tar -xJf $(KSRC_TAR) -C $(LIBFDT)/src --strip-components=4 linux-source-6.1/scripts/dtc/libfdt
	@touch $@

LIBFDT_OBJS := $(addprefix $(LIBFDT)/,fdt.o fdt_ro.o fdt_rw.o fdt_sw.o fdt_wip.o fdt_addresses.o fdt_strerror.o)
$(LIBFDT)/%.o: $(LIBFDT)/src/libfdt.h
	$(CC_RV) $(RV_ARCH) -O2 --specs=picolibc.specs -ffunction-sections -fdata-sections \
		-I$(LIBFDT)/src -c $(LIBFDT)/src/$*.c -o $@
$(LIBFDT)/libfdt.a: $(LIBFDT_OBJS)
	$(CROSS)ar rcs $@ $^

# ---- minikernel (HS-mode, trusted) ----
MK_SRCS := $(wildcard minikernel/*.c minikernel/*.S)
MK_OBJS := $(patsubst %,$(BUILD)/%.o,$(MK_SRCS))
$(BUILD)/minikernel/%.o: minikernel/% $(wildcard minikernel/*.h include/*.h) $(LIBFDT)/src/libfdt.h
	@mkdir -p $(dir $@)
	$(CC_RV) $(RV_CFLAGS) -ffreestanding -Iminikernel -c $< -o $@
$(BUILD)/minikernel.elf: $(MK_OBJS) $(LIBFDT)/libfdt.a linker/minikernel.ld
	$(CC_RV) $(RV_LDFLAGS) -T linker/minikernel.ld $(MK_OBJS) $(LIBFDT)/libfdt.a -o $@

# The test images' minikernel: the DV-Ext model (tests/dvmodel/) in place of dvext.c, so that
# the dv-hw backend runs on stock QEMU. Not part of the product image nor of `make tcb`.
MODEL_OBJS := $(filter-out $(BUILD)/minikernel/dvext.c.o,$(MK_OBJS)) $(BUILD)/tests/dvmodel/model.c.o
$(BUILD)/tests/dvmodel/model.c.o: tests/dvmodel/model.c $(wildcard minikernel/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(CC_RV) $(RV_CFLAGS) -ffreestanding -Iminikernel -c $< -o $@
$(BUILD)/minikernel-model.elf: $(MODEL_OBJS) $(LIBFDT)/libfdt.a linker/minikernel.ld
	$(CC_RV) $(RV_LDFLAGS) -T linker/minikernel.ld $(MODEL_OBJS) $(LIBFDT)/libfdt.a -o $@

# ---- runtime (U-mode, picolibc) ----
RT_SRCS := $(filter-out vmm/main.c,$(wildcard vmm/*.c vmm/*.S vmm/sbi/*.c vmm/dev/*.c \
	vmm/virtio/*.c))
RT_OBJS := $(patsubst %,$(BUILD)/%.o,$(RT_SRCS))
RT_INC  := -Ivmm -Ivmm/dev -Ivmm/virtio
$(BUILD)/vmm/%.o: vmm/% $(wildcard vmm/*.h vmm/*/*.h include/*.h) $(LIBFDT)/src/libfdt.h
	@mkdir -p $(dir $@)
	$(CC_RV) $(RV_CFLAGS) $(RT_INC) -c $< -o $@
$(BUILD)/runtime.elf: $(RT_OBJS) $(BUILD)/vmm/main.c.o $(LIBFDT)/libfdt.a linker/runtime.ld
	$(CC_RV) $(RV_LDFLAGS) -T linker/runtime.ld $(RT_OBJS) $(BUILD)/vmm/main.c.o \
		$(LIBFDT)/libfdt.a -o $@

# A test build of the runtime that attacks the minikernel instead of running a guest.
ATTACK_OBJS := $(BUILD)/tests/attack.c.o $(BUILD)/tests/race.c.o
$(ATTACK_OBJS): $(BUILD)/tests/%.c.o: tests/attack/%.c tests/attack/attack.h tests/gpt_walk.h \
		$(wildcard vmm/*.h include/*.h) $(LIBFDT)/src/libfdt.h
	@mkdir -p $(dir $@)
	$(CC_RV) $(RV_CFLAGS) $(RT_INC) -Itests -c $< -o $@
$(BUILD)/attack.elf: $(RT_OBJS) $(ATTACK_OBJS) $(LIBFDT)/libfdt.a linker/runtime.ld
	$(CC_RV) $(RV_LDFLAGS) -T linker/runtime.ld $(RT_OBJS) $(ATTACK_OBJS) $(LIBFDT)/libfdt.a -o $@

# ---- VM configs, host tools, images ----
$(BUILD)/vm/%.dtb: firmware/vm/%.dts | $(DEPS_OK)
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb $< -o $@

# libfdt once more for the host, for dvimage's VM config checks.
HOST_LIBFDT_OBJS := $(patsubst $(LIBFDT)/%,$(BUILD)/host/libfdt/%,$(LIBFDT_OBJS))
$(BUILD)/host/libfdt/%.o: $(LIBFDT)/src/libfdt.h
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -I$(LIBFDT)/src -c $(LIBFDT)/src/$*.c -o $@
HOST_LIBFDT := $(BUILD)/host/libfdt.a
$(HOST_LIBFDT): $(HOST_LIBFDT_OBJS)
	ar rcs $@ $^

# The image tool (docs/appliance.md); it checks VM configs with the runtime's own parser.
DVIMAGE := $(BUILD)/tools/dvimage
DVIMAGE_SRCS := $(wildcard tools/dvimage/*.c) vmm/config.c
$(DVIMAGE): $(DVIMAGE_SRCS) tools/dvimage/dvimage.h vmm/config.h include/dv_image.h \
		include/dv_digest.h $(HOST_LIBFDT)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -Ivmm -Itools/dvimage -I$(LIBFDT)/src \
		$(DVIMAGE_SRCS) $(HOST_LIBFDT) -o $@

# The QEMU plugin that counts instructions between the guest's markers (make bench, I/O part).
$(BUILD)/tools/insn_window.so: tools/qemu-plugin/insn_window.c tools/qemu-plugin/qemu_plugin_api.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -Itools/qemu-plugin \
		$< -o $@

# The guest DTB the runtime builds for a VM config, written on the host by the runtime's own
# parser and DTB writer (make bench: the native boot with the VM's devices).
VMDTB_SRCS := tools/vmdtb.c vmm/guest_dtb.c vmm/config.c
$(BUILD)/tools/vmdtb: $(VMDTB_SRCS) $(wildcard vmm/*.h include/*.h) $(HOST_LIBFDT)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -Ivmm -Ivmm/dev -I$(LIBFDT)/src $(VMDTB_SRCS) \
		$(HOST_LIBFDT) -o $@

IMAGE_CREATE = $(DVIMAGE) create -f $(OPENSBI) -k $(BUILD)/minikernel.elf
IMG_DEPS := $(DVIMAGE) $(BUILD)/minikernel.elf $(BUILD)/runtime.elf

# Composed on every make and replaced only when its bytes change: the image is always the one
# the command line asks for (GUEST, INITRD, VMCONFIG, GUEST_APPEND), whatever the files' times.
$(IMAGE): $(IMG_DEPS) $(VMCONFIG) $(GUEST) $(INITRD) $(IMAGE_DISK) FORCE
	@mkdir -p $(dir $@)
	@dtc -q -I dts -O dtb $(VMCONFIG) -o $@.config
	@printf '%s' '$(GUEST_APPEND)' > $@.cmdline
	@$(IMAGE_CREATE) -o $@.new -b runtime=$(BUILD)/runtime.elf -b config=$@.config \
		-b guest=$(GUEST) $(if $(INITRD),-b initrd=$(INITRD)) -b cmdline=$@.cmdline \
		$(if $(IMAGE_DISK),-b disk=$(IMAGE_DISK))
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; \
		echo "  IMAGE $@ (guest $(GUEST)$(if $(INITRD), + $(INITRD)), config $(VMCONFIG))"; fi

# FireSim (docs/firesim.md): the image as one ELF segment at the DRAM base, where FireSim's
# boot ROM jumps (QEMU's -bios takes it too), and a FireMarshal "bare" workload naming it.
FIRESIM := $(BUILD)/firesim
$(FIRESIM)/duvisor.elf: $(IMAGE) firmware/firesim/image.S linker/firesim.ld
	@mkdir -p $(@D)
	$(CC_RV) $(RV_ARCH) -nostdlib -static -s -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-DDV_IMAGE_FILE='"$(IMAGE)"' -T linker/firesim.ld firmware/firesim/image.S -o $@
$(FIRESIM)/duvisor.json: firmware/firesim/duvisor.json
	@mkdir -p $(@D)
	cp $< $@
firesim: $(FIRESIM)/duvisor.elf $(FIRESIM)/duvisor.json

include guest/guest.mk
include guest/linux/linux.mk
include guest/linux/distro.mk

# Linux guest test images: the default VM with a test's words added to the command line.
LINUX_IMGS := selftest shell bench benchio perf sifive_u
LINUX_APPEND_selftest := quiet dv.selftest
LINUX_APPEND_shell :=
LINUX_APPEND_bench := quiet dv.bench
# The shell on one vCPU, for the test run under -icount (the perf command's instruction count).
LINUX_APPEND_perf :=
$(BUILD)/img/linux-perf.bin: LINUX_VM := linux-up
$(BUILD)/img/linux-perf.bin: $(BUILD)/vm/linux-up.dtb
# The I/O benchmark, on one vCPU: tools/bench.py serves the port, read back from the .cmdline.
LINUX_APPEND_benchio := quiet dv.bench=io dv.benchport=15555
$(BUILD)/img/linux-benchio.bin: LINUX_VM := linux-io-up
$(BUILD)/img/linux-benchio.bin: $(BUILD)/vm/linux-io-up.dtb
# The shell on a HiFive Unleashed's VM: 2 vCPUs, the disk embedded (the board has no virtio).
LINUX_APPEND_sifive_u :=
$(BUILD)/img/linux-sifive_u.bin: LINUX_VM := linux-sifive_u
$(BUILD)/img/linux-sifive_u.bin: LINUX_DISK := $(BUILD)/disk/pattern.img
$(BUILD)/img/linux-sifive_u.bin: $(BUILD)/vm/linux-sifive_u.dtb $(BUILD)/disk/pattern.img
# Two Linux VMs (docs/vms.md): the example two-linux.dts, and vm1 on its own virtio console.
$(BUILD)/img/linux-two.bin: LINUX_VM := two-linux
$(BUILD)/img/linux-two.bin: $(BUILD)/vm/two-linux.dtb
$(BUILD)/img/linux-hvc.bin: LINUX_VM := vms/linux-hvc
$(BUILD)/img/linux-hvc.bin: $(BUILD)/vm/vms/linux-hvc.dtb
$(BUILD)/img/linux-%.bin: $(IMG_DEPS) $(BUILD)/vm/linux.dtb $(BUILD)/linux/Image \
		$(BUILD)/linux/initramfs.cpio
	@mkdir -p $(dir $@)
	printf '%s' '$(LINUX_APPEND_$*)' > $(BUILD)/img/linux-$*.cmdline
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf \
		-b config=$(BUILD)/vm/$(or $(LINUX_VM),linux).dtb -b guest=$(BUILD)/linux/Image \
		-b initrd=$(BUILD)/linux/initramfs.cpio -b cmdline=$(BUILD)/img/linux-$*.cmdline \
		$(if $(LINUX_DISK),-b disk=$(LINUX_DISK))

$(BUILD)/img/%.bin: $(BUILD)/guest/%.bin $(IMG_DEPS) $(BUILD)/vm/test.dtb
	@mkdir -p $(dir $@)
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/test.dtb -b guest=$<

# The same test guests in the 4-vCPU test VM.
$(BUILD)/img/smp/%.bin: $(BUILD)/guest/%.bin $(IMG_DEPS) $(BUILD)/vm/test-smp.dtb
	@mkdir -p $(dir $@)
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/test-smp.dtb -b guest=$<

# The virtio-blk test guests: the test VM with a block device on an embedded 64 KiB disk
# whose bytes follow a formula the guests check (tools/mkdisk-pattern.py).
$(BUILD)/disk/pattern.img: tools/mkdisk-pattern.py
	@mkdir -p $(@D)
	python3 $< $@ 65536

VIRTIO_DISK_IMGS := $(BUILD)/img/virtio_blk.bin $(BUILD)/img/virtio_bad.bin
$(VIRTIO_DISK_IMGS): $(BUILD)/img/%.bin: $(BUILD)/guest/%.bin $(IMG_DEPS) $(BUILD)/vm/test-disk.dtb \
		$(BUILD)/disk/pattern.img
	@mkdir -p $(dir $@)
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/test-disk.dtb -b guest=$< \
		-b disk=$(BUILD)/disk/pattern.img

# virtio_net_bad's VM has a network device forwarded to the host's.
$(BUILD)/img/virtio_net_bad.bin: $(BUILD)/guest/virtio_net_bad.bin $(IMG_DEPS) \
		$(BUILD)/vm/test-net.dtb
	@mkdir -p $(dir $@)
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/test-net.dtb -b guest=$<

# dvhw-*: the sbi_base guest in a test VM asking for the dv-hw backend.
$(BUILD)/img/dvhw.bin: $(BUILD)/guest/sbi_base.bin $(IMG_DEPS) $(BUILD)/vm/test-dvhw.dtb
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/test-dvhw.dtb -b guest=$<

# dvhw/<guest>: a test guest in the test VM with the dv-hw backend, on the minikernel with
# the DV-Ext model (its entries there are the model's emulation: docs/testing.md); dvhw-smp/:
# the same in the 4-vCPU test VM. dvhw-hw/ and dvhw-hw-smp/: the same on the product
# minikernel, for DV-Ext hardware (tests/dvext.tsv: `make test QEMU_DVEXT=...`).
# $(call dvhw_imgs,DIR,MINIKERNEL,VM): the rule of img/DIR/<guest>.bin.
define dvhw_imgs
$(BUILD)/img/$(1)/%.bin: $(BUILD)/guest/%.bin $(DVIMAGE) $(2) $(BUILD)/runtime.elf $(BUILD)/vm/$(3).dtb
	@mkdir -p $$(@D)
	$(DVIMAGE) create -f $(OPENSBI) -k $(2) -o $$@ \
		-b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/$(3).dtb -b guest=$$<
endef
$(eval $(call dvhw_imgs,dvhw,$(BUILD)/minikernel-model.elf,test-dvhw-model))
$(eval $(call dvhw_imgs,dvhw-smp,$(BUILD)/minikernel-model.elf,test-dvhw-smp-model))
$(eval $(call dvhw_imgs,dvhw-hw,$(BUILD)/minikernel.elf,test-dvhw-model))
$(eval $(call dvhw_imgs,dvhw-hw-smp,$(BUILD)/minikernel.elf,test-dvhw-smp-model))

# attack-dma's VM is granted the host's virtio devices: test-io.dtb instead of test.dtb;
# attack-race's has them and four vCPUs to race with.
$(BUILD)/img/attack-dma.bin: ATTACK_VM := test-io
$(BUILD)/img/attack-dma.bin: $(BUILD)/vm/test-io.dtb
$(BUILD)/img/attack-race.bin: ATTACK_VM := test-smp-io
$(BUILD)/img/attack-race.bin: $(BUILD)/vm/test-smp-io.dtb
$(BUILD)/img/attack-%.bin: $(IMG_DEPS) $(BUILD)/attack.elf $(BUILD)/vm/test.dtb $(BUILD)/guest/sbi_base.bin
	@mkdir -p $(dir $@) $(BUILD)/attack
	printf '%s' "$*" > $(BUILD)/attack/$*.txt
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/attack.elf -b config=$(BUILD)/vm/$(or $(ATTACK_VM),test).dtb \
		-b guest=$(BUILD)/guest/sbi_base.bin -b attack=$(BUILD)/attack/$*.txt

# Several-VM test images (docs/vms.md): the config firmware/vm/vms/<config>.dts picks each
# VM's guest (keeper, probe, base) and runtime (runtime, or attack-rt: the attack build,
# which reads the attack blob) out of the same blobs. vms-attack-<name> runs attack <name>.
VMS_BLOBS := -b runtime=$(BUILD)/runtime.elf -b attack-rt=$(BUILD)/attack.elf \
	-b keeper=$(BUILD)/guest/vms_keeper.bin -b probe=$(BUILD)/guest/vms_probe.bin \
	-b base=$(BUILD)/guest/sbi_base.bin
VMS_DEPS := $(IMG_DEPS) $(BUILD)/attack.elf $(BUILD)/guest/vms_keeper.bin \
	$(BUILD)/guest/vms_probe.bin $(BUILD)/guest/sbi_base.bin
$(BUILD)/vm/vms/%.dtb: firmware/vm/vms/%.dts | $(DEPS_OK)
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb $< -o $@
# vms-attack-race: beta has 3 vCPUs and the host's virtio devices (attack-race.dts).
$(BUILD)/img/vms-attack-race.bin: VMS_ATTACK_VM := attack-race
$(BUILD)/img/vms-attack-race.bin: $(BUILD)/vm/vms/attack-race.dtb
$(BUILD)/img/vms-attack-%.bin: $(VMS_DEPS) $(BUILD)/vm/vms/attack.dtb
	@mkdir -p $(dir $@) $(BUILD)/attack
	printf '%s' "$*" > $(BUILD)/attack/vms-$*.txt
	$(IMAGE_CREATE) -o $@ $(VMS_BLOBS) -b config=$(BUILD)/vm/vms/$(or $(VMS_ATTACK_VM),attack).dtb \
		-b attack=$(BUILD)/attack/vms-$*.txt
$(BUILD)/img/vms-%.bin: $(VMS_DEPS) $(BUILD)/vm/vms/%.dtb
	@mkdir -p $(dir $@) $(BUILD)/attack
	printf 'fault-once' > $(BUILD)/attack/vms-fault-once.txt
	$(IMAGE_CREATE) -o $@ $(VMS_BLOBS) -b config=$(BUILD)/vm/vms/$*.dtb \
		-b attack=$(BUILD)/attack/vms-fault-once.txt

# Exactly the images the test tables name, so a table row can never lack its image.
TEST_IMGS := $(sort $(patsubst %,$(BUILD)/img/%.bin,bench \
	$(shell awk -F'\t' '!/^\#/ && NF >= 4 { print $$2 }' tests/guests.tsv tests/attacks.tsv \
	tests/vms.tsv tests/dvext.tsv)))

# dvhw-linux/<test>: a Linux test image (linux-<test>'s command line) with the dv-hw backend on
# the minikernel with the DV-Ext model; <test>-up on one vCPU, else the default VM's four.
# dvhw-hw-linux/<test>: the same on the product minikernel, for DV-Ext hardware.
# $(call dvhw_linux_imgs,DIR,MINIKERNEL): the rule of img/DIR/<test>.bin.
define dvhw_linux_imgs
$(BUILD)/img/$(1)/%.bin: $(DVIMAGE) $(2) $(BUILD)/runtime.elf $(BUILD)/vm/linux-dvhw.dtb \
		$(BUILD)/vm/linux-dvhw-up.dtb $(BUILD)/linux/Image $(BUILD)/linux/initramfs.cpio
	@mkdir -p $$(@D)
	printf '%s' '$$(LINUX_APPEND_$$(patsubst %-up,%,$$*))' > $$(@:.bin=.cmdline)
	$(DVIMAGE) create -f $(OPENSBI) -k $(2) -o $$@ \
		-b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/linux-dvhw$$(if $$(filter %-up,$$*),-up).dtb \
		-b guest=$(BUILD)/linux/Image -b initrd=$(BUILD)/linux/initramfs.cpio -b cmdline=$$(@:.bin=.cmdline)
endef
$(eval $(call dvhw_linux_imgs,dvhw-linux,$(BUILD)/minikernel-model.elf))
$(eval $(call dvhw_linux_imgs,dvhw-hw-linux,$(BUILD)/minikernel.elf))

# QEMU virt's own device tree with DV-Ext ('z') added to the hart's ISA: the minikernel's
# set-up on DV-Ext hardware is tested on stock QEMU with it (the dvext-fdt test variant).
$(BUILD)/dtb/virt-dvext.dtb: | $(DEPS_OK)
	@mkdir -p $(@D)
	$(QEMU) -M virt,dumpdtb=$@.orig -cpu rv64,h=true -m 512M -smp 1 -nographic >/dev/null
	dtc -q -I dtb -O dts $@.orig | sed 's/riscv,isa = "rv64imafdch_/riscv,isa = "rv64imafdchz_/' | \
		dtc -q -I dts -O dtb -o $@

# QEMU virt's own device tree without its RTC node: a host with no wall clock (the nortc-fdt
# test variant). QEMU adds /chosen/rng-seed to any device tree it is given, so there is no such
# variant for a host without entropy.
$(BUILD)/dtb/virt-nortc.dtb: | $(DEPS_OK)
	@mkdir -p $(@D)
	$(QEMU) -M virt,dumpdtb=$@.orig -cpu rv64,h=true -m 512M -smp 1 -nographic >/dev/null
	dtc -q -I dtb -O dts $@.orig | sed '/rtc@101000 {/,/};/d' | \
		dtc -q -I dts -O dtb -o $@

# ---- host unit tests (runtime logic, native, with sanitizers) ----
include tests/unit/unit.mk
include tests/fuzz/fuzz.mk
UNIT_CFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Iinclude -Ivmm -Ivmm/dev -Ivmm/virtio -Itests/unit -I$(LIBFDT)/src
UNIT_BINS := $(patsubst %,$(BUILD)/unit/test_%,$(UNIT_TESTS))
.SECONDEXPANSION:
$(BUILD)/unit/test_%: tests/unit/test_%.c $$(UNIT_SRCS_$$*) $(wildcard vmm/*.h vmm/*/*.h tests/unit/*.h include/*.h) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) $< $(UNIT_SRCS_$*) -o $@

# The minikernel's G-stage validator built for the host and raced by threads under ThreadSanitizer.
MK_HOST_DEPS := minikernel/mk.h include/dv_abi.h include/riscv.h tests/gpt_walk.h tests/unit/unit.h
$(BUILD)/unit/test_gpt_race: tests/mk/test_gpt_race.c minikernel/gpt.c $(MK_HOST_DEPS) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -g -O1 -fsanitize=thread -Wall -Wextra -Werror -Iinclude -Iminikernel \
		-Itests -Itests/unit $< minikernel/gpt.c -o $@ -lpthread
UNIT_BINS += $(BUILD)/unit/test_gpt_race

# ---- what people run ----
run: $(IMAGE)
	$(QEMU_RUN) -bios $<

# test-build: everything `make test` runs, built (for `tests/run.py --only ...` by hand).
test-build: $(IMAGE) firesim $(TEST_IMGS) $(GUEST_BINS) $(UNIT_BINS) $(BUILD)/dtb/virt-dvext.dtb \
		$(BUILD)/dtb/virt-nortc.dtb $(FUZZ_BINS)
# QEMU_DVEXT=path/to/qemu-system-riscv64 built from the DuVisor authors' DV-Ext fork (never part
# of this tree): the rows of tests/dvext.tsv run on it (docs/dv-hw.md); unset, they are skipped.
QEMU_DVEXT ?=
QEMU_DVEXT_ARG := $(if $(QEMU_DVEXT),--qemu-dvext $(QEMU_DVEXT))
test: test-build
	python3 tests/run.py --build $(BUILD) $(QEMU_DVEXT_ARG)

# The boot benchmark on one vCPU, compared with a one-hart native boot.
$(BUILD)/img/linux-bench-up.bin: $(BUILD)/img/linux-bench.bin $(BUILD)/vm/linux-up.dtb
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/linux-up.dtb \
		-b guest=$(BUILD)/linux/Image -b initrd=$(BUILD)/linux/initramfs.cpio \
		-b cmdline=$(BUILD)/img/linux-bench.cmdline

# The UART figures before its shadow: the exit benchmarks in a VM whose UART loads all exit.
$(BUILD)/img/bench-uart-exits.bin: $(BUILD)/guest/bench.bin $(IMG_DEPS) $(BUILD)/vm/test-uart-exits.dtb
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/test-uart-exits.dtb \
		-b guest=$<

# The exit benchmarks in VM 0 while VM 1 spins on a hart of its own (docs/vms.md).
$(BUILD)/img/bench-two.bin: $(BUILD)/guest/bench.bin $(BUILD)/guest/busy.bin $(IMG_DEPS) \
		$(BUILD)/vm/bench-two.dtb
	$(IMAGE_CREATE) -o $@ -b runtime=$(BUILD)/runtime.elf -b config=$(BUILD)/vm/bench-two.dtb \
		-b guest=$(BUILD)/guest/bench.bin -b busy=$(BUILD)/guest/busy.bin

# The DV-Ext part of make bench (with QEMU_DVEXT=...; docs/dv-hw.md): the bench guest with dv-hw
# and with dv-sw on the product minikernel, natively, and sbi_base for each backend's start-up.
# bench-dvext runs only it, for quick re-measuring.
BENCH_DVEXT_DEPS := $(BUILD)/img/bench.bin $(BUILD)/img/sbi_base.bin $(BUILD)/img/dvhw-hw/bench.bin \
	$(BUILD)/img/dvhw-hw/sbi_base.bin $(BUILD)/guest/bench-native.bin
bench: $(BENCH_DVEXT_DEPS) $(BUILD)/img/bench-uart-exits.bin $(BUILD)/img/bench-two.bin \
		$(BUILD)/img/linux-bench.bin \
		$(BUILD)/img/linux-bench-up.bin $(BUILD)/img/smp/bench_smp.bin \
		$(BUILD)/guest/bench_smp-native.bin $(BUILD)/img/linux-benchio.bin \
		$(BUILD)/tools/insn_window.so $(BUILD)/tools/vmdtb
	python3 tools/bench.py --build $(BUILD) $(QEMU_DVEXT_ARG)
bench-dvext: $(BENCH_DVEXT_DEPS)
	python3 tools/bench.py --build $(BUILD) --only dvext $(QEMU_DVEXT_ARG)

tcb: $(BUILD)/minikernel.elf
	python3 tools/tcb.py --elf $< minikernel include/dv_abi.h include/riscv.h include/dv_image.h \
		include/dv_digest.h include/dvext.h

clean:
	rm -rf $(BUILD)

FORCE:
.PHONY: all firesim run test test-build test-distro fuzz bench bench-dvext tcb clean FORCE
.SECONDARY:
