#!/usr/bin/env bash
# Installs what Sparsity needs on a fresh Debian machine: OpenBLAS, zlib and pkg-config; with
# the argument `test`, also what the tests use: espeak-ng, which synthesizes the speech of the
# sound tests (never needed by the library or `make demo`); with `mpi`, Open MPI (libopenmpi-dev
# and openmpi-bin), which only the MPI build (MPI/, `make mpi`) needs; with `mpi-test`, Open MPI
# and iproute2, which the MPI checks (`make mpi-test`) use.
# The Swift toolchain itself must already be on PATH.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: the Swift toolchain (swift) is not on PATH; install Swift 6 first." >&2
  exit 1
fi

if [ "$(uname -s)" = "Darwin" ]; then
  exit 0  # Accelerate provides BLAS and the SDK provides zlib on Apple platforms.
fi

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists openblas 2>/dev/null; then missing+=(libopenblas-dev); fi
if ! pkg-config --exists zlib 2>/dev/null; then missing+=(zlib1g-dev); fi
if [ "${1:-}" = test ] && ! command -v espeak-ng >/dev/null 2>&1; then missing+=(espeak-ng); fi
if [ "${1:-}" = mpi ] || [ "${1:-}" = mpi-test ]; then
  pkg-config --exists ompi-c 2>/dev/null || missing+=(libopenmpi-dev)
  command -v mpirun >/dev/null 2>&1 || missing+=(openmpi-bin)
fi
# The two-host check of scripts/mpi.sh makes network namespaces with ip (iproute2).
if [ "${1:-}" = mpi-test ] && ! command -v ip >/dev/null 2>&1; then missing+=(iproute2); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]} with apt-get"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
