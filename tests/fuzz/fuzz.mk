# SPDX-License-Identifier: BSD-2-Clause
# libFuzzer targets for the guest-facing parsers: run briefly by `make test`, longer by `make fuzz`.

FUZZ_TARGETS := insn mmio virtq sbi gpt walk
# The runtime sources each one links: the same as its unit test's (tests/unit/unit.mk).
FUZZ_SRCS_insn := $(UNIT_SRCS_insn)
FUZZ_SRCS_mmio := $(UNIT_SRCS_mmio)
FUZZ_SRCS_virtq := $(UNIT_SRCS_virtio)
FUZZ_SRCS_sbi := $(UNIT_SRCS_sbi)
FUZZ_SRCS_gpt := minikernel/gpt.c
FUZZ_SRCS_walk := $(UNIT_SRCS_guest_walk)
FUZZ_INC := -Iinclude -Ivmm -Ivmm/dev -Ivmm/virtio -Itests/unit
FUZZ_INC_gpt := -Iinclude -Iminikernel -Itests

FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_HDRS := $(wildcard vmm/*.h vmm/*/*.h tests/*.h tests/unit/*.h tests/fuzz/*.h include/*.h minikernel/*.h)

define FUZZ_RULE
$(BUILD)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1)) $(FUZZ_HDRS) | $(DEPS_OK)
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(or $(FUZZ_INC_$(1)),$(FUZZ_INC)) $$< $(FUZZ_SRCS_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_RULE,$(t))))

# `make fuzz`: each target for FUZZ_SECONDS. New inputs go to a working corpus under
# $(BUILD)/fuzz/corpus/<name> (the checked-in seeds are only read), crash inputs to
# $(BUILD)/fuzz/artifacts/; stdout (the code's own messages) is closed, as in `make test`.
FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_BINS)
	@failed=""; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$t $(BUILD)/fuzz/artifacts $(BUILD)/logs; \
		log=$(BUILD)/logs/fuzz-long-$$t.log; \
		echo "  FUZZ $$t for $(FUZZ_SECONDS) s (log $$log)"; \
		if $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-print_final_stats=1 -close_fd_mask=1 \
			-artifact_prefix=$(BUILD)/fuzz/artifacts/$$t- \
			$(BUILD)/fuzz/corpus/$$t tests/fuzz/corpus/$$t > $$log 2>&1; then \
			echo "  PASS fuzz:$$t: $$(sed -n 's/^stat::number_of_executed_units: *//p' $$log)" \
				"executions, $$(ls $(BUILD)/fuzz/corpus/$$t | wc -l) inputs in" \
				"$(BUILD)/fuzz/corpus/$$t"; \
		else \
			echo "  FAIL fuzz:$$t: $$(grep -m1 -E '^(SUMMARY|fuzz check failed)' $$log)"; \
			grep -m1 'Test unit written to' $$log | sed 's/^.*written to /    input: /'; \
			failed="$$failed $$t"; \
		fi; \
	done; [ -z "$$failed" ] || { echo "fuzz: failed:$$failed"; exit 1; }
