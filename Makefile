# Sparsity: the two commands that matter on a fresh machine are `make demo` and `make test`.
#
# Builds are portable, as every package that depends on Sparsity builds it: the kernels' inner
# loops are compiled for SSE2, AVX2+FMA and AVX-512 and chosen at run time (CSparsityKernels).
# SWIFT_CPU=native also tunes the Swift code for this CPU (docs/PERFORMANCE.md compares both).
SWIFT_CPU ?=
CPU_FLAGS := $(if $(SWIFT_CPU),-Xswiftc -target-cpu -Xswiftc $(SWIFT_CPU),)
BUILD_FLAGS := -c release $(CPU_FLAGS)
SPARSITY := .build/release/sparsity

.PHONY: all setup setup-test build demo test bench docs fuzz mpi mpi-test format lint clean

all: build

setup:
	@bash scripts/bootstrap.sh

## What the tests need beyond the build: espeak-ng (speech for the sound tests).
setup-test:
	@bash scripts/bootstrap.sh test

build: setup
	swift build $(BUILD_FLAGS) --product sparsity

## The main job (about two minutes): the seed's example, seven ways to train one network on the
## digits compared, the seed's claims checked, a dictionary, the speedup; report in sparsity-report/
demo: build
	$(SPARSITY) demo

## Unit and end-to-end tests, built optimized so kernels are tested as they ship.
test: setup-test
	swift build $(BUILD_FLAGS) --product sparsity
	swift test $(BUILD_FLAGS) -Xswiftc -enable-testing

## Full kernel benchmark: OpenBLAS dense against every zero-skipping kernel.
bench: build
	$(SPARSITY) bench kernels

## DocC documentation of every library module, offline with the toolchain's docc:
## .build/docs/index.html links to each module's archive (scripts/build-docs.sh).
docs: setup
	bash scripts/build-docs.sh

## libFuzzer on every file parser (the Fuzz package; scripts/fuzz.sh): FUZZ_SECONDS per target,
## one after another; a crash, a broken invariant, a timeout or a memory blow-up fails it.
FUZZ_SECONDS ?= 60
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

## The MPI build (the MPI/ package: MPI/.build/release/sparsity-mpi, run under mpirun), with
## Open MPI installed first when missing; never needed by the library, `make demo` or `make test`.
mpi: build
	bash scripts/bootstrap.sh mpi
	rm -f MPI/.build/release.yaml  # SwiftPM may keep a stale plan of the path dependency's files
	cd MPI && swift build $(BUILD_FLAGS)

## The MPI checks (scripts/mpi.sh): 1, 2 and 3 ranks give the single process's model bit for bit;
## a failing or killed rank stops the job and writes nothing; two hosts (network namespaces) over TCP.
mpi-test: mpi
	bash scripts/bootstrap.sh mpi-test
	bash scripts/mpi.sh

## Formatting: the toolchain's swift-format with the checked-in .swift-format (line length 120).
SWIFT_SOURCES := Sources Tests Package.swift Examples/Downstream/Sources Examples/Downstream/Package.swift \
  Fuzz/Sources Fuzz/Package.swift MPI/Sources/SparsityMPI MPI/Package.swift
format:
	swift format format -i -r $(SWIFT_SOURCES)

lint:
	swift format lint --strict -r $(SWIFT_SOURCES)

clean:
	rm -rf .build
