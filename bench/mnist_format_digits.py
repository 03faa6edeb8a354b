#!/usr/bin/env python3
"""MNIST-format stand-in data: the 8x8 digits scaled to 28x28, as MNIST's four IDX files.

MNIST itself cannot be downloaded on the development machines, but the inference targets are
stated for a 784-input network on MNIST-format data. This writes train-images-idx3-ubyte.gz,
train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz into DIR:
each image is one of the 1,797 digits (8x8, 0..16), upscaled bilinearly to 20x20, placed in a
28x28 frame at a seeded random offset of up to +-4 pixels around the centre (as MNIST centres
its 20x20 digits), scaled to 0..255. Train and test images come from disjoint digits (the
first 80% and the last 20% of a seeded shuffle), so test accuracy is on unseen writers' digits.
Figures from it are MNIST-shaped (784 inputs, about 80% background pixels), not MNIST.

Needs numpy and the digits: scikit-learn's bundled copy (`sklearn.datasets.load_digits`, no
download) or a CSV of 64 pixel columns and a label column (--digits-csv, e.g. shared/data/digits.csv).

Usage: python3 bench/mnist_format_digits.py DIR [--train 20000] [--test 2000] [--seed 0]
"""
import argparse
import gzip
import os
import struct
import sys

import numpy as np


def load_digits(csv_path):
    if csv_path:
        rows = np.loadtxt(csv_path, delimiter=",", skiprows=1)
        return rows[:, :64].reshape(-1, 8, 8), rows[:, 64].astype(np.uint8)
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError:
        sys.exit("mnist_format_digits: needs scikit-learn (pip install scikit-learn) or --digits-csv FILE")
    digits = sklearn_digits()
    return digits.images, digits.target.astype(np.uint8)


def upscale(image, size):
    """Bilinear resize of a square image to size x size (pixel centres aligned)."""
    n = image.shape[0]
    coordinates = (np.arange(size) + 0.5) * n / size - 0.5
    low = np.clip(np.floor(coordinates).astype(int), 0, n - 1)
    high = np.clip(low + 1, 0, n - 1)
    weight = np.clip(coordinates - low, 0, 1)
    rows = image[low] * (1 - weight)[:, None] + image[high] * weight[:, None]
    return rows[:, low] * (1 - weight)[None, :] + rows[:, high] * weight[None, :]


def frames(images, labels, count, rng):
    picks = rng.integers(0, len(images), count)
    shifts = rng.integers(-4, 5, (count, 2))
    out = np.zeros((count, 28, 28), dtype=np.uint8)
    scaled = [np.clip(upscale(image, 20) * (255 / 16), 0, 255) for image in images]
    for k, (pick, (dy, dx)) in enumerate(zip(picks, shifts)):
        y, x = 4 + dy, 4 + dx
        out[k, y:y + 20, x:x + 20] = scaled[pick].round().astype(np.uint8)
    return out, labels[picks]


def write_idx(path, array):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    with gzip.open(path + ".tmp", "wb") as handle:
        handle.write(header + array.tobytes())
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--train", type=int, default=20000)
    parser.add_argument("--test", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--digits-csv", help="a CSV of 64 pixel columns then the label, with a header row")
    args = parser.parse_args()
    images, labels = load_digits(args.digits_csv)
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(images))
    split = int(len(images) * 0.8)
    train_images, train_labels = frames(images[order[:split]], labels[order[:split]], args.train, rng)
    test_images, test_labels = frames(images[order[split:]], labels[order[split:]], args.test, rng)
    os.makedirs(args.directory, exist_ok=True)
    for name, array in [("train-images-idx3-ubyte.gz", train_images), ("train-labels-idx1-ubyte.gz", train_labels),
                        ("t10k-images-idx3-ubyte.gz", test_images), ("t10k-labels-idx1-ubyte.gz", test_labels)]:
        write_idx(os.path.join(args.directory, name), array)
    print(f"wrote {args.train} training and {args.test} test images of 28x28 to {args.directory}")


if __name__ == "__main__":
    main()
