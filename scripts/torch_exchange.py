#!/usr/bin/env python3
"""Checks that Sparsity model files and PyTorch exchange networks both ways.

Two networks go each way: a multilayer perceptron and an image network (convolutions with
stride, padding, dilation and groups, batch norm with trained running statistics, max and
average pooling, residual blocks with and without a shortcut, Dropout2d, per-channel and
per-position TopK, global average pooling, flatten, linear).

  export DIR   (b) PyTorch -> Sparsity: builds random torch.nn.Sequential networks and saves
               each with safetensors.torch.save_file (no metadata), float32 and float64 (the
               int64 num_batches_tracked kept as PyTorch has it):
                 MLP    DIR/torch_model.safetensors, DIR/torch_model_f64.safetensors,
                        DIR/torch_inputs.npy, DIR/torch_logits.npy, DIR/torch_architecture.txt
                 image  the same files with torch_image_ in place of torch_
               Inputs are samples x features (images flattened channel, row, column, as Sparsity
               stores them), logits samples x outputs, the architecture in the Sparsity compact
               form. The image network's batch norms first see a few training batches, so their
               running statistics are not the initial ones. The Swift tests
               TorchExchangeTests.loadsModelFromPyTorch and loadsImageModelFromPyTorch load them
               and compare logits.
  check DIR    (a) Sparsity -> PyTorch: loads DIR/model.safetensors and DIR/image_model.safetensors
               (written by TorchExchangeTests.writesModelForPyTorch and writesImageModelForPyTorch,
               or the CLI; a missing image file is skipped) with safetensors.torch.load_file into the
               torch.nn.Sequential their `architecture` metadata describes (or --architecture,
               --image-architecture), runs DIR/inputs.npy (DIR/image_inputs.npy) through it and
               compares with DIR/logits.npy (DIR/image_logits.npy) to --tolerance (default 1e-5)
               relative.

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

MLP_ARCHITECTURE = "30-40-relu-20-leaky_relu:0.05-dropout:0.2-10"
IMAGE_ARCHITECTURE = (
    "3x9x9,conv:8:3x3:p1,bn,relu,"
    "res(conv:8:3x3:p2:d2:g2,bn,relu,dropout2d:0.1,conv:8:3x3:p1,bn),"
    "maxpool:3:s2:p1,leaky_relu:0.2,"
    "res(conv:16:3x3:s2:p1,bn,relu,conv:16:3x3:p1:nobias,bn|conv:16:1x1:s2:nobias,bn),"
    "topk:4:channel,avgpool:2:s1:p1,topk:6:position,leaky_relu:0.1,gap,flatten,12,relu,dropout:0.2,5:nobias")


def keep_largest(x, dim, k):
    """x with all but the k largest values along `dim` set to zero; ties go to the lowest index,
    as in Sparsity's TopK and SpatialTopK."""
    k = min(k, x.shape[dim])
    _, order = torch.sort(x, dim=dim, descending=True, stable=True)
    keep = order.narrow(dim, 0, k)
    return torch.zeros_like(x).scatter(dim, keep, x.gather(dim, keep))


class TopK(torch.nn.Module):
    """Keeps the k largest values of each sample (all its values, for images), zeroing the rest."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        return keep_largest(x.reshape(len(x), -1), 1, self.k).reshape(x.shape)


class SpatialTopK(torch.nn.Module):
    """Keeps the k largest values of each channel (over="channel": of its rows x columns pixels)
    or at each pixel (over="position": of its channels) of (N, C, H, W) images."""

    def __init__(self, k, over):
        super().__init__()
        if over not in ("channel", "position"):
            raise ValueError(f"topk over must be channel or position, got {over!r}")
        self.k, self.over = k, over

    def forward(self, x):
        if self.over == "position":
            return keep_largest(x, 1, self.k)
        n, c, h, w = x.shape
        return keep_largest(x.reshape(n, c, h * w), 2, self.k).reshape(x.shape)

    def extra_repr(self):
        return f"k={self.k}, over={self.over}"


class Residual(torch.nn.Module):
    """body(x) + shortcut(x); an empty shortcut is the identity. The attribute names make the
    state-dict names Sparsity's: `{i}.body.{j}.weight`, `{i}.shortcut.{j}.weight`."""

    def __init__(self, body, shortcut):
        super().__init__()
        self.body = torch.nn.Sequential(*body)
        self.shortcut = torch.nn.Sequential(*shortcut)

    def forward(self, x):
        return self.body(x) + self.shortcut(x)


def pair(values, default):
    return tuple(values) if values is not None else default


def window_output(size, kernel, stride, padding, dilation):
    """Output rows (or columns) of a sliding window, PyTorch's ceil_mode=False."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def image_module(layer, shape):
    """The torch module of an image layer and its output (channels, rows, columns)."""
    kind, (channels, rows, columns) = layer["kind"], shape
    if kind in ("batch_norm2d", "dropout2d", "global_avg_pool2d"):
        if kind == "batch_norm2d":
            module = torch.nn.BatchNorm2d(channels, eps=layer.get("eps", 1e-5), momentum=layer.get("momentum", 0.1))
        elif kind == "dropout2d":
            module = torch.nn.Dropout2d(layer["p"])
        else:
            module, rows, columns = torch.nn.AdaptiveAvgPool2d(1), 1, 1
        return module, (channels, rows, columns)
    kernel = tuple(layer["kernel_size"])
    stride = pair(layer.get("stride"), (1, 1) if kind == "conv2d" else kernel)
    padding, dilation = pair(layer.get("padding"), (0, 0)), pair(layer.get("dilation"), (1, 1))
    if kind == "conv2d":
        module = torch.nn.Conv2d(channels, layer["out_channels"], kernel, stride=stride, padding=padding,
                                 dilation=dilation, groups=layer.get("groups", 1), bias=layer.get("bias", True))
        channels = layer["out_channels"]
    elif kind == "max_pool2d":
        module = torch.nn.MaxPool2d(kernel, stride=stride, padding=padding, dilation=dilation)
    elif kind == "avg_pool2d":
        if dilation != (1, 1):
            raise ValueError(f"avg_pool2d has no dilation, got {dilation}")
        module = torch.nn.AvgPool2d(kernel, stride=stride, padding=padding)
    else:
        raise ValueError(f"unknown layer kind {kind!r}")
    rows = window_output(rows, kernel[0], stride[0], padding[0], dilation[0])
    columns = window_output(columns, kernel[1], stride[1], padding[1], dilation[1])
    return module, (channels, rows, columns)


def modules_from_json(layers, shape):
    """The torch modules of JSON `layers` and the sample after them: an int (flat features) or a
    tuple (channels, rows, columns). in_features, in_channels and num_features follow from the
    shapes (they are optional in the JSON)."""
    modules = []
    for layer in layers:
        kind = layer["kind"]
        if kind == "linear":
            if not isinstance(shape, int):
                raise ValueError(f"linear needs flat features, gets {shape}")
            modules.append(torch.nn.Linear(shape, layer["out_features"], bias=layer.get("bias", True)))
            shape = layer["out_features"]
        elif kind == "relu":
            modules.append(torch.nn.ReLU())
        elif kind == "leaky_relu":
            modules.append(torch.nn.LeakyReLU(layer.get("negative_slope", 0.01)))
        elif kind == "sigmoid":
            modules.append(torch.nn.Sigmoid())
        elif kind == "topk":
            modules.append(SpatialTopK(layer["k"], layer["over"]) if layer.get("over") else TopK(layer["k"]))
        elif kind == "dropout":
            modules.append(torch.nn.Dropout(layer["p"]))
        elif kind == "flatten":
            modules.append(torch.nn.Flatten())
            shape = int(np.prod(shape))
        elif kind == "residual":
            body, body_shape = modules_from_json(layer["body"], shape)
            shortcut, shortcut_shape = modules_from_json(layer.get("shortcut", []), shape)
            if body_shape != shortcut_shape:
                raise ValueError(f"residual body gives {body_shape}, shortcut {shortcut_shape}")
            modules.append(Residual(body, shortcut))
            shape = body_shape
        else:
            module, shape = image_module(layer, shape)
            modules.append(module)
    return modules, shape


def input_shape(architecture):
    """Flat features (int) or an image (channels, rows, columns) of one input sample."""
    return tuple(architecture["input_shape"]) if "input_shape" in architecture else architecture["input_features"]


def layers_from_json(architecture):
    """torch modules for the `architecture` JSON of a Sparsity model file."""
    return modules_from_json(architecture["layers"], input_shape(architecture))[0]


def split_tokens(text):
    """Splits at top-level ',' and '-' (not inside parentheses), trimmed and lowercased."""
    tokens, current, level = [], "", 0
    for character in text:
        level += {"(": 1, ")": -1}.get(character, 0)
        if character in ",-" and level == 0:
            tokens.append(current.strip().lower())
            current = ""
        else:
            current += character
    return tokens + [current.strip().lower()]


def window_json(kind, arguments, allowed, default_stride):
    """A conv2d / pool entry: `KxK` (or `K`), then options sS, pP, dD, gG, nobias."""
    sides = [int(side) for side in arguments[0].split("x")]
    kernel = [sides[0], sides[-1]]
    options = {"b": True}
    for argument in arguments[1:]:
        if argument == "nobias" and "b" in allowed:
            options["b"] = False
        elif argument[:1] in allowed and argument[1:].isdigit():
            options[argument[0]] = int(argument[1:])
        else:
            raise ValueError(f"{argument!r} is not an option of {kind}")
    stride = [options["s"]] * 2 if "s" in options else default_stride(kernel)
    entry = {"kind": kind, "kernel_size": kernel, "stride": stride, "padding": [options.get("p", 0)] * 2,
             "dilation": [options.get("d", 1)] * 2}
    if kind == "conv2d":
        entry.update(groups=options.get("g", 1), bias=options["b"])
    return entry


def layer_from_token(token):
    """The JSON entry of one compact layer token (Sparsity's grammar, ModelArchitecture+Tokens)."""
    if token.startswith("res(") and token.endswith(")"):
        paths, current, level = [], "", 0
        for character in token[4:-1]:
            level += {"(": 1, ")": -1}.get(character, 0)
            if character == "|" and level == 0:
                paths.append(current)
                current = ""
            else:
                current += character
        paths.append(current)
        return {"kind": "residual", "body": [layer_from_token(t) for t in split_tokens(paths[0])],
                "shortcut": [layer_from_token(t) for t in split_tokens(paths[1])] if len(paths) == 2 and paths[1] else []}
    name, *arguments = token.split(":")
    if name.isdigit() or name == "linear":
        size = int(name) if name.isdigit() else int(arguments.pop(0))
        return {"kind": "linear", "out_features": size, "bias": arguments != ["nobias"]}
    simple = {"relu": "relu", "sigmoid": "sigmoid", "flatten": "flatten", "gap": "global_avg_pool2d",
              "bn": "batch_norm2d", "batchnorm": "batch_norm2d"}
    if name in simple:
        return {"kind": simple[name]}
    if name == "leaky_relu":
        return {"kind": "leaky_relu", "negative_slope": float(arguments[0]) if arguments else 0.01}
    if name == "topk":
        return {"kind": "topk", "k": int(arguments[0]), **({"over": arguments[1]} if len(arguments) == 2 else {})}
    if name in ("dropout", "dropout2d"):
        return {"kind": name, "p": float(arguments[0])}
    if name == "conv":
        entry = window_json("conv2d", arguments[1:], "spdgb", lambda kernel: [1, 1])
        return dict(entry, out_channels=int(arguments[0]))
    if name in ("maxpool", "avgpool"):
        return window_json("max_pool2d" if name == "maxpool" else "avg_pool2d", arguments, "sp", lambda kernel: kernel)
    raise ValueError(f"{token!r} is not a layer")


def architecture_from_compact(text):
    """The `architecture` JSON for the Sparsity compact form, e.g. 784-256-relu-10 or
    1x28x28,conv:20:5x5,relu,maxpool:2,flatten,10 (in_* fields left to the shapes)."""
    tokens = split_tokens(text)
    sides = [int(side) for side in tokens[0].split("x")]
    architecture = {"input_features": int(np.prod(sides)), "layers": [layer_from_token(t) for t in tokens[1:]]}
    if len(sides) > 1:
        architecture["input_shape"] = ([1] + sides)[-3:]
    return architecture


def forward(model, architecture, inputs):
    """The logits (samples x outputs) of `model` for flat inputs (samples x features)."""
    shape = input_shape(architecture)
    x = torch.from_numpy(inputs)
    with torch.no_grad():
        return model(x.reshape(len(x), *shape) if isinstance(shape, tuple) else x).reshape(len(x), -1)


def relative_error(ours, theirs):
    return float(np.max(np.abs(ours - theirs)) / max(float(np.max(np.abs(theirs))), 1e-30))


def check_file(directory, prefix, architecture_text, tolerance):
    """Checks DIR/{prefix}model.safetensors against DIR/{prefix}logits.npy; True when within
    tolerance."""
    path = os.path.join(directory, f"{prefix}model.safetensors")
    with safe_open(path, framework="pt") as handle:
        metadata = handle.metadata() or {}
    if architecture_text:
        architecture = architecture_from_compact(architecture_text)
    elif "architecture" in metadata:
        architecture = json.loads(metadata["architecture"])
    else:
        sys.exit(f"{path}: no architecture metadata; pass --{prefix.replace('_', '-')}architecture")
    model = torch.nn.Sequential(*layers_from_json(architecture))
    model.load_state_dict(load_file(path), strict=True)
    model.eval()
    inputs = np.load(os.path.join(directory, f"{prefix}inputs.npy"))
    expected = np.load(os.path.join(directory, f"{prefix}logits.npy"))
    logits = forward(model, architecture, inputs).numpy()
    error = relative_error(logits, expected)
    print(f"check: {path}: {model}".replace("\n", " "))
    print(f"check: metadata keys {sorted(metadata)}; training {metadata.get('training')}")
    print(f"check: logits {logits.shape}, max relative error {error:.3e} (tolerance {tolerance:g})")
    return error <= tolerance


def check(directory, architecture_text, image_architecture_text, tolerance):
    """Checks model.safetensors, and image_model.safetensors when present."""
    passed = check_file(directory, "", architecture_text, tolerance)
    if os.path.exists(os.path.join(directory, "image_model.safetensors")):
        passed = check_file(directory, "image_", image_architecture_text, tolerance) and passed
    else:
        print(f"check: {directory}/image_model.safetensors: missing, skipped")
    return passed


def train_batch_norms(model, shape, generator):
    """Gives every BatchNorm2d a random affine map and running statistics from three training
    batches (inputs with mean 1 and deviation 3), then puts the model in evaluation mode."""
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            with torch.no_grad():
                module.weight.uniform_(0.5, 1.5, generator=generator)
                module.bias.normal_(0, 0.2, generator=generator)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(16, *shape, generator=generator) * 3 + 1)
    model.eval()


def export_model(directory, prefix, architecture_text, seed):
    """Writes DIR/{prefix}model.safetensors (and _f64), inputs, logits and architecture."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed + 1)
    architecture = architecture_from_compact(architecture_text)
    model = torch.nn.Sequential(*layers_from_json(architecture))
    shape = input_shape(architecture)
    if isinstance(shape, tuple):
        train_batch_norms(model, shape, generator)
    model.eval()
    inputs = torch.randn(50, architecture["input_features"], generator=generator)
    logits = forward(model, architecture, inputs.numpy())
    state = {name: tensor.contiguous() for name, tensor in model.state_dict().items()}
    save_file(state, os.path.join(directory, f"{prefix}model.safetensors"))
    double = {name: tensor.double() if tensor.is_floating_point() else tensor for name, tensor in state.items()}
    save_file(double, os.path.join(directory, f"{prefix}model_f64.safetensors"))
    np.save(os.path.join(directory, f"{prefix}inputs.npy"), inputs.numpy())
    np.save(os.path.join(directory, f"{prefix}logits.npy"), logits.numpy())
    with open(os.path.join(directory, f"{prefix}architecture.txt"), "w") as handle:
        handle.write(architecture_text + "\n")
    dtypes = sorted({str(tensor.dtype) for tensor in state.values()})
    print(f"export: {directory}: {len(state)} tensors ({', '.join(dtypes)}) for {architecture_text},"
          f" logits {tuple(logits.shape)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["export", "check"])
    parser.add_argument("directory")
    parser.add_argument("--architecture", help=f"MLP, compact form, e.g. 784-256-relu-10 (export default: {MLP_ARCHITECTURE})")
    parser.add_argument("--image-architecture", help=f"image network, compact form (export default: {IMAGE_ARCHITECTURE})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-5)
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    if args.command == "export":
        export_model(args.directory, "torch_", args.architecture or MLP_ARCHITECTURE, args.seed)
        export_model(args.directory, "torch_image_", args.image_architecture or IMAGE_ARCHITECTURE, args.seed)
    elif not check(args.directory, args.architecture, args.image_architecture, args.tolerance):
        sys.exit(1)


if __name__ == "__main__":
    main()
