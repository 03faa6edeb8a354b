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

/// True when the exchange directory holds the files `torch_exchange.py export` writes.
private let torchFilesPresent =
  exchangeDirectory.map {
    FileManager.default.fileExists(atPath: $0.appendingPathComponent("torch_model.safetensors").path)
  } ?? false

/// The model exchange with PyTorch, run by hand (see `scripts/torch_exchange.py`):
///
///     python3 scripts/torch_exchange.py export DIR     # PyTorch writes torch_* files
///     SPARSITY_EXCHANGE_DIR=DIR swift test ... --filter TorchExchangeTests
///     python3 scripts/torch_exchange.py check DIR      # PyTorch checks our model.safetensors
///
/// Without SPARSITY_EXCHANGE_DIR both tests are skipped.
@Suite struct TorchExchangeTests {
  /// Architecture of the model written for PyTorch: every layer kind, non-zero biases.
  static let architecture = "20-32-relu-24-leaky_relu:0.1-dropout:0.3-16:nobias-sigmoid-12-topk:5-relu-6"

  /// Writes model.safetensors, inputs.npy and logits.npy (our forward pass) for PyTorch to check.
  @Test(.enabled(if: exchangeDirectory != nil, "set SPARSITY_EXCHANGE_DIR to run"))
  func writesModelForPyTorch() throws {
    let directory = try #require(exchangeDirectory)
    let network = try ModelArchitecture(parsing: Self.architecture).makeSequential(
      seed: 42, initialization: .pytorchDefault)
    var generator = Xoshiro256StarStar(seed: 43)
    let inputs = Tensor.normal(shape: [64, 20], using: &generator)
    let logits = network.forward(inputs, training: false)
    let record = ModelRecord(settings: [RecordedSetting(name: "source", value: "TorchExchangeTests")])
    try ModelFile(network: network, record: record).write(to: directory.appendingPathComponent("model.safetensors"))
    try NPYFile.write(inputs, to: directory.appendingPathComponent("inputs.npy"))
    try NPYFile.write(logits, to: directory.appendingPathComponent("logits.npy"))
  }

  /// Loads the MLP PyTorch saved without metadata (float32 and float64 copies) and compares
  /// our logits with PyTorch's to 1e-5 relative.
  @Test(.enabled(if: torchFilesPresent, "run `torch_exchange.py export` into SPARSITY_EXCHANGE_DIR first"))
  func loadsModelFromPyTorch() throws {
    let directory = try #require(exchangeDirectory)
    let text = try String(contentsOf: directory.appendingPathComponent("torch_architecture.txt"), encoding: .utf8)
    let architecture = try ModelArchitecture(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
    let inputs = try NPYFile.read(contentsOf: directory.appendingPathComponent("torch_inputs.npy"))
    let reference = try NPYFile.read(contentsOf: directory.appendingPathComponent("torch_logits.npy"))
    for name in ["torch_model.safetensors", "torch_model_f64.safetensors"] {
      let url = directory.appendingPathComponent(name)
      #expect(throws: ModelFileError.self) { try ModelFile.read(contentsOf: url) }
      let model = try ModelFile.read(contentsOf: url, architecture: architecture)
      let error = relativeError(model.network.forward(inputs, training: false), reference)
      print("TorchExchangeTests: \(name) (\(architecture)): max relative logit error \(error)")
      #expect(error <= 1e-5)
    }
  }
}
