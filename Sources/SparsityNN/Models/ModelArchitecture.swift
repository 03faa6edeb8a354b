// The layer structure of a Sequential network, without its weights: describe one, build one.

import SparsityCore

/// The layers of a `Sequential` network and their settings, without weights.
///
/// It describes an existing network (`init(describing:)`), builds a fresh one
/// (`makeSequential(seed:initialization:)`), names and shapes every parameter tensor the way
/// `torch.nn.Sequential.state_dict()` does (`tensorShapes`), and is stored in model files as
/// JSON (`ModelArchitecture+Codable.swift`) or typed on the command line in a compact string
/// form (`ModelArchitecture+Parsing.swift`), e.g. `784-256-relu-128-relu-10`.
public struct ModelArchitecture: Equatable, Sendable {
  /// One layer and its settings.
  public enum LayerSpec: Equatable, Sendable {
    /// `Linear` to `outputFeatures` features (from the previous layer's features).
    case linear(outputFeatures: Int, bias: Bool = true)
    /// `ReLU`.
    case relu
    /// `LeakyReLU` with the given slope for negative inputs.
    case leakyReLU(negativeSlope: Float)
    /// `Sigmoid`.
    case sigmoid
    /// `TopK`, keeping the `k` largest activations of each sample.
    case topK(k: Int)
    /// `Dropout` zeroing units with `probability` in training.
    case dropout(probability: Float)
  }

  /// Features of one input sample.
  public var inputFeatures: Int
  /// The layers, first to last.
  public var layers: [LayerSpec]

  /// An architecture taking `inputFeatures` features through `layers`.
  /// - Precondition: positive feature counts and k, dropout probability in [0, 1), finite slope
  ///   (use `init(parsing:)` or JSON decoding for untrusted input: they throw instead).
  public init(inputFeatures: Int, layers: [LayerSpec]) {
    if let problem = Self.problem(inputFeatures: inputFeatures, layers: layers) {
      preconditionFailure("ModelArchitecture: \(problem)")
    }
    self.inputFeatures = inputFeatures
    self.layers = layers
  }

  /// Features after each layer: `features[0] == inputFeatures`, `features[i + 1]` after layer i.
  public var features: [Int] {
    var features = [inputFeatures]
    for layer in layers {
      if case .linear(let outputFeatures, _) = layer {
        features.append(outputFeatures)
      } else {
        features.append(features.last!)
      }
    }
    return features
  }

  /// Features of the network's output.
  public var outputFeatures: Int { features.last! }

  /// The shape of every parameter tensor, named as `torch.nn.Sequential.state_dict()` names
  /// them: `"{i}.weight"` (outputFeatures, inputFeatures) and `"{i}.bias"` (outputFeatures) for
  /// a `Linear` at index i, where i counts every layer, parameter-free ones included.
  public var tensorShapes: [(name: String, shape: [Int])] {
    let features = self.features
    var shapes = [(name: String, shape: [Int])]()
    for (index, layer) in layers.enumerated() {
      guard case .linear(let outputFeatures, let bias) = layer else { continue }
      shapes.append(("\(index).weight", [outputFeatures, features[index]]))
      if bias { shapes.append(("\(index).bias", [outputFeatures])) }
    }
    return shapes
  }

  /// The architecture of `network`, or nil when one of its layers is not a `Linear`, `ReLU`,
  /// `LeakyReLU`, `Sigmoid`, `TopK` or `Dropout` (`unsupportedLayerIndex` says which).
  public init?(describing network: Sequential) {
    guard Self.unsupportedLayerIndex(in: network) == nil else { return nil }
    self.init(inputFeatures: network.inputFeatures, layers: network.layers.map { Self.spec(of: $0)! })
  }

  /// The index of the first layer of `network` that has no `LayerSpec`, or nil.
  public static func unsupportedLayerIndex(in network: Sequential) -> Int? {
    network.layers.firstIndex { spec(of: $0) == nil }
  }

  /// The spec of a layer of one of the supported types.
  private static func spec(of layer: Layer) -> LayerSpec? {
    switch layer {
    case let linear as Linear: return .linear(outputFeatures: linear.outputFeatures, bias: linear.bias != nil)
    case is ReLU: return .relu
    case let leaky as LeakyReLU: return .leakyReLU(negativeSlope: leaky.negativeSlope)
    case is Sigmoid: return .sigmoid
    case let topK as TopK: return .topK(k: topK.k)
    case let dropout as Dropout: return .dropout(probability: dropout.probability)
    default: return nil
    }
  }

  /// A freshly initialized network of this architecture.
  ///
  /// `Linear` weights are drawn in layer order from one generator seeded with `seed`; the
  /// `Dropout` layer at index i gets the mask seed `seed + i + 1` (wrapping), so the same seed
  /// always gives the same network.
  public func makeSequential(seed: UInt64, initialization: Initialization = .he) -> Sequential {
    var generator = Xoshiro256StarStar(seed: seed)
    let features = self.features
    var built = [Layer]()
    for (index, layer) in layers.enumerated() {
      switch layer {
      case .linear(let outputFeatures, let bias):
        built.append(
          Linear(features[index], outputFeatures, bias: bias, initialization: initialization, using: &generator))
      case .relu: built.append(ReLU())
      case .leakyReLU(let negativeSlope): built.append(LeakyReLU(negativeSlope: negativeSlope))
      case .sigmoid: built.append(Sigmoid())
      case .topK(let k): built.append(TopK(k: k))
      case .dropout(let probability): built.append(Dropout(probability: probability, seed: seed &+ UInt64(index) &+ 1))
      }
    }
    return Sequential(inputFeatures: inputFeatures, built)
  }

  /// What is wrong with these settings, or nil when they are valid.
  static func problem(inputFeatures: Int, layers: [LayerSpec]) -> String? {
    guard inputFeatures > 0 else { return "input features must be positive, got \(inputFeatures)" }
    for (index, layer) in layers.enumerated() {
      switch layer {
      case .linear(let outputFeatures, _) where outputFeatures <= 0:
        return "layer \(index): linear output features must be positive, got \(outputFeatures)"
      case .leakyReLU(let slope) where !slope.isFinite:
        return "layer \(index): leaky_relu slope must be finite, got \(slope)"
      case .topK(let k) where k <= 0:
        return "layer \(index): topk k must be positive, got \(k)"
      case .dropout(let p) where !(p >= 0 && p < 1):
        return "layer \(index): dropout probability must be in [0, 1), got \(p)"
      default: continue
      }
    }
    return nil
  }
}
