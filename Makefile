# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing
# (scripts/bootstrap), configure once, build incrementally and are quick when nothing changed.
BUILD      ?= build
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS       ?= 2
GENERATOR  ?= Ninja
CMAKE_ARGS ?=

.PHONY: all bootstrap configure build run test bench package fuzz format clean

all: build

bootstrap:
	@mkdir -p $(BUILD)
	@scripts/bootstrap > $(BUILD)/bootstrap.txt

# Configures once, and again when bootstrap's answer (the torch, reference-tools and reference-files
# paths) changes.
configure: bootstrap
	@if [ ! -f $(BUILD)/CMakeCache.txt ] || ! cmp -s $(BUILD)/bootstrap.txt $(BUILD)/bootstrap.configured; then \
	  cmake -S . -B $(BUILD) -G $(GENERATOR) -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_PREFIX_PATH="$$(tail -n 1 $(BUILD)/bootstrap.txt)" \
	    -DSTRATA_PYTOOLS_PYTHON="$$(head -n 1 $(BUILD)/bootstrap.txt)" \
	    -DSTRATA_REFERENCE_DIR="$$(sed -n 2p $(BUILD)/bootstrap.txt)" $(CMAKE_ARGS) && \
	  cp $(BUILD)/bootstrap.txt $(BUILD)/bootstrap.configured; \
	fi

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The studio on the sample workspace (the fortune corpora and the sample configs, prepared by
# `demo init`), where Run ▸ Run the Sample Pipeline goes clean → tokenizer → pretrain on this
# machine. Without a display the same pipeline runs in the terminal instead.
SAMPLE_WORKSPACE ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/strata/sample-workspace
run: build
	$(BUILD)/bin/strata-cli demo init --workspace "$(SAMPLE_WORKSPACE)"
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "$(BUILD)/bin/strata --workspace $(SAMPLE_WORKSPACE)"; \
	  $(BUILD)/bin/strata --workspace "$(SAMPLE_WORKSPACE)"; \
	else \
	  echo "no display: running the sample pipeline in the terminal"; \
	  $(BUILD)/bin/strata-cli demo data --workspace "$(SAMPLE_WORKSPACE)" && \
	  $(BUILD)/bin/strata-cli demo pretrain --workspace "$(SAMPLE_WORKSPACE)"; \
	fi

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: build
	scripts/bench

# The Debian package of the studio and strata-cli, with LibTorch and the CUDA libraries inside
# (docs/packaging.md): $(BUILD)/strata_<version>_<arch>.deb, about 2.3 GB.
package: build
	@if [ ! -f $(BUILD)/CPackConfig.cmake ]; then \
	  echo "make package: the package needs the studio; configure with STRATA_BUILD_GUI=ON" >&2; \
	  exit 1; \
	fi
	cd $(BUILD) && cpack -G DEB
	@ls -t $(BUILD)/strata_*.deb | head -n 1

# Every parser of untrusted bytes under libFuzzer with the sanitizers, FUZZ_SECONDS each (see
# docs/fuzzing.md); inputs that reach new code are kept in $(FUZZ_BUILD)/corpus/<target>, seeded
# from tests/fuzz/corpus/<target>, which the test suite replays.
FUZZ_TARGETS := protocol tokenizer_json safetensors_header gguf_header jsonl toml_config
fuzz: bootstrap
	@if [ ! -f $(FUZZ_BUILD)/CMakeCache.txt ]; then \
	  cmake -S . -B $(FUZZ_BUILD) -G $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSTRATA_FUZZ=ON \
	    -DSTRATA_BUILD_GUI=OFF -DSTRATA_BUILD_TESTS=OFF \
	    -DCMAKE_PREFIX_PATH="$$(tail -n 1 $(BUILD)/bootstrap.txt)"; \
	fi
	@cmake --build $(FUZZ_BUILD) --target $(addprefix fuzz_,$(FUZZ_TARGETS)) -j $(JOBS)
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$target && \
	  $(FUZZ_BUILD)/bin/fuzz_$$target -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -rss_limit_mb=2048 $(FUZZ_BUILD)/corpus/$$target tests/fuzz/corpus/$$target || exit 1; \
	done

format:
	@git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
