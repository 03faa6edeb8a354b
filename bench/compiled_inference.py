#!/usr/bin/env python3
"""Compiled inference: repeated `sparsity bench MODEL` runs, medians per batch size.

Runs `sparsity bench MODEL --data digits --batch 1,8,64 --json` RUNS times for every model
given (each run plans anew, then times dense and compiled in one process, their samples
interleaved) and prints per model and batch size the median dense ms, compiled ms and speedup
over the runs, with their range, the kernels chosen most often and the accuracies.

The dense side is OpenBLAS. Its kernel family matters: OpenBLAS 0.3.21 does not recognise
some recent CPUs and runs its generic Prescott (SSE3) kernels there, which makes dense
several times slower. --coretype sets OPENBLAS_CORETYPE for the runs (e.g. SkylakeX on an
AVX-512 CPU, Haswell on AVX2); 'default' leaves the environment alone. Each setting given
is measured in turn.

Usage: python3 bench/compiled_inference.py MODEL.safetensors [MODEL ...] [--runs 5]
       [--batch 1,8,64] [--data digits] [--coretype SkylakeX,default] [--sparsity PATH] [--json]
       [--print-commands DIR]
"""
import argparse
import collections
import json
import os
import statistics
import sys

import sparsity_commands


def run_once(args, model, coretype):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if coretype != "default":
        env["OPENBLAS_CORETYPE"] = coretype
    command = ["bench", model, "--data", args.data, "--batch", args.batch, "--json"]
    done = sparsity_commands.run(args, command, env=env, check=True, capture_output=True, text=True)
    if done is None:
        return []
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def summarize(rows):
    by_batch = collections.defaultdict(list)
    for row in rows:
        by_batch[row["batch"]].append(row)
    summary = []
    for batch, runs in sorted(by_batch.items()):
        speedups = [r["speedup"] for r in runs]
        kernels = collections.Counter(" / ".join(r["kernels"]) for r in runs).most_common(1)[0][0]
        summary.append({
            "batch": batch, "runs": len(runs),
            "dense_ms": statistics.median(r["dense_ms"] for r in runs),
            "sparse_ms": statistics.median(r["sparse_ms"] for r in runs),
            "speedup": statistics.median(speedups), "speedup_min": min(speedups), "speedup_max": max(speedups),
            "kernels": kernels, "dense_accuracy": runs[0]["dense_accuracy"], "sparse_accuracy": runs[0]["sparse_accuracy"],
        })
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", default="1,8,64")
    parser.add_argument("--data", default="digits")
    parser.add_argument("--coretype", default="SkylakeX,default")
    sparsity_commands.add_arguments(parser)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if sparsity_commands.printing(args):
        args.runs = 1
    for model in args.models:
        for coretype in args.coretype.split(","):
            rows = [row for _ in range(args.runs) for row in run_once(args, model, coretype)]
            if not rows:
                continue
            for line in summarize(rows):
                line.update(model=model, openblas_coretype=coretype)
                if args.json:
                    print(json.dumps(line))
                else:
                    print("%s  OPENBLAS_CORETYPE=%s  batch %d: dense %.4f ms, compiled %.4f ms, speedup %.2fx"
                          " (median of %d runs, %.2f to %.2f); kernels %s; accuracy %.2f%% / %.2f%%" % (
                              os.path.basename(model), coretype, line["batch"], line["dense_ms"], line["sparse_ms"],
                              line["speedup"], line["runs"], line["speedup_min"], line["speedup_max"], line["kernels"],
                              line["dense_accuracy"] * 100, line["sparse_accuracy"] * 100))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
