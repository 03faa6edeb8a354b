// Sparse autoencoders on disk in the layouts other tools read: SAELens (written and read) and
// EleutherAI's sparsify (read).
import Foundation
import SparsityCore
import SparsityIO

/// Reading and writing sparse-autoencoder directories.
///
/// **SAELens** (written; read): `sae_weights.safetensors` with `W_enc` [d_in, d_sae], `b_enc`
/// [d_sae], `W_dec` [d_sae, d_in], `b_dec` [d_in] and, for JumpReLU, `threshold` [d_sae]; and
/// `cfg.json` with `architecture` (`standard`, `topk`, `jumprelu`), `d_in`, `d_sae`, `dtype`,
/// `k` for TopK, `apply_b_dec_to_input`, `normalize_activations` and `metadata` (whose
/// `sae_lens_version` makes SAELens ≥ 6 take its current loading path). SAELens's own
/// `SAE.load_from_disk` loads what this writes (checked by scripts/saelens_exchange.py).
///
/// **sparsify** (read): `sae.safetensors` with `encoder.weight` [d_sae, d_in],
/// `encoder.bias`, `W_dec`, `b_dec`, and `cfg.json` with `activation` (`topk`), `k`,
/// `num_latents` or `expansion_factor`, `d_in`.
///
/// Reference: SAELens 6.54 (`sae_lens/saes/sae.py`), sparsify 1.3 (`sparsify/sparse_coder.py`).
public enum SAEFiles {
  /// The SAELens version written in `metadata.sae_lens_version`.
  public static let saeLensVersion = "6.54.12"

  /// The directory layouts read: which weights file sits beside `cfg.json`.
  public enum Layout: Sendable {
    /// SAELens: `sae_weights.safetensors` (written and read).
    case saeLens
    /// sparsify: `sae.safetensors` (read).
    case sparsify

    /// The weights file's name.
    public var weightsFile: String { self == .saeLens ? "sae_weights.safetensors" : "sae.safetensors" }
  }

  /// The name of the configuration file in both layouts.
  public static let configFile = "cfg.json"

  /// Writes `autoencoder` to the directory `directory` (created if missing) in SAELens's
  /// layout: the weights first, then `cfg.json`, each atomically. `metadata` adds string
  /// entries to cfg.json's `metadata` object (for example the data it was trained on).
  /// - Throws: `SAEFileError.unwritable` naming the file.
  public static func write(_ autoencoder: SparseAutoencoder, to directory: URL, metadata: [String: String] = [:])
    throws(SAEFileError)
  {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .unwritable(file: directory.relativePath, reason: "cannot create the directory")
    }
    let (config, weights) = encoded(autoencoder, metadata: metadata)
    for (name, bytes) in [(Layout.saeLens.weightsFile, weights), (configFile, config)] {
      let url = directory.appendingPathComponent(name)
      do { try AtomicFile.write(bytes, to: url) } catch {
        throw .unwritable(file: url.relativePath, reason: error.reason)
      }
    }
  }

  /// The bytes of `cfg.json` and `sae_weights.safetensors` for `autoencoder` in SAELens's
  /// layout (see `write(_:to:metadata:)`).
  public static func encoded(_ autoencoder: SparseAutoencoder, metadata: [String: String] = [:]) -> (
    config: Data, weights: Data
  ) {
    let (n, d) = (autoencoder.latents, autoencoder.inputs)
    var tensors = [
      "W_enc": autoencoder.encoder.transposed(), "b_enc": Tensor(autoencoder.encoderBias),
      "W_dec": autoencoder.decoder, "b_dec": Tensor(autoencoder.decoderBias),
    ]
    if case .jumpReLU(let thresholds) = autoencoder.activation { tensors["threshold"] = Tensor(thresholds) }
    var entries = metadata
    entries["sae_lens_version"] = saeLensVersion
    entries["sae_lens_training_version"] = saeLensVersion
    let metadataText = entries.keys.sorted().map { "\(JSONString.quoted($0)): \(JSONString.quoted(entries[$0]!))" }
    var members = [
      "\"architecture\": \(JSONString.quoted(autoencoder.activation.architecture))", "\"d_in\": \(d)",
      "\"d_sae\": \(n)", "\"dtype\": \"float32\"", "\"device\": \"cpu\"",
      "\"apply_b_dec_to_input\": \(autoencoder.subtractsDecoderBias)", "\"normalize_activations\": \"none\"",
      "\"reshape_activations\": \"none\"",
    ]
    if case .topK(let k) = autoencoder.activation {
      members += ["\"k\": \(k)", "\"rescale_acts_by_decoder_norm\": false"]
    }
    members.append("\"metadata\": {\(metadataText.joined(separator: ", "))}")
    let config = "{" + members.joined(separator: ", ") + "}\n"
    return (Data(config.utf8), SafetensorsFile(tensors: tensors).encoded())
  }

  /// Reads the autoencoder in `directory`, in SAELens's layout (`sae_weights.safetensors`) or
  /// sparsify's (`sae.safetensors`), both with `cfg.json`.
  /// - Throws: `SAEFileError` naming the file and what is wrong.
  public static func read(_ directory: URL) throws(SAEFileError) -> SparseAutoencoder {
    let path = directory.relativePath
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
      throw .notAnAutoencoder(directory: path, detail: "no such directory")
    }
    guard isDirectory.boolValue else {
      throw .notAnAutoencoder(directory: path, detail: "a file, not a directory holding cfg.json and the weights")
    }
    let configURL = directory.appendingPathComponent(configFile)
    guard FileManager.default.fileExists(atPath: configURL.path) else {
      throw .notAnAutoencoder(directory: path, detail: "no cfg.json")
    }
    let config: Data
    do { config = try ArrayFileAccess.contents(of: configURL) } catch {
      throw .malformedConfig(file: configURL.relativePath, detail: error.problem)
    }
    let text = try configText(config, file: configURL.relativePath)
    guard
      let layout = [Layout.saeLens, .sparsify].first(where: {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent($0.weightsFile).path)
      })
    else {
      throw .notAnAutoencoder(
        directory: path, detail: "neither sae_weights.safetensors (SAELens) nor sae.safetensors (sparsify)")
    }
    let weightsURL = directory.appendingPathComponent(layout.weightsFile)
    let tensors: [String: Tensor]
    do { tensors = try SafetensorsFile.read(contentsOf: weightsURL).tensors } catch { throw .weights(error) }
    return try autoencoder(
      configText: text, tensors: tensors, layout: layout, configFile: configURL.relativePath,
      weightsFile: weightsURL.relativePath)
  }

  /// The autoencoder in the bytes of `cfg.json` and of the weights file of `layout`;
  /// `configFile` and `weightsFile` name them in errors.
  /// - Throws: `SAEFileError` naming the file and what is wrong.
  public static func decode(config: Data, weights: Data, layout: Layout, configFile: String, weightsFile: String)
    throws(SAEFileError) -> SparseAutoencoder
  {
    let text = try configText(config, file: configFile)
    let tensors: [String: Tensor]
    do { tensors = try SafetensorsFile.decode(weights, file: weightsFile).tensors } catch { throw .weights(error) }
    return try autoencoder(
      configText: text, tensors: tensors, layout: layout, configFile: configFile, weightsFile: weightsFile)
  }

  private static func autoencoder(
    configText text: String, tensors: [String: Tensor], layout: Layout, configFile: String, weightsFile: String
  ) throws(SAEFileError) -> SparseAutoencoder {
    switch layout {
    case .saeLens:
      return try SAELensConfig.autoencoder(
        decode(SAELensConfig.self, text, file: configFile), weights: tensors, configFile: configFile,
        weightsFile: weightsFile)
    case .sparsify:
      return try SparsifyConfig.autoencoder(
        decode(SparsifyConfig.self, text, file: configFile), weights: tensors, configFile: configFile,
        weightsFile: weightsFile)
    }
  }

  /// The text of a configuration file (at most 16 MiB).
  private static func configText(_ data: Data, file: String) throws(SAEFileError) -> String {
    guard data.count <= 1 << 24 else { throw .malformedConfig(file: file, detail: "larger than 16 MiB") }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .malformedConfig(file: file, detail: "not UTF-8 text")
    }
    return text
  }

  private static func decode<T: Decodable>(_ type: T.Type, _ text: String, file: String) throws(SAEFileError) -> T {
    do { return try StrictJSONDecoder.decode(type, from: text) } catch {
      throw .malformedConfig(file: file, detail: error.description)
    }
  }

  /// The tensor `name` of `weights` with shape `shape`, all values finite.
  static func tensor(_ name: String, _ weights: [String: Tensor], shape: [Int], file: String) throws(SAEFileError)
    -> Tensor
  {
    guard let tensor = weights[name] else {
      throw .badTensor(
        file: file, tensor: name, detail: "missing (the file has \(weights.keys.sorted().joined(separator: ", ")))")
    }
    guard tensor.shape == shape else {
      throw .badTensor(file: file, tensor: name, detail: "shape \(tensor.shape), expected \(shape)")
    }
    if let index = tensor.scalars.firstIndex(where: { !$0.isFinite }) {
      throw .badTensor(file: file, tensor: name, detail: "value \(index) is \(tensor.scalars[index])")
    }
    return tensor
  }
}
