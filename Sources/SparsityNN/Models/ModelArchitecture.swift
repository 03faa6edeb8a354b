// The layer structure of a Sequential network, without its weights: describe one, build one.

import SparsityCore

/// The layers of a `Sequential` network and their settings, without weights.
///
/// It describes an existing network (`init(describing:)`), builds a fresh one
/// (`makeSequential(seed:initialization:)`), names and shapes every parameter tensor the way
/// `torch.nn.Sequential.state_dict()` does (`tensorShapes`), and is stored in model files as
/// JSON (`ModelArchitecture+Codable.swift`) or typed on the command line in a compact string
/// form (`ModelArchitecture+Parsing.swift`), e.g. `784-256-relu-128-relu-10` or
/// `1x28x28,conv:20:5x5,relu,maxpool:2,flatten,500,relu,10`.
///
/// Samples are flat feature vectors or images (`ImageShape`, NCHW); `shapes` follows a sample
/// through the layers and every layer is checked against what reaches it (a convolution needs
/// an image, a linear layer flat features: `flatten` turns one into the other).
public struct ModelArchitecture: Equatable, Sendable {
  /// One layer and its settings.
  public indirect enum LayerSpec: Equatable, Sendable {
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
    /// `Conv2d` to `outputChannels` channels.
    case conv2d(outputChannels: Int, window: SlidingWindow, groups: Int = 1, bias: Bool = true)
    /// `MaxPool2d` over the window.
    case maxPool2d(window: SlidingWindow)
    /// `AvgPool2d` over the window (padding counted in the divisor, as PyTorch's default).
    case avgPool2d(window: SlidingWindow)
    /// `GlobalAvgPool2d`: each channel's mean, an image of channels x 1 x 1.
    case globalAvgPool2d
    /// `Flatten`: the image's values as flat features.
    case flatten
    /// `BatchNorm2d` with PyTorch's epsilon and momentum.
    case batchNorm2d(epsilon: Float = 1e-5, momentum: Float = 0.1)
    /// `ChannelDropout` (PyTorch's `Dropout2d`) zeroing whole channels with `probability`.
    case channelDropout(probability: Float)
    /// `SpatialTopK` keeping the `k` largest values of each channel of each sample.
    case topKPerChannel(k: Int)
    /// `SpatialTopK` keeping the `k` largest channels at each pixel of each sample.
    case topKPerPosition(k: Int)
    /// `Residual`: body(x) + shortcut(x), the identity when `shortcut` is empty.
    case residual(body: [LayerSpec], shortcut: [LayerSpec] = [])
  }

  /// What one sample is between two layers: flat features or an image.
  public enum SampleShape: Equatable, Sendable, CustomStringConvertible {
    /// A vector of this many features.
    case features(Int)
    /// An image, channels x rows x columns.
    case image(ImageShape)

    /// Values per sample.
    public var featureCount: Int {
      switch self {
      case .features(let count): return count
      case .image(let shape): return shape.featureCount
      }
    }

    /// The image, or nil for flat features.
    public var image: ImageShape? {
      if case .image(let shape) = self { return shape }
      return nil
    }

    /// `784` or `1x28x28`.
    public var description: String {
      switch self {
      case .features(let count): return "\(count)"
      case .image(let shape): return "\(shape.channels)x\(shape.rows)x\(shape.columns)"
      }
    }
  }

  /// One input sample: flat features or an image.
  public private(set) var input: SampleShape
  /// The layers, first to last.
  public private(set) var layers: [LayerSpec]
  /// The sample after each layer: `shapes[0] == input`, `shapes[i + 1]` after layer i.
  public let shapes: [SampleShape]

  /// An architecture taking `input` through `layers`.
  /// - Precondition: `problem(input:layers:)` finds nothing (use `init(parsing:)` or JSON
  ///   decoding for untrusted input: they throw instead).
  public init(input: SampleShape, layers: [LayerSpec]) {
    switch Self.shapes(input: input, layers: layers) {
    case .success(let shapes): self.shapes = shapes
    case .failure(let problem): preconditionFailure("ModelArchitecture: \(problem.detail)")
    }
    self.input = input
    self.layers = layers
  }

  /// An architecture taking `inputFeatures` flat features through `layers`.
  public init(inputFeatures: Int, layers: [LayerSpec]) {
    self.init(input: .features(inputFeatures), layers: layers)
  }

  /// Features of one input sample.
  public var inputFeatures: Int { input.featureCount }

  /// Features after each layer: `features[0] == inputFeatures`, `features[i + 1]` after layer i.
  public var features: [Int] { shapes.map(\.featureCount) }

  /// Features of the network's output.
  public var outputFeatures: Int { shapes.last!.featureCount }

  /// What is wrong with these settings, or nil when they are valid.
  public static func problem(input: SampleShape, layers: [LayerSpec]) -> String? {
    if case .failure(let problem) = shapes(input: input, layers: layers) { return problem.detail }
    return nil
  }
}
