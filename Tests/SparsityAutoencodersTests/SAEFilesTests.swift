import Foundation
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

@testable import SparsityAutoencoders

/// Autoencoder directories: written and read back for every activation, and read in the exact
/// layouts SAELens 6.54 and sparsify 1.3 write, the codes following each tool's formula.
@Suite struct SAEFilesTests {
  static func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in scale * generator.normal() })
  }

  static func autoencoder(_ activation: SAEActivation) -> SparseAutoencoder {
    SparseAutoencoder(
      encoder: random([12, 5], seed: 1), encoderBias: random([12], seed: 2, scale: 0.1).scalars,
      decoder: random([12, 5], seed: 3), decoderBias: random([5], seed: 4).scalars, activation: activation)
  }

  @Test(arguments: [SAEActivation.relu, .topK(3), .jumpReLU(thresholds: (0..<12).map { Float($0) * 0.05 })])
  func writtenDirectoriesReadBackTheSame(activation: SAEActivation) throws {
    let directory = try temporaryDirectory("sparsity-sae-files")
    defer { try? FileManager.default.removeItem(at: directory) }
    let original = Self.autoencoder(activation)
    let path = directory.appendingPathComponent("sae")
    try SAEFiles.write(original, to: path, metadata: ["data": "rows.npy"])
    #expect(try SAEFiles.read(path) == original)
    let config = try String(contentsOf: path.appendingPathComponent("cfg.json"), encoding: .utf8)
    #expect(config.contains("\"architecture\": \"\(activation.architecture)\""))
    #expect(config.contains("\"sae_lens_version\": \"\(SAEFiles.saeLensVersion)\""))
    let weights = try SafetensorsFile.read(contentsOf: path.appendingPathComponent("sae_weights.safetensors"))
    #expect(weights.tensors["W_enc"]?.shape == [5, 12], "SAELens's W_enc is [d_in, d_sae]")
  }

  /// `encoded` gives the bytes `write` writes, and `decode` reads them as `read` reads the files.
  @Test func encodedBytesAreTheWrittenFiles() throws {
    let directory = try temporaryDirectory("sparsity-sae-encoded")
    defer { try? FileManager.default.removeItem(at: directory) }
    let original = Self.autoencoder(.topK(3))
    try SAEFiles.write(original, to: directory, metadata: ["data": "rows.npy"])
    let (config, weights) = SAEFiles.encoded(original, metadata: ["data": "rows.npy"])
    #expect(try Data(contentsOf: directory.appendingPathComponent(SAEFiles.configFile)) == config)
    #expect(try Data(contentsOf: directory.appendingPathComponent(SAEFiles.Layout.saeLens.weightsFile)) == weights)
    let decoded = try SAEFiles.decode(
      config: config, weights: weights, layout: .saeLens, configFile: "cfg.json", weightsFile: "w")
    #expect(decoded == original)
  }

  /// An empty cfg.json (the fuzzer's first find in this reader: Foundation leaked a buffer reading
  /// an empty file) is a malformed configuration naming the file.
  @Test func anEmptyConfigIsMalformed() throws {
    let directory = try temporaryDirectory("sparsity-sae-empty")
    defer { try? FileManager.default.removeItem(at: directory) }
    try SAEFiles.write(Self.autoencoder(.relu), to: directory)
    try Data().write(to: directory.appendingPathComponent(SAEFiles.configFile))
    #expect(try ArrayFileAccess.contents(of: directory.appendingPathComponent(SAEFiles.configFile)).isEmpty)
    #expect {
      try SAEFiles.read(directory)
    } throws: { error in
      guard case .malformedConfig(let file, _) = error as? SAEFileError else { return false }
      return file.hasSuffix("cfg.json")
    }
  }

  /// The cfg.json SAELens 6.54.12 writes for a TopK SAE (`sae.save_model`), byte for byte.
  static let saeLensTopK = """
    {"d_in": 5, "d_sae": 12, "dtype": "float32", "device": "cpu", "apply_b_dec_to_input": true, \
    "normalize_activations": "none", "reshape_activations": "none", "metadata": {"sae_lens_version": "6.54.12", \
    "sae_lens_training_version": "6.54.12"}, "k": 3, "rescale_acts_by_decoder_norm": false, "architecture": "topk"}
    """

  @Test func saeLensTopKDirectoryEncodesByItsFormula() throws {
    let directory = try temporaryDirectory("sparsity-sae-lens")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (encoder, decoder) = (Self.random([5, 12], seed: 5), Self.random([12, 5], seed: 6))
    let (encoderBias, decoderBias) = (Self.random([12], seed: 7, scale: 0.1), Self.random([5], seed: 8))
    try Data(Self.saeLensTopK.utf8).write(to: directory.appendingPathComponent("cfg.json"))
    try SafetensorsFile(tensors: ["W_enc": encoder, "b_enc": encoderBias, "W_dec": decoder, "b_dec": decoderBias])
      .write(to: directory.appendingPathComponent("sae_weights.safetensors"))
    let sae = try SAEFiles.read(directory)
    #expect(sae.activation == .topK(3) && sae.inputs == 5 && sae.latents == 12)
    // SAELens: pre = (x - b_dec) @ W_enc + b_enc; topk(pre, k) then ReLU.
    let x = Self.random([9, 5], seed: 9)
    let codes = sae.encode(x).toDense()
    for row in 0..<9 {
      let pre = (0..<12).map { j in
        encoderBias.scalars[j]
          + (0..<5).reduce(Float(0)) { $0 + (x[row, $1] - decoderBias.scalars[$1]) * encoder[$1, j] }
      }
      let top = Set((0..<12).sorted { pre[$0] > pre[$1] }.prefix(3))
      for j in 0..<12 {
        let expected = top.contains(j) ? Swift.max(pre[j], 0) : 0
        #expect(abs(codes[row, j] - expected) <= 1e-5 * Swift.max(1, abs(expected)), "row \(row) latent \(j)")
      }
    }
  }

  @Test func sparsifyDirectoryIsATopKAutoencoder() throws {
    let directory = try temporaryDirectory("sparsity-sparsify")
    defer { try? FileManager.default.removeItem(at: directory) }
    let config = """
      {"activation": "topk", "expansion_factor": 32, "normalize_decoder": true, "num_latents": 12, "k": 4, \
      "multi_topk": false, "skip_connection": false, "transcode": false, "d_in": 5}
      """
    try Data(config.utf8).write(to: directory.appendingPathComponent("cfg.json"))
    let original = Self.autoencoder(.topK(4))
    try SafetensorsFile(tensors: [
      "encoder.weight": original.encoder, "encoder.bias": Tensor(original.encoderBias), "W_dec": original.decoder,
      "b_dec": Tensor(original.decoderBias),
    ]).write(to: directory.appendingPathComponent("sae.safetensors"))
    #expect(try SAEFiles.read(directory) == original)
  }

  @Test func foldedInputScaleGivesTheSameCodesOnRawRows() throws {
    // Training on s x and folding s back: encode(raw) of the folded autoencoder equals the
    // training autoencoder's code of s x, and its reconstruction is the raw reconstruction.
    let rows = Self.random([300, 6], seed: 10, scale: 7)
    var settings = SAETrainingSettings(objective: .topK(k: 2), latents: 10)
    settings.epochs = 1
    settings.batchSize = 64
    var source = InMemoryBatchSource(rows, seed: 1)
    let result = try SAETraining.train(settings, source: &source, heldOut: Optional<Tensor>.none)
    #expect(result.inputScale != 1)
    let s = result.inputScale
    let scaled = Tensor(shape: rows.shape, scalars: rows.scalars.map { $0 * s })
    let unfolded = SparseAutoencoder(
      encoder: Tensor(shape: [10, 6], scalars: result.autoencoder.encoder.scalars.map { $0 / s }),
      encoderBias: result.autoencoder.encoderBias,
      decoder: Tensor(shape: [10, 6], scalars: result.autoencoder.decoder.scalars.map { $0 * s }),
      decoderBias: result.autoencoder.decoderBias.map { $0 * s }, activation: .topK(2))
    let (raw, trainingUnits) = (result.autoencoder.encode(rows).toDense(), unfolded.encode(scaled).toDense())
    #expect(relativeError(raw, trainingUnits) < 1e-4)
  }
}
