# SPDX-License-Identifier: BSD-2-Clause
# Build rules of the bare-metal test guests and the benchmark guest (included by the top Makefile).

GUEST_SAVED_GOAL := $(.DEFAULT_GOAL)

GUEST_CC := $(CROSS)gcc
GUEST_OBJCOPY := $(CROSS)objcopy
GUEST_CFLAGS := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany -fno-pie -no-pie \
	-ffreestanding -nostdlib -O2 -Wall -Wextra -Werror -fno-asynchronous-unwind-tables \
	-Iguest/baremetal/lib -T linker/guest.ld

GUEST_TESTS := sbi_base sbi_time timer_sstc sbi_ipi sbi_rfence sbi_hsm sbi_srst sbi_dbcn \
	sbi_legacy sbi_bogus mmio_widths mmio_compressed uart wfi superpage unmapped \
	virt_insn fault_loop plic uart_irq smp_hsm smp_ipi smp_rfence smp_stop_all virtio_blk virtio_bad
GUEST_TESTS += virtio_net_bad sbi_pmu rtc syscon syscon_fail rng_seed
GUEST_TESTS += sbi_susp susp_wake smp_susp sbi_fwft uart_shadow vms_keeper vms_probe
# entry_rewind and wfi_rewind call hooks of the DV-Ext model (tests/dvmodel/hooks.h).
GUEST_TESTS += entry_rewind wfi_rewind
$(BUILD)/guest/entry_rewind.elf $(BUILD)/guest/wfi_rewind.elf: private GUEST_CFLAGS += -Itests/dvmodel

GUEST_LIB_SRCS := $(wildcard guest/baremetal/lib/*.c) guest/baremetal/lib/start.S
GUEST_LIB_OBJS := $(patsubst guest/baremetal/lib/%,$(BUILD)/guest/lib/%.o,$(GUEST_LIB_SRCS))
GUEST_TEST_ELFS := $(GUEST_TESTS:%=$(BUILD)/guest/%.elf)
GUEST_BENCH_ELFS := $(BUILD)/guest/bench.elf $(BUILD)/guest/bench-native.elf \
	$(BUILD)/guest/bench_smp.elf $(BUILD)/guest/bench_smp-native.elf $(BUILD)/guest/busy.elf
GUEST_ELFS := $(GUEST_TEST_ELFS) $(GUEST_BENCH_ELFS) $(BUILD)/guest/hello.elf
GUEST_BINS := $(GUEST_ELFS:.elf=.bin)

# Static pattern rules: they win over any generic %.o/%.elf rules of the including Makefile.
$(GUEST_LIB_OBJS): $(BUILD)/guest/lib/%.o: guest/baremetal/lib/% guest/guest.mk | $(DEPS_OK)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_TEST_ELFS): $(BUILD)/guest/%.elf: guest/baremetal/tests/%.c $(GUEST_LIB_OBJS) \
		linker/guest.ld
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -o $@ $< $(GUEST_LIB_OBJS) -lgcc

$(BUILD)/guest/hello.elf: guest/baremetal/hello.c $(GUEST_LIB_OBJS) linker/guest.ld
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -o $@ $< $(GUEST_LIB_OBJS) -lgcc

$(BUILD)/guest/bench_smp.elf: guest/bench/bench_smp.c $(GUEST_LIB_OBJS) linker/guest.ld
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -o $@ $< $(GUEST_LIB_OBJS) -lgcc

$(BUILD)/guest/bench_smp-native.elf: guest/bench/bench_smp.c $(GUEST_LIB_OBJS) linker/guest.ld
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -DBENCH_NATIVE -MMD -MP -o $@ $< $(GUEST_LIB_OBJS) -lgcc

$(BUILD)/guest/busy.elf: guest/bench/busy.c $(GUEST_LIB_OBJS) linker/guest.ld
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -o $@ $< $(GUEST_LIB_OBJS) -lgcc

$(BUILD)/guest/bench.elf: guest/bench/bench.c $(GUEST_LIB_OBJS) linker/guest.ld
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -o $@ $< $(GUEST_LIB_OBJS) -lgcc

$(BUILD)/guest/bench-native.elf: guest/bench/bench.c $(GUEST_LIB_OBJS) linker/guest.ld
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -DBENCH_NATIVE -MMD -MP -o $@ $< $(GUEST_LIB_OBJS) -lgcc

$(GUEST_BINS): %.bin: %.elf
	$(GUEST_OBJCOPY) -O binary $< $@

.PHONY: guests
guests: $(GUEST_BINS)

-include $(GUEST_LIB_OBJS:.o=.d) $(GUEST_ELFS:.elf=.d)

.DEFAULT_GOAL := $(GUEST_SAVED_GOAL)
