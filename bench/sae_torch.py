#!/usr/bin/env python3
"""The PyTorch TopK sparse-autoencoder recipe: the baseline that Sparsity's SAE training must
match in held-out FVU and beat in speed. CPU only, float32, --threads threads (default 2).

Recipe (Sparsity's Swift side implements the same):
  Data      rows x of width d_in (train.npy / heldout.npy from bench/sae_activations.py; float32,
            or bf16 bits stored as <u2). Normalization (default on; --no-normalize): s =
            1/sqrt(mean over TRAINING rows of ||x||^2); train and evaluate on s*x (the metrics are
            scale-invariant).
  Params    W_enc [d_sae, d_in], b_enc [d_sae], W_dec [d_sae, d_in], b_dec [d_in].
  Init      seeded torch.Generator: W_dec rows ~ N(0,1), then each row scaled to unit norm;
            W_enc = W_dec (copy); b_enc = 0; b_dec = geometric median of the first min(4096, n)
            rows of a seeded shuffle of the normalized training rows, by Weiszfeld's algorithm
            (start at their mean; at most 100 iterations; weights 1/max(||x_i - y||, 1e-8); stop
            after the iteration whose step ||y_new - y|| < 1e-6 * ||y_new||).
  Forward   pre = (x - b_dec) @ W_enc.T + b_enc; (v, i) = topk(pre, k) per row; z = 0 except
            z[i] = relu(v); x_hat = z @ W_dec + b_dec (computed as a sparse gather-sum of W_dec
            rows with torch's embedding_bag, --decode sparse, default; --decode dense multiplies
            the dense z; same numbers).
  Loss      FVU of the batch: sum ||x - x_hat||^2 / sum ||x - mean_batch(x)||^2.
  AuxK      rows_since_fired[j] counts training rows since latent j was last nonzero in z
            (all start at 0; after each batch += batch rows, then = 0 where latent fired in
            that batch). Dead = rows_since_fired > dead_window (default: training rows per
            epoch), taken BEFORE the batch. If any are dead: e = (x - x_hat).detach();
            pre_aux = pre with non-dead latents set to -inf; k_aux = min(d_in // 2, #dead);
            z_aux = relu(topk(pre_aux, k_aux)) scattered; e_hat = z_aux @ W_dec (no bias);
            aux = sum ||e - e_hat||^2 / sum ||e - mean_batch(e)||^2;
            loss = fvu + aux_coefficient * aux, aux_coefficient = 1/32.
  Decoder   before each step, each W_dec row's gradient loses its component along the row;
            after the step, each W_dec row is rescaled to unit norm.
  Optimizer Adam(0.9, 0.999, eps 1e-8), lr = 2e-4 / sqrt(d_sae / 16384) by default. Step t
            (0-based) of T = epochs * ceil(n / batch) uses lr * min(1, (t+1)/W, (T-t)/D) with
            W = max(1, floor(0.05 T)) warm-up steps and D = max(1, floor(0.2 T)) decay steps.
  Batches   --batch 1024 rows; a fresh seeded shuffle every epoch; the last short batch kept.
  Defaults  d_sae (--latents) 3072, k 32, epochs 10.
Reports held-out FVU (sum ||x - x_hat||^2 / sum ||x - mean_heldout(x)||^2), held-out L0 (mean
nonzeros per row), the dead fraction at the end (from the tracker), the fraction of latents
that never fire on the held-out rows, training seconds (from the normalized data in memory to
the last step, init included), seconds per epoch and the fastest epoch (the machine may be
shared: the fastest epoch is the least disturbed figure), torch version, threads, CPU model.

--save DIR writes the trained SAE in SAELens layout (sae_weights.safetensors + cfg.json,
architecture "topk") with the normalization folded in: W_enc' = s * W_enc.T ([d_in, d_sae]),
b_enc' = b_enc, W_dec' = W_dec / s, b_dec' = b_dec / s, so that SAELens's encode of a raw row x
equals this script's code of s*x, and its decode is this script's x_hat divided by s.

Usage: python3 bench/sae_torch.py [--data /tmp/sae-data/train.npy]
       [--held-out /tmp/sae-data/heldout.npy] [--latents 3072] [--k 32] [--epochs 10]
       [--batch 1024] [--lr LR] [--seed 0] [--threads 2] [--no-normalize] [--dead-window ROWS]
       [--decode sparse|dense] [--json FILE] [--save DIR]
Needs: pip install torch numpy safetensors
"""
import argparse
import json
import math
import platform
import sys
import time

import numpy as np

import sparsity_commands


def load_rows(path):
    array = np.load(path)
    if array.dtype == np.uint16:  # bf16 bits, as bench/sae_activations.py --dtype bfloat16 writes
        array = (array.astype(np.uint32) << 16).view(np.float32)
    return np.ascontiguousarray(array, dtype=np.float32)


def geometric_median(points, iterations=100, tolerance=1e-6):
    import torch
    y = points.mean(dim=0)
    for _ in range(iterations):
        distances = torch.clamp(torch.linalg.vector_norm(points - y, dim=1), min=1e-8)
        weights = 1.0 / distances
        new = (weights[:, None] * points).sum(dim=0) / weights.sum()
        step = torch.linalg.vector_norm(new - y)
        y = new
        if step < tolerance * torch.linalg.vector_norm(y):
            break
    return y


class TopKSAE:
    def __init__(self, d_in, d_sae, k, train, generator):
        import torch
        w = torch.randn(d_sae, d_in, generator=generator)
        w /= torch.linalg.vector_norm(w, dim=1, keepdim=True)
        self.W_dec = w.clone().requires_grad_(True)
        self.W_enc = w.clone().requires_grad_(True)
        self.b_enc = torch.zeros(d_sae, requires_grad=True)
        order = torch.randperm(train.shape[0], generator=generator)[:min(4096, train.shape[0])]
        self.b_dec = geometric_median(train[order]).clone().requires_grad_(True)
        self.k = k
        self.d_in, self.d_sae = d_in, d_sae
        self.dense_decode = False

    def parameters(self):
        return [self.W_enc, self.b_enc, self.W_dec, self.b_dec]

    def pre(self, x):
        import torch
        return torch.addmm(self.b_enc, x - self.b_dec, self.W_enc.t())

    def select(self, pre, k):
        values, indices = pre.topk(k, dim=1)
        return values.relu(), indices

    def decode(self, values, indices):
        import torch
        if self.dense_decode:
            z = torch.zeros(values.shape[0], self.d_sae, dtype=values.dtype)
            z = z.scatter(1, indices, values)
            return z @ self.W_dec
        return torch.nn.functional.embedding_bag(indices, self.W_dec, per_sample_weights=values,
                                                 mode="sum")


def fvu(x, x_hat):
    return ((x - x_hat) ** 2).sum() / ((x - x.mean(dim=0)) ** 2).sum()


def train(args, train_rows):
    import torch
    n, d_in = train_rows.shape
    generator = torch.Generator().manual_seed(args.seed)
    sae = TopKSAE(d_in, args.latents, args.k, train_rows, generator)
    sae.dense_decode = args.decode == "dense"
    lr = args.lr if args.lr is not None else 2e-4 / math.sqrt(args.latents / 16384)
    optimizer = torch.optim.Adam(sae.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    steps_per_epoch = math.ceil(n / args.batch)
    total = args.epochs * steps_per_epoch
    warm = max(1, int(0.05 * total))
    decay = max(1, int(0.2 * total))
    dead_window = args.dead_window if args.dead_window is not None else n
    since_fired = torch.zeros(args.latents, dtype=torch.long)
    aux_coefficient = 1.0 / 32
    step = 0
    epoch_seconds, epoch_fvu, aux_steps = [], [], 0
    for _ in range(args.epochs):
        started = time.perf_counter()
        order = torch.randperm(n, generator=generator)
        fvu_sum, rows_seen = 0.0, 0
        for start in range(0, n, args.batch):
            x = train_rows[order[start:start + args.batch]]
            for group in optimizer.param_groups:
                group["lr"] = lr * min(1.0, (step + 1) / warm, (total - step) / decay)
            dead = since_fired > dead_window
            pre = sae.pre(x)
            values, indices = sae.select(pre, args.k)
            x_hat = sae.decode(values, indices) + sae.b_dec
            loss = fvu(x, x_hat)
            fvu_sum += loss.item() * x.shape[0]
            rows_seen += x.shape[0]
            dead_count = int(dead.sum())
            if dead_count:
                aux_steps += 1
                e = (x - x_hat).detach()
                pre_aux = pre.masked_fill(~dead, float("-inf"))
                aux_values, aux_indices = sae.select(pre_aux, min(d_in // 2, dead_count))
                e_hat = sae.decode(aux_values, aux_indices)
                loss = loss + aux_coefficient * fvu(e, e_hat)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            with torch.no_grad():
                fired = torch.zeros(args.latents, dtype=torch.bool)
                fired[indices[values > 0]] = True
                since_fired += x.shape[0]
                since_fired[fired] = 0
                w, g = sae.W_dec, sae.W_dec.grad
                g -= (g * w).sum(dim=1, keepdim=True) * w
            optimizer.step()
            with torch.no_grad():
                sae.W_dec /= torch.linalg.vector_norm(sae.W_dec, dim=1, keepdim=True)
            step += 1
        epoch_seconds.append(time.perf_counter() - started)
        epoch_fvu.append(fvu_sum / rows_seen)
        print(f"epoch {len(epoch_seconds)}: train FVU {epoch_fvu[-1]:.4f}, "
              f"{epoch_seconds[-1]:.2f} s, dead {int((since_fired > dead_window).sum())}",
              flush=True)
    dead_fraction = float((since_fired > dead_window).float().mean())
    return sae, {"lr": lr, "steps": total, "warmup_steps": warm, "decay_steps": decay,
                 "dead_window": dead_window, "epoch_seconds": epoch_seconds,
                 "epoch_train_fvu": epoch_fvu, "dead_fraction": dead_fraction,
                 "steps_with_aux": aux_steps}


def evaluate(sae, rows, batch=4096):
    import torch
    residual, nonzeros = 0.0, 0
    fired = torch.zeros(sae.d_sae, dtype=torch.bool)
    with torch.no_grad():
        mean = rows.mean(dim=0)
        total = float(((rows.double() - mean.double()) ** 2).sum())
        for start in range(0, rows.shape[0], batch):
            x = rows[start:start + batch]
            values, indices = sae.select(sae.pre(x), sae.k)
            x_hat = sae.decode(values, indices) + sae.b_dec
            residual += float(((x - x_hat).double() ** 2).sum())
            active = values > 0
            nonzeros += int(active.sum())
            fired[indices[active]] = True
    return {"fvu": residual / total, "l0": nonzeros / rows.shape[0],
            "never_fired_fraction": float((~fired).float().mean())}


def save_saelens(sae, scale, directory, args):
    import os
    import torch
    from safetensors.torch import save_file
    try:
        import sae_lens
        version = sae_lens.__version__
    except ImportError:
        version = "6.54.12"
    os.makedirs(directory, exist_ok=True)
    with torch.no_grad():
        tensors = {
            "W_enc": (sae.W_enc.t() * scale).contiguous(),
            "b_enc": sae.b_enc.clone().contiguous(),
            "W_dec": (sae.W_dec / scale).contiguous(),
            "b_dec": (sae.b_dec / scale).contiguous(),
        }
    save_file(tensors, os.path.join(directory, "sae_weights.safetensors"))
    cfg = {"d_in": sae.d_in, "d_sae": sae.d_sae, "dtype": "float32", "device": "cpu",
           "apply_b_dec_to_input": True, "normalize_activations": "none",
           "reshape_activations": "none",
           "metadata": {"sae_lens_version": version, "sae_lens_training_version": version,
                        "trained_by": "bench/sae_torch.py", "data": args.data,
                        "normalization_scale_folded": scale},
           "k": sae.k, "rescale_acts_by_decoder_norm": False, "architecture": "topk"}
    with open(os.path.join(directory, "cfg.json"), "w") as handle:
        json.dump(cfg, handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="/tmp/sae-data/train.npy")
    parser.add_argument("--held-out", default="/tmp/sae-data/heldout.npy")
    parser.add_argument("--latents", type=int, default=3072)
    parser.add_argument("--k", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--lr", type=float, default=None, help="default 2e-4/sqrt(latents/16384)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-normalize", action="store_true")
    parser.add_argument("--dead-window", type=int, default=None,
                        help="rows without firing before a latent counts as dead (default: rows per epoch)")
    parser.add_argument("--decode", choices=["sparse", "dense"], default="sparse")
    parser.add_argument("--json", help="write the report here")
    parser.add_argument("--save", help="write the SAE here in SAELens layout")
    args = parser.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_np = load_rows(args.data)
    held_np = load_rows(args.held_out)
    if train_np.ndim != 2 or held_np.shape[1:] != train_np.shape[1:]:
        sys.exit("data and held-out must be 2-D with the same width")
    if args.k > args.latents:
        sys.exit("--k must be at most --latents")

    started = time.perf_counter()
    train_rows = torch.from_numpy(train_np)
    scale = 1.0
    if not args.no_normalize:
        scale = float(1.0 / math.sqrt(np.mean(np.sum(train_np.astype(np.float64) ** 2, axis=1))))
        train_rows = train_rows * scale
    sae, info = train(args, train_rows)
    seconds = time.perf_counter() - started
    held = evaluate(sae, torch.from_numpy(held_np) * scale)

    report = {
        "recipe": "topk-sae (bench/sae_torch.py)",
        "data": args.data, "held_out": args.held_out,
        "train_rows": int(train_np.shape[0]), "held_out_rows": int(held_np.shape[0]),
        "d_in": int(train_np.shape[1]), "latents": args.latents, "k": args.k,
        "epochs": args.epochs, "batch": args.batch, "seed": args.seed,
        "normalize": not args.no_normalize, "scale": scale, "decode": args.decode,
        "held_out_fvu": held["fvu"], "held_out_l0": held["l0"],
        "dead_fraction": info.pop("dead_fraction"),
        "held_out_never_fired_fraction": held["never_fired_fraction"],
        "training_seconds": seconds,
        "seconds_per_epoch": seconds / args.epochs,
        "min_epoch_seconds": min(info["epoch_seconds"]),
        **info,
        "torch": torch.__version__, "threads": args.threads, "cpu": sparsity_commands.cpu_model(),
        "python": platform.python_version(),
    }
    if args.save:
        save_saelens(sae, scale, args.save, args)
        report["saved"] = args.save
    print(f"held-out FVU {report['held_out_fvu']:.4f}, L0 {report['held_out_l0']:.2f}, "
          f"dead {report['dead_fraction']:.4f}, never fired on held-out "
          f"{report['held_out_never_fired_fraction']:.4f}")
    print(f"training {seconds:.1f} s ({seconds / args.epochs:.2f} s/epoch), torch "
          f"{torch.__version__}, {args.threads} threads, {report['cpu']}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=1)


if __name__ == "__main__":
    main()
