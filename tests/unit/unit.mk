UNIT_TESTS += insn mmio uart testdev
UNIT_SRCS_insn := vmm/insn.c
UNIT_SRCS_mmio := vmm/mmio.c vmm/insn.c
UNIT_SRCS_uart := vmm/dev/uart16550.c
UNIT_SRCS_testdev := vmm/dev/testdev.c
UNIT_TESTS += gstage sbi
UNIT_SRCS_gstage := vmm/gstage.c
UNIT_SRCS_sbi := vmm/sbi/sbi.c vmm/sbi/base.c vmm/sbi/time.c vmm/sbi/ipi.c vmm/sbi/rfence.c \
	vmm/sbi/hsm.c vmm/sbi/srst.c vmm/sbi/dbcn.c vmm/sbi/legacy.c vmm/sbi/dvdebug.c vmm/sbi/pmu.c \
	vmm/sbi/susp.c vmm/sbi/fwft.c vmm/vm.c tests/unit/fake_dv.c
UNIT_TESTS += plic
UNIT_SRCS_plic := vmm/dev/plic.c
UNIT_TESTS += virtio_slot
UNIT_SRCS_virtio_slot := vmm/dev/virtio_slot.c
UNIT_TESTS += virtio
UNIT_SRCS_virtio := vmm/virtio/transport.c vmm/virtio/virtq.c vmm/virtio/blk.c \
	vmm/virtio/hostq.c vmm/vm.c tests/unit/fake_dv.c
UNIT_TESTS += net
UNIT_SRCS_net := vmm/virtio/net.c vmm/virtio/hostq.c vmm/virtio/transport.c vmm/virtio/virtq.c \
	vmm/vm.c tests/unit/fake_dv.c
UNIT_TESTS += pmu
UNIT_SRCS_pmu := $(UNIT_SRCS_sbi)
UNIT_TESTS += goldfish_rtc sifive_test rng_seed guest_dtb
UNIT_SRCS_goldfish_rtc := vmm/dev/goldfish_rtc.c vmm/wallclock.c
UNIT_SRCS_sifive_test := vmm/dev/sifive_test.c vmm/vm.c tests/unit/fake_dv.c
UNIT_SRCS_rng_seed := vmm/rng_seed.c
UNIT_SRCS_guest_dtb := vmm/guest_dtb.c $(HOST_LIBFDT)
UNIT_TESTS += config
UNIT_SRCS_config := vmm/config.c $(HOST_LIBFDT)
UNIT_TESTS += guest_walk
UNIT_SRCS_guest_walk := vmm/guest_walk.c
