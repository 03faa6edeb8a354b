#!/usr/bin/env python3
"""CNN training: Sparsity against PyTorch on the CPU of the same machine, same data, in one run.

Both train the network of --arch (default LeNet: conv:20:5x5,relu,maxpool:2,conv:50:5x5,relu,
maxpool:2,flatten,500,relu; a Linear to the 10 classes is added, after a flatten when the list
ends on images) on MNIST-format IDX files (--data DIR, as `sparsity train --data mnist:DIR`
reads them; without it, random images, --samples of them). Both do what `sparsity train` does:
  - data: MNIST's own test set; --validation (0.1) of the training images held out for
    validation after each epoch (a seeded split of round(0.1 n) images, ours and numpy's
    generators differ, the sizes agree);
  - scaling `unit`: every pixel divided by the largest absolute pixel of all training images
    (one number, fitted before the validation split), the test set by the same number;
  - initialization: He (kaiming normal, fan_in, std sqrt(2 / fan_in)) for every Conv2d and
    Linear weight, biases 0; seeded (--seed) on each side;
  - Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), softmax cross-entropy (mean), batch 64, a seeded
    shuffle every epoch, the last batch partial.
The throughput of each is the median of its epochs' samples per second: training samples
(the part left after validation) over the seconds of the training steps only, as `sparsity train
--json` reports per epoch; PyTorch first warms up on 20 batches with a throwaway copy of the
model. Prints both, the ratio, the test accuracy after the last epoch and the CPU model, and
how many cores other processes took meanwhile (other_cores: over Sparsity's whole run, per
epoch for PyTorch; above 0.2 the timings are noisy: rerun on a quiet machine).
Sparsity runs with SPARSITY_NUM_THREADS and OPENBLAS_NUM_THREADS = --threads, PyTorch with
torch.set_num_threads(--threads).

Usage: python3 bench/cnn_train.py [--data DIR] [--arch LIST] [--epochs 3] [--threads 2]
       [--batch 64] [--lr 1e-3] [--validation 0.1] [--seed 0] [--samples 60000] [--sparsity PATH]
       [--json] [--print-commands DIR]
Data: bench/mnist_format_digits.py DIR (stand-in, any size), bench/mnist_subset.py DIR (real MNIST, 5k).
Skips cleanly (exit 0) when PyTorch is not installed: pip install torch numpy
"""
import argparse
import copy
import gzip
import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np

import sparsity_commands
from mnist_format_digits import write_idx

LENET = "conv:20:5x5,relu,maxpool:2,conv:50:5x5,relu,maxpool:2,flatten,500,relu"
CLASSES = 10
FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz"]


# MARK: - The architecture

def window(options, allowed):
    """The options (sS, pP, dD, gG, nobias as b) of a conv or pool token, those of `allowed`, as a dict."""
    values = {}
    for option in options:
        key = "b" if option == "nobias" else option[:1]
        if key not in allowed or key in values or (key != "b" and not option[1:].isdigit()):
            raise ValueError(f"'{option}' is not an option here, or is repeated")
        values[key] = 0 if key == "b" else int(option[1:])
    return values


def kernel_sides(text):
    """`KxK` or `K` as (rows, columns)."""
    sides = [int(side) for side in text.split("x")]
    if len(sides) not in (1, 2) or min(sides) < 1:
        raise ValueError(f"'{text}' is not a kernel KxK or K")
    return sides[0], sides[-1]


def torch_layers(arch, image=(1, 28, 28), classes=CLASSES):
    """torch.nn layers for a `sparsity train --arch` list: conv, relu, maxpool, flatten and sizes,
    then (after a flatten when the list ends on images) the Linear to `classes`.
    Raises ValueError for other tokens or shapes that do not fit."""
    import torch.nn as nn

    shape, layers = tuple(image), []

    def out(size, k, s, p, d=1):
        result = (size + 2 * p - d * (k - 1) - 1) // s + 1
        if result < 1:
            raise ValueError(f"a window of {k} does not fit {size} pixels")
        return result

    for token in [t.strip().lower() for t in arch.split(",")]:
        name, *arguments = token.split(":")
        if name.isdigit() or name == "linear":
            size = int(name if name.isdigit() else arguments.pop(0))
            if arguments not in ([], ["nobias"]) or len(shape) != 1:
                raise ValueError(f"'{token}': a size takes flat features (flatten first), option only :nobias")
            layers.append(nn.Linear(shape[0], size, bias=not arguments))
            shape = (size,)
        elif token == "relu":
            layers.append(nn.ReLU())
        elif token == "flatten":
            layers.append(nn.Flatten())
            shape = (int(np.prod(shape)),)
        elif name == "conv" and len(arguments) >= 2 and len(shape) == 3:
            (kr, kc), o = kernel_sides(arguments[1]), window(arguments[2:], "spdgb")
            s, p, d, g = o.get("s", 1), o.get("p", 0), o.get("d", 1), o.get("g", 1)
            layers.append(nn.Conv2d(shape[0], int(arguments[0]), (kr, kc), stride=s, padding=p, dilation=d,
                                    groups=g, bias="b" not in o))
            shape = (int(arguments[0]), out(shape[1], kr, s, p, d), out(shape[2], kc, s, p, d))
        elif name == "maxpool" and len(arguments) >= 1 and len(shape) == 3:
            (kr, kc), o = kernel_sides(arguments[0]), window(arguments[1:], "sp")
            s, p = o.get("s"), o.get("p", 0)
            stride = (s, s) if s is not None else (kr, kc)
            layers.append(nn.MaxPool2d((kr, kc), stride=stride, padding=p))
            shape = (shape[0], out(shape[1], kr, stride[0], p), out(shape[2], kc, stride[1], p))
        else:
            raise ValueError(f"'{token}': cnn_train.py builds conv:C:KxK, relu, maxpool:K, flatten and sizes N"
                             f" (on images, resp. flat features after flatten)")
    if len(shape) == 3:
        layers.append(nn.Flatten())
        shape = (int(np.prod(shape)),)
    layers.append(nn.Linear(shape[0], classes))
    return layers


# MARK: - The data

def read_idx(path):
    """An IDX file of unsigned bytes (.gz) as a numpy array."""
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    dimensions = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dimensions)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def write_random(directory, samples, seed):
    """Random MNIST-format images: `samples` for training, a sixth as many for testing."""
    rng = np.random.default_rng(seed)
    os.makedirs(directory, exist_ok=True)
    for prefix, count in [("train", samples), ("t10k", max(10, samples // 6))]:
        write_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"),
                  rng.integers(0, 256, (count, 28, 28), dtype=np.uint8))
        write_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"),
                  rng.integers(0, CLASSES, count, dtype=np.uint8))


def prepared(directory, validation, seed):
    """(fit, validation, test) as (float32 N x 1 x 28 x 28 images, int64 labels), scaled as `unit`."""
    images, labels, test_images, test_labels = [read_idx(os.path.join(directory, name)) for name in FILES]
    largest = float(np.abs(images).max())
    scale = np.float32(1 / largest if largest > 0 else 1)

    def tensor(pixels):
        return (pixels.astype(np.float32) * scale)[:, None, :, :]

    held = min(max(int(round(len(labels) * validation)), 1), len(labels) - 1)
    order = np.random.default_rng(seed + 1).permutation(len(labels))
    fit, check = order[held:], order[:held]
    return [(tensor(images[part]), labels[part].astype(np.int64)) for part in (fit, check)] + [
        (tensor(test_images), test_labels.astype(np.int64))]


# MARK: - The runs

def torch_run(args, directory):
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    (x, y), (vx, vy), (tx, ty) = [(torch.from_numpy(a), torch.from_numpy(b))
                                  for a, b in prepared(directory, args.validation, args.seed)]
    model = torch.nn.Sequential(*torch_layers(args.arch, image=tuple(x.shape[1:])))
    for layer in model:
        if isinstance(layer, (torch.nn.Conv2d, torch.nn.Linear)):
            torch.nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
            if layer.bias is not None:
                torch.nn.init.zeros_(layer.bias)
    loss_fn = torch.nn.CrossEntropyLoss()
    shuffle = torch.Generator().manual_seed(args.seed)

    def epoch(net, optimizer, limit):
        net.train()
        order = torch.randperm(len(y), generator=shuffle)[:limit]
        for start in range(0, limit, args.batch):
            index = order[start:start + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(net(x[index]), y[index]).backward()
            optimizer.step()

    def accuracy(features, labels):
        model.eval()
        with torch.no_grad():
            hits = sum(int((model(features[i:i + 1000]).argmax(1) == labels[i:i + 1000]).sum())
                       for i in range(0, len(labels), 1000))
        return hits / len(labels)

    warm = copy.deepcopy(model)
    epoch(warm, torch.optim.Adam(warm.parameters(), lr=args.lr), min(len(y), 20 * args.batch))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    rates, validation, others = [], [], []
    for _ in range(args.epochs):
        load, started = sparsity_commands.OtherLoad(), time.perf_counter()
        epoch(model, optimizer, len(y))
        rates.append(len(y) / (time.perf_counter() - started))
        others.append(load.cores())
        validation.append(accuracy(vx, vy))
    return {"samples_per_second": rates, "validation_accuracy": validation, "test_accuracy": accuracy(tx, ty),
            "other_cores": others,
            "train_samples": len(y), "version": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available()}


def sparsity_run(args, directory):
    command = ["train", "--data", f"mnist:{directory}", "--arch", args.arch, "--epochs", args.epochs,
               "--batch", args.batch, "--optimizer", "adam", "--lr", args.lr, "--validation", args.validation,
               "--scaling", "unit", "--seed", args.seed, "--json"]
    env = dict(os.environ, SPARSITY_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads))
    load = sparsity_commands.OtherLoad()
    done = sparsity_commands.run(args, command, capture_output=True, text=True, env=env)
    if done is None:
        return None, command
    if done.returncode != 0:
        sys.exit(f"bench/cnn_train.py: sparsity {' '.join(map(str, command))} failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return {"samples_per_second": [e["samples_per_second"] for e in report["history"]],
            "validation_accuracy": [e["validation_accuracy"] for e in report["history"]],
            "test_accuracy": report["accuracy"], "other_cores": [load.cores()]}, command


def print_text(args, result, ours, theirs):
    print(f"CNN {args.arch} (+ Linear to {CLASSES}), batch {args.batch}, Adam lr {args.lr}, {args.epochs} epochs,"
          f" {theirs['train_samples']} training samples of {result['data']}, {args.threads} threads,"
          f" {result['cpu']}")
    for name, run in [("Sparsity", ours), (f"PyTorch {theirs['version']} (mkldnn {theirs['mkldnn']})", theirs)]:
        rates = " ".join(f"{r:.0f}" for r in run["samples_per_second"])
        print(f"{name}: {rates} samples/s (median {statistics.median(run['samples_per_second']):.0f}),"
              f" validation accuracy by epoch {' '.join(f'{a:.3f}' for a in run['validation_accuracy'])},"
              f" test accuracy {run['test_accuracy']:.4f}")
    print(f"ratio Sparsity / PyTorch: {result['ratio']:.2f}x")
    busiest = max([c for r in (ours, theirs) for c in r["other_cores"] if c is not None], default=0)
    if busiest > 0.2:
        print(f"noisy: other processes took up to {busiest:.2f} cores during the timings (other_cores in --json)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sparsity_commands.add_arguments(parser)
    parser.add_argument("--data", help="a directory of MNIST's four IDX .gz files (default: random images)")
    parser.add_argument("--samples", type=int, default=60000, help="random training images without --data")
    parser.add_argument("--arch", default=LENET)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--validation", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        directory = args.data or os.path.join(sparsity_commands.work_directory(args, temporary), "mnist-random")
        if args.data is None:
            write_random(directory, args.samples, args.seed)
        if sparsity_commands.printing(args):
            sparsity_run(args, directory)
            return 0
        try:
            import torch  # noqa: F401
        except ImportError:
            print("bench/cnn_train.py: PyTorch is not installed (pip install torch numpy); skipped.")
            return 0
        try:
            torch_layers(args.arch)
        except ValueError as error:
            sys.exit(f"bench/cnn_train.py: --arch {args.arch}: {error}")
        if not os.path.exists(args.sparsity):
            print(f"bench/cnn_train.py: {args.sparsity} not found; run 'make build' first.", file=sys.stderr)
            return 2
        ours, command = sparsity_run(args, directory)
        theirs = torch_run(args, directory)
    ours_median, theirs_median = (statistics.median(r["samples_per_second"]) for r in (ours, theirs))
    result = {
        "arch": args.arch, "data": args.data or f"{args.samples} random images", "batch": args.batch,
        "epochs": args.epochs, "threads": args.threads, "cpu": sparsity_commands.cpu_model(),
        "train_samples": theirs["train_samples"], "sparsity": ours, "torch": theirs,
        "sparsity_median": ours_median, "torch_median": theirs_median, "ratio": ours_median / theirs_median,
        "torch_version": theirs["version"], "command": " ".join([args.sparsity] + list(map(str, command))),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print_text(args, result, ours, theirs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
