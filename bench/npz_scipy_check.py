#!/usr/bin/env python3
"""Check that scipy reads the sparse codes `sparsity code --out codes.npz` writes.

Runs `sparsity code` twice on seeded random data (dense .npy and sparse .npz output), loads the
.npz with scipy.sparse.load_npz and compares it with the dense codes: same shape, same values,
stored entries = nonzeros. Exit 0 with a message when scipy is missing; 1 on a mismatch.

Usage: python3 bench/npz_scipy_check.py [--sparsity PATH]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--sparsity", default=os.path.join(root, ".build", "release", "sparsity"))
    args = parser.parse_args()
    try:
        import scipy.sparse
    except ImportError:
        print("scipy is not installed; skipping the check")
        return 0
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 16)).astype(np.float32)
    D = rng.standard_normal((48, 16))
    D = (D / np.linalg.norm(D, axis=1, keepdims=True)).astype(np.float32)
    with tempfile.TemporaryDirectory() as directory:
        paths = {name: os.path.join(directory, name) for name in ("X.npy", "D.npy", "codes.npy", "codes.npz")}
        np.save(paths["X.npy"], X)
        np.save(paths["D.npy"], D)
        for out in ("codes.npy", "codes.npz"):
            subprocess.run([args.sparsity, "code", "--data", paths["X.npy"], "--dictionary", paths["D.npy"],
                            "--solver", "lars", "--lambda", "0.3", "--out", paths[out]], check=True, capture_output=True)
        dense = np.load(paths["codes.npy"])
        sparse = scipy.sparse.load_npz(paths["codes.npz"])
        ok = (sparse.format == "csr" and sparse.shape == dense.shape and sparse.nnz == np.count_nonzero(dense)
              and np.array_equal(sparse.toarray(), dense))
    print(f"scipy {scipy.__version__} load_npz: {sparse.format} {sparse.shape}, {sparse.nnz} stored entries,"
          f" {'equal to' if ok else 'DIFFERENT from'} the dense .npy codes")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
