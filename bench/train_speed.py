#!/usr/bin/env python3
"""Training throughput: Sparsity against PyTorch on the CPU of the same machine, in one run.

Both train the same MLP (784-512-512-10 by default: Linear-ReLU per hidden layer, then
Linear) with Adam (lr 1e-3) and softmax cross-entropy, batch 128, on 60,000 random samples,
for 3 epochs after a warm-up of 20 batches, with 2 threads each. The figure of each is the
median of its epochs' samples per second (training steps only). Prints both and the ratio.

Usage: python3 bench/train_speed.py [--sparsity PATH] [--epochs 3] [--threads 2] [--samples 60000]
       [--batch 128] [--inputs 784] [--layers 512,512] [--classes 10] [--json] [--print-commands DIR]
Skips cleanly (exit 0) when PyTorch is not installed: pip install torch numpy
"""
import argparse
import json
import os
import statistics
import sys
import time

import sparsity_commands


def torch_rates(args):
    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.standard_normal((args.samples, args.inputs), dtype=np.float32))
    y = torch.from_numpy(rng.integers(0, args.classes, args.samples))
    layers, width = [], args.inputs
    for hidden in args.layers:
        layers += [torch.nn.Linear(width, hidden), torch.nn.ReLU()]
        width = hidden
    layers.append(torch.nn.Linear(width, args.classes))
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch(limit):
        order = torch.randperm(limit)
        for start in range(0, limit, args.batch):
            index = order[start:start + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimizer.step()

    epoch(min(args.samples, 20 * args.batch))
    rates = []
    for _ in range(args.epochs):
        started = time.perf_counter()
        epoch(args.samples)
        rates.append(args.samples / (time.perf_counter() - started))
    return rates, torch.__version__, torch.backends.mkldnn.is_available()


def sparsity_rates(args):
    command = ["bench", "training", "--json", "--epochs", args.epochs, "--batch", args.batch,
               "--samples", args.samples, "--inputs", args.inputs, "--classes", args.classes,
               "--layers", ",".join(map(str, args.layers))]
    env = dict(os.environ, SPARSITY_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads))
    done = sparsity_commands.run(args, command, check=True, capture_output=True, text=True, env=env)
    if done is None:
        return None, command
    return json.loads(done.stdout.strip().splitlines()[-1])["samples_per_second"], command


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sparsity_commands.add_arguments(parser)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--samples", type=int, default=60000)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--inputs", type=int, default=784)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--layers", type=lambda s: [int(v) for v in s.split(",")], default=[512, 512])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if sparsity_commands.printing(args):
        sparsity_rates(args)
        return 0
    try:
        import torch  # noqa: F401
    except ImportError:
        print("bench/train_speed.py: PyTorch is not installed (pip install torch numpy); skipped.")
        return 0
    if not os.path.exists(args.sparsity):
        print(f"bench/train_speed.py: {args.sparsity} not found; run 'make build' first.", file=sys.stderr)
        return 2
    ours, command = sparsity_rates(args)
    theirs, version, mkldnn = torch_rates(args)
    ratio = statistics.median(ours) / statistics.median(theirs)
    result = {
        "architecture": "-".join(map(str, [args.inputs] + args.layers + [args.classes])), "batch": args.batch,
        "threads": args.threads, "sparsity_samples_per_second": ours, "torch_samples_per_second": theirs,
        "sparsity_median": statistics.median(ours), "torch_median": statistics.median(theirs), "ratio": ratio,
        "torch_version": version, "command": " ".join([args.sparsity] + list(map(str, command))),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"MLP {result['architecture']}, batch {args.batch}, Adam, {args.samples} samples, {args.threads} threads")
        print(f"Sparsity : {' '.join(f'{r:.0f}' for r in ours)} samples/s (median {result['sparsity_median']:.0f})")
        print(f"PyTorch {version} (mkldnn {mkldnn}): {' '.join(f'{r:.0f}' for r in theirs)} samples/s (median {result['torch_median']:.0f})")
        print(f"ratio Sparsity / PyTorch: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
