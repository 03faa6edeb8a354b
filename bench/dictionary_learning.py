#!/usr/bin/env python3
"""Dictionary learning: scikit-learn's MiniBatchDictionaryLearning against `sparsity learn-dictionary`.

Data: 20,000 8x8 patches of scikit-learn's bundled sample image china.jpg (grayscale, in [0, 1];
needs pillow), drawn with extract_patches_2d(random_state=0), each with its mean removed and its
contrast normalized, x / (std(x) + 0.1) -- the normalization `sparsity learn-dictionary
--data patches:IMAGE` applies. Both tools learn from the same float32 matrix (saved as .npy).

Objective (the one both minimize), evaluated identically for both dictionaries: the codes of all
20,000 patches from `sparsity code --solver lars` (exact Lasso) over each dictionary, then in numpy

    (1/n) sum_i 0.5 ||x_i - a_i D||^2 + alpha ||a_i||_1,      alpha = lambda = 0.5.

scikit-learn: MiniBatchDictionaryLearning(n_components=256, alpha=0.5, batch_size=256, max_iter=5,
random_state=0).fit(X), timed (single process, its default). Sparsity: `learn-dictionary
--data npy:X.npy --epochs E` for E = 1, 2, ..., timed as the whole command, until its objective
reaches scikit-learn's; the speed ratio uses the first E that does.

Usage: python3 bench/dictionary_learning.py [--sparsity PATH] [--repeats R] [--max-epochs E]
       [--samples N] [--alpha A] [--atoms K] [--print-commands DIR]
       python3 bench/dictionary_learning.py --write-image china.png   (the PNG of docs/images/atoms-natural.png)
Exit 0 with a message when scikit-learn or pillow is missing.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

import numpy as np

import sparsity_commands


def patches(count, seed):
    from sklearn.datasets import load_sample_image
    from sklearn.feature_extraction.image import extract_patches_2d
    image = load_sample_image("china.jpg").astype(np.float64).mean(axis=2) / 255.0
    X = extract_patches_2d(image, (8, 8), max_patches=count, random_state=seed).reshape(count, 64)
    X -= X.mean(axis=1, keepdims=True)
    X /= X.std(axis=1, keepdims=True) + 0.1
    return X.astype(np.float32)


def objective(args, X, D, alpha, directory):
    """Mean Lasso objective of X over D (rows renormalized), codes by `sparsity code --solver lars`;
    None in --print-commands mode."""
    d_path, x_path, out = (os.path.join(directory, name) for name in ("Deval.npy", "Xeval.npy", "Aeval.npy"))
    np.save(d_path, D.astype(np.float32))
    np.save(x_path, X)
    if sparsity_commands.run(args, ["code", "--data", x_path, "--dictionary", d_path, "--lambda", str(alpha), "--solver",
                                    "lars", "--normalize", "--out", out], check=True, capture_output=True) is None:
        return None
    A = np.load(out).astype(np.float64)
    Dn = D.astype(np.float32).astype(np.float64)
    Dn /= np.linalg.norm(Dn, axis=1, keepdims=True)
    R = X.astype(np.float64) - A @ Dn
    return float((0.5 * np.einsum("ij,ij->i", R, R) + alpha * np.abs(A).sum(axis=1)).mean())


def learn_command(x_path, d_path, args, epochs):
    """The `sparsity learn-dictionary` arguments for `epochs` epochs over X, writing D."""
    return ["learn-dictionary", "--data", f"npy:{x_path}", "--atoms", str(args.atoms), "--lambda", str(args.alpha),
            "--batch", "256", "--epochs", str(epochs), "--seed", "0", "--out", d_path, "--json"]


def print_commands(args):
    """--print-commands: random stand-ins for the patches and scikit-learn's dictionary (same
    shapes and normalization), then every command the comparison would run."""
    directory = sparsity_commands.work_directory(args, None)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.samples, 64))
    X -= X.mean(axis=1, keepdims=True)
    X = (X / (X.std(axis=1, keepdims=True) + 0.1)).astype(np.float32)
    objective(args, X, rng.standard_normal((args.atoms, 64)), args.alpha, directory)
    x_path, d_path = os.path.join(directory, "X.npy"), os.path.join(directory, "D.npy")
    np.save(x_path, X)
    for epochs in range(1, args.max_epochs + 1):
        sparsity_commands.run(args, learn_command(x_path, d_path, args, epochs))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sparsity_commands.add_arguments(parser)
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-epochs", type=int, default=5)
    parser.add_argument("--atoms", type=int, default=256)
    parser.add_argument("--write-image", metavar="PNG",
                        help="only write china.jpg as the grayscale PNG that `learn-dictionary --data patches:PNG` reads")
    args = parser.parse_args()
    if sparsity_commands.printing(args):
        return print_commands(args)
    if args.write_image:
        from PIL import Image
        from sklearn.datasets import load_sample_image
        gray = load_sample_image("china.jpg").astype(np.float64).mean(axis=2)
        Image.fromarray(np.clip(gray, 0, 255).astype(np.uint8)).save(args.write_image)
        print(f"wrote {args.write_image}")
        return 0
    try:
        import sklearn
        from sklearn.decomposition import MiniBatchDictionaryLearning
        X = patches(args.samples, 0)
    except ImportError as error:
        print(f"skipping: {error} (pip install scikit-learn pillow)")
        return 0
    if not os.access(args.sparsity, os.X_OK):
        print(f"no sparsity executable at {args.sparsity}; build it or pass --sparsity", file=sys.stderr)
        return 2
    print(f"{args.samples} 8x8 patches of china.jpg, {args.atoms} atoms, alpha = lambda = {args.alpha}, batch 256;"
          f" scikit-learn {sklearn.__version__}; median of {args.repeats}")
    with tempfile.TemporaryDirectory() as directory:
        times, model = [], None
        for _ in range(args.repeats):
            model = MiniBatchDictionaryLearning(n_components=args.atoms, alpha=args.alpha, batch_size=256, max_iter=5,
                                                random_state=0)
            start = time.perf_counter()
            model.fit(X.astype(np.float64))
            times.append(time.perf_counter() - start)
        reference_seconds = statistics.median(times)
        reference = objective(args, X, model.components_, args.alpha, directory)
        print(f"sklearn MiniBatchDictionaryLearning(max_iter=5): {reference_seconds:.2f} s"
              f" ({model.n_steps_} steps), objective {reference:.6f}")
        x_path, d_path = os.path.join(directory, "X.npy"), os.path.join(directory, "D.npy")
        np.save(x_path, X)
        reached = None
        for epochs in range(1, args.max_epochs + 1):
            command = learn_command(x_path, d_path, args, epochs)
            wall = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                sparsity_commands.run(args, command, check=True, capture_output=True)
                wall.append(time.perf_counter() - start)
            ours = objective(args, X, np.load(d_path), args.alpha, directory)
            seconds = statistics.median(wall)
            print(f"sparsity learn-dictionary --epochs {epochs}: {seconds:.2f} s, objective {ours:.6f}"
                  f" ({(ours - reference) / reference:+.2%} vs sklearn), time ratio {reference_seconds / seconds:.1f}x")
            if ours <= reference and reached is None:
                reached = (epochs, seconds)
                break
        if reached:
            print(f"reaches sklearn's objective at {reached[0]} epoch(s): {reached[1]:.2f} s ="
                  f" 1/{reference_seconds / reached[1]:.1f} of sklearn's {reference_seconds:.2f} s")
        else:
            print(f"did not reach sklearn's objective within {args.max_epochs} epochs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
