// Saving and loading Sequential networks as safetensors files that PyTorch reads and writes.

import Foundation
import SparsityCore
import SparsityIO

/// A network stored in a safetensors file, named so that PyTorch loads it directly.
///
/// Tensors are named as `torch.nn.Sequential.state_dict()` names them: the parameters of the
/// layer at index i are `"{i}.weight"` (outputFeatures, inputFeatures) and `"{i}.bias"`, where i
/// counts every layer, parameter-free ones (ReLU, Dropout, ...) included. So
/// `model.load_state_dict(safetensors.torch.load_file(path))` works on the same
/// `torch.nn.Sequential`. The `__metadata__` strings are:
///
/// - `format`: `pt` (the Hugging Face convention for PyTorch-layout tensors);
/// - `format_version`: `1`;
/// - `architecture`: the `ModelArchitecture` as compact JSON;
/// - `training`, `history` (optional): the `ModelRecord`, its settings, data, split, scaling
///   and pruning in `training` and its epochs in `history` (see `ModelRecord+Codable.swift`).
///   A record that does not decode is an error naming the file, never silently dropped.
///
/// Files without `architecture` (saved from PyTorch) load when the caller gives one; every
/// tensor's name and shape is checked against it.
public struct ModelFile {
  /// The `format_version` this build writes and reads.
  public static let formatVersion = 1

  /// The network.
  public var network: Sequential
  /// How the network was made: settings, data, split, scaling, pruning and history (empty for
  /// a file saved by PyTorch).
  public var record: ModelRecord

  /// A model file holding `network` and its record.
  public init(network: Sequential, record: ModelRecord = ModelRecord()) {
    self.network = network
    self.record = record
  }

  /// The parameters and buffers of `network` by PyTorch state-dict name (`"{i}.weight"`,
  /// `"{i}.bias"`, `"{i}.running_mean"`, `"{i}.body.{j}.weight"`, ...).
  public static func stateDictionary(of network: Sequential) -> [String: Tensor] {
    var tensors = [String: Tensor]()
    for (index, layer) in network.layers.enumerated() {
      for named in layer.namedTensors(prefix: "\(index)") {
        tensors[named.name] = named.parameter?.value ?? named.buffer!.value
      }
    }
    return tensors
  }

  /// Writes the network's parameters and metadata to `url`, atomically.
  /// - Throws: `ModelFileError.unsupportedLayer` for a layer without a `ModelArchitecture`
  ///   spec, `.safetensors(.unwritable)` when the file cannot be written.
  public func write(to url: URL) throws(ModelFileError) {
    let contents = try safetensors(file: url.relativePath)
    do { try contents.write(to: url) } catch { throw .safetensors(error) }
  }

  /// The safetensors content: state dictionary plus metadata; `file` names the file in errors.
  public func safetensors(file: String) throws(ModelFileError) -> SafetensorsFile {
    if let index = ModelArchitecture.unsupportedLayerIndex(in: network) {
      throw .unsupportedLayer(file: file, index: index, layer: network.layers[index].description)
    }
    var metadata = ["format": "pt", "format_version": String(Self.formatVersion)]
    metadata["architecture"] = ModelArchitecture(describing: network)!.json
    // A record holds finite numbers only (training stops on a non-finite loss), so it encodes.
    if record.data != nil || record.pruning != nil || !record.settings.isEmpty {
      metadata["training"] = try! JSONValue(encoding: record).text
    }
    if !record.history.isEmpty { metadata["history"] = try! JSONValue(encoding: record.history).text }
    return SafetensorsFile(tensors: Self.stateDictionary(of: network), metadata: metadata)
  }

  /// Reads the model file at `url` and rebuilds its network.
  ///
  /// The architecture comes from `architecture` when given (required for files saved by
  /// PyTorch, which carry none), else from the file's metadata. The network is built with
  /// `makeSequential(seed:)` (the seed matters only for later dropout masks) and every
  /// parameter is then replaced by the file's tensor.
  /// - Throws: `ModelFileError` naming the file and, when one is at fault, the tensor.
  public static func read(
    contentsOf url: URL, architecture: ModelArchitecture? = nil, seed: UInt64 = 0
  ) throws(ModelFileError) -> ModelFile {
    let contents: SafetensorsFile
    do { contents = try SafetensorsFile.read(contentsOf: url) } catch { throw .safetensors(error) }
    return try decode(contents, file: url.relativePath, architecture: architecture, seed: seed)
  }

  /// Rebuilds a model from safetensors content; see `read(contentsOf:architecture:seed:)`.
  public static func decode(
    _ contents: SafetensorsFile, file: String, architecture given: ModelArchitecture? = nil, seed: UInt64 = 0
  ) throws(ModelFileError) -> ModelFile {
    let metadata = contents.metadata
    if let version = metadata["format_version"], version != String(formatVersion) {
      throw .unsupportedFormatVersion(file: file, version: version)
    }
    let architecture: ModelArchitecture
    if let given {
      architecture = given
    } else if let json = metadata["architecture"] {
      do { architecture = try ModelArchitecture(json: json) } catch {
        throw .invalidArchitecture(file: file, detail: error.detail)
      }
    } else {
      throw .missingArchitecture(file: file, tensors: contents.tensors.mapValues(\.shape))
    }
    try check(contents.tensors, against: architecture, file: file)
    for (name, tensor) in contents.tensors.sorted(by: { $0.key < $1.key }) {
      let nonFinite = tensor.scalars.lazy.filter { !$0.isFinite }.count
      if nonFinite > 0 { throw .nonFiniteTensor(file: file, tensor: name, count: nonFinite) }
      // A negative running variance makes BatchNorm2d's every output NaN at inference.
      if name.hasSuffix(".running_var"), let index = tensor.scalars.firstIndex(where: { $0 < 0 }) {
        throw .invalidTensor(
          file: file, tensor: name, detail: "value \(index) is \(tensor.scalars[index]), but a variance is at least 0")
      }
    }
    let network = architecture.makeSequential(seed: seed)
    for (index, layer) in network.layers.enumerated() {
      for named in layer.namedTensors(prefix: "\(index)") {
        let tensor = contents.tensors[named.name]!
        if let parameter = named.parameter { parameter.value = tensor } else { named.buffer!.value = tensor }
      }
    }
    return ModelFile(network: network, record: try record(metadata, file: file))
  }

  /// The record in `training` and `history`; an empty one when the file has neither.
  static func record(_ metadata: [String: String], file: String) throws(ModelFileError) -> ModelRecord {
    var record = ModelRecord()
    do {
      if let training = metadata["training"] { record = try StrictJSONDecoder.decode(ModelRecord.self, from: training) }
    } catch { throw .invalidRecord(file: file, key: "training", detail: error.description) }
    do {
      if let history = metadata["history"] {
        record.history = try StrictJSONDecoder.decode([EpochReport].self, from: history)
      }
    } catch { throw .invalidRecord(file: file, key: "history", detail: error.description) }
    return record
  }

  /// Throws unless `tensors` holds exactly the architecture's tensors with its shapes.
  /// Missing and mis-shaped tensors are reported in layer order, then extra ones by name.
  static func check(_ tensors: [String: Tensor], against architecture: ModelArchitecture, file: String)
    throws(ModelFileError)
  {
    let expected = architecture.tensorShapes
    for (name, shape) in expected {
      guard let tensor = tensors[name] else {
        throw .missingTensor(file: file, tensor: name, expectedShape: shape, architecture: architecture.description)
      }
      guard tensor.shape == shape else {
        throw .shapeMismatch(
          file: file, tensor: name, expected: shape, found: tensor.shape, architecture: architecture.description)
      }
    }
    let names = Set(expected.map(\.name))
    if let extra = tensors.keys.sorted().first(where: { !names.contains($0) }) {
      throw .unexpectedTensor(
        file: file, tensor: extra, expected: expected.map(\.name), architecture: architecture.description)
    }
  }
}
