// The JSON form of a ModelArchitecture, as stored in model files.

import SparsityIO

/// JSON form, keys spelled as PyTorch spells the same settings:
///
///     {"input_features": 784,
///      "layers": [{"kind": "linear", "in_features": 784, "out_features": 256, "bias": true},
///                 {"kind": "relu"}, {"kind": "leaky_relu", "negative_slope": 0.01},
///                 {"kind": "sigmoid"}, {"kind": "topk", "k": 32}, {"kind": "dropout", "p": 0.2}]}
///
/// `in_features` is written for every linear layer so that each entry alone maps to
/// `torch.nn.Linear(in_features, out_features, bias)`; when decoding it is optional but must
/// match the features reaching the layer. `bias` defaults to true, `negative_slope` to 0.01.
extension ModelArchitecture: Codable {
  private enum CodingKeys: String, CodingKey {
    case inputFeatures = "input_features"
    case layers
  }

  /// One layer as it appears in JSON: a kind and the settings that kind uses.
  private struct LayerJSON: Codable {
    var kind: String
    var inFeatures: Int?
    var outFeatures: Int?
    var bias: Bool?
    var negativeSlope: Float?
    var k: Int?
    var p: Float?

    enum CodingKeys: String, CodingKey {
      case kind, bias, k, p
      case inFeatures = "in_features"
      case outFeatures = "out_features"
      case negativeSlope = "negative_slope"
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let inputFeatures = try container.decode(Int.self, forKey: .inputFeatures)
    let entries = try container.decode([LayerJSON].self, forKey: .layers)
    var layers = [LayerSpec]()
    var features = inputFeatures
    for (index, entry) in entries.enumerated() {
      func failure(_ detail: String) -> DecodingError {
        .dataCorrupted(
          .init(codingPath: container.codingPath, debugDescription: "layer \(index) (\(entry.kind)): \(detail)"))
      }
      switch (entry.kind, entry) {
      case ("linear", let linear):
        guard let out = linear.outFeatures else { throw failure("missing out_features") }
        if let declared = linear.inFeatures, declared != features {
          throw failure("in_features is \(declared) but \(features) features reach it")
        }
        layers.append(.linear(outputFeatures: out, bias: linear.bias ?? true))
        features = out
      case ("relu", _): layers.append(.relu)
      case ("leaky_relu", let leaky): layers.append(.leakyReLU(negativeSlope: leaky.negativeSlope ?? 0.01))
      case ("sigmoid", _): layers.append(.sigmoid)
      case ("topk", let topK):
        guard let k = topK.k else { throw failure("missing k") }
        layers.append(.topK(k: k))
      case ("dropout", let dropout):
        guard let p = dropout.p else { throw failure("missing p") }
        layers.append(.dropout(probability: p))
      default: throw failure("unknown kind (expected linear, relu, leaky_relu, sigmoid, topk or dropout)")
      }
    }
    if let problem = Self.problem(inputFeatures: inputFeatures, layers: layers) {
      throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: problem))
    }
    self.init(inputFeatures: inputFeatures, layers: layers)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(inputFeatures, forKey: .inputFeatures)
    let features = self.features
    let entries = layers.enumerated().map { index, layer -> LayerJSON in
      switch layer {
      case .linear(let out, let bias):
        return LayerJSON(kind: "linear", inFeatures: features[index], outFeatures: out, bias: bias)
      case .relu: return LayerJSON(kind: "relu")
      case .leakyReLU(let slope): return LayerJSON(kind: "leaky_relu", negativeSlope: slope)
      case .sigmoid: return LayerJSON(kind: "sigmoid")
      case .topK(let k): return LayerJSON(kind: "topk", k: k)
      case .dropout(let p): return LayerJSON(kind: "dropout", p: p)
      }
    }
    try container.encode(entries, forKey: .layers)
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
