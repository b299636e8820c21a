# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing
# (scripts/bootstrap), configure once, build incrementally and are quick when nothing changed.
BUILD      ?= build
JOBS       ?= 2
GENERATOR  ?= Ninja
CMAKE_ARGS ?=

.PHONY: all bootstrap configure build run test bench format clean

all: build

bootstrap:
	@mkdir -p $(BUILD)
	@scripts/bootstrap > $(BUILD)/bootstrap.txt

# Configures once, and again when bootstrap's answer (the torch and reference-tools paths) changes.
configure: bootstrap
	@if [ ! -f $(BUILD)/CMakeCache.txt ] || ! cmp -s $(BUILD)/bootstrap.txt $(BUILD)/bootstrap.configured; then \
	  cmake -S . -B $(BUILD) -G $(GENERATOR) -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_PREFIX_PATH="$$(tail -n 1 $(BUILD)/bootstrap.txt)" \
	    -DSTRATA_PYTOOLS_PYTHON="$$(head -n 1 $(BUILD)/bootstrap.txt)" $(CMAKE_ARGS) && \
	  cp $(BUILD)/bootstrap.txt $(BUILD)/bootstrap.configured; \
	fi

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The sample pipeline: data (clean, tokenizer, shards), then a few minutes of pretraining.
run: build
	$(BUILD)/bin/strata-cli demo data
	$(BUILD)/bin/strata-cli demo pretrain

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: build
	scripts/bench

format:
	@git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
