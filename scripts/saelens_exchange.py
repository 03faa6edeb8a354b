#!/usr/bin/env python3
"""Checks that Sparsity and SAELens exchange sparse autoencoders (SAELens on-disk layout:
DIR/sae_weights.safetensors + DIR/cfg.json) and compute the same codes.

  (a) SAELens -> Sparsity: for each architecture standard, topk and jumprelu, builds a SAELens
      SAE with seeded random weights (d_in 64, d_sae 256 by default; the standard and jumprelu
      encoders get biases and, for jumprelu, positive thresholds such that a good share of the
      codes is nonzero), saves it with SAELens's own SAE.save_model, writes random rows to
      rows.npy, runs
          sparsity sae encode --sae DIR --data rows.npy --out codes.npz
      and compares the codes (a SciPy CSR .npz, read with scipy.sparse.load_npz) with SAELens's
      encode of the same rows.
  (b) Sparsity -> SAELens: with --sparsity-sae DIR (an SAE saved by Sparsity), loads it with
      SAE.load_from_disk, encodes random rows (or --data rows.npy) with SAELens and compares
      with `sparsity sae encode` on the same rows.

A comparison passes when the relative error ||ours - theirs||_F / ||theirs||_F of the dense code
matrices is below --tolerance (default 1e-5) and the supports (nonzero patterns) are equal.
Before (a) the script checks SAELens against itself: load_from_disk of what save_model wrote
gives the same tensors and the same codes, and the codes follow the encode formulas below
written out in plain torch (this part needs no Sparsity binary; --saelens-only stops there).

  standard  z = relu((x - b_dec) @ W_enc + b_enc)
  topk      pre = (x - b_dec) @ W_enc + b_enc; top k of each row of pre, then relu
  jumprelu  pre = (x - b_dec) @ W_enc + b_enc; z = relu(pre) * (pre > threshold)

--print-commands DIR (bench/sparsity_commands.py) writes, with numpy only, small SAEs of the three
architectures in SAELens's layout and their rows into DIR and prints the `sparsity sae encode`
argument lists of (a) (and of (b) with --sparsity-sae), one JSON array a line, comparing nothing;
Tests/SparsityCLITests/BenchScriptsTests.swift runs them against the built executable.

--export DIR writes the fixtures of (a) for Swift tests without running anything:
DIR/<architecture>/{sae_weights.safetensors, cfg.json, rows.npy, codes.npz}, where codes.npz is
SAELens's codes as an uncompressed SciPy CSR .npz.

Usage: python3 scripts/saelens_exchange.py [--sparsity .build/release/sparsity]
       [--sparsity-sae DIR] [--data rows.npy] [--rows 200] [--d-in 64] [--d-sae 256] [--k 16]
       [--seed 0] [--tolerance 1e-5] [--saelens-only] [--export DIR] [--keep DIR]
       [--print-commands DIR]
Exit status 0 when every comparison passes, 1 on a mismatch, 2 when the binary is missing.
Needs: pip install sae-lens scipy numpy (sae-lens brings torch and safetensors); --print-commands
needs only numpy.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))
import sparsity_commands

ARCHITECTURES = ("standard", "topk", "jumprelu")


def import_saelens_dependencies():
    """torch, scipy and safetensors, imported only when something is compared."""
    global torch, scipy, load_file
    import scipy.sparse
    import torch
    from safetensors.torch import load_file


def write_safetensors(path, tensors):
    """A safetensors file of float32 arrays (name -> array, in this order), written with numpy."""
    header, data, offset = {}, [], 0
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(array)), "data_offsets": [offset, offset + len(raw)]}
        data.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as handle:
        handle.write(len(text).to_bytes(8, "little"))
        handle.write(text)
        for raw in data:
            handle.write(raw)


def write_numpy_sae(architecture, args, directory):
    """A SAELens-layout SAE (cfg.json, sae_weights.safetensors) with seeded random weights, numpy only."""
    os.makedirs(directory, exist_ok=True)
    generator = np.random.default_rng(args.seed)
    d_in, d_sae = args.d_in, args.d_sae
    w_dec = generator.standard_normal((d_sae, d_in))
    tensors = {
        "W_enc": generator.standard_normal((d_in, d_sae)) / d_in ** 0.5,
        "b_enc": 0.1 * generator.standard_normal(d_sae),
        "W_dec": w_dec / np.linalg.norm(w_dec, axis=1, keepdims=True),
        "b_dec": 0.1 * generator.standard_normal(d_in),
    }
    if architecture == "jumprelu":
        tensors["threshold"] = 0.05 + 0.45 * generator.random(d_sae)
    write_safetensors(os.path.join(directory, "sae_weights.safetensors"), tensors)
    cfg = {"architecture": architecture, "d_in": d_in, "d_sae": d_sae, "dtype": "float32"}
    if architecture == "topk":
        cfg["k"] = args.k
    cfg.update({"apply_b_dec_to_input": True, "normalize_activations": "none",
                "metadata": {"sae_lens_version": "6.54.12"}})
    with open(os.path.join(directory, "cfg.json"), "w") as handle:
        json.dump(cfg, handle)


def print_commands(args):
    """--print-commands: numpy-made SAEs and rows in DIR, and the `sparsity sae encode` lines."""
    work = sparsity_commands.work_directory(args, None)
    generator = np.random.default_rng(args.seed + 1)
    for architecture in ARCHITECTURES:
        directory = os.path.join(work, architecture)
        write_numpy_sae(architecture, args, directory)
        if args.saelens_only:
            continue
        rows_path = os.path.join(directory, "rows.npy")
        np.save(rows_path, generator.standard_normal((args.rows, args.d_in)).astype(np.float32))
        sparsity_encode(args, directory, rows_path, os.path.join(directory, "codes.npz"))
    if args.sparsity_sae and not args.saelens_only:
        if args.data:
            rows_path = os.path.abspath(args.data)
        else:
            with open(os.path.join(args.sparsity_sae, "cfg.json")) as handle:
                d_in = json.load(handle)["d_in"]
            rows_path = os.path.join(work, "sparsity_sae_rows.npy")
            np.save(rows_path, generator.standard_normal((args.rows, d_in)).astype(np.float32))
        sparsity_encode(args, args.sparsity_sae, rows_path, os.path.join(work, "sparsity_sae_codes.npz"))
    return 0


def build_sae(architecture, d_in, d_sae, k, seed):
    """A SAELens SAE of the architecture with seeded random weights and rich codes."""
    from sae_lens import (JumpReLUSAE, JumpReLUSAEConfig, StandardSAE, StandardSAEConfig,
                          TopKSAE, TopKSAEConfig)
    generator = torch.Generator().manual_seed(seed)
    if architecture == "standard":
        sae = StandardSAE(StandardSAEConfig(d_in=d_in, d_sae=d_sae))
    elif architecture == "topk":
        sae = TopKSAE(TopKSAEConfig(d_in=d_in, d_sae=d_sae, k=k))
    else:
        sae = JumpReLUSAE(JumpReLUSAEConfig(d_in=d_in, d_sae=d_sae))
    with torch.no_grad():
        w_dec = torch.randn(d_sae, d_in, generator=generator)
        sae.W_dec.copy_(w_dec / w_dec.norm(dim=1, keepdim=True))
        sae.W_enc.copy_(torch.randn(d_in, d_sae, generator=generator) / d_in ** 0.5)
        sae.b_enc.copy_(0.1 * torch.randn(d_sae, generator=generator))
        sae.b_dec.copy_(0.1 * torch.randn(d_in, generator=generator))
        if architecture == "jumprelu":
            # pre-activations are ~N(0, 1); thresholds in [0.05, 0.5) keep ~35-48% of latents
            sae.threshold.copy_(0.05 + 0.45 * torch.rand(d_sae, generator=generator))
    return sae


def reference_codes(sae, x):
    """The architecture's encode written out in plain torch from the tensors."""
    cfg = sae.cfg
    sae_in = x - sae.b_dec * cfg.apply_b_dec_to_input
    pre = sae_in @ sae.W_enc + sae.b_enc
    architecture = cfg.architecture()
    if architecture == "standard":
        return pre.relu()
    if architecture == "topk":
        values, indices = pre.topk(cfg.k, dim=-1)
        return torch.zeros_like(pre).scatter(-1, indices, values.relu())
    if architecture == "jumprelu":
        return pre.relu() * (pre > sae.threshold)
    raise ValueError(f"no reference encode for {architecture}")


def compare(name, ours, theirs, tolerance):
    """Relative Frobenius error and support equality; prints one line, returns pass/fail."""
    ours = np.asarray(ours, dtype=np.float64)
    theirs = np.asarray(theirs, dtype=np.float64)
    if ours.shape != theirs.shape:
        print(f"FAIL {name}: shape {ours.shape} against {theirs.shape}")
        return False
    scale = np.linalg.norm(theirs)
    error = np.linalg.norm(ours - theirs) / (scale if scale > 0 else 1.0)
    support_diff = int(np.count_nonzero((ours != 0) != (theirs != 0)))
    nonzero = np.count_nonzero(theirs) / theirs.size
    ok = error < tolerance and support_diff == 0
    print(f"{'ok  ' if ok else 'FAIL'} {name}: relative error {error:.2e}, "
          f"{support_diff} support differences, {nonzero:.1%} nonzero")
    return ok


def saelens_round_trip(architecture, args, directory):
    """Saves with SAELens, reloads with SAELens, checks tensors and codes; returns (sae, rows, ok)."""
    from sae_lens import SAE
    sae = build_sae(architecture, args.d_in, args.d_sae, args.k, args.seed)
    sae.save_model(directory)
    loaded = SAE.load_from_disk(directory)
    ok = type(loaded) is type(sae)
    saved = load_file(os.path.join(directory, "sae_weights.safetensors"))
    for name, tensor in sae.state_dict().items():
        if not torch.equal(saved[name], tensor) or not torch.equal(loaded.state_dict()[name], tensor):
            print(f"FAIL {architecture}: tensor {name} changed in the round trip")
            ok = False
    rows = torch.randn(args.rows, args.d_in, generator=torch.Generator().manual_seed(args.seed + 1))
    with torch.no_grad():
        codes = sae.encode(rows)
        ok &= compare(f"{architecture}: SAELens save/load round trip", loaded.encode(rows).numpy(),
                      codes.numpy(), args.tolerance)
        ok &= compare(f"{architecture}: SAELens encode against the written-out formula",
                      reference_codes(sae, rows).numpy(), codes.numpy(), args.tolerance)
    return loaded, rows, ok


def sparsity_encode(args, sae_dir, rows_path, out_path):
    """Sparsity's codes of the rows as a dense array; None when the run fails or only prints."""
    command = ["sae", "encode", "--sae", sae_dir, "--data", rows_path, "--out", out_path]
    result = sparsity_commands.run(args, command, capture_output=True, text=True)
    if result is None:
        return None
    if result.returncode != 0:
        print(f"FAIL {' '.join([args.sparsity] + command)} exited {result.returncode}:\n{result.stderr.strip()}")
        return None
    return scipy.sparse.load_npz(out_path).toarray()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sparsity_commands.add_arguments(parser)
    parser.add_argument("--sparsity-sae", help="an SAE directory written by Sparsity, for (b)")
    parser.add_argument("--data", help="rows (.npy, float32 [n, d_in]) for (b); default random")
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--d-in", type=int, default=64)
    parser.add_argument("--d-sae", type=int, default=256)
    parser.add_argument("--k", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-5)
    parser.add_argument("--saelens-only", action="store_true",
                        help="only the SAELens self-checks; no Sparsity binary needed")
    parser.add_argument("--export", help="write the (a) fixtures here and stop")
    parser.add_argument("--keep", help="keep the working files here instead of a temp dir")
    args = parser.parse_args()
    if sparsity_commands.printing(args):
        return print_commands(args)
    import_saelens_dependencies()
    torch.manual_seed(args.seed)

    if args.export:
        ok = True
        for architecture in ARCHITECTURES:
            directory = os.path.join(args.export, architecture)
            sae, rows, passed = saelens_round_trip(architecture, args, directory)
            ok &= passed
            np.save(os.path.join(directory, "rows.npy"), rows.numpy().astype(np.float32))
            with torch.no_grad():
                codes = sae.encode(rows).numpy().astype(np.float32)
            scipy.sparse.save_npz(os.path.join(directory, "codes.npz"),
                                  scipy.sparse.csr_matrix(codes), compressed=False)
        print(f"fixtures in {args.export}")
        return 0 if ok else 1

    args.sparsity = os.path.abspath(args.sparsity)
    if not args.saelens_only and not os.access(args.sparsity, os.X_OK):
        print(f"no Sparsity binary at {args.sparsity} (build it, pass --sparsity, or --saelens-only)")
        return 2

    work = args.keep or tempfile.mkdtemp(prefix="saelens-exchange-")
    os.makedirs(work, exist_ok=True)
    ok = True
    try:
        for architecture in ARCHITECTURES:
            directory = os.path.join(work, architecture)
            sae, rows, passed = saelens_round_trip(architecture, args, directory)
            ok &= passed
            if args.saelens_only:
                continue
            rows_path = os.path.join(directory, "rows.npy")
            np.save(rows_path, rows.numpy().astype(np.float32))
            ours = sparsity_encode(args, directory, rows_path,
                                   os.path.join(directory, "codes.npz"))
            with torch.no_grad():
                theirs = sae.encode(rows).numpy()
            ok &= ours is not None and compare(f"{architecture}: Sparsity against SAELens",
                                               ours, theirs, args.tolerance)

        if args.sparsity_sae:
            from sae_lens import SAE
            sae = SAE.load_from_disk(args.sparsity_sae)
            print(f"loaded {args.sparsity_sae} in SAELens as {type(sae).__name__} "
                  f"(d_in {sae.cfg.d_in}, d_sae {sae.cfg.d_sae})")
            if args.data:
                rows = torch.from_numpy(np.ascontiguousarray(np.load(args.data), dtype=np.float32))
                rows_path = os.path.abspath(args.data)
            else:
                generator = torch.Generator().manual_seed(args.seed + 2)
                rows = torch.randn(args.rows, sae.cfg.d_in, generator=generator)
                rows_path = os.path.join(work, "sparsity_sae_rows.npy")
                np.save(rows_path, rows.numpy())
            with torch.no_grad():
                theirs = sae.encode(rows).numpy()
            if not args.saelens_only:
                ours = sparsity_encode(args, args.sparsity_sae, rows_path,
                                       os.path.join(work, "sparsity_sae_codes.npz"))
                ok &= ours is not None and compare("Sparsity-saved SAE: Sparsity against SAELens",
                                                   ours, theirs, args.tolerance)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("all comparisons pass" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
