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
/// - `training`, `history` (optional): JSON texts given by the caller, e.g. the training
///   settings and per-epoch metrics.
///
/// Files without `architecture` (saved from PyTorch) load when the caller gives one; every
/// tensor's name and shape is checked against it.
public struct ModelFile {
  /// The `format_version` this build writes and reads.
  public static let formatVersion = 1

  /// The network.
  public var network: Sequential
  /// Training settings as JSON text, free-form; nil when absent.
  public var training: String?
  /// Per-epoch metrics as JSON text, free-form; nil when absent.
  public var history: String?

  /// A model file holding `network` and, optionally, JSON texts on its training.
  public init(network: Sequential, training: String? = nil, history: String? = nil) {
    self.network = network
    self.training = training
    self.history = history
  }

  /// The parameters of `network` by PyTorch state-dict name (`"{i}.weight"`, `"{i}.bias"`).
  public static func stateDictionary(of network: Sequential) -> [String: Tensor] {
    var tensors = [String: Tensor]()
    for (index, layer) in network.layers.enumerated() {
      for parameter in layer.parameters { tensors["\(index).\(parameter.name)"] = parameter.value }
    }
    return tensors
  }

  /// Writes the network's parameters and metadata to `url`, atomically.
  /// - Precondition: `training` and `history`, when given, are valid JSON.
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
    for (key, text) in [("training", training), ("history", history)] {
      guard let text else { continue }
      precondition(Self.isJSON(text), "ModelFile: \(key) is not valid JSON: \(text.prefix(80))")
      metadata[key] = text
    }
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
    }
    let network = architecture.makeSequential(seed: seed)
    for (index, layer) in network.layers.enumerated() {
      for parameter in layer.parameters { parameter.value = contents.tensors["\(index).\(parameter.name)"]! }
    }
    return ModelFile(network: network, training: metadata["training"], history: metadata["history"])
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

  /// True when `text` parses as a JSON value.
  private static func isJSON(_ text: String) -> Bool {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil
  }
}
