#!/usr/bin/env python3
"""Dense baseline check: the MLP of a Sparsity model run densely by NumPy (its own OpenBLAS).

`sparsity bench MODEL` measures the compiled model against Sparsity's dense path, OpenBLAS
through the system library. This script times the same dense forward pass (Linear, ReLU, ...,
Linear; weights read from the model's safetensors file) in NumPy, whose wheels ship a recent
OpenBLAS, so that a slow system OpenBLAS (for instance one running its generic Prescott
kernels on a CPU it does not know) shows up as a gap between the two dense figures. Inputs
are random; the time of a dense product does not depend on the values. NumPy adds a few
microseconds of Python overhead per operation, so at batch 1 its figure is an upper bound.

Usage: OPENBLAS_NUM_THREADS=2 python3 bench/dense_numpy.py MODEL.safetensors [--batch 1,8,64]
       [--repeats 2000] [--json]
Skips cleanly (exit 0) when NumPy is not installed: pip install numpy
"""
import argparse
import json
import statistics
import struct
import sys
import time


def read_linear_layers(path, np):
    """The (weight, bias) pairs of the model's Linear layers, in order (PyTorch names N.weight)."""
    with open(path, "rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
        data = handle.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype=np.float32).reshape(info["shape"])
    prefixes = {int(name.split(".")[-2]): name[: -len("weight")] for name in tensors if name.endswith(".weight")}
    return [(np.ascontiguousarray(tensors[p + "weight"].T), tensors.get(p + "bias")) for _, p in sorted(prefixes.items())]


def forward(x, layers, buffers, np):
    """ReLU between the Linear layers, written into preallocated buffers."""
    for index, ((weight_t, bias), out) in enumerate(zip(layers, buffers)):
        np.matmul(x, weight_t, out=out)
        if bias is not None:
            out += bias
        if index < len(layers) - 1:
            np.maximum(out, 0, out=out)
        x = out
    return x


def median_ms(layers, batch, repeats, np):
    rng = np.random.default_rng(0)
    x = rng.random((batch, layers[0][0].shape[0]), dtype=np.float32)
    buffers = [np.empty((batch, w.shape[1]), dtype=np.float32) for w, _ in layers]
    for _ in range(repeats // 10 + 10):
        forward(x, layers, buffers, np)
    samples = []
    for _ in range(9):
        start = time.perf_counter()
        for _ in range(repeats):
            forward(x, layers, buffers, np)
        samples.append((time.perf_counter() - start) / repeats * 1000)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("--batch", default="1,8,64")
    parser.add_argument("--repeats", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        import numpy as np
    except ImportError:
        print("NumPy is not installed; skipping (pip install numpy)")
        return
    layers = read_linear_layers(args.model, np)
    config = np.__config__.CONFIG["Build Dependencies"]["blas"]
    blas = "%s %s" % (config.get("name"), config.get("version"))
    for batch in [int(b) for b in args.batch.split(",")]:
        repeats = max(10, args.repeats // batch)
        ms = median_ms(layers, batch, repeats, np)
        if args.json:
            print(json.dumps({"batch": batch, "numpy_dense_ms": ms, "blas": blas}))
        else:
            print("batch %d: numpy dense %.4f ms (%s)" % (batch, ms, blas))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
