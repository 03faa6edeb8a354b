import Foundation
import SparsityCore
import SparsityIO
import Testing

@testable import SparsityNN

/// A layer no architecture spec describes.
private final class Halving: Layer {
  var description: String { "Halving" }
  func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }
  func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {}
  func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {}
}

/// A network with every supported layer kind and non-zero biases.
private func everyLayerNetwork(seed: UInt64) throws -> Sequential {
  try ModelArchitecture(parsing: "12-16-relu-10-leaky_relu:0.1-dropout:0.3-8:nobias-sigmoid-6-topk:3-4")
    .makeSequential(seed: seed, initialization: .pytorchDefault)
}

/// The error reading `url` throws, or nil.
private func readingError(_ url: URL, architecture: ModelArchitecture? = nil) -> ModelFileError? {
  do {
    _ = try ModelFile.read(contentsOf: url, architecture: architecture)
    return nil
  } catch { return error }
}

/// The error decoding `contents` without a given architecture throws, or nil.
private func decodingError(_ contents: SafetensorsFile) -> ModelFileError? {
  do {
    _ = try ModelFile.decode(contents, file: "f")
    return nil
  } catch { return error }
}

/// The error writing `network` to `url` throws, or nil.
private func writingError(_ network: Sequential, to url: URL) -> ModelFileError? {
  do {
    try ModelFile(network: network).write(to: url)
    return nil
  } catch { return error }
}

@Suite struct ModelFileTests {
  private func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("modelfiletests-\(UUID().uuidString)-\(name)")
  }

  @Test func writeThenReadGivesBitIdenticalLogits() throws {
    let network = try everyLayerNetwork(seed: 1)
    var generator = Xoshiro256StarStar(seed: 2)
    let inputs = Tensor.normal(shape: [32, 12], using: &generator)
    // BLAS held on one thread for both forward passes: benchmark tests running alongside lend
    // it threads for a while, and a product split another way may round differently.
    try BLAS.withThreadCount(1) {
      let logits = network.forward(inputs, training: false)
      let url = temporaryURL("model.safetensors")
      defer { try? FileManager.default.removeItem(at: url) }
      let record = ModelRecordTests.record()
      try ModelFile(network: network, record: record).write(to: url)
      let loaded = try ModelFile.read(contentsOf: url, seed: 77)
      let reloaded = loaded.network.forward(inputs, training: false)
      #expect(reloaded.scalars.map(\.bitPattern) == logits.scalars.map(\.bitPattern))
      #expect(ModelArchitecture(describing: loaded.network) == ModelArchitecture(describing: network))
      #expect(loaded.record == record)
    }
  }

  @Test func namesTensorsAndMetadataAsPyTorchDoes() throws {
    let network = try everyLayerNetwork(seed: 1)
    let contents = try ModelFile(network: network).safetensors(file: "m")
    #expect(
      contents.tensors.keys.sorted() == [
        "0.bias", "0.weight", "2.bias", "2.weight", "5.weight", "7.bias", "7.weight", "9.bias", "9.weight",
      ])
    #expect(contents.tensors["0.weight"]?.shape == [16, 12] && contents.tensors["5.weight"]?.shape == [8, 10])
    #expect(contents.metadata["format"] == "pt" && contents.metadata["format_version"] == "1")
    #expect(contents.metadata["architecture"] == ModelArchitecture(describing: network)!.json)
    #expect(contents.metadata["training"] == nil && contents.metadata["history"] == nil)
    #expect(ModelFile.stateDictionary(of: network)["2.bias"] == (network.layers[2] as! Linear).bias!.value)
  }

  @Test func filesWithoutMetadataNeedAnArchitecture() throws {
    let network = try everyLayerNetwork(seed: 4)
    let url = temporaryURL("torch.safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try SafetensorsFile(tensors: ModelFile.stateDictionary(of: network)).write(to: url)
    guard case .missingArchitecture(let file, let tensors) = readingError(url) else {
      Issue.record("loaded without architecture")
      return
    }
    #expect(file == url.relativePath && tensors["0.weight"] == [16, 12])
    #expect(readingError(url)!.description.contains("give the architecture"))
    let architecture = ModelArchitecture(describing: network)!
    let loaded = try ModelFile.read(contentsOf: url, architecture: architecture)
    #expect(loaded.network.parameters.map(\.value) == network.parameters.map(\.value))
    #expect(loaded.record == ModelRecord())
  }

  @Test func reportsMissingExtraAndMisshapedTensors() throws {
    let architecture = try ModelArchitecture(parsing: "4-3-relu-2")
    let good = ModelFile.stateDictionary(of: architecture.makeSequential(seed: 1))
    var missing = good
    missing["2.bias"] = nil
    var extra = good
    extra["net.0.weight"] = Tensor([1])
    var misshaped = good
    misshaped["2.weight"] = Tensor(zeros: [3, 2])
    let cases: [([String: Tensor], ModelFileError)] = [
      (missing, .missingTensor(file: "f", tensor: "2.bias", expectedShape: [2], architecture: "4-3-relu-2")),
      (
        extra,
        .unexpectedTensor(
          file: "f", tensor: "net.0.weight", expected: ["0.weight", "0.bias", "2.weight", "2.bias"],
          architecture: "4-3-relu-2")
      ),
      (
        misshaped,
        .shapeMismatch(file: "f", tensor: "2.weight", expected: [2, 3], found: [3, 2], architecture: "4-3-relu-2")
      ),
    ]
    for (tensors, expected) in cases {
      #expect(throws: expected) {
        try ModelFile.decode(SafetensorsFile(tensors: tensors), file: "f", architecture: architecture)
      }
    }
    #expect(
      cases[2].1.description == "f: tensor '2.weight' has shape [3, 2] but the architecture 4-3-relu-2 needs [2, 3]")
    let wrongArchitecture = try ModelArchitecture(parsing: "4-5-relu-2")
    #expect(throws: ModelFileError.self) {
      try ModelFile.decode(SafetensorsFile(tensors: good), file: "f", architecture: wrongArchitecture)
    }
  }

  @Test func reportsBadMetadata() {
    let tensors = ["0.weight": Tensor(zeros: [1, 1])]
    let badJSON = SafetensorsFile(tensors: tensors, metadata: ["architecture": "{\"input_features\":1"])
    guard case .invalidArchitecture(let file, _) = decodingError(badJSON) else {
      Issue.record("bad architecture JSON accepted")
      return
    }
    #expect(file == "f")
    let future = SafetensorsFile(tensors: tensors, metadata: ["format_version": "2"])
    #expect(throws: ModelFileError.unsupportedFormatVersion(file: "f", version: "2")) {
      try ModelFile.decode(future, file: "f")
    }
  }

  @Test func reportsTruncatedAndForeignFiles() throws {
    let url = temporaryURL("cut.safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try ModelFile(network: everyLayerNetwork(seed: 1)).write(to: url)
    let bytes = try Data(contentsOf: url)
    try bytes.prefix(bytes.count - 10).write(to: url)
    guard case .safetensors(.offsetsOutOfRange(let file, let tensor, _, _, _)) = readingError(url) else {
      Issue.record("truncated file accepted: \(String(describing: readingError(url)))")
      return
    }
    #expect(file == url.relativePath && tensor == "9.weight")
    try Data("PK\u{3}\u{4} not a model at all".utf8).write(to: url)
    guard case .safetensors(.headerLengthOutOfRange) = readingError(url) else {
      Issue.record("foreign file accepted")
      return
    }
    #expect(readingError(url)!.description.hasPrefix(url.relativePath + ": header length"))
  }

  @Test func reportsUnsupportedLayersAndUnwritablePaths() throws {
    var generator = Xoshiro256StarStar(seed: 1)
    let custom = Sequential(inputFeatures: 2, [Linear(2, 2, using: &generator), Halving()])
    let url = temporaryURL("custom.safetensors")
    #expect(throws: ModelFileError.unsupportedLayer(file: url.relativePath, index: 1, layer: "Halving")) {
      try ModelFile(network: custom).write(to: url)
    }
    #expect(!FileManager.default.fileExists(atPath: url.path))
    let nowhere = URL(fileURLWithPath: "/nonexistent-dir/m.safetensors")
    guard case .safetensors(.unwritable(let file, _)) = writingError(try everyLayerNetwork(seed: 1), to: nowhere) else {
      Issue.record("wrote to a missing directory")
      return
    }
    #expect(file == "/nonexistent-dir/m.safetensors")
  }
}
