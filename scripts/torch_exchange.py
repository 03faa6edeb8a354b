#!/usr/bin/env python3
"""Checks that Sparsity model files and PyTorch exchange networks both ways.

  export DIR   (b) PyTorch -> Sparsity: builds a random torch.nn.Sequential MLP, saves it with
               safetensors.torch.save_file (no metadata) as DIR/torch_model.safetensors (float32)
               and DIR/torch_model_f64.safetensors (float64), plus DIR/torch_inputs.npy,
               DIR/torch_logits.npy and the architecture in the Sparsity compact form in
               DIR/torch_architecture.txt. The Swift test TorchExchangeTests.loadsModelFromPyTorch
               loads them and compares logits.
  check DIR    (a) Sparsity -> PyTorch: loads DIR/model.safetensors (written by the Swift test
               TorchExchangeTests.writesModelForPyTorch or the CLI) with
               safetensors.torch.load_file into the torch.nn.Sequential its `architecture`
               metadata describes (or --architecture), runs DIR/inputs.npy through it and
               compares with DIR/logits.npy to --tolerance (default 1e-5) relative.

The relative error is max|ours - theirs| / max|theirs| over all logits. Exit status 0 when
within tolerance, 1 otherwise.

Round trip:
  python3 scripts/torch_exchange.py export /tmp/exchange
  SPARSITY_EXCHANGE_DIR=/tmp/exchange swift test ... --filter TorchExchangeTests
  python3 scripts/torch_exchange.py check /tmp/exchange

Needs torch, safetensors and numpy (pip install torch safetensors numpy).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file


class TopK(torch.nn.Module):
    """Keeps the k largest values of each row, zeroing the rest; ties go to the lowest index,
    as Sparsity's TopK does."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        k = min(self.k, x.shape[1])
        _, order = torch.sort(x, dim=1, descending=True, stable=True)
        keep = order[:, :k]
        return torch.zeros_like(x).scatter(1, keep, x.gather(1, keep))


def layers_from_json(architecture):
    """torch modules for the `architecture` JSON of a Sparsity model file."""
    features = architecture["input_features"]
    modules = []
    for layer in architecture["layers"]:
        kind = layer["kind"]
        if kind == "linear":
            modules.append(torch.nn.Linear(features, layer["out_features"], bias=layer.get("bias", True)))
            features = layer["out_features"]
        elif kind == "relu":
            modules.append(torch.nn.ReLU())
        elif kind == "leaky_relu":
            modules.append(torch.nn.LeakyReLU(layer.get("negative_slope", 0.01)))
        elif kind == "sigmoid":
            modules.append(torch.nn.Sigmoid())
        elif kind == "topk":
            modules.append(TopK(layer["k"]))
        elif kind == "dropout":
            modules.append(torch.nn.Dropout(layer["p"]))
        else:
            raise ValueError(f"unknown layer kind {kind!r}")
    return modules


def architecture_from_compact(text):
    """The `architecture` JSON for the Sparsity compact form, e.g. 784-256-relu-10."""
    tokens = [token.strip().lower() for token in text.split("-")]
    features, layers = int(tokens[0]), []
    for token in tokens[1:]:
        name, _, value = token.partition(":")
        if name.isdigit():
            layers.append({"kind": "linear", "in_features": features, "out_features": int(name), "bias": value != "nobias"})
            features = int(name)
        elif name in ("relu", "sigmoid"):
            layers.append({"kind": name})
        elif name == "leaky_relu":
            layers.append({"kind": "leaky_relu", "negative_slope": float(value or 0.01)})
        elif name == "topk":
            layers.append({"kind": "topk", "k": int(value)})
        elif name == "dropout":
            layers.append({"kind": "dropout", "p": float(value)})
        else:
            raise ValueError(f"{token!r} is not a layer")
    return {"input_features": int(tokens[0]), "layers": layers}


def relative_error(ours, theirs):
    return float(np.max(np.abs(ours - theirs)) / max(float(np.max(np.abs(theirs))), 1e-30))


def check(directory, architecture_text, tolerance):
    path = os.path.join(directory, "model.safetensors")
    with safe_open(path, framework="pt") as handle:
        metadata = handle.metadata() or {}
    if architecture_text:
        architecture = architecture_from_compact(architecture_text)
    elif "architecture" in metadata:
        architecture = json.loads(metadata["architecture"])
    else:
        sys.exit(f"{path}: no architecture metadata; pass --architecture")
    model = torch.nn.Sequential(*layers_from_json(architecture))
    model.load_state_dict(load_file(path), strict=True)
    model.eval()
    inputs = np.load(os.path.join(directory, "inputs.npy"))
    expected = np.load(os.path.join(directory, "logits.npy"))
    with torch.no_grad():
        logits = model(torch.from_numpy(inputs)).numpy()
    error = relative_error(logits, expected)
    print(f"check: {path}: {model}".replace("\n", " "))
    print(f"check: metadata keys {sorted(metadata)}; training {metadata.get('training')}")
    print(f"check: logits {logits.shape}, max relative error {error:.3e} (tolerance {tolerance:g})")
    return error <= tolerance


def export(directory, architecture_text, seed):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(*layers_from_json(architecture_from_compact(architecture_text)))
    model.eval()
    inputs = torch.randn(50, model[0].in_features)
    with torch.no_grad():
        logits = model(inputs)
    state = {name: tensor.contiguous() for name, tensor in model.state_dict().items()}
    save_file(state, os.path.join(directory, "torch_model.safetensors"))
    save_file({name: tensor.double() for name, tensor in state.items()}, os.path.join(directory, "torch_model_f64.safetensors"))
    np.save(os.path.join(directory, "torch_inputs.npy"), inputs.numpy())
    np.save(os.path.join(directory, "torch_logits.npy"), logits.numpy())
    with open(os.path.join(directory, "torch_architecture.txt"), "w") as handle:
        handle.write(architecture_text + "\n")
    print(f"export: {directory}: {sorted(state)} for {architecture_text}, logits {tuple(logits.shape)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["export", "check"])
    parser.add_argument("directory")
    parser.add_argument("--architecture", help="compact form, e.g. 784-256-relu-10 (export default: 30-40-relu-20-leaky_relu:0.05-dropout:0.2-10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-5)
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    if args.command == "export":
        export(args.directory, args.architecture or "30-40-relu-20-leaky_relu:0.05-dropout:0.2-10", args.seed)
    elif not check(args.directory, args.architecture, args.tolerance):
        sys.exit(1)


if __name__ == "__main__":
    main()
