#!/usr/bin/env python3
"""Sparse coding of speech: `sparsity learn-dictionary` and `sparsity code` on WAV frames against
scikit-learn's MiniBatchDictionaryLearning, each against the DCT at the same number of coefficients.

Data: real recorded speech from Debian packages, `scripts/speech-data.sh DIR` (train: about 42 s,
test: about 14 s of other recordings, held out). Frames: 16 kHz, 256 samples every 128, periodic
sqrt-Hann window, frames more than 40 dB below the loud frames of their file (95th percentile of
frame energies) skipped: `sparsity`'s defaults for `--data wav:`, replicated here in numpy for
scikit-learn (the 48 kHz test files are resampled with scipy.signal.resample_poly there).

Measure: SNR of the held-out frames, 10 log10(||X||^2 / ||X - A D||^2), with k nonzeros per
frame, against the orthonormal DCT-II keeping the k largest coefficients of each frame.

Both learn on the training frames taken every 16 samples (--train-hop; eight times as many frames,
each shift of the sound a sample) and code the test frames at hop 128.
Sparsity: `learn-dictionary --data wav:TRAIN --hop 16 --nonzeros k --init dct --atoms 256
--epochs E` (OMP codes while learning; half the first atoms DCT-II, half samples), then
`code --data wav:TEST --solver omp --nonzeros k --json` (which reports the DCT baseline too).
scikit-learn: MiniBatchDictionaryLearning(n_components=256, batch_size=256, max_iter=E,
random_state=0, transform_algorithm='omp', transform_n_nonzero_coefs=k): it learns with its Lasso
(alpha=1 by default, --alpha) and codes with OMP, as its users do.

Usage: python3 bench/speech_coding.py [--sparsity PATH] [--data DIR] [--epochs E] [--atoms K]
       [--train-hop H] [--alpha A] [--nonzeros K ...] [--print-commands DIR]
Exit 0 with a message when scikit-learn is missing (the Sparsity rows are still printed).
"""

import argparse
import glob
import json
import os
import sys
import tempfile
import time
import wave

import numpy as np

import sparsity_commands


def frames_of(paths, length=256, hop=128, silence_db=40.0):
    """The kept frames of the WAV files, as `sparsity --data wav:` makes them (numpy twin)."""
    window = np.sqrt(0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length))
    rows = []
    for path in paths:
        with wave.open(path) as w:
            rate, width = w.getframerate(), w.getsampwidth()
            assert width == 2, path
            x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768
            x = x.reshape(-1, w.getnchannels()).mean(axis=1)
        if rate != 16000:
            from scipy.signal import resample_poly
            g = np.gcd(rate, 16000)
            x = resample_poly(x, 16000 // g, rate // g)
        pad = length - hop
        count = max(1, (len(x) + 2 * pad - length + hop - 1) // hop + 1)
        padded = np.concatenate([np.zeros(pad), x, np.zeros(count * hop + length)])
        f = np.stack([padded[i * hop:i * hop + length] * window for i in range(count)])
        energy = (f ** 2).sum(axis=1)
        loud = np.sort(energy)[min(len(energy) - 1, int(0.95 * len(energy)))]
        rows.append(f[(energy > 0) & (energy >= loud * 10 ** (-silence_db / 10))])
    return np.concatenate(rows).astype(np.float32)


def snr(x, y):
    return 10 * np.log10((x.astype(np.float64) ** 2).sum() / ((x.astype(np.float64) - y) ** 2).sum())


def dct_top(x, k):
    from scipy.fft import dct, idct
    c = dct(x.astype(np.float64), norm="ortho", axis=1)
    drop = np.argsort(-np.abs(c), axis=1)[:, k:]
    np.put_along_axis(c, drop, 0, axis=1)
    return idct(c, norm="ortho", axis=1)


def sparsity_rows(args, train, test, directory):
    rows = []
    for k in args.nonzeros:
        d = os.path.join(directory, f"D{k}.npy")
        start = time.perf_counter()
        sparsity_commands.run(args, [
            "learn-dictionary", "--data", "wav:" + ",".join(train), "--hop", args.train_hop, "--nonzeros", k,
            "--init", "dct", "--atoms", args.atoms, "--epochs", args.epochs, "--seed", 0, "--out", d, "--json"],
            check=True, capture_output=True)
        seconds = time.perf_counter() - start
        result = sparsity_commands.run(args, [
            "code", "--data", "wav:" + ",".join(test), "--dictionary", d, "--solver", "omp", "--nonzeros", k,
            "--out", os.path.join(directory, f"A{k}.npz"), "--json"], check=True, capture_output=True, text=True)
        if result is None:
            continue
        sound = json.loads(result.stdout)["sound"]
        rows.append(("sparsity", k, sound["frame_snr_db"], sound["dct_frame_snr_db"], seconds, sound["frames"]))
    return rows


def sklearn_rows(args, train, test):
    try:
        from sklearn.decomposition import MiniBatchDictionaryLearning
    except ImportError:
        print("scikit-learn is not installed: pip install scikit-learn scipy", file=sys.stderr)
        return []
    xtrain, xtest = frames_of(train, hop=args.train_hop), frames_of(test)
    rows = []
    for k in args.nonzeros:
        model = MiniBatchDictionaryLearning(
            n_components=args.atoms, alpha=args.alpha, batch_size=256, max_iter=args.epochs, random_state=0,
            transform_algorithm="omp", transform_n_nonzero_coefs=k)
        start = time.perf_counter()
        model.fit(xtrain)
        seconds = time.perf_counter() - start
        codes = model.transform(xtest)
        rows.append(("scikit-learn", k, snr(xtest, codes @ model.components_), snr(xtest, dct_top(xtest, k)),
                     seconds, len(xtest)))
    return rows


def tiny_sounds(directory):
    """Two seeded noisy chirps of 0.2 s at 16 kHz as train/ and test/ in `directory` (for --print-commands)."""
    rng = np.random.default_rng(0)
    for part in ("train", "test"):
        os.makedirs(os.path.join(directory, part), exist_ok=True)
        t = np.arange(3200) / 16000
        x = 0.5 * np.sin(2 * np.pi * (300 + 2000 * t) * t) + 0.01 * rng.standard_normal(t.size)
        with wave.open(os.path.join(directory, part, "chirp.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes((x * 32767).astype("<i2").tobytes())
    return directory


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sparsity_commands.add_arguments(parser)
    parser.add_argument("--data", default=os.path.join(sparsity_commands.ROOT, ".build", "speech"),
                        help="the folder of scripts/speech-data.sh (made when missing)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--train-hop", type=int, default=16, help="the hop of the training frames")
    parser.add_argument("--atoms", type=int, default=256)
    parser.add_argument("--alpha", type=float, default=1.0, help="scikit-learn's Lasso weight while learning")
    parser.add_argument("--nonzeros", type=int, nargs="+", default=[8, 16])
    args = parser.parse_args()
    if sparsity_commands.printing(args):
        args.data = tiny_sounds(args.print_commands)
    elif not os.path.isdir(os.path.join(args.data, "train")):
        sys.exit(f"no {args.data}/train: run 'bash scripts/speech-data.sh {args.data}' first")
    train = sorted(glob.glob(os.path.join(args.data, "train", "*.wav")))
    test = sorted(glob.glob(os.path.join(args.data, "test", "*.wav")))
    with tempfile.TemporaryDirectory() as temporary:
        directory = sparsity_commands.work_directory(args, temporary)
        rows = sparsity_rows(args, train, test, directory)
        if sparsity_commands.printing(args):
            return
        rows += sklearn_rows(args, train, test)
    print(f"held-out frames of {args.data}/test, {args.atoms} atoms, {args.epochs} epochs")
    print(f"{'tool':<14}{'k':>4}{'SNR dB':>10}{'DCT dB':>10}{'gain dB':>10}{'learn s':>10}{'frames':>8}")
    for tool, k, learned, dct, seconds, frames in rows:
        print(f"{tool:<14}{k:>4}{learned:>10.2f}{dct:>10.2f}{learned - dct:>10.2f}{seconds:>10.2f}{frames:>8}")


if __name__ == "__main__":
    main()
