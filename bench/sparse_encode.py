#!/usr/bin/env python3
"""Sparse encoding speed and objective: scikit-learn's lasso_cd against `sparsity code`.

Problem (per sample x, dictionary D atoms x features with unit-norm rows):

    minimize_a  0.5 * ||x - a D||^2 + alpha * ||a||_1,      alpha = 0.5

Scaling: sklearn.decomposition.sparse_encode(algorithm='lasso_cd', alpha=alpha) fits
Lasso(alpha=alpha / n_features) on (1 / (2 n_features)) ||x - D^T a||^2 + (alpha / n_features) ||a||_1,
which is the problem above divided by n_features; so sklearn's alpha and our --lambda are the
same number (0.5) and both objectives are evaluated here in numpy with the formula above.

Usage: python3 bench/sparse_encode.py [--sparsity PATH] [--samples N] [--repeats R] [--solvers lars,cd]
       [--features F] [--atoms K] [--alpha A] [--seed S] [--print-commands DIR]
Exit 0 with a message when scikit-learn is missing; exit 1 when one of our Lasso solvers ends
with a mean objective worse than sklearn's by more than a relative 1e-4.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import warnings

import numpy as np

import sparsity_commands

LASSO_SOLVERS = ["fista", "ista", "cd", "lars"]
ALL_SOLVERS = LASSO_SOLVERS + ["omp", "threshold"]


def objectives(X, codes, D, alpha):
    """Per-sample 0.5 ||x - a D||^2 + alpha ||a||_1, in float64."""
    residual = X - codes.astype(np.float64) @ D
    return 0.5 * np.einsum("ij,ij->i", residual, residual) + alpha * np.abs(codes).sum(axis=1)


def problem(samples, features, atoms, seed):
    """Seeded X and unit-norm D, rounded to float32 so both tools see the same numbers."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((samples, features)).astype(np.float32).astype(np.float64)
    D = rng.standard_normal((atoms, features))
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    D = D.astype(np.float32).astype(np.float64)
    D /= np.linalg.norm(D, axis=1, keepdims=True)  # unit norm within float32 rounding either way
    return X, D


def write_problem(directory, X, D):
    """Saves X and D as float32 .npy files in `directory`; returns their paths."""
    x_path, d_path = os.path.join(directory, "X.npy"), os.path.join(directory, "D.npy")
    np.save(x_path, X.astype(np.float32))
    np.save(d_path, D.astype(np.float32))
    return x_path, d_path


def code_command(x_path, d_path, out, alpha, solver):
    """The `sparsity code` arguments that encode X over D with `solver`."""
    return ["code", "--data", x_path, "--dictionary", d_path, "--lambda", str(alpha), "--solver", solver,
            "--out", out, "--json"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sparsity_commands.add_arguments(parser)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--features", type=int, default=64)
    parser.add_argument("--atoms", type=int, default=256)
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--solvers", default=",".join(ALL_SOLVERS),
                        help="comma-separated subset of " + ",".join(ALL_SOLVERS))
    args = parser.parse_args()
    solvers = [name for name in args.solvers.split(",") if name]
    unknown = [name for name in solvers if name not in ALL_SOLVERS]
    if unknown or not any(name in LASSO_SOLVERS for name in solvers):
        parser.error(f"--solvers needs at least one of {LASSO_SOLVERS}, got {args.solvers}")
    if sparsity_commands.printing(args):
        directory = sparsity_commands.work_directory(args, None)
        x_path, d_path = write_problem(directory, *problem(args.samples, args.features, args.atoms, args.seed))
        for solver in solvers:
            sparsity_commands.run(args, code_command(x_path, d_path, os.path.join(directory, "codes.npy"), args.alpha, solver))
        return 0
    try:
        import sklearn
        from sklearn.decomposition import sparse_encode
        from sklearn.exceptions import ConvergenceWarning
    except ImportError:
        print("scikit-learn is not installed (pip install scikit-learn); skipping the comparison")
        return 0
    if not os.access(args.sparsity, os.X_OK):
        print(f"no sparsity executable at {args.sparsity}; build it or pass --sparsity", file=sys.stderr)
        return 2

    X, D = problem(args.samples, args.features, args.atoms, args.seed)
    n = args.samples
    print(f"{n} samples x {args.features} features, {args.atoms} unit-norm atoms, alpha = lambda = {args.alpha};"
          f" scikit-learn {sklearn.__version__}, median of {args.repeats}")

    rows = []
    for jobs in (None, os.cpu_count()):
        times, cpu, codes, warned = [], [], None, 0
        for _ in range(args.repeats):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                start, cpu_start = time.perf_counter(), time.process_time()
                codes = sparse_encode(X, D, algorithm="lasso_cd", alpha=args.alpha, n_jobs=jobs)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - cpu_start)  # this process only: not n_jobs workers
            warned = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
        objective = objectives(X, codes, D, args.alpha).mean()
        rows.append((f"sklearn lasso_cd n_jobs={jobs}", statistics.median(times), None, objective,
                     float((codes != 0).sum(axis=1).mean()), statistics.median(cpu) if jobs is None else None))
        if jobs is None:  # with n_jobs > 1 the warnings come from worker processes, uncounted
            print(f"sklearn n_jobs=None: {warned} ConvergenceWarning(s) in the last run (samples at max_iter=1000)")
    reference_seconds = rows[0][1]  # the default call, n_jobs=None (one core)
    reference = rows[0][3]
    failures = []
    with tempfile.TemporaryDirectory() as directory:
        x_path, d_path = write_problem(directory, X, D)
        out = os.path.join(directory, "codes.npy")
        for solver in solvers:
            wall, solve, cpu, report = [], [], [], None
            command = code_command(x_path, d_path, out, args.alpha, solver)
            for _ in range(args.repeats):
                start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
                done = sparsity_commands.run(args, command, capture_output=True, text=True)
                wall.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                if done.returncode != 0:
                    print(f"sparsity {' '.join(command)} failed: {done.stderr.strip()}", file=sys.stderr)
                    return 2
                report = json.loads(done.stdout)
                solve.append(report["solver_seconds"])
            ours = np.load(out)
            objective = objectives(X, ours, D, args.alpha).mean()
            rows.append((f"sparsity {solver}", statistics.median(wall), statistics.median(solve), objective,
                         float((ours != 0).sum(axis=1).mean()), statistics.median(cpu)))
            if solver in LASSO_SOLVERS and objective > reference * (1 + 1e-4):
                failures.append(f"{solver}: mean objective {objective:.8f} > sklearn {reference:.8f} (rel 1e-4)")

    reference_cpu = rows[0][5]
    print(f"{'method':<28}{'wall s':>9}{'solver s':>10}{'cpu s':>9}{'samples/s':>12}{'vs sklearn':>11}"
          f"{'mean objective':>17}{'nnz/sample':>12}")
    for name, wall, solve, objective, nonzeros, cpu_seconds in rows:
        solver_text = f"{solve:10.4f}" if solve is not None else f"{'-':>10}"
        cpu_text = f"{cpu_seconds:9.4f}" if cpu_seconds is not None else f"{'-':>9}"
        print(f"{name:<28}{wall:9.4f}{solver_text}{cpu_text}{n / wall:12.0f}{reference_seconds / wall:10.1f}x"
              f"{objective:17.8f}{nonzeros:12.2f}")
    lasso = [row for row in rows[2:] if row[0].split()[1] in LASSO_SOLVERS]
    fastest = min(lasso, key=lambda row: row[1])
    print(f"fastest Lasso solver: {fastest[0]}, {reference_seconds / fastest[1]:.1f}x sklearn lasso_cd by wall time"
          f" of the whole command ({reference_seconds / fastest[2]:.1f}x by solver time);"
          f" objective relative to sklearn {(fastest[3] - reference) / reference:+.2e}")
    print(f"by CPU time (all threads of the command against sklearn's process): {reference_cpu / fastest[5]:.1f}x;"
          f" load average at the end {os.getloadavg()[0]:.2f}")
    print(f"speedups are against the default sklearn call (n_jobs=None, one core); sparsity uses all {os.cpu_count()} cores")
    print("(omp and threshold solve other problems; their objectives are not compared)")
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
