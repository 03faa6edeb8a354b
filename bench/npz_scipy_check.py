#!/usr/bin/env python3
"""Check that scipy reads the sparse codes `sparsity code --out codes.npz` writes.

Runs `sparsity code` twice on seeded random data (dense .npy and sparse .npz output), loads the
.npz with scipy.sparse.load_npz and compares it with the dense codes: same shape, same values,
stored entries = nonzeros. Exit 0 with a message when scipy is missing; 1 on a mismatch.

Usage: python3 bench/npz_scipy_check.py [--sparsity PATH] [--print-commands DIR]
"""

import argparse
import os
import sys
import tempfile

import numpy as np

import sparsity_commands


def encode(args, directory):
    """Writes seeded X and D into `directory` and runs `sparsity code` to codes.npy and codes.npz."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 16)).astype(np.float32)
    D = rng.standard_normal((48, 16))
    D = (D / np.linalg.norm(D, axis=1, keepdims=True)).astype(np.float32)
    paths = {name: os.path.join(directory, name) for name in ("X.npy", "D.npy", "codes.npy", "codes.npz")}
    np.save(paths["X.npy"], X)
    np.save(paths["D.npy"], D)
    for out in ("codes.npy", "codes.npz"):
        sparsity_commands.run(args, ["code", "--data", paths["X.npy"], "--dictionary", paths["D.npy"], "--solver", "lars",
                                     "--lambda", "0.3", "--out", paths[out]], check=True, capture_output=True)
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sparsity_commands.add_arguments(parser)
    args = parser.parse_args()
    if sparsity_commands.printing(args):
        encode(args, sparsity_commands.work_directory(args, None))
        return 0
    try:
        import scipy.sparse
    except ImportError:
        print("scipy is not installed; skipping the check")
        return 0
    with tempfile.TemporaryDirectory() as directory:
        paths = encode(args, directory)
        dense = np.load(paths["codes.npy"])
        sparse = scipy.sparse.load_npz(paths["codes.npz"])
        ok = (sparse.format == "csr" and sparse.shape == dense.shape and sparse.nnz == np.count_nonzero(dense)
              and np.array_equal(sparse.toarray(), dense))
    print(f"scipy {scipy.__version__} load_npz: {sparse.format} {sparse.shape}, {sparse.nnz} stored entries,"
          f" {'equal to' if ok else 'DIFFERENT from'} the dense .npy codes")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
