// Sparse autoencoders on disk: SAEFiles.decode of the files of a directory in SAELens's layout
// (cfg.json and sae_weights.safetensors) or sparsify's (cfg.json and sae.safetensors).

import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityIO

/// `SAEFiles.decode` of the two files of a directory, made from one input: byte 0 picks the
/// layout (even: SAELens, odd: sparsify), bytes 1-2 (big-endian) the length of cfg.json, which
/// follows; the rest is the weights file. What it reads has consistent shapes and finite
/// values, and encoding it (SAELens's layout, as `SAEFiles.write` writes) and decoding that
/// gives the same autoencoder.
enum SAEHarness: Harness {
  static let maximumLength = 8192
  static let entryPoints = "SAEFiles.decode (SAELens and sparsify layouts: cfg.json and the safetensors weights)"

  static func run(_ data: Data) -> Bool {
    let bytes = [UInt8](data)
    guard bytes.count >= 3 else { return false }
    let saeLens = bytes[0] % 2 == 0
    let length = Swift.min(Int(bytes[1]) << 8 | Int(bytes[2]), bytes.count - 3)
    let config = Data(bytes[3..<(3 + length)])
    let weights = Data(bytes[(3 + length)...])
    let layout: SAEFiles.Layout = saeLens ? .saeLens : .sparsify
    guard
      let autoencoder = try? SAEFiles.decode(
        config: config, weights: weights, layout: layout, configFile: "cfg.json", weightsFile: layout.weightsFile)
    else { return false }
    let (n, d) = (autoencoder.latents, autoencoder.inputs)
    precondition(autoencoder.encoder.shape == [n, d] && autoencoder.decoder.shape == [n, d], "sae: matrix shapes")
    precondition(autoencoder.encoderBias.count == n && autoencoder.decoderBias.count == d, "sae: bias lengths")
    let values =
      autoencoder.encoder.scalars + autoencoder.decoder.scalars + autoencoder.encoderBias
      + autoencoder.decoderBias
    precondition(values.allSatisfy(\.isFinite), "sae: a non-finite parameter")
    switch autoencoder.activation {
    case .relu: break
    case .topK(let k): precondition(k > 0, "sae: TopK with k \(k)")
    case .jumpReLU(let thresholds):
      precondition(thresholds.count == n && thresholds.allSatisfy(\.isFinite), "sae: thresholds")
    }
    let (configAgain, weightsAgain) = SAEFiles.encoded(autoencoder)
    let reread = mustDecode("SAEFiles.decode of what SAEFiles.encoded wrote") { () throws(SAEFileError) in
      try SAEFiles.decode(
        config: configAgain, weights: weightsAgain, layout: .saeLens, configFile: "again", weightsFile: "again")
    }
    precondition(
      sameBits(reread.encoder.scalars, autoencoder.encoder.scalars)
        && sameBits(reread.decoder.scalars, autoencoder.decoder.scalars)
        && sameBits(reread.encoderBias, autoencoder.encoderBias)
        && sameBits(reread.decoderBias, autoencoder.decoderBias)
        && reread.activation == autoencoder.activation
        && reread.subtractsDecoderBias == autoencoder.subtractsDecoderBias,
      "sae: encoding and decoding again changed the autoencoder")
    return true
  }

  /// A harness input: the layout byte, cfg.json's length and text, then the weights.
  static func input(saeLens: Bool, config: Data, weights: Data) -> Data {
    Data([saeLens ? 0 : 1, UInt8(config.count >> 8), UInt8(config.count & 0xFF)]) + config + weights
  }

  static var seeds: [String: Data] {
    let encoder = Tensor(shape: [4, 3], scalars: [0.5, -1, 0.25, 1, 0, -0.5, 0.125, 2, 1, -1, 1, 0])
    let decoder = Tensor(shape: [4, 3], scalars: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5])
    var seeds = [String: Data]()
    for (name, activation) in [
      ("relu", SAEActivation.relu), ("topk", .topK(2)), ("jumprelu", .jumpReLU(thresholds: [0.1, 0.2, 0, 0.5])),
    ] {
      let autoencoder = SparseAutoencoder(
        encoder: encoder, encoderBias: [0, 0.1, -0.1, 0.2], decoder: decoder, decoderBias: [0.5, -0.5, 0],
        activation: activation)
      let (config, weights) = SAEFiles.encoded(autoencoder)
      seeds["saelens-\(name).bin"] = input(saeLens: true, config: config, weights: weights)
    }
    let sparsify = SafetensorsFile(tensors: [
      "encoder.weight": encoder, "encoder.bias": Tensor([0, 0.1, -0.1, 0.2]), "W_dec": decoder,
      "b_dec": Tensor([0.5, -0.5, 0]),
    ])
    seeds["sparsify-topk.bin"] = input(
      saeLens: false, config: Data(#"{"activation": "topk", "k": 2, "num_latents": 4, "d_in": 3}"#.utf8),
      weights: sparsify.encoded())
    return seeds
  }
}
