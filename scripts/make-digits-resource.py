#!/usr/bin/env python3
"""Rebuilds Sources/SparsityCore/Resources/digits.bin.gz from the digits CSV.

Input: one image a line, 64 comma-separated pixel values 0..16 (an 8x8 image, row by row), then
the class label 0..9 (1,797 lines; see Sources/SparsityCore/Resources/README.md).
Output: the same numbers as 1797 x 65 unsigned bytes, row-major, gzip-compressed with a zero
timestamp so that the file is reproducible byte for byte.

Usage: scripts/make-digits-resource.py [CSV] [OUTPUT]
Defaults: /work/shared/data/digits.csv and Sources/SparsityCore/Resources/digits.bin.gz.
Only the Python standard library is needed.
"""
import gzip
import os
import sys

ROWS, COLUMNS = 1797, 65


def read_rows(path):
    """The CSV's rows as lists of ints, checked for shape and ranges."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            values = [int(field) for field in line.split(",")]
            if len(values) != COLUMNS:
                sys.exit(f"{path}: line {number}: {len(values)} fields, expected {COLUMNS}")
            if not all(0 <= v <= 16 for v in values[:-1]) or not 0 <= values[-1] <= 9:
                sys.exit(f"{path}: line {number}: pixel outside 0..16 or label outside 0..9")
            rows.append(values)
    if len(rows) != ROWS:
        sys.exit(f"{path}: {len(rows)} rows, expected {ROWS}")
    return rows


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    source = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/digits.csv"
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        root, "Sources", "SparsityCore", "Resources", "digits.bin.gz")
    payload = bytes(value for row in read_rows(source) for value in row)
    with open(target, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as out:
            out.write(payload)
    print(f"{target}: {ROWS} x {COLUMNS} bytes, {os.path.getsize(target)} bytes compressed")


if __name__ == "__main__":
    main()
