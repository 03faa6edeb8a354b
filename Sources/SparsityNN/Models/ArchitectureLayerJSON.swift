// One layer of an architecture as it appears in JSON (see ModelArchitecture+Codable.swift).

import SparsityCore

/// One layer in JSON: a kind and the settings that kind uses, PyTorch's names.
struct ArchitectureLayerJSON: Codable {
  var kind: String
  var inFeatures: Int?
  var outFeatures: Int?
  var inChannels: Int?
  var outChannels: Int?
  var numFeatures: Int?
  var kernelSize: [Int]?
  var stride: [Int]?
  var padding: [Int]?
  var dilation: [Int]?
  var groups: Int?
  var bias: Bool?
  var negativeSlope: Float?
  var eps: Float?
  var momentum: Float?
  var k: Int?
  var over: String?
  var p: Float?
  var body: [ArchitectureLayerJSON]?
  var shortcut: [ArchitectureLayerJSON]?

  /// In the order of the JSON text: the keys of the first (multilayer) format first, as before.
  enum CodingKeys: String, CodingKey {
    case kind, bias, k, p
    case inFeatures = "in_features"
    case outFeatures = "out_features"
    case negativeSlope = "negative_slope"
    case inChannels = "in_channels"
    case outChannels = "out_channels"
    case kernelSize = "kernel_size"
    case stride, padding, dilation, groups
    case numFeatures = "num_features"
    case eps, momentum, over, body, shortcut
  }

  /// The specs of `entries`, checking each against the sample that reaches it.
  static func specs(_ entries: [ArchitectureLayerJSON], input: ModelArchitecture.SampleShape, codingPath: [CodingKey])
    throws -> [ModelArchitecture.LayerSpec]
  {
    var layers = [ModelArchitecture.LayerSpec]()
    var sample = input
    for (index, entry) in entries.enumerated() {
      func failure(_ detail: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: "layer \(index) (\(entry.kind)): \(detail)"))
      }
      let layer: ModelArchitecture.LayerSpec
      do { layer = try entry.spec(input: sample, codingPath: codingPath) } catch let error as SpecProblem {
        throw failure(error.detail)
      }
      switch ModelArchitecture.output(of: layer, input: sample) {
      case .success(let next): sample = next
      case .failure(let problem): throw failure(problem.detail)
      }
      layers.append(layer)
    }
    return layers
  }

  /// The entries of `layers`, given the sample before each layer (`shapes`).
  static func entries(_ layers: [ModelArchitecture.LayerSpec], shapes: [ModelArchitecture.SampleShape]) -> [Self] {
    layers.enumerated().map { index, layer in entry(layer, input: shapes[index]) }
  }

  private struct SpecProblem: Error { var detail: String }

  private func spec(input: ModelArchitecture.SampleShape, codingPath: [CodingKey]) throws -> ModelArchitecture.LayerSpec
  {
    func require<T>(_ value: T?, _ key: String) throws -> T {
      guard let value else { throw SpecProblem(detail: "missing \(key)") }
      return value
    }
    func declared(_ value: Int?, _ key: String, _ actual: Int?, _ unit: String) throws {
      if let value, value != actual {
        throw SpecProblem(
          detail: "\(key) is \(value) but \(actual.map { "\($0) \(unit)" } ?? "flat features") reach it")
      }
    }
    switch kind {
    case "linear":
      try declared(inFeatures, "in_features", input.featureCount, "features")
      return .linear(outputFeatures: try require(outFeatures, "out_features"), bias: bias ?? true)
    case "relu": return .relu
    case "leaky_relu": return .leakyReLU(negativeSlope: negativeSlope ?? 0.01)
    case "sigmoid": return .sigmoid
    case "topk":
      let k = try require(k, "k")
      switch over {
      case nil: return .topK(k: k)
      case "channel": return .topKPerChannel(k: k)
      case "position": return .topKPerPosition(k: k)
      default: throw SpecProblem(detail: "over must be channel or position")
      }
    case "dropout": return .dropout(probability: try require(p, "p"))
    case "dropout2d": return .channelDropout(probability: try require(p, "p"))
    case "conv2d":
      try declared(inChannels, "in_channels", input.image?.channels, "channels")
      let window = try self.window(defaultStride: [1, 1])
      return .conv2d(
        outputChannels: try require(outChannels, "out_channels"), window: window, groups: groups ?? 1,
        bias: bias ?? true)
    case "max_pool2d": return .maxPool2d(window: try window(defaultStride: nil))
    case "avg_pool2d": return .avgPool2d(window: try window(defaultStride: nil))
    case "global_avg_pool2d": return .globalAvgPool2d
    case "flatten": return .flatten
    case "batch_norm2d":
      try declared(numFeatures, "num_features", input.image?.channels, "channels")
      return .batchNorm2d(epsilon: eps ?? 1e-5, momentum: momentum ?? 0.1)
    case "residual":
      let body = try ArchitectureLayerJSON.specs(require(self.body, "body"), input: input, codingPath: codingPath)
      let shortcut = try ArchitectureLayerJSON.specs(self.shortcut ?? [], input: input, codingPath: codingPath)
      return .residual(body: body, shortcut: shortcut)
    default:
      throw SpecProblem(
        detail:
          "unknown kind (expected linear, relu, leaky_relu, sigmoid, topk, dropout, dropout2d, conv2d, max_pool2d, avg_pool2d, global_avg_pool2d, flatten, batch_norm2d or residual)"
      )
    }
  }

  /// The window of `kernel_size`, `stride` (nil: the kernel), `padding` and `dilation`.
  private func window(defaultStride: [Int]?) throws -> SlidingWindow {
    guard let kernel = kernelSize, kernel.count == 2 else {
      throw SpecProblem(detail: "kernel_size must be [rows, columns]")
    }
    let stride = self.stride ?? defaultStride ?? kernel
    let padding = self.padding ?? [0, 0]
    let dilation = self.dilation ?? [1, 1]
    guard stride.count == 2, padding.count == 2, dilation.count == 2 else {
      throw SpecProblem(detail: "stride, padding and dilation must be [rows, columns]")
    }
    guard case .success(var window) = SlidingWindow.checked(kernelRows: kernel[0], kernelColumns: kernel[1]) else {
      throw SpecProblem(detail: "kernel_size \(kernel) must be positive and at most 1048576")
    }
    (window.strideRows, window.strideColumns) = (stride[0], stride[1])
    (window.paddingRows, window.paddingColumns) = (padding[0], padding[1])
    (window.dilationRows, window.dilationColumns) = (dilation[0], dilation[1])
    if let problem = window.problem { throw SpecProblem(detail: problem) }
    return window
  }

  private static func entry(_ layer: ModelArchitecture.LayerSpec, input: ModelArchitecture.SampleShape) -> Self {
    func windowEntry(_ kind: String, _ window: SlidingWindow) -> Self {
      var entry = Self(kind: kind)
      entry.kernelSize = [window.kernelRows, window.kernelColumns]
      entry.stride = [window.strideRows, window.strideColumns]
      entry.padding = [window.paddingRows, window.paddingColumns]
      entry.dilation = [window.dilationRows, window.dilationColumns]
      return entry
    }
    switch layer {
    case .linear(let out, let bias):
      return Self(kind: "linear", inFeatures: input.featureCount, outFeatures: out, bias: bias)
    case .relu: return Self(kind: "relu")
    case .leakyReLU(let slope): return Self(kind: "leaky_relu", negativeSlope: slope)
    case .sigmoid: return Self(kind: "sigmoid")
    case .topK(let k): return Self(kind: "topk", k: k)
    case .topKPerChannel(let k): return Self(kind: "topk", k: k, over: "channel")
    case .topKPerPosition(let k): return Self(kind: "topk", k: k, over: "position")
    case .dropout(let p): return Self(kind: "dropout", p: p)
    case .channelDropout(let p): return Self(kind: "dropout2d", p: p)
    case .conv2d(let channels, let window, let groups, let bias):
      var entry = windowEntry("conv2d", window)
      (entry.inChannels, entry.outChannels, entry.groups, entry.bias) = (input.image?.channels, channels, groups, bias)
      return entry
    case .maxPool2d(let window): return windowEntry("max_pool2d", window)
    case .avgPool2d(let window): return windowEntry("avg_pool2d", window)
    case .globalAvgPool2d: return Self(kind: "global_avg_pool2d")
    case .flatten: return Self(kind: "flatten")
    case .batchNorm2d(let epsilon, let momentum):
      return Self(kind: "batch_norm2d", numFeatures: input.image?.channels, eps: epsilon, momentum: momentum)
    case .residual(let body, let shortcut):
      let bodyShapes = try! ModelArchitecture.shapes(input: input, layers: body).get()
      let shortcutShapes = try! ModelArchitecture.shapes(input: input, layers: shortcut).get()
      return Self(
        kind: "residual", body: entries(body, shapes: bodyShapes), shortcut: entries(shortcut, shapes: shortcutShapes))
    }
  }
}
