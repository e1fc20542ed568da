# libglove — build, test, package.
#
#   make              release build: build/lib/libglove.so, build/include/glove.h,
#                     build/lib/pkgconfig/glove.pc, build/bin/glove
#   make test         every test suite (Swift, ABI, C, CLI, Python, wheel)
#   make demo         the main job end to end on a corpus it fetches itself
#   make wheel        a py3-none-<platform> wheel carrying libglove.so
#   make install PREFIX=/usr/local
#
# Release flags live here, not in Package.swift, so that Swift packages that
# depend on ours and `swift test` are unaffected.

PREFIX     ?= /usr/local
SWIFT      ?= swift
PYTHON     ?= python3
CC         ?= cc
BUILD      := build
SCRATCH    := .build-release
ABI        := 1
ARCH       := $(shell uname -m)
# On x86-64, a second build for AVX2/FMA CPUs (x86-64-v3) goes where glibc's
# loader prefers it automatically (glibc-hwcaps, glibc >= 2.33); the Python
# package picks it the same way. Both give bit-identical results.
HWCAPS     := glibc-hwcaps/x86-64-v3
VERSION    := $(shell sed -n 's/^\#define GLOVE_VERSION_STRING "\(.*\)"/\1/p' include/glove.h)

# Copies $(1) to $(2) as a new file (copy, then rename): processes that have
# the old library mapped keep it intact instead of crashing.
replace = cp $(1) $(2).tmp && mv -f $(2).tmp $(2)

# Self-contained libglove.so: static Swift runtime, only glove_* exported.
RELEASE_FLAGS := -c release --scratch-path $(SCRATCH) \
	-Xswiftc -static-stdlib \
	-Xlinker --version-script=$(CURDIR)/bindings/c/libglove.map \
	-Xlinker -soname=libglove.so.$(ABI)

.PHONY: all setup lib cli install wheel test test-swift test-abi test-c test-install test-cli test-python test-spark test-wheel test-asan test-tsan \
	test-example docs fuzz demo bench clean

all: lib cli

lib:
	$(SWIFT) build $(RELEASE_FLAGS) --product glove
	@mkdir -p $(BUILD)/lib/pkgconfig $(BUILD)/include
	$(call replace,$(SCRATCH)/release/libglove.so,$(BUILD)/lib/libglove.so.$(ABI))
	ln -sf libglove.so.$(ABI) $(BUILD)/lib/libglove.so
	cp include/glove.h $(BUILD)/include/glove.h
	sed -e 's|@PREFIX@|$(abspath $(BUILD))|' -e 's|@VERSION@|$(VERSION)|' \
		bindings/c/glove.pc.in > $(BUILD)/lib/pkgconfig/glove.pc
ifeq ($(ARCH),x86_64)
	$(SWIFT) build $(subst $(SCRATCH),$(SCRATCH)-v3,$(RELEASE_FLAGS)) -Xswiftc -target-cpu -Xswiftc haswell --product glove
	@mkdir -p $(BUILD)/lib/$(HWCAPS)
	$(call replace,$(SCRATCH)-v3/release/libglove.so,$(BUILD)/lib/$(HWCAPS)/libglove.so.$(ABI))
	ln -sf libglove.so.$(ABI) $(BUILD)/lib/$(HWCAPS)/libglove.so
endif

# On x86-64 the CLI is built twice too; the baseline one runs the x86-64-v3
# one from $(CLI_V3) when the CPU has AVX2/FMA (Sources/GloVeCLI/CPUDispatch.swift).
CLI_V3 := libexec/glove/x86-64-v3

cli:
	$(SWIFT) build -c release --scratch-path $(SCRATCH) --static-swift-stdlib --product glove-cli
	@mkdir -p $(BUILD)/bin
	$(call replace,$(SCRATCH)/release/glove-cli,$(BUILD)/bin/glove)
ifeq ($(ARCH),x86_64)
	$(SWIFT) build -c release --scratch-path $(SCRATCH)-v3 --static-swift-stdlib -Xswiftc -target-cpu -Xswiftc haswell --product glove-cli
	@mkdir -p $(BUILD)/$(CLI_V3)
	$(call replace,$(SCRATCH)-v3/release/glove-cli,$(BUILD)/$(CLI_V3)/glove)
endif

install: all
	install -d $(PREFIX)/lib/pkgconfig $(PREFIX)/include $(PREFIX)/bin
	install -m 755 $(BUILD)/lib/libglove.so.$(ABI) $(PREFIX)/lib/
	ln -sf libglove.so.$(ABI) $(PREFIX)/lib/libglove.so
	if [ -e $(BUILD)/lib/$(HWCAPS)/libglove.so.$(ABI) ]; then \
		install -d $(PREFIX)/lib/$(HWCAPS) && \
		install -m 755 $(BUILD)/lib/$(HWCAPS)/libglove.so.$(ABI) $(PREFIX)/lib/$(HWCAPS)/ && \
		ln -sf libglove.so.$(ABI) $(PREFIX)/lib/$(HWCAPS)/libglove.so; fi
	install -m 644 include/glove.h $(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		bindings/c/glove.pc.in > $(PREFIX)/lib/pkgconfig/glove.pc
	install -m 755 $(BUILD)/bin/glove $(PREFIX)/bin/
	if [ -e $(BUILD)/$(CLI_V3)/glove ]; then \
		install -d $(PREFIX)/$(CLI_V3) && install -m 755 $(BUILD)/$(CLI_V3)/glove $(PREFIX)/$(CLI_V3)/; fi

wheel: lib
	$(call replace,$(BUILD)/lib/libglove.so.$(ABI),bindings/python/glove/libglove.so)
	if [ -e $(BUILD)/lib/$(HWCAPS)/libglove.so.$(ABI) ]; then mkdir -p bindings/python/glove/$(HWCAPS) && \
		$(call replace,$(BUILD)/lib/$(HWCAPS)/libglove.so.$(ABI),bindings/python/glove/$(HWCAPS)/libglove.so); fi
	rm -rf $(BUILD)/wheels bindings/python/build
	cd bindings/python && GLOVE_PLAT_NAME=$$(../../scripts/platform_tag.sh ../../$(BUILD)/lib/libglove.so.$(ABI)) \
		$(PYTHON) -m pip wheel --no-deps -q -w ../../$(BUILD)/wheels .
	@ls $(BUILD)/wheels/*.whl

setup:
	scripts/setup.sh

test: setup
	$(MAKE) test-swift test-abi test-c test-install test-cli test-python test-spark test-wheel test-example docs fuzz \
		test-asan test-tsan
	@echo "make test: all suites passed"

test-swift:
	$(SWIFT) test -c release

test-abi: lib
	scripts/check_abi.sh $(BUILD)

test-c: lib cli
	$(MAKE) -C Tests/c BUILD=$(abspath $(BUILD)) CC=$(CC) run
	$(MAKE) -C bindings/c BUILD=$(abspath $(BUILD)) CC=$(CC) run

# `make install` into a scratch prefix, then build and run the linked example against it.
test-install: all
	rm -rf $(BUILD)/install-test
	$(MAKE) install PREFIX=$(abspath $(BUILD))/install-test >/dev/null
	$(CC) -std=c99 -DGLOVE_LINKED $$(PKG_CONFIG_PATH=$(BUILD)/install-test/lib/pkgconfig pkg-config --cflags glove) \
		-o $(BUILD)/install-test/example bindings/c/example.c \
		$$(PKG_CONFIG_PATH=$(BUILD)/install-test/lib/pkgconfig pkg-config --libs glove) -Wl,-rpath,$(abspath $(BUILD))/install-test/lib
	test "$$($(BUILD)/install-test/example democracy)" = "$$(printf 'democracy\t1930')"
	test "$$($(BUILD)/install-test/bin/glove --version)" = "$(VERSION)"
	@echo "install: 2 passed, 0 failed"

test-cli: cli
	GLOVE_CLI=$(abspath $(BUILD))/bin/glove $(PYTHON) -m pytest -q Tests/cli

test-python: lib
	GLOVE_LIBRARY=$(abspath $(BUILD))/lib/libglove.so $(PYTHON) -m pytest -q bindings/python/tests

# glove.spark in Spark local mode (needs pyspark and Java; `make setup` installs them).
test-spark: lib
	GLOVE_LIBRARY=$(abspath $(BUILD))/lib/libglove.so $(PYTHON) -m pytest -q bindings/python/tests_spark
	scripts/spark_cluster_check.sh

# The Swift tests, the C tests and the C example under AddressSanitizer and
# ThreadSanitizer; Tests/sanitizers holds the suppressions and says why.
SANITIZERS := $(abspath Tests/sanitizers)
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(SANITIZERS)/lsan.supp
TSAN_ENV := TSAN_OPTIONS="suppressions=$(SANITIZERS)/tsan.supp halt_on_error=1"
test-asan: lib cli
	$(ASAN_ENV) $(SWIFT) test -c release --sanitize=address --scratch-path .build-asan
	$(ASAN_ENV) $(MAKE) -C Tests/c BUILD=$(abspath $(BUILD)) CC=$(CC) SANITIZE=address sanitized
	$(ASAN_ENV) $(MAKE) -C bindings/c BUILD=$(abspath $(BUILD)) CC=$(CC) SANITIZE=address sanitized

test-tsan: lib cli
	$(TSAN_ENV) $(SWIFT) test -c release --sanitize=thread --scratch-path .build-tsan -Xswiftc -DGLOVE_NO_LLVM_INTRINSICS
	$(TSAN_ENV) $(MAKE) -C Tests/c BUILD=$(abspath $(BUILD)) CC=$(CC) SANITIZE=thread sanitized
	$(TSAN_ENV) $(MAKE) -C bindings/c BUILD=$(abspath $(BUILD)) CC=$(CC) SANITIZE=thread sanitized

test-wheel: wheel
	scripts/test_wheel.sh $(BUILD)/wheels

# The example package (bindings/swift/Example) depends on this one by path; build and run it.
test-example:
	$(SWIFT) build --package-path bindings/swift/Example
	scripts/test_example.sh bindings/swift/Example/.build/debug/GloVeExample

# Reference documentation (DocC) of the GloVe module; warnings fail the build.
docs:
	$(SWIFT) package --allow-writing-to-directory $(BUILD)/docs generate-documentation --target GloVe \
		--warnings-as-errors --output-path $(BUILD)/docs

# libFuzzer targets (Tests/fuzz), each run for FUZZ_SECONDS (15 in CI, to stay under 30 min; long runs: make fuzz FUZZ_SECONDS=600)
# from a copy of its seed corpus.
FUZZ_SECONDS ?= 15
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

demo: setup all
	scripts/demo.sh

bench: all
	$(PYTHON) benchmarks/minhash_bench.py --library $(BUILD)/lib/libglove.so

clean:
	rm -rf $(BUILD) $(SCRATCH) $(SCRATCH)-v3 bindings/python/glove/libglove.so bindings/python/glove/glibc-hwcaps bindings/python/build
