// The JSON form of a ModelArchitecture, as stored in model files.

import SparsityCore
import SparsityIO

/// JSON form, keys spelled as PyTorch spells the same settings:
///
///     {"input_features": 784,
///      "layers": [{"kind": "linear", "in_features": 784, "out_features": 256, "bias": true},
///                 {"kind": "relu"}, {"kind": "leaky_relu", "negative_slope": 0.01},
///                 {"kind": "sigmoid"}, {"kind": "topk", "k": 32}, {"kind": "dropout", "p": 0.2}]}
///
/// Image models add `"input_shape": [C, H, W]` and the layers
/// `{"kind": "conv2d", "in_channels": 1, "out_channels": 20, "kernel_size": [5, 5],
/// "stride": [1, 1], "padding": [0, 0], "dilation": [1, 1], "groups": 1, "bias": true}`,
/// `max_pool2d` and `avg_pool2d` (`kernel_size`, `stride`, `padding`, `dilation`),
/// `global_avg_pool2d`, `flatten`, `batch_norm2d` (`num_features`, `eps`, `momentum`),
/// `dropout2d` (`p`), `topk` with `"over": "channel"` or `"position"`, and
/// `{"kind": "residual", "body": [...], "shortcut": [...]}`.
///
/// `in_features`, `in_channels` and `num_features` are written so that each entry alone maps to
/// its `torch.nn` module; when decoding they are optional but must match what reaches the
/// layer. `bias` defaults to true, `negative_slope` to 0.01, stride to the kernel for pools and
/// 1 for convolutions, padding to 0, dilation to 1, groups to 1.
extension ModelArchitecture: Codable {
  private enum CodingKeys: String, CodingKey {
    case inputFeatures = "input_features"
    case inputShape = "input_shape"
    case layers
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let inputFeatures = try container.decode(Int.self, forKey: .inputFeatures)
    var input = SampleShape.features(inputFeatures)
    if let sides = try container.decodeIfPresent([Int].self, forKey: .inputShape) {
      guard sides.count == 3, let image = ImageShape.checked(channels: sides[0], rows: sides[1], columns: sides[2]),
        image.featureCount == inputFeatures
      else {
        throw DecodingError.dataCorrupted(
          .init(
            codingPath: container.codingPath,
            debugDescription: "input_shape \(sides) is not [C, H, W] of \(inputFeatures) input_features"))
      }
      input = .image(image)
    }
    guard inputFeatures > 0 else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: container.codingPath, debugDescription: "input features must be positive, got \(inputFeatures)"))
    }
    let entries = try container.decode([ArchitectureLayerJSON].self, forKey: .layers)
    let layers = try ArchitectureLayerJSON.specs(entries, input: input, codingPath: container.codingPath)
    if let problem = Self.problem(input: input, layers: layers) {
      throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: problem))
    }
    self.init(input: input, layers: layers)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(inputFeatures, forKey: .inputFeatures)
    if let image = input.image {
      try container.encode([image.channels, image.rows, image.columns], forKey: .inputShape)
    }
    try container.encode(ArchitectureLayerJSON.entries(layers, shapes: shapes), forKey: .layers)
  }

  /// The compact JSON text, keys in the order above, e.g.
  /// `{"input_features":4,"layers":[{"kind":"linear","in_features":4,"out_features":3,"bias":true}]}`.
  public var json: String {
    // Encoding plain integers, booleans, strings and finite floats cannot fail.
    try! JSONValue(encoding: self).text
  }

  /// Decodes the JSON form with `StrictJSONDecoder`.
  /// - Throws: `ModelArchitectureError` naming the text and the problem (invalid JSON, a
  ///   missing or unknown field value, inconsistent features, invalid settings).
  public init(json: String) throws(ModelArchitectureError) {
    do { self = try StrictJSONDecoder.decode(ModelArchitecture.self, from: json) } catch {
      throw ModelArchitectureError(text: json, detail: error.description)
    }
  }
}
