// Following a sample through the layers of an architecture, checking each layer on the way.

import SparsityCore

extension ModelArchitecture {
  /// The sample after each layer (`shapes[0] == input`), or the first layer that cannot take
  /// what reaches it.
  public static func shapes(input: SampleShape, layers: [LayerSpec]) -> Result<[SampleShape], ModelArchitectureError> {
    guard input.featureCount > 0 else {
      return .failure(ModelArchitectureError(text: "\(input)", detail: "input features must be positive"))
    }
    var shapes = [input]
    for (index, layer) in layers.enumerated() {
      switch output(of: layer, input: shapes.last!) {
      case .success(let shape): shapes.append(shape)
      case .failure(let problem):
        return .failure(ModelArchitectureError(text: layer.token, detail: "layer \(index): \(problem.detail)"))
      }
    }
    return .success(shapes)
  }

  /// The sample `layer` makes of `input`, or why it cannot take it.
  static func output(of layer: LayerSpec, input: SampleShape) -> Result<SampleShape, ModelArchitectureError> {
    func failure(_ detail: String) -> Result<SampleShape, ModelArchitectureError> {
      .failure(ModelArchitectureError(text: layer.token, detail: detail))
    }
    if let problem = layer.settingsProblem { return failure(problem) }
    switch layer {
    case .relu, .leakyReLU, .sigmoid, .dropout, .topK:
      return .success(input)
    case .linear(let outputFeatures, _):
      guard input.image == nil else {
        return failure("linear needs flat features but gets \(input) images; add flatten (or gap, flatten) before it")
      }
      return .success(.features(outputFeatures))
    case .residual(let body, let shortcut):
      return residualOutput(body: body, shortcut: shortcut, input: input)
    case .flatten:
      guard input.image != nil else { return failure("flatten needs images but gets \(input) flat features") }
      return .success(.features(input.featureCount))
    default:
      guard let image = input.image else {
        return failure("\(layer.token) needs images (channels x rows x columns) but gets \(input) flat features")
      }
      return imageOutput(of: layer, image: image).mapError {
        ModelArchitectureError(text: layer.token, detail: $0.detail)
      }
    }
  }

  /// The output of a residual block: both paths must give the same sample.
  private static func residualOutput(body: [LayerSpec], shortcut: [LayerSpec], input: SampleShape) -> Result<
    SampleShape, ModelArchitectureError
  > {
    func failure(_ detail: String) -> Result<SampleShape, ModelArchitectureError> {
      .failure(ModelArchitectureError(text: LayerSpec.residual(body: body, shortcut: shortcut).token, detail: detail))
    }
    switch (shapes(input: input, layers: body), shapes(input: input, layers: shortcut)) {
    case (.failure(let problem), _): return failure("in the body, \(problem.detail)")
    case (_, .failure(let problem)): return failure("in the shortcut, \(problem.detail)")
    case (.success(let main), .success(let side)):
      guard main.last! == side.last! else {
        return failure("the body gives \(main.last!) but the shortcut \(side.last!); they must match to be added")
      }
      return .success(main.last!)
    }
  }

  /// The output of a layer that takes images.
  private static func imageOutput(of layer: LayerSpec, image: ImageShape) -> Result<SampleShape, ModelArchitectureError>
  {
    func failure(_ detail: String) -> Result<SampleShape, ModelArchitectureError> {
      .failure(ModelArchitectureError(text: layer.token, detail: detail))
    }
    switch layer {
    case .conv2d(let channels, let window, let groups, _):
      if let problem = ConvolutionGeometry.problem(
        input: image, outputChannels: channels, window: window, groups: groups)
      {
        return failure("\(problem) (input \(SampleShape.image(image)))")
      }
      return .success(.image(window.outputShape(of: image, channels: channels)!))
    case .maxPool2d(let window), .avgPool2d(let window):
      guard window.paddingRows * 2 <= window.kernelRows, window.paddingColumns * 2 <= window.kernelColumns else {
        return failure("the padding must be at most half the pool's window, as in PyTorch")
      }
      guard let output = window.outputShape(of: image) else {
        return failure("the \(window) window does not fit in the \(SampleShape.image(image)) input")
      }
      return .success(.image(output))
    case .globalAvgPool2d: return .success(.image(ImageShape(channels: image.channels, rows: 1, columns: 1)))
    case .topKPerChannel(let k) where k >= image.pixelCount, .topKPerPosition(let k) where k >= image.channels:
      return failure("k = \(k) keeps every value of the \(SampleShape.image(image)) input")
    default: return .success(.image(image))
    }
  }
}

extension ModelArchitecture.LayerSpec {
  /// What is wrong with the layer's own settings, whatever reaches it, or nil.
  var settingsProblem: String? {
    switch self {
    case .linear(let outputFeatures, _) where outputFeatures <= 0:
      return "linear output features must be positive, got \(outputFeatures)"
    case .leakyReLU(let slope) where !slope.isFinite: return "leaky_relu slope must be finite, got \(slope)"
    case .topK(let k) where k <= 0, .topKPerChannel(let k) where k <= 0, .topKPerPosition(let k) where k <= 0:
      return "topk k must be positive, got \(k)"
    case .dropout(let p) where !(p >= 0 && p < 1), .channelDropout(let p) where !(p >= 0 && p < 1):
      return "dropout probability must be in [0, 1), got \(p)"
    case .conv2d(_, let window, _, _), .maxPool2d(let window):
      return window.problem
    case .avgPool2d(let window):
      return window.problem
        ?? (window.dilationRows == 1 && window.dilationColumns == 1 ? nil : "avgpool has no dilation")
    case .batchNorm2d(let epsilon, let momentum):
      guard epsilon > 0, epsilon.isFinite, momentum >= 0, momentum <= 1 else {
        return "batchnorm needs epsilon > 0 and momentum in [0, 1], got \(epsilon) and \(momentum)"
      }
      return nil
    default: return nil
    }
  }
}

extension ModelArchitecture {
  /// True when a batch normalization (at any depth) normalizes 1x1 images: one value per
  /// channel and sample, so that training needs batches (and parts) of at least two rows.
  public var normalizesSingleValues: Bool { Self.normalizesSingleValues(layers, shapes: shapes) }

  private static func normalizesSingleValues(_ layers: [LayerSpec], shapes: [SampleShape]) -> Bool {
    layers.indices.contains { index in
      switch layers[index] {
      case .batchNorm2d: return shapes[index].image?.pixelCount == 1
      case .residual(let body, let shortcut):
        return [body, shortcut].contains { path in
          guard case .success(let inner) = Self.shapes(input: shapes[index], layers: path) else { return false }
          return normalizesSingleValues(path, shapes: inner)
        }
      default: return false
      }
    }
  }
}
