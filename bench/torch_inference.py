#!/usr/bin/env python3
"""Compiled inference against PyTorch on the CPU: one `sparsity train` model, four ways.

MODEL.safetensors (written by `sparsity train`: PyTorch state-dict names, the architecture in its
metadata) is loaded into the torch.nn.Sequential scripts/torch_exchange.py builds, and timed per
batch size with the same number of threads (torch.set_num_threads, SPARSITY_NUM_THREADS and
OPENBLAS_NUM_THREADS):

  torch dense     the Sequential under torch.inference_mode()
  torch sparse    the same with every Linear and Conv2d weight stored as CSR
                  (Tensor.to_sparse_csr()): a Linear is y = (W x^T)^T + b, a Conv2d is W times its
                  input's patches (torch.nn.functional.unfold, im2col), both by torch.sparse.mm
                  (PyTorch has no sparse convolution on the CPU)
  sparsity dense  `sparsity bench MODEL --batch B --json`: OpenBLAS, the model uncompiled
  sparsity compiled  the same run: the kernel per layer that `sparsity compile` chooses

Each PyTorch figure is the median over --samples samples of the mean time of a forward call
(enough calls per sample to last about 20 ms) on random inputs in [0, 1); the time of a dense
or CSR product does not depend on the values. PyTorch runs eagerly: its figures include the
Python dispatch of each layer, which dominates at batch 1 for small models. `sparsity bench` times the test part of the
model's data (its own medians, --samples samples). Ratios > 1 mean Sparsity's compiled model is
faster. The CSR outputs are checked against the dense ones (max-norm relative error).

Usage: python3 bench/torch_inference.py MODEL.safetensors [--batch 1,64] [--threads 2]
       [--samples 9] [--data SOURCE] [--sparsity PATH] [--json] [--print-commands DIR]
Skips cleanly (exit 0) when PyTorch or safetensors is missing: pip install torch safetensors numpy
"""
import argparse
import json
import os
import statistics
import sys
import time
import warnings

import sparsity_commands


def sparsity_results(args):
    """Per batch size, the JSON object `sparsity bench MODEL` prints; {} in --print-commands mode."""
    command = ["bench", args.model, "--batch", args.batch, "--samples", str(args.samples), "--json"]
    if args.data:
        command += ["--data", args.data]
    env = dict(os.environ, SPARSITY_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads))
    done = sparsity_commands.run(args, command, env=env, check=True, capture_output=True, text=True)
    if done is None:
        return {}
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {row["batch"]: row for row in rows}


def load_torch_model(path, torch):
    """The torch.nn.Sequential of a Sparsity model file (scripts/torch_exchange.py's mapping)."""
    sys.path.insert(0, os.path.join(sparsity_commands.ROOT, "scripts"))
    from safetensors import safe_open
    from safetensors.torch import load_file
    from torch_exchange import input_shape, layers_from_json

    with safe_open(path, framework="pt") as handle:
        metadata = handle.metadata() or {}
    if "architecture" not in metadata:
        raise SystemExit(f"{path}: no architecture metadata (was it written by `sparsity train`?)")
    architecture = json.loads(metadata["architecture"])
    model = torch.nn.Sequential(*layers_from_json(architecture))
    model.load_state_dict(load_file(path), strict=True)
    return model.eval(), input_shape(architecture)


def csr_model(model, torch):
    """A copy of `model` whose Linear and Conv2d layers (inside blocks too) multiply by their
    weight stored as CSR."""
    import copy

    class CSRLinear(torch.nn.Module):
        def __init__(self, linear):
            super().__init__()
            self.weight = linear.weight.detach().to_sparse_csr()  # out x in
            self.bias = None if linear.bias is None else linear.bias.detach()[:, None]

        def forward(self, x):  # x is batch x in
            y = torch.sparse.mm(self.weight, x.t())  # out x batch
            return (y if self.bias is None else y + self.bias).t()

    class CSRConv2d(torch.nn.Module):
        def __init__(self, conv):
            super().__init__()
            if conv.groups != 1:
                raise SystemExit("bench/torch_inference.py: grouped convolutions have no CSR form here")
            self.conv = conv
            self.weight = conv.weight.detach().reshape(conv.out_channels, -1).to_sparse_csr()  # out x in*kh*kw
            self.bias = None if conv.bias is None else conv.bias.detach()[:, None]

        def forward(self, x):  # x is batch x C x H x W
            c = self.conv
            patches = torch.nn.functional.unfold(x, c.kernel_size, c.dilation, c.padding, c.stride)  # N x K x L
            n, k, positions = patches.shape
            y = torch.sparse.mm(self.weight, patches.permute(1, 0, 2).reshape(k, n * positions))  # out x N*L
            if self.bias is not None:
                y = y + self.bias
            rows = (x.shape[2] + 2 * c.padding[0] - c.dilation[0] * (c.kernel_size[0] - 1) - 1) // c.stride[0] + 1
            return y.reshape(c.out_channels, n, rows, positions // rows).permute(1, 0, 2, 3).contiguous()

    def replaced(module):
        if isinstance(module, torch.nn.Linear):
            return CSRLinear(module)
        if isinstance(module, torch.nn.Conv2d):
            return CSRConv2d(module)
        module = copy.copy(module)
        module._modules = {name: replaced(child) for name, child in module._modules.items()}
        return module

    return replaced(model).eval()


def median_ms(model, x, samples, torch):
    """Median over `samples` of the mean ms of one forward call, each sample about 20 ms long."""
    with torch.inference_mode():
        model(x)
        calls, started = 1, time.perf_counter()
        while time.perf_counter() - started < 0.02:
            model(x)
            calls += 1
        times = []
        for _ in range(samples):
            started = time.perf_counter()
            for _ in range(calls):
                model(x)
            times.append((time.perf_counter() - started) * 1000 / calls)
    return statistics.median(times)


def torch_rows(args, batches, torch):
    """Per batch size: torch dense and CSR ms, and the CSR output's relative error."""
    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
    dense, shape = load_torch_model(args.model, torch)
    sparse = csr_model(dense, torch)
    generator = torch.Generator().manual_seed(0)
    rows = {}
    for batch in batches:
        x = torch.rand(batch, *(shape if isinstance(shape, tuple) else (shape,)), generator=generator)
        with torch.inference_mode():
            reference, ours = dense(x), sparse(x)
        error = float((ours - reference).abs().max() / reference.abs().max().clamp_min(1e-30))
        rows[batch] = {"torch_dense_ms": median_ms(dense, x, args.samples, torch),
                       "torch_sparse_ms": median_ms(sparse, x, args.samples, torch), "torch_sparse_relative_error": error}
    zeros = [float((m.weight == 0).float().mean()) for m in dense.modules()
             if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d))]
    return rows, zeros


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("--batch", default="1,64")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--samples", type=int, default=9)
    parser.add_argument("--data", help="data source for `sparsity bench` (default: the one saved in the model)")
    parser.add_argument("--json", action="store_true")
    sparsity_commands.add_arguments(parser)
    args = parser.parse_args()
    if sparsity_commands.printing(args):
        sparsity_results(args)
        return 0
    try:
        import torch
        import safetensors  # noqa: F401
    except ImportError as error:
        print(f"bench/torch_inference.py: {error} (pip install torch safetensors numpy); skipped.")
        return 0
    if not os.access(args.sparsity, os.X_OK):
        print(f"no sparsity executable at {args.sparsity}; build it or pass --sparsity", file=sys.stderr)
        return 2
    ours = sparsity_results(args)
    theirs, zeros = torch_rows(args, sorted(ours), torch)
    if not args.json:
        print(f"{os.path.basename(args.model)}: weight zeros per Linear/Conv2d {', '.join(f'{z:.1%}' for z in zeros)};"
              f" {args.threads} threads; PyTorch {torch.__version__}; medians of {args.samples} samples")
        print(f"{'batch':>5} {'torch dense':>12} {'torch csr':>10} {'ours dense':>11} {'ours compiled':>14}"
              f" {'vs torch dense':>15} {'vs torch csr':>13}  kernels")
    for batch in sorted(ours):
        row = dict(batch=batch, **theirs[batch], sparsity_dense_ms=ours[batch]["dense_ms"],
                   sparsity_compiled_ms=ours[batch]["sparse_ms"], kernels=ours[batch]["kernels"],
                   row_bands=ours[batch].get("row_bands"))
        row["speedup_vs_torch_dense"] = row["torch_dense_ms"] / row["sparsity_compiled_ms"]
        row["speedup_vs_torch_sparse"] = row["torch_sparse_ms"] / row["sparsity_compiled_ms"]
        if args.json:
            print(json.dumps(dict(row, model=args.model, threads=args.threads, torch_version=torch.__version__)))
        else:
            print(f"{batch:5d} {row['torch_dense_ms']:9.4f} ms {row['torch_sparse_ms']:7.4f} ms"
                  f" {row['sparsity_dense_ms']:8.4f} ms {row['sparsity_compiled_ms']:11.4f} ms"
                  f" {row['speedup_vs_torch_dense']:14.2f}x {row['speedup_vs_torch_sparse']:12.2f}x  {' / '.join(row['kernels'])}"
                  f"{', row bands ' + row['row_bands'] if row['row_bands'] else ''}"
                  f"  (csr rel. error {row['torch_sparse_relative_error']:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
