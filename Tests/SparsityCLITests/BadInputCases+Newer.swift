// The bad-input cases of the surfaces added after the first sweep (a second hostile sweep of
// convolutional models, sparse autoencoders, sound and report directories found them).

import Foundation
import SparsityCore
import SparsityIO

extension BadInput {
  /// A digits CNN (1x8x8 -> Conv2d(1, 2, 3x3, padding 1) -> BatchNorm2d -> ReLU -> Flatten ->
  /// Linear(128, 10)) whose running variance is `variance` per channel.
  static func batchNormModel(variance: [Float]) -> FileContent {
    let architecture = """
      {"input_features":64,"input_shape":[1,8,8],"layers":[{"kind":"conv2d","bias":true,"in_channels":1,\
      "out_channels":2,"kernel_size":[3,3],"stride":[1,1],"padding":[1,1],"dilation":[1,1],"groups":1},\
      {"kind":"batch_norm2d","num_features":2,"eps":1e-05,"momentum":0.1},{"kind":"relu"},{"kind":"flatten"},\
      {"kind":"linear","bias":true,"in_features":128,"out_features":10}]}
      """
    let tensors = [
      "0.weight": Tensor(repeating: 0.1, shape: [2, 1, 3, 3]), "0.bias": Tensor(zeros: [2]),
      "1.weight": Tensor(repeating: 1, shape: [2]), "1.bias": Tensor(zeros: [2]), "1.running_mean": Tensor(zeros: [2]),
      "1.running_var": Tensor(variance), "1.num_batches_tracked": Tensor(shape: [], scalars: [0]),
      "4.weight": Tensor(zeros: [10, 128]), "4.bias": Tensor(zeros: [10]),
    ]
    return .bytes(
      SafetensorsFile(
        tensors: tensors, metadata: ["format": "pt", "format_version": "1", "architecture": architecture]
      ).encoded())
  }

  /// 20 images of 2x4x8 (64 values, as many as the 1x8x8 digits) and their labels.
  static let otherImages: [String: FileContent] = [
    "X.npy": .bytes(NPYFile.encode(Tensor(repeating: 0.5, shape: [20, 2, 4, 8]))),
    "y.npy": .bytes(NPYFile.encode(Tensor((0..<20).map { Float($0 % 3) }))),
  ]

  static let newerCases: [BadInput] = [
    BadInput(
      "train --batch", fault: 6, ["train", "--arch", "conv:4:8x8,bn,flatten", "--batch", "1293", "--epochs", "1"],
      error:
        "option --batch: '1293' is not a size that works with 1294 training samples: batch normalization on 1x1 images would get a batch of one row: one value per channel"
    ),
    BadInput(
      "train --parts", fault: 6, ["train", "--arch", "conv:4:8x8,bn,flatten", "--batch", "64", "--parts", "40"],
      error:
        "option --batch: '64' is not a size that works with 1294 training samples: batch normalization on 1x1 images would get a part of one row (a batch of 64 in 40 parts): one value per channel"
    ),
    BadInput(
      "train --parts", fault: 6, ["train", "--parts", "0"],
      error: "option --parts: '0' is not an integer from 1 to 4096"),
    // 64 parts in one process hold 64 copies of the gradient: refused before they are made
    // (without --parts the same network trains within the limit).
    BadInput(
      "train --parts", fault: 4, ["train", "--layers", "2048,2048", "--batch", "64", "--parts", "64"],
      error: "--layers 2048,2048 --batch 64 --parts 64 with 64 inputs and 10 classes: needs 1.18 GiB of memory,"
        + " more than the \(MemoryLimit.fixedText)",
      memoryLimit: MemoryLimit.fixed),
    BadInput(
      "train --parts", fault: 6, ["train", "--batch", "4", "--parts", "8"],
      error: "option --parts: '8' is not at most the batch size (4): every part needs rows"),
    BadInput(
      "model file, BatchNorm2d", fault: 5, ["eval", "{dir}/bn.safetensors"],
      files: ["bn.safetensors": batchNormModel(variance: [-1, 1])],
      error: "{dir}/bn.safetensors: tensor '1.running_var': value 0 is -1.0, but a variance is at least 0"),
    BadInput(
      "eval --data (image shape)", fault: 5, ["eval", "{dir}/bn.safetensors", "--data", "npy:{dir}/X.npy,{dir}/y.npy"],
      files: otherImages.merging(["bn.safetensors": batchNormModel(variance: [1, 1])]) { $1 },
      error: "{dir}/bn.safetensors: the model takes 8x8 images but npy:{dir}/X.npy,{dir}/y.npy holds 2x4x8 images"),
    BadInput(
      "analyze --data (image shape)", fault: 5,
      ["analyze", "{dir}/bn.safetensors", "--data", "npy:{dir}/X.npy,{dir}/y.npy"],
      files: otherImages.merging(["bn.safetensors": batchNormModel(variance: [1, 1])]) { $1 },
      error: "{dir}/bn.safetensors: the model takes 8x8 images but npy:{dir}/X.npy,{dir}/y.npy holds 2x4x8 images"),
    BadInput(
      "analyze --image-shape", fault: 5, ["analyze", "{dir}/bn.safetensors", "--image-shape", "4x16"],
      files: ["bn.safetensors": batchNormModel(variance: [1, 1])],
      error: "option --image-shape: '4x16' is not the model's input images, 8x8 (or none)"),
    BadInput(
      "sweep --report", fault: 6, ["sweep", "--param", "topk", "--values", "4", "--report", "{dir}/R"],
      files: ["R/accuracy.png/x": .bytes(Data())],
      error: "option --report: '{dir}/R' is not a directory where accuracy.png can be written ({dir}/R/accuracy.png is"
        + " a directory)"),
    BadInput(
      "learn-dictionary --out", fault: 6, ["learn-dictionary", "--data", "digits", "--out", "{dir}/D.npz"],
      error: "option --out: '{dir}/D.npz' is not a .npy path (D is written as NumPy's .npy)"),
    BadInput(
      "analyze --report", fault: 6, ["analyze", "{dir}/missing.safetensors", "--report", "{dir}/R"],
      error: "{dir}/missing.safetensors: cannot read: no such file"),
    BadInput(
      "analyze --report", fault: 6, ["analyze", "{dir}/bn.safetensors", "--report", ""],
      files: ["bn.safetensors": batchNormModel(variance: [1, 1])],
      error: "option --report: '' is not a directory path (use . for this directory)"),
    BadInput(
      "train --arch", fault: 6, ["train", "--arch", "res(res(res(res(res(res(res(res(res(relu))))))))),flatten"],
      error: "option --arch: 'res(res(res(res(res(res(res(res(res(relu))))))))),flatten' is not a comma-separated"
        + " list of layer tokens, e.g. conv:32:3x3,relu,maxpool:2,flatten,128,relu (residual blocks nest deeper"
        + " than 8)"),
    BadInput(
      "code --sample-format", fault: 6,
      [
        "code", "--data", "{dir}/X.npy", "--dictionary", "{dir}/D.npy", "--out", "{dir}/c.npy", "--sample-format",
        "pcm8",
      ],
      error: "option --sample-format: 'pcm8' is not pcm16 or float32"),
    BadInput(
      "spikegram --spikes-per-second", fault: 4,
      ["spikegram", "--data", "wav:{dir}/s.wav", "--learn", "wav:{dir}/s.wav", "--spikes-per-second", "20000"],
      files: withTone(),
      error: "option --spikes-per-second: '20000' is not at most the sample rate, 16000 per second (one spike per"
        + " sample)"),
    BadInput(
      "sae report --contexts", fault: 6, saeReport(["--contexts", "{dir}/C.txt"]),
      files: saeReportFiles(["C.txt": .fifo]), error: "{dir}/C.txt: cannot read: is a FIFO, not a regular file"),
    BadInput(
      "sae report --contexts", fault: 6, saeReport(["--contexts", "{dir}/D"]),
      files: saeReportFiles(["D/x": .bytes(Data())]), error: "{dir}/D: cannot read: is a directory"),
    BadInput(
      "sae report --contexts", fault: 4, saeReport(["--contexts", "{dir}/C.txt"]),
      files: saeReportFiles(["C.txt": .bytes(Data(repeating: 0x61, count: (1 << 24) + 1))]),
      error: "{dir}/C.txt: line 1 is longer than 16 MiB; a contexts file has one short line per row",
      limitsAddressSpace: true),
    BadInput(
      "sae report --out", fault: 6, saeReport([]), files: saeReportFiles(["R/index.html/x": .bytes(Data())]),
      error: "option --out: '{dir}/R' is not a directory where index.html can be written ({dir}/R/index.html is a"
        + " directory)"),
    BadInput(
      "sae train --kind", fault: 5,
      ["sae", "train", "--data", "{dir}/A.npy", "--kind", "topk:9", "--latents", "8", "--out", "{dir}/sae"],
      files: ["A.npy": .bytes(activations)], error: "option --kind: 'topk:9' is not k at most the 8 latents (--latents)"
    ),
    BadInput(
      "sae train --held-out-data", fault: 5, saeTrain("{dir}/A.npy", ["--held-out-data", "{dir}/Z.npy"]),
      files: ["A.npy": .bytes(activations), "Z.npy": .bytes(HostileFiles.matrix(rows: 0, columns: 6))],
      error: "{dir}/Z.npy: no rows to hold out"),
    BadInput(
      "sae train --held-out-data", fault: 6, saeTrain("{dir}/A.npy", ["--held-out-data", "{dir}/N.npy"]),
      files: [
        "A.npy": .bytes(activations),
        "N.npy": .bytes(NPYFile.encode(Tensor(shape: [2, 6], scalars: [1, 2, 3, 4, 5, 6, 7, .nan, 9, 10, 11, 12]))),
      ], error: "{dir}/N.npy: row 1 of the data set (row 1 of this file), column 1: nan is not a finite number"),
    BadInput(
      "sae train --out", fault: 6, saeTrain(), files: ["A.npy": .bytes(activations), "sae/cfg.json": .fifo],
      error: "option --out: '{dir}/sae' is not a directory where cfg.json can be written ({dir}/sae/cfg.json is a"
        + " FIFO, not a regular file)"),
    BadInput(
      "sae train --out", fault: 6, saeTrain(out: ""), files: ["A.npy": .bytes(activations)],
      error: "option --out: '' is not a directory path (use . for this directory)"),
    BadInput(
      "sae eval --data", fault: 5, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/Z.npy"],
      files: saeReportFiles(["Z.npy": .bytes(HostileFiles.matrix(rows: 0, columns: 6))]),
      error: "{dir}/Z.npy: no rows"),
    BadInput(
      "sae encode --out", fault: 6,
      ["sae", "encode", "--sae", "{dir}/S", "--data", "{dir}/A.npy", "--out", "{dir}/c.npy"],
      files: saeReportFiles(),
      error: "option --out: '{dir}/c.npy' is not a .npz path (the codes are written as SciPy's sparse CSR .npz)"),
    BadInput(
      "SAE cfg.json", fault: 5, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/A.npy"],
      files: saeDirectory(cfg: topKConfig.replacingOccurrences(of: #""k": 2"#, with: #""k": 9"#), tensors: saeTensors())
        .merging(["A.npy": .bytes(activations)]) { $1 },
      error: "{dir}/S/cfg.json: malformed configuration: k 9 is more than the 8 latents"),
    BadInput(
      "SAE cfg.json", fault: 5, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/A.npy"],
      files: saeDirectory(cfg: topKConfig.replacingOccurrences(of: #", "k": 2"#, with: ""), tensors: saeTensors())
        .merging(["A.npy": .bytes(activations)]) { $1 },
      error: "{dir}/S/cfg.json: malformed configuration: k 100 (SAELens's default, as the key is absent) is more"
        + " than the 8 latents"),
    BadInput(
      "SAE cfg.json", fault: 5, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/A.npy"],
      files: saeDirectory(
        cfg: topKConfig.replacingOccurrences(of: "}", with: #", "normalize_activations": "bogus"}"#),
        tensors: saeTensors()
      ).merging(["A.npy": .bytes(activations)]) { $1 },
      error: "{dir}/S/cfg.json: malformed configuration: normalize_activations \"bogus\" is not one of SAELens's"
        + " (none, expected_average_only_in, constant_norm_rescale, layer_norm)"),
  ]
}
