// The bad-input cases of model files (safetensors and their metadata), inference plans, the
// options that size work, output paths, and control characters in what messages echo.

import Foundation

extension BadInput {
  /// A model file at `model.safetensors`: `HostileFiles.model` with `metadata`.
  static func modelFile(_ metadata: [String: String] = [:]) -> [String: FileContent] {
    ["model.safetensors": .bytes(HostileFiles.model(metadata: metadata))]
  }

  /// `files` and a valid model file at `model.safetensors`.
  static func withModel(_ files: [String: FileContent]) -> [String: FileContent] {
    files.merging(modelFile()) { $1 }
  }

  /// A safetensors file at `model.safetensors` with the header `header` (its length stored as
  /// `length` when given) and no data.
  static func safetensorsFile(_ header: String, length: UInt64? = nil) -> [String: FileContent] {
    ["model.safetensors": .bytes(HostileFiles.safetensors(header: header, length: length))]
  }

  /// `text` as the bytes of a file.
  static func text(_ text: String) -> FileContent { .bytes(Data(text.utf8)) }

  static let model = "{dir}/model.safetensors"
  static let prune = ["prune", model, "--sparsity", "0.5", "--out", "{dir}/pruned.safetensors"]
  static let compile = ["compile", model, "--cost-model", "--out", "{dir}/plan.json"]
  static let bench = ["bench", model, "--batch", "1", "--samples", "1", "--plan", "{dir}/plan.json"]

  /// Safetensors headers, and the model metadata that eval, prune, analyze and compile read.
  static let modelFiles: [BadInput] = [
    BadInput(
      "safetensors", fault: 1, ["eval", model],
      files: safetensorsFile(#"{"x":"# + HostileFiles.nestedArrays(100_000) + "}"),
      error: "{dir}/model.safetensors: invalid header: not valid JSON at byte 68: nesting deeper than 64 levels"),
    BadInput(
      "safetensors", fault: 2, ["eval", model],
      files: safetensorsFile(
        #"{"0.bias":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904],"data_offsets":[0,0]}}"#),
      error: "{dir}/model.safetensors: tensor '0.bias': shape [4611686018427387904, 4611686018427387904] is too large"),
    BadInput(
      "safetensors", fault: 2, ["eval", model],
      files: safetensorsFile(#"{"0.bias":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551615]}}"#),
      error: "{dir}/model.safetensors: tensor '0.bias': 'data_offsets' must be two non-negative integers [begin, end]"),
    BadInput(
      "safetensors", fault: 2, ["eval", model],
      files: safetensorsFile(
        #"{"0.bias":{"dtype":"F32","shape":[0],"#
          + #""data_offsets":[9223372036854775807,9223372036854775807]}}"#),
      error: "{dir}/model.safetensors: tensor '0.bias': data_offsets [9223372036854775807, 9223372036854775807]"
        + " are outside the 0-byte data buffer (truncated file?)"),
    BadInput(
      "safetensors", fault: 4, ["eval", model],
      files: safetensorsFile("{}", length: .max),
      error: "{dir}/model.safetensors: header length 18,446,744,073,709,551,615 bytes is above the 100,000,000-byte"
        + " limit of the 10-byte file (truncated, or not a safetensors file)"),
    BadInput(
      "safetensors", fault: 6, ["eval", "/dev/zero"],
      error: "/dev/zero: cannot read: is a character device, not a regular file"),
    BadInput(
      "safetensors", fault: 6, ["compile", model], files: ["model.safetensors": .fifo],
      error: "{dir}/model.safetensors: cannot read: is a FIFO, not a regular file"),
    BadInput(
      "model metadata", fault: 1, ["analyze", model],
      files: modelFile(["architecture": HostileFiles.nestedArrays(100_000)]),
      error: "{dir}/model.safetensors: invalid architecture metadata: not valid JSON: at byte 64:"
        + " nesting deeper than 64 levels"),
    BadInput(
      "model metadata", fault: 1, prune,
      files: modelFile(["training": #"{"a":"# + HostileFiles.nestedArrays(100_000) + "}"]),
      error:
        "{dir}/model.safetensors: invalid training metadata: not valid JSON: at byte 68: nesting deeper than 64 levels"),
    BadInput(
      "model metadata", fault: 1, compile, files: modelFile(["history": HostileFiles.nestedArrays(100_000)]),
      error:
        "{dir}/model.safetensors: invalid history metadata: not valid JSON: at byte 64: nesting deeper than 64 levels"),
    BadInput(
      "model metadata", fault: 2, ["eval", model],
      files: modelFile([
        "architecture": #"{"input_features":4294967296,"layers":[{"kind":"linear","bias":true,"#
          + #""in_features":4294967296,"out_features":4294967296}]}"#
      ]),
      error: "{dir}/model.safetensors: tensor '0.weight' has shape [10, 64] but the architecture 4294967296-4294967296"
        + " needs [4294967296, 4294967296]"),
    // Metadata that does not parse is an error, never the defaults.
    BadInput(
      "model metadata", fault: 5, ["eval", model], files: modelFile(["training": #"{"epochs": "1","#]),
      error: "{dir}/model.safetensors: invalid training metadata: not valid JSON: at byte 15: expected a string key"
        + " in an object"),
    BadInput(
      "model metadata", fault: 5, ["analyze", model], files: modelFile(["training": "null"]),
      error: "{dir}/model.safetensors: invalid training metadata: expected an object, found null"),
    BadInput(
      "model metadata", fault: 5, compile, files: modelFile(["training": #"{"data": "digits", "test_fraction": "x"}"#]),
      error: "{dir}/model.safetensors: invalid training metadata: at test_fraction: expected a finite number,"
        + " found string"),
    BadInput(
      "model metadata", fault: 5, prune, files: modelFile(["history": "not json"]),
      error: "{dir}/model.safetensors: invalid history metadata: not valid JSON: at byte 0: expected 'null'"),
    BadInput(
      "model metadata", fault: 5, ["eval", model],
      files: safetensorsFile(#"{"__metadata__":{"architecture":5}}"#),
      error: "{dir}/model.safetensors: invalid __metadata__: the value of 'architecture' is a number, not a string"),
  ]

  /// Inference plans as `bench MODEL --plan` reads them.
  static let planFiles: [BadInput] = [
    BadInput(
      "plan JSON", fault: 1, bench,
      files: withModel([
        "plan.json": text(#"{"a":"# + HostileFiles.nestedArrays(100_000) + "}")
      ]),
      error: "{dir}/plan.json: not a valid inference plan: not valid JSON: at byte 68: nesting deeper than 64 levels"),
    BadInput(
      "plan JSON", fault: 2, bench,
      files: withModel(["plan.json": .bytes(HostileFiles.plan(batch: "9223372036854775808"))]),
      error: "{dir}/plan.json: not a valid inference plan: at batch: 9223372036854775808 is not an integer in"
        + " -9223372036854775808...9223372036854775807"),
    BadInput(
      "plan JSON", fault: 6, ["bench", model, "--batch", "1", "--samples", "1", "--plan", "/dev/zero"],
      files: modelFile(), error: "/dev/zero: cannot read the plan: is a character device, not a regular file"),
    BadInput(
      "plan JSON", fault: 6, bench, files: withModel(["plan.json": .fifo]),
      error: "{dir}/plan.json: cannot read the plan: is a FIFO, not a regular file"),
  ]

  /// Options whose values size the work: refused from the estimate, before anything is allocated.
  static let options: [BadInput] = [
    BadInput(
      "learn-dictionary --atoms", fault: 2, learn("digits") + ["--atoms", "4000000000"],
      error: "learn-dictionary --atoms 4000000000 --batch 256 on 1797 samples of 64 features: needs more than 8 EiB"
        + " of memory, more than the \(MemoryLimit.fixedText)",
      memoryLimit: MemoryLimit.fixed),
    BadInput(
      "learn-dictionary --atoms", fault: 4, learn("digits") + ["--atoms", "2000000"],
      error: "learn-dictionary --atoms 2000000 --batch 256 on 1797 samples of 64 features: needs 102 TiB of memory,"
        + " more than the {budget}",
      limitsAddressSpace: true),
    BadInput(
      "learn-dictionary --patches", fault: 4, learn("patches:{dir}/image.png") + ["--patches", "100000000"],
      files: ["image.png": .bytes(HostileFiles.smallPNG)],
      error: "learn-dictionary --atoms 256 --batch 256 on 100000000 samples of 64 features: needs 193 GiB of memory,"
        + " more than the \(MemoryLimit.fixedText)",
      memoryLimit: MemoryLimit.fixed, limitsAddressSpace: true),
    BadInput(
      "learn-dictionary --patch", fault: 2, learn("patches:{dir}/image.png") + ["--patch", "3037000500"],
      files: ["image.png": .bytes(HostileFiles.smallPNG)],
      error: "learn-dictionary --patches 20000 --patch 3037000500: needs more than 8 EiB of memory, more than the"
        + " \(MemoryLimit.fixedText)",
      memoryLimit: MemoryLimit.fixed),
    BadInput(
      "bench kernels", fault: 4, ["bench", "kernels", "--sizes", "16384", "--batches", "65536"],
      error: "bench kernels --sizes 16384 --batches 65536: needs 56.0 GiB of memory, more than the {budget}",
      limitsAddressSpace: true),
    BadInput(
      "bench kernels --batches", fault: 2, ["bench", "kernels", "--batches", "9223372036854775807"],
      error: "option --batches: '9223372036854775807' is not a comma-separated list of batch sizes from 1 to 65536"),
    BadInput(
      "bench training", fault: 4,
      ["bench", "training", "--layers", "65536,65536,65536", "--inputs", "65536", "--classes", "65536"],
      error: "bench training --samples 60000 --inputs 65536 --layers 65536,65536,65536 --batch 128: needs 337 GiB"
        + " of memory, more than the \(MemoryLimit.fixedText)",
      memoryLimit: MemoryLimit.fixed, limitsAddressSpace: true),
    BadInput(
      "bench training --layers", fault: 2, ["bench", "training", "--layers", "9223372036854775807"],
      error: "option --layers: '9223372036854775807' is not a comma-separated list of widths from 1 to 65536"),
    BadInput(
      "train --batch", fault: 4, train("digits") + ["--batch", "4611686018427387904"],
      error: "--layers 8 --batch 4611686018427387904 with 64 inputs and 10 classes: needs more than 8 EiB of memory,"
        + " more than the \(MemoryLimit.fixedText)",
      memoryLimit: MemoryLimit.fixed),
    BadInput(
      "analyze --image-shape", fault: 2, ["analyze", model, "--image-shape", "4294967296x4294967296"],
      files: modelFile(),
      error:
        "option --image-shape: '4294967296x4294967296' is not ROWSxCOLUMNS, two positive sizes whose product fits in 64 bits (e.g. 28x28), or none"
    ),
    BadInput(
      "sweep --values", fault: 2,
      ["sweep", "--param", "topk", "--values", "9223372036854775807", "--layers", "8", "--epochs", "1"],
      error: "option --values: '9223372036854775807' is not a K below the narrowest hidden layer (8),"
        + " or TopK keeps everything"),
  ]

  /// Output paths that cannot be written: refused before any work, so nothing is printed and
  /// nothing is written (learn-dictionary used to write --out, then fail on --image).
  static let outputPaths: [BadInput] = [
    BadInput(
      "learn-dictionary --image", fault: 6, learn("digits") + ["--image", "{dir}/missing/atoms.png"],
      error: "option --image: '{dir}/missing/atoms.png' is not a file path in an existing, writable directory"
        + " ({dir}/missing is not)"),
    BadInput(
      "learn-dictionary --image", fault: 6, learn("digits") + ["--image", "{dir}/file/atoms.png"],
      files: ["file": text("")],
      error: "option --image: '{dir}/file/atoms.png' is not a file path in an existing, writable directory"
        + " ({dir}/file is not)"),
    BadInput(
      "code --out", fault: 6,
      ["code", "--data", "{dir}/X.npy", "--dictionary", "{dir}/D.npy", "--out", "{dir}/missing/codes.npy"],
      files: withDictionary(["X.npy": .bytes(HostileFiles.matrix(rows: 20, columns: 8))]),
      error: "option --out: '{dir}/missing/codes.npy' is not a file path in an existing, writable directory"
        + " ({dir}/missing is not)"),
    BadInput(
      "prune --out", fault: 6, ["prune", model, "--sparsity", "0.5", "--out", "{dir}/missing/pruned.safetensors"],
      files: modelFile(),
      error: "option --out: '{dir}/missing/pruned.safetensors' is not a file path in an existing, writable directory"
        + " ({dir}/missing is not)"),
    BadInput(
      "compile --out", fault: 6, ["compile", model, "--out", "{dir}/missing/plan.json"], files: modelFile(),
      error: "option --out: '{dir}/missing/plan.json' is not a file path in an existing, writable directory"
        + " ({dir}/missing is not)"),
    BadInput(
      "compile --out", fault: 6, ["compile", model, "--out", "/dev/null"], files: modelFile(),
      error: "option --out: '/dev/null' is not a file path in an existing, writable directory"
        + " (it is a character device, not a regular file)"),
    BadInput(
      "train --out", fault: 6, ["train", "--epochs", "1", "--out", "{dir}/missing/model.safetensors"],
      error: "option --out: '{dir}/missing/model.safetensors' is not a file path in an existing, writable directory"
        + " ({dir}/missing is not)"),
    BadInput(
      "analyze --report", fault: 6, ["analyze", model, "--report", "{dir}/file"],
      files: withModel(["file": text("")]),
      error: "option --report: '{dir}/file' is not a directory (a file of that name exists)"),
    BadInput(
      "analyze --report", fault: 6, ["analyze", model, "--report", "{dir}/file/report"],
      files: withModel(["file": text("")]),
      error: "option --report: '{dir}/file/report' is not a directory that can be created"
        + " ({dir}/file is not a writable directory)"),
  ]

  /// Carriage returns and escape sequences from the command line or a file, echoed in a message:
  /// written out, so they can neither hide the message nor restyle the terminal.
  static let controlCharacters: [BadInput] = [
    BadInput(
      "option value", fault: 6, learn("digits") + ["--atoms", "12\rX"],
      error: #"option --atoms: '12\u{d}X' is not an integer >= 1"#),
    BadInput(
      "file name", fault: 6, ["measure", "{dir}/a\rb\u{1b}[2K.npy"],
      error: #"{dir}/a\u{d}b\u{1b}[2K.npy: cannot read: no such file"#),
    BadInput(
      "model metadata", fault: 6, ["eval", model], files: modelFile(["format_version": "1\r\u{1b}[2K"]),
      error: #"{dir}/model.safetensors: unsupported model format_version '1\u{d}\u{1b}[2K' (this build reads 1)"#),
  ]
}
