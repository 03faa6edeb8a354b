// The bad-input cases of sparse autoencoders: activation files, autoencoder directories and the
// options of `sparsity sae`.

import Foundation
import SparsityCore
import SparsityIO

extension BadInput {
  /// `sparsity sae train` on `data` with a small TopK autoencoder written to {dir}/sae.
  static func saeTrain(
    _ data: String = "{dir}/A.npy", _ extra: [String] = [], latents: String = "8", out: String = "{dir}/sae"
  ) -> [String] {
    ["sae", "train", "--data", data, "--kind", "topk:2", "--latents", latents, "--epochs", "1", "--out", out] + extra
  }

  /// 40 rows of 6 activations.
  static let activations = HostileFiles.matrix(rows: 40, columns: 6)

  /// An autoencoder directory in SAELens's layout: `cfg` as cfg.json, `tensors` as the weights.
  static func saeDirectory(cfg: String, tensors: [String: Tensor]) -> [String: FileContent] {
    [
      "S/cfg.json": .bytes(Data(cfg.utf8)),
      "S/sae_weights.safetensors": .bytes(SafetensorsFile(tensors: tensors).encoded()),
    ]
  }

  /// The tensors of a valid 6 -> 8 autoencoder, W_enc of shape `encoderShape`.
  static func saeTensors(encoderShape: [Int] = [6, 8]) -> [String: Tensor] {
    [
      "W_enc": Tensor(zeros: encoderShape), "b_enc": Tensor(zeros: [8]), "W_dec": Tensor(zeros: [8, 6]),
      "b_dec": Tensor(zeros: [6]),
    ]
  }

  static let topKConfig = #"{"architecture": "topk", "d_in": 6, "d_sae": 8, "k": 2, "dtype": "float32"}"#

  static let saeCases: [BadInput] = [
    BadInput(
      "activations", fault: 6, saeTrain("{dir}/missing.npy"), error: "{dir}/missing.npy: cannot read: no such file"),
    BadInput(
      "activations", fault: 6, saeTrain("{dir}/A.txt"), files: ["A.txt": .bytes(activations)],
      error: "{dir}/A.txt: unsupported activation file type '.txt', expected .npy or .safetensors"),
    BadInput(
      "activations", fault: 6, saeTrain(), files: ["A.npy": .bytes(NPYFile.encode(Tensor([1, 2, 3])))],
      error: "{dir}/A.npy: cannot be read as activation rows: its shape 3 has rank 1; rows need rank 2 or more"
        + " (rows x columns, or batch x sequence x width)"),
    BadInput(
      "activations", fault: 6, saeTrain("{dir}/A.npy,{dir}/B.npy"),
      files: ["A.npy": .bytes(activations), "B.npy": .bytes(HostileFiles.matrix(rows: 4, columns: 5))],
      error: "{dir}/B.npy: rows of 5 columns, but {dir}/A.npy has 6; the files of a data set must have the same"
        + " column count"),
    BadInput(
      "activations", fault: 5, saeTrain(),
      files: ["A.npy": .bytes(NPYFile.encode(Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, .nan, 7, 8])))],
      error: "{dir}/A.npy: row 2 of the data set (row 2 of this file), column 1: nan is not a finite number"),
    BadInput(
      "sae train --kind", fault: 6,
      [
        "sae", "train", "--data", "{dir}/A.npy", "--kind", "topk:0", "--latents", "8",
        "--out", "{dir}/sae",
      ], files: ["A.npy": .bytes(activations)],
      error: "option --kind: 'topk:0' is not topk:K, batchtopk:K, l1:C or jumprelu:C[:BANDWIDTH]"),
    BadInput(
      "sae train --held-out", fault: 6, saeTrain("{dir}/A.npy", ["--held-out", "40"]),
      files: ["A.npy": .bytes(activations)],
      error: "option --held-out: '40' is not fewer rows than the data's 40"),
    BadInput(
      "sae train --latents", fault: 4, saeTrain(latents: "1048576"),
      files: ["A.npy": .bytes(activations)],
      error: "a sparse autoencoder of 1048576 latents over 6 inputs, batch 1024: needs 16.3 GiB of memory, more than"
        + " the 1.00 GiB the limit SPARSITY_MEMORY_LIMIT sets",
      memoryLimit: "1G"),
    BadInput(
      "sae train --initial-l0", fault: 6, saeTrain("{dir}/A.npy", ["--initial-l0", "4"]),
      files: ["A.npy": .bytes(activations)], error: "sae train: --initial-l0 applies to --kind jumprelu only"),
    BadInput(
      "sae train --initial-l0", fault: 6,
      [
        "sae", "train", "--data", "{dir}/A.npy", "--kind", "jumprelu:0.01", "--latents", "8", "--initial-l0", "8",
        "--out", "{dir}/sae",
      ], files: ["A.npy": .bytes(activations)], error: "sae train: --initial-l0 8 must be below --latents 8"),
    BadInput(
      "sae train --out", fault: 6, saeTrain(out: "{dir}/A.npy"), files: ["A.npy": .bytes(activations)],
      error: "option --out: '{dir}/A.npy' is not a directory (a file of that name exists)"),
    BadInput(
      "SAE directory", fault: 6, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/A.npy"],
      files: ["A.npy": .bytes(activations)], error: "{dir}/S: not a sparse autoencoder directory: no such directory"),
    BadInput(
      "SAE cfg.json", fault: 6, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/A.npy"],
      files: saeDirectory(cfg: #"{"architecture": "topk", "d_in": 6}"#, tensors: saeTensors()).merging([
        "A.npy": .bytes(activations)
      ]) { $1 }, error: "{dir}/S/cfg.json: malformed configuration: missing key \"dtype\""),
    BadInput(
      "SAE cfg.json", fault: 6, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/A.npy"],
      files: saeDirectory(cfg: topKConfig.replacingOccurrences(of: "topk", with: "gated"), tensors: saeTensors())
        .merging(["A.npy": .bytes(activations)]) { $1 },
      error: "{dir}/S/cfg.json: unsupported: architecture \"gated\" (standard, topk and jumprelu are read)"),
    BadInput(
      "SAE weights", fault: 6, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/A.npy"],
      files: saeDirectory(cfg: topKConfig, tensors: saeTensors(encoderShape: [8, 6])).merging([
        "A.npy": .bytes(activations)
      ]) { $1 }, error: "{dir}/S/sae_weights.safetensors: tensor 'W_enc': shape [8, 6], expected [6, 8]"),
    BadInput(
      "sae eval --data", fault: 6, ["sae", "eval", "--sae", "{dir}/S", "--data", "{dir}/B.npy"],
      files: saeDirectory(cfg: topKConfig, tensors: saeTensors()).merging([
        "B.npy": .bytes(HostileFiles.matrix(rows: 4, columns: 5))
      ]) { $1 }, error: "{dir}/B.npy: rows of 5 values, but the autoencoder takes 6"),
    BadInput(
      "sae encode --out", fault: 6,
      [
        "sae", "encode", "--sae", "{dir}/S", "--data", "{dir}/A.npy", "--out",
        "{dir}/missing/codes.npz",
      ],
      files: saeDirectory(cfg: topKConfig, tensors: saeTensors()).merging([
        "A.npy": .bytes(activations)
      ]) { $1 },
      error: "option --out: '{dir}/missing/codes.npz' is not a file path in an existing, writable directory"
        + " ({dir}/missing is not)"),
    BadInput(
      "sae report --contexts", fault: 6, saeReport(["--contexts", "{dir}/C.txt"]),
      files: saeReportFiles(["C.txt": .bytes(Data("one ⟦line⟧\ntwo\nthree\n".utf8))]),
      error: "{dir}/C.txt: 3 lines, but the data has 40 rows; a contexts file has one line per row"),
    BadInput(
      "sae report --contexts", fault: 5, saeReport(["--contexts", "{dir}/C.txt"]),
      files: saeReportFiles(["C.txt": .bytes(Data("fine\n".utf8) + Data([0x61, 0xFF, 0x0A]))]),
      error: "{dir}/C.txt: line 2 is not valid UTF-8"),
    BadInput(
      "sae report --image-shape", fault: 6, saeReport(["--image-shape", "2x2"]), files: saeReportFiles(),
      error: "option --image-shape: '2x2' is not 6 pixels, the width of a row"),
    BadInput(
      "sae report --search", fault: 6, saeReport(["--search", "cat"]), files: saeReportFiles(),
      error: "sae report: --search needs --contexts (the text of each row)"),
  ]

  /// `sparsity sae report` of the autoencoder {dir}/S on {dir}/A.npy, writing {dir}/R.
  static func saeReport(_ extra: [String]) -> [String] {
    ["sae", "report", "--sae", "{dir}/S", "--data", "{dir}/A.npy", "--out", "{dir}/R"] + extra
  }

  /// A valid autoencoder in {dir}/S, 40 rows of 6 activations in {dir}/A.npy, and `more`.
  static func saeReportFiles(_ more: [String: FileContent] = [:]) -> [String: FileContent] {
    saeDirectory(cfg: topKConfig, tensors: saeTensors()).merging(["A.npy": .bytes(activations)]) { $1 }
      .merging(more) { $1 }
  }
}
