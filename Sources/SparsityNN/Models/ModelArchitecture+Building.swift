// From an architecture to a fresh network and back, and the names and shapes of its tensors.

import SparsityCore

extension ModelArchitecture {
  /// The shape of every parameter and buffer tensor, named as `torch.nn.Sequential.state_dict()`
  /// names them: `"{i}.weight"` and `"{i}.bias"` for a `Linear` or `Conv2d` at index i (where i
  /// counts every layer, parameter-free ones included), BatchNorm's `"{i}.running_mean"`,
  /// `"{i}.running_var"` and `"{i}.num_batches_tracked"`, and `"{i}.body.{j}..."` and
  /// `"{i}.shortcut.{j}..."` inside a residual block.
  public var tensorShapes: [(name: String, shape: [Int])] {
    Self.tensorShapes(layers: layers, shapes: shapes, prefix: "")
  }

  /// `tensorShapes` of the architecture `input` and `layers` would make, or empty when they make
  /// none (`problem(input:layers:)` says why).
  public static func tensorShapes(input: SampleShape, layers: [LayerSpec]) -> [(name: String, shape: [Int])] {
    guard case .success(let shapes) = shapes(input: input, layers: layers) else { return [] }
    return tensorShapes(layers: layers, shapes: shapes, prefix: "")
  }

  /// Multiply-adds of one forward pass of one sample through the Linear and Conv2d layers
  /// (residual blocks included), as a Double so that no size overflows.
  public var multiplyAddsPerSample: Double { Self.multiplyAdds(layers: layers, shapes: shapes) }

  private static func multiplyAdds(layers: [LayerSpec], shapes: [SampleShape]) -> Double {
    var total = 0.0
    for (index, layer) in layers.enumerated() {
      switch layer {
      case .linear(let outputFeatures, _): total += Double(shapes[index].featureCount) * Double(outputFeatures)
      case .conv2d(let channels, let window, let groups, _):
        let geometry = ConvolutionGeometry(
          input: shapes[index].image!, outputChannels: channels, window: window, groups: groups)!
        total += Double(geometry.output.featureCount) * Double(geometry.patchLength)
      case .residual(let body, let shortcut):
        for path in [body, shortcut] {
          total += multiplyAdds(layers: path, shapes: try! Self.shapes(input: shapes[index], layers: path).get())
        }
      default: continue
      }
    }
    return total
  }

  private static func tensorShapes(layers: [LayerSpec], shapes: [SampleShape], prefix: String) -> [(
    name: String, shape: [Int]
  )] {
    var result = [(name: String, shape: [Int])]()
    for (index, layer) in layers.enumerated() {
      let name = "\(prefix)\(index)"
      switch layer {
      case .linear(let outputFeatures, let bias):
        result.append(("\(name).weight", [outputFeatures, shapes[index].featureCount]))
        if bias { result.append(("\(name).bias", [outputFeatures])) }
      case .conv2d(let channels, let window, let groups, let bias):
        let geometry = ConvolutionGeometry(
          input: shapes[index].image!, outputChannels: channels, window: window, groups: groups)!
        result.append(("\(name).weight", geometry.weightShape))
        if bias { result.append(("\(name).bias", [channels])) }
      case .batchNorm2d:
        let channels = shapes[index].image!.channels
        for tensor in ["weight", "bias", "running_mean", "running_var"] {
          result.append(("\(name).\(tensor)", [channels]))
        }
        result.append(("\(name).num_batches_tracked", []))
      case .residual(let body, let shortcut):
        let input = shapes[index]
        result += tensorShapes(
          layers: body, shapes: try! Self.shapes(input: input, layers: body).get(), prefix: "\(name).body.")
        result += tensorShapes(
          layers: shortcut, shapes: try! Self.shapes(input: input, layers: shortcut).get(), prefix: "\(name).shortcut.")
      default: continue
      }
    }
    return result
  }

  /// The architecture of `network`, or nil when one of its layers has no `LayerSpec`
  /// (`unsupportedLayerIndex` says which).
  public init?(describing network: Sequential) {
    guard Self.unsupportedLayerIndex(in: network) == nil else { return nil }
    let input: SampleShape = Self.inputImage(of: network.layers).map { .image($0) } ?? .features(network.inputFeatures)
    guard Self.problem(input: input, layers: network.layers.map { Self.spec(of: $0)! }) == nil else { return nil }
    self.init(input: input, layers: network.layers.map { Self.spec(of: $0)! })
  }

  /// The index of the first layer of `network` that has no `LayerSpec`, or nil.
  public static func unsupportedLayerIndex(in network: Sequential) -> Int? {
    network.layers.firstIndex { spec(of: $0) == nil }
  }

  /// The input image of the first layer that knows it, when only elementwise layers come
  /// before it (they keep the shape).
  private static func inputImage(of layers: [Layer]) -> ImageShape? {
    for layer in layers {
      if let image = layer as? ImageLayer { return image.inputShape }
      if let residual = layer as? Residual { return inputImage(of: residual.body.layers) }
      if layer is Linear { return nil }
    }
    return nil
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
    case let conv as Conv2d:
      return .conv2d(
        outputChannels: conv.geometry.output.channels, window: conv.geometry.window, groups: conv.geometry.groups,
        bias: conv.bias != nil)
    case let pool as MaxPool2d: return .maxPool2d(window: pool.window)
    case let pool as AvgPool2d: return .avgPool2d(window: pool.window)
    case is GlobalAvgPool2d: return .globalAvgPool2d
    case is Flatten: return .flatten
    case let norm as BatchNorm2d: return .batchNorm2d(epsilon: norm.epsilon, momentum: norm.momentum)
    case let dropout as ChannelDropout: return .channelDropout(probability: dropout.probability)
    case let topK as SpatialTopK:
      return topK.group == .channel ? .topKPerChannel(k: topK.k) : .topKPerPosition(k: topK.k)
    case let residual as Residual:
      let body = residual.body.layers.map(spec(of:))
      let shortcut = (residual.shortcut?.layers ?? []).map(spec(of:))
      guard body.allSatisfy({ $0 != nil }), shortcut.allSatisfy({ $0 != nil }) else { return nil }
      return .residual(body: body.map { $0! }, shortcut: shortcut.map { $0! })
    default: return nil
    }
  }

  /// A freshly initialized network of this architecture.
  ///
  /// `Linear` and `Conv2d` weights are drawn in layer order (residual bodies, then shortcuts,
  /// depth first) from one generator seeded with `seed`; the dropout layer at index i gets the
  /// mask seed `seed + i + 1` (wrapping), inside a residual block at index i the seed is derived
  /// from i and the position within the block, so the same seed always gives the same network.
  public func makeSequential(seed: UInt64, initialization: Initialization = .he) -> Sequential {
    var generator = Xoshiro256StarStar(seed: seed)
    return Self.makeSequential(
      layers: layers, shapes: shapes, seed: seed, initialization: initialization, generator: &generator)
  }

  private static func makeSequential(
    layers: [LayerSpec], shapes: [SampleShape], seed: UInt64, initialization: Initialization,
    generator: inout Xoshiro256StarStar
  ) -> Sequential {
    var built = [Layer]()
    for (index, layer) in layers.enumerated() {
      let layerSeed = seed &+ UInt64(index) &+ 1
      built.append(
        makeLayer(
          layer, input: shapes[index], seed: layerSeed, initialization: initialization, generator: &generator))
    }
    return Sequential(inputFeatures: shapes[0].featureCount, built)
  }

  private static func makeLayer(
    _ layer: LayerSpec, input: SampleShape, seed: UInt64, initialization: Initialization,
    generator: inout Xoshiro256StarStar
  ) -> Layer {
    switch layer {
    case .linear(let outputFeatures, let bias):
      return Linear(input.featureCount, outputFeatures, bias: bias, initialization: initialization, using: &generator)
    case .relu: return ReLU()
    case .leakyReLU(let negativeSlope): return LeakyReLU(negativeSlope: negativeSlope)
    case .sigmoid: return Sigmoid()
    case .topK(let k): return TopK(k: k)
    case .dropout(let probability): return Dropout(probability: probability, seed: seed)
    case .conv2d(let channels, let window, let groups, let bias):
      let geometry = ConvolutionGeometry(input: input.image!, outputChannels: channels, window: window, groups: groups)!
      return Conv2d(geometry, bias: bias, initialization: initialization, using: &generator)
    case .maxPool2d(let window): return MaxPool2d(input: input.image!, window: window)
    case .avgPool2d(let window): return AvgPool2d(input: input.image!, window: window)
    case .globalAvgPool2d: return GlobalAvgPool2d(input: input.image!)
    case .flatten: return Flatten(input: input.image!)
    case .batchNorm2d(let epsilon, let momentum):
      return BatchNorm2d(input: input.image!, epsilon: epsilon, momentum: momentum)
    case .channelDropout(let probability):
      return ChannelDropout(input: input.image!, probability: probability, seed: seed)
    case .topKPerChannel(let k): return SpatialTopK(input: input.image!, k: k, over: .channel)
    case .topKPerPosition(let k): return SpatialTopK(input: input.image!, k: k, over: .position)
    case .residual(let body, let shortcut):
      // Seeds inside the block: spread from the block's own seed so that no two layers share one.
      let bodyNetwork = makeSequential(
        layers: body, shapes: try! shapes(input: input, layers: body).get(), seed: seed &* 1000,
        initialization: initialization, generator: &generator)
      let shortcutNetwork =
        shortcut.isEmpty
        ? nil
        : makeSequential(
          layers: shortcut, shapes: try! shapes(input: input, layers: shortcut).get(), seed: seed &* 1000 &+ 500,
          initialization: initialization, generator: &generator)
      return Residual(body: bodyNetwork, shortcut: shortcutNetwork)
    }
  }
}
