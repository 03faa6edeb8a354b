# Sparsity: the two commands that matter on a fresh machine are `make demo` and `make test`.
#
# Builds are optimized for the CPU they run on (SWIFT_CPU=native): the zero-skipping kernels
# are written with Swift SIMD types and need AVX2/AVX-512 code generation to be fast. Set
# SWIFT_CPU= (empty) for a portable build.
SWIFT_CPU ?= native
CPU_FLAGS := $(if $(SWIFT_CPU),-Xswiftc -target-cpu -Xswiftc $(SWIFT_CPU),)
BUILD_FLAGS := -c release $(CPU_FLAGS)
SPARSITY := .build/release/sparsity

.PHONY: all setup build demo test bench clean

all: build

setup:
	@bash scripts/bootstrap.sh

build: setup
	swift build $(BUILD_FLAGS) --product sparsity

## The main job (about two minutes): the seed's example, seven ways to train one network on the
## digits compared, the seed's claims checked, a dictionary, the speedup; report in sparsity-report/
demo: build
	$(SPARSITY) demo

## Unit and end-to-end tests, built optimized so kernels are tested as they ship.
test: setup
	swift build $(BUILD_FLAGS) --product sparsity
	swift test $(BUILD_FLAGS) -Xswiftc -enable-testing

## Full kernel benchmark: OpenBLAS dense against every zero-skipping kernel.
bench: build
	$(SPARSITY) bench kernels

clean:
	rm -rf .build
