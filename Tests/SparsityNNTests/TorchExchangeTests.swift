import SparsityTestSupport
import Foundation
import SparsityCore
import SparsityIO
import Testing

@testable import SparsityNN

/// The exchange directory shared with `scripts/torch_exchange.py`, from SPARSITY_EXCHANGE_DIR.
private let exchangeDirectory = ProcessInfo.processInfo.environment["SPARSITY_EXCHANGE_DIR"].map {
  URL(fileURLWithPath: $0, isDirectory: true)
}

/// True when the exchange directory holds `name`, one of the files `torch_exchange.py export` writes.
private func torchFilePresent(_ name: String) -> Bool {
  exchangeDirectory.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent(name).path) } ?? false
}

/// The batch norms of `layers`, residual blocks' included.
private func batchNorms(in layers: [Layer]) -> [BatchNorm2d] {
  layers.flatMap { layer in
    (layer as? BatchNorm2d).map { [$0] } ?? layer.sublayers.flatMap { batchNorms(in: $0.layers) }
  }
}

/// The model exchange with PyTorch, run by hand (see `scripts/torch_exchange.py`):
///
///     python3 scripts/torch_exchange.py export DIR     # PyTorch writes torch_* files
///     SPARSITY_EXCHANGE_DIR=DIR swift test ... --filter TorchExchangeTests
///     python3 scripts/torch_exchange.py check DIR      # PyTorch checks our model files
///
/// Without SPARSITY_EXCHANGE_DIR every test is skipped.
@Suite struct TorchExchangeTests {
  /// Architecture of the model written for PyTorch: every layer kind, non-zero biases.
  static let architecture = "20-32-relu-24-leaky_relu:0.1-dropout:0.3-16:nobias-sigmoid-12-topk:5-relu-6"

  /// Architecture of the image model written for PyTorch: every image layer kind, grouped,
  /// dilated, padded and strided convolutions, a non-square input and pool, residual blocks with
  /// and without a shortcut, TopK per position, per channel and over a whole image.
  static let imageArchitecture =
    "4x10x12,conv:8:3x3:p1:g2,bn,relu,res(conv:8:3x3:p1,bn,relu,conv:8:3x3:p2:d2,bn),avgpool:3:s2:p1,"
    + "res(conv:12:1x1,bn,sigmoid,topk:3:position,conv:12:3x3:p1:g4|conv:12:1x1:nobias),maxpool:2x3,topk:2:channel,"
    + "dropout2d:0.2,topk:20,bn,gap,flatten,10:nobias,leaky_relu:0.1,dropout:0.3,6:nobias"

  /// Writes model.safetensors, inputs.npy and logits.npy (our forward pass) for PyTorch to check.
  @Test(.enabled(if: exchangeDirectory != nil, "set SPARSITY_EXCHANGE_DIR to run"))
  func writesModelForPyTorch() throws {
    let network = try ModelArchitecture(parsing: Self.architecture).makeSequential(
      seed: 42, initialization: .pytorchDefault)
    var generator = Xoshiro256StarStar(seed: 43)
    try write(network, inputs: Tensor.normal(shape: [64, 20], using: &generator), prefix: "")
  }

  /// Writes image_model.safetensors, image_inputs.npy and image_logits.npy for PyTorch to
  /// check; the batch norms get random affine maps and running statistics from three training
  /// batches first.
  @Test(.enabled(if: exchangeDirectory != nil, "set SPARSITY_EXCHANGE_DIR to run"))
  func writesImageModelForPyTorch() throws {
    let architecture = try ModelArchitecture(parsing: Self.imageArchitecture)
    let network = architecture.makeSequential(seed: 44, initialization: .pytorchDefault)
    var generator = Xoshiro256StarStar(seed: 45)
    let norms = batchNorms(in: network.layers)
    #expect(norms.count == 5)
    for norm in norms {
      let channels = norm.inputShape.channels
      norm.weight.value = .normal(shape: [channels], mean: 1, standardDeviation: 0.2, using: &generator)
      norm.bias.value = .normal(shape: [channels], standardDeviation: 0.2, using: &generator)
    }
    for _ in 0..<3 {
      let batch = Tensor.normal(
        shape: [16, architecture.inputFeatures], mean: 1, standardDeviation: 3, using: &generator)
      network.forward(batch, training: true)
    }
    #expect(norms.allSatisfy { $0.batchesTracked.value.scalars == [3] })
    try write(network, inputs: .normal(shape: [64, architecture.inputFeatures], using: &generator), prefix: "image_")
  }

  /// Loads the MLP PyTorch saved without metadata (float32 and float64 copies) and compares
  /// our logits with PyTorch's to 1e-5 relative.
  @Test(
    .enabled(
      if: torchFilePresent("torch_model.safetensors"), "run `torch_exchange.py export` into SPARSITY_EXCHANGE_DIR first"
    ))
  func loadsModelFromPyTorch() throws {
    try compareWithPyTorch(prefix: "torch_")
  }

  /// Loads the image network PyTorch saved without metadata (float32 and float64 copies, each
  /// with int64 `num_batches_tracked`) and compares logits to 1e-5 relative.
  @Test(
    .enabled(
      if: torchFilePresent("torch_image_model.safetensors"),
      "run `torch_exchange.py export` into SPARSITY_EXCHANGE_DIR first"))
  func loadsImageModelFromPyTorch() throws {
    try compareWithPyTorch(prefix: "torch_image_")
  }

  /// Writes `network` as {prefix}model.safetensors, `inputs` and our logits as
  /// {prefix}inputs.npy and {prefix}logits.npy.
  private func write(_ network: Sequential, inputs: Tensor, prefix: String) throws {
    let directory = try #require(exchangeDirectory)
    let logits = network.forward(inputs, training: false)
    let record = ModelRecord(settings: [RecordedSetting(name: "source", value: "TorchExchangeTests")])
    try ModelFile(network: network, record: record).write(
      to: directory.appendingPathComponent("\(prefix)model.safetensors"))
    try NPYFile.write(inputs, to: directory.appendingPathComponent("\(prefix)inputs.npy"))
    try NPYFile.write(logits, to: directory.appendingPathComponent("\(prefix)logits.npy"))
  }

  /// Loads {prefix}model.safetensors and {prefix}model_f64.safetensors with the architecture in
  /// {prefix}architecture.txt and compares our logits for {prefix}inputs.npy with
  /// {prefix}logits.npy.
  private func compareWithPyTorch(prefix: String) throws {
    let directory = try #require(exchangeDirectory)
    let text = try String(contentsOf: directory.appendingPathComponent("\(prefix)architecture.txt"), encoding: .utf8)
    let architecture = try ModelArchitecture(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
    let inputs = try NPYFile.read(contentsOf: directory.appendingPathComponent("\(prefix)inputs.npy"))
    let reference = try NPYFile.read(contentsOf: directory.appendingPathComponent("\(prefix)logits.npy"))
    for name in ["\(prefix)model.safetensors", "\(prefix)model_f64.safetensors"] {
      let url = directory.appendingPathComponent(name)
      #expect(throws: ModelFileError.self) { try ModelFile.read(contentsOf: url) }
      let model = try ModelFile.read(contentsOf: url, architecture: architecture)
      let error = relativeError(model.network.forward(inputs, training: false), reference)
      print("TorchExchangeTests: \(name) (\(architecture)): max relative logit error \(error)")
      #expect(error <= 1e-5)
    }
  }
}
