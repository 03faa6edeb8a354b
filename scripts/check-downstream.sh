#!/usr/bin/env bash
# Builds and runs Examples/Downstream, a package that depends on Sparsity by path and uses only its
# public API: trains a small sparse network, compiles it, checks compiled against dense outputs.
# A plain release build (no CPU flags), as a downstream user would build. Exit status: the example's.
set -euo pipefail
cd "$(dirname "$0")/../Examples/Downstream"
swift build -c release
.build/release/downstream
