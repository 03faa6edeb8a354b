// The one grammar of layer tokens: `256`, `relu`, `conv:32:3x3:p1`, `maxpool:2`, `res(...)`.

import Foundation
import SparsityCore

extension ModelArchitecture {
  /// The layer one token describes, or why it describes none: the one grammar of layer tokens,
  /// for architectures and for options such as `train --activation`.
  public static func layer(_ token: String) -> Result<LayerSpec, ModelArchitectureError> {
    func failure(_ detail: String) -> Result<LayerSpec, ModelArchitectureError> {
      .failure(ModelArchitectureError(text: token, detail: detail))
    }
    if token.hasPrefix("res(") && token.hasSuffix(")") { return residual(token) }
    let parts = token.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    let (name, arguments) = (parts[0], Array(parts.dropFirst()))
    if let size = Int(name) { return linear(token, size: size, options: arguments) }
    switch (name, arguments.count) {
    case ("linear", 1...2):
      guard let size = Int(arguments[0]) else { return failure("'\(token)': the size must be an integer") }
      return linear(token, size: size, options: Array(arguments.dropFirst()))
    case ("relu", 0): return .success(.relu)
    case ("sigmoid", 0): return .success(.sigmoid)
    case ("flatten", 0): return .success(.flatten)
    case ("gap", 0): return .success(.globalAvgPool2d)
    case ("bn", 0), ("batchnorm", 0): return .success(.batchNorm2d())
    case ("leaky_relu", 0): return .success(.leakyReLU(negativeSlope: 0.01))
    case ("leaky_relu", 1):
      guard let value = Float(arguments[0]), value.isFinite else {
        return failure("'\(token)': the slope must be a finite number")
      }
      return .success(.leakyReLU(negativeSlope: value))
    case ("topk", 1...2): return topK(token, arguments)
    case ("dropout", 1), ("dropout2d", 1):
      guard let value = Float(arguments[0]), value >= 0, value < 1 else {
        return failure("'\(token)': the probability must be in [0, 1)")
      }
      return .success(name == "dropout" ? .dropout(probability: value) : .channelDropout(probability: value))
    case ("conv", 2...): return convolution(token, arguments)
    case ("maxpool", 1...), ("avgpool", 1...): return pooling(token, name: name, arguments)
    case ("topk", 0), ("dropout", 0), ("dropout2d", 0), ("conv", _), ("maxpool", 0), ("avgpool", 0), ("linear", 0):
      return failure("'\(token)' needs a value, e.g. \(example(name))")
    case ("relu", _), ("sigmoid", _), ("flatten", _), ("gap", _), ("bn", _), ("batchnorm", _):
      return failure("'\(token)': \(name) takes no value")
    case ("leaky", _), ("leaky-relu", _), ("leakyrelu", _):
      return failure("'\(token)': LeakyReLU is spelled leaky_relu (leaky_relu:S for slope S)")
    default:
      return failure(
        "'\(token)' is not a layer (expected a size N, relu, leaky_relu[:S], sigmoid, topk:K, dropout:P, dropout2d:P, conv:C:KxK, maxpool:K, avgpool:K, gap, flatten, bn or res(...))"
      )
    }
  }

  private static func example(_ name: String) -> String {
    [
      "topk": "topk:32", "dropout": "dropout:0.2", "dropout2d": "dropout2d:0.1", "conv": "conv:32:3x3",
      "maxpool": "maxpool:2", "avgpool": "avgpool:2", "linear": "linear:128",
    ][name] ?? name
  }

  private static func linear(_ token: String, size: Int, options: [String]) -> Result<LayerSpec, ModelArchitectureError>
  {
    guard size > 0 else {
      return .failure(ModelArchitectureError(text: token, detail: "'\(token)': a layer size must be positive"))
    }
    guard options.allSatisfy({ $0 == "nobias" }), options.count <= 1 else {
      return .failure(
        ModelArchitectureError(text: token, detail: "'\(token)': the only option of a layer size is ':nobias'"))
    }
    return .success(.linear(outputFeatures: size, bias: options.isEmpty))
  }

  private static func topK(_ token: String, _ arguments: [String]) -> Result<LayerSpec, ModelArchitectureError> {
    guard let k = Int(arguments[0]), k > 0 else {
      return .failure(ModelArchitectureError(text: token, detail: "'\(token)': k must be a positive integer"))
    }
    switch arguments.count == 2 ? arguments[1] : "" {
    case "": return .success(.topK(k: k))
    case "channel": return .success(.topKPerChannel(k: k))
    case "position": return .success(.topKPerPosition(k: k))
    default:
      return .failure(
        ModelArchitectureError(text: token, detail: "'\(token)': topk:K groups per 'channel' or 'position'"))
    }
  }

  /// `KxK` or `K` as (rows, columns).
  private static func kernel(_ text: String) -> (Int, Int)? {
    let sides = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
    guard (1...2).contains(sides.count), sides.allSatisfy({ $0 != nil }) else { return nil }
    return (sides[0]!, sides.last!!)
  }

  /// Options `sS`, `pP`, `dD`, `gG`, `nobias` after the sizes, each at most once, of `allowed` letters.
  private static func options(_ arguments: ArraySlice<String>, allowed: String) -> Result<
    [Character: Int], SlidingWindowProblem
  > {
    var values = [Character: Int]()
    for argument in arguments {
      let key: Character = argument == "nobias" ? "b" : argument.first ?? " "
      guard allowed.contains(key), values[key] == nil else {
        return .failure(SlidingWindowProblem(detail: "'\(argument)' is not an option here, or is repeated"))
      }
      if key == "b" {
        values[key] = 0
        continue
      }
      guard let value = Int(argument.dropFirst()), value >= 0 else {
        return .failure(SlidingWindowProblem(detail: "'\(argument)' needs a non-negative integer after '\(key)'"))
      }
      values[key] = value
    }
    return .success(values)
  }

  private static func convolution(_ token: String, _ arguments: [String]) -> Result<LayerSpec, ModelArchitectureError> {
    func failure(_ detail: String) -> Result<LayerSpec, ModelArchitectureError> {
      .failure(ModelArchitectureError(text: token, detail: "'\(token)': \(detail)"))
    }
    guard let channels = Int(arguments[0]), channels > 0 else {
      return failure("the channels must be a positive integer")
    }
    guard let (rows, columns) = kernel(arguments[1]) else { return failure("the kernel must be KxK or K, e.g. 3x3") }
    switch options(arguments.dropFirst(2), allowed: "spdgb") {
    case .failure(let problem): return failure(problem.detail)
    case .success(let values):
      let window: SlidingWindow
      switch SlidingWindow.checked(
        kernelRows: rows, kernelColumns: columns, stride: values["s"] ?? 1, padding: values["p"] ?? 0,
        dilation: values["d"] ?? 1)
      {
      case .success(let checked): window = checked
      case .failure(let problem): return failure(problem.detail)
      }
      return .success(
        .conv2d(outputChannels: channels, window: window, groups: values["g"] ?? 1, bias: values["b"] == nil))
    }
  }

  private static func pooling(_ token: String, name: String, _ arguments: [String]) -> Result<
    LayerSpec, ModelArchitectureError
  > {
    func failure(_ detail: String) -> Result<LayerSpec, ModelArchitectureError> {
      .failure(ModelArchitectureError(text: token, detail: "'\(token)': \(detail)"))
    }
    guard let (rows, columns) = kernel(arguments[0]) else { return failure("the window must be K or KxK, e.g. 2") }
    switch options(arguments.dropFirst(), allowed: "sp") {
    case .failure(let problem): return failure(problem.detail)
    case .success(let values):
      // PyTorch's default stride is the window; a non-square window strides by its rows.
      switch SlidingWindow.checked(
        kernelRows: rows, kernelColumns: columns, stride: values["s"] ?? rows, padding: values["p"] ?? 0)
      {
      case .failure(let problem): return failure(problem.detail)
      case .success(var window):
        if values["s"] == nil { window.strideColumns = columns }
        return .success(name == "maxpool" ? .maxPool2d(window: window) : .avgPool2d(window: window))
      }
    }
  }

  /// `res(BODY)` or `res(BODY|SHORTCUT)`, each a list of layer tokens.
  private static func residual(_ token: String) -> Result<LayerSpec, ModelArchitectureError> {
    let inner = String(token.dropFirst(4).dropLast())
    var paths = [String]()
    var (current, level) = ("", 0)
    for character in inner {
      if character == "(" { level += 1 }
      if character == ")" { level -= 1 }
      if character == "|" && level == 0 {
        paths.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    paths.append(current)
    guard paths.count <= 2, !paths[0].trimmingCharacters(in: .whitespaces).isEmpty else {
      return .failure(
        ModelArchitectureError(
          text: token, detail: "'\(token)': a residual block is res(BODY) or res(BODY|SHORTCUT), BODY not empty"))
    }
    do {
      let body = try layers(parsing: paths[0])
      let shortcut = paths.count == 2 ? try layers(parsing: paths[1]) : []
      return .success(.residual(body: body, shortcut: shortcut))
    } catch {
      return .failure(ModelArchitectureError(text: token, detail: error.detail))
    }
  }
}

extension ModelArchitecture.LayerSpec {
  /// The token of the compact form, e.g. `256`, `256:nobias`, `relu`, `conv:32:3x3:p1`;
  /// `ModelArchitecture.layer(_:)` reads it back to an equal spec.
  public var token: String {
    switch self {
    case .linear(let outputFeatures, let bias): return bias ? "\(outputFeatures)" : "\(outputFeatures):nobias"
    case .relu: return "relu"
    case .leakyReLU(let slope): return "leaky_relu:\(slope)"
    case .sigmoid: return "sigmoid"
    case .topK(let k): return "topk:\(k)"
    case .dropout(let probability): return "dropout:\(probability)"
    case .conv2d(let channels, let window, let groups, let bias):
      var text = "conv:\(channels):\(window.kernelRows)x\(window.kernelColumns)"
      if window.strideRows != 1 { text += ":s\(window.strideRows)" }
      if window.paddingRows != 0 { text += ":p\(window.paddingRows)" }
      if window.dilationRows != 1 { text += ":d\(window.dilationRows)" }
      if groups != 1 { text += ":g\(groups)" }
      return bias ? text : text + ":nobias"
    case .maxPool2d(let window): return Self.poolToken("maxpool", window)
    case .avgPool2d(let window): return Self.poolToken("avgpool", window)
    case .globalAvgPool2d: return "gap"
    case .flatten: return "flatten"
    case .batchNorm2d: return "bn"
    case .channelDropout(let probability): return "dropout2d:\(probability)"
    case .topKPerChannel(let k): return "topk:\(k):channel"
    case .topKPerPosition(let k): return "topk:\(k):position"
    case .residual(let body, let shortcut):
      let main = body.map(\.token).joined(separator: ",")
      return "res(\(main)\(shortcut.isEmpty ? "" : "|" + shortcut.map(\.token).joined(separator: ",")))"
    }
  }

  private static func poolToken(_ name: String, _ window: SlidingWindow) -> String {
    var text =
      "\(name):"
      + (window.kernelRows == window.kernelColumns
        ? "\(window.kernelRows)" : "\(window.kernelRows)x\(window.kernelColumns)")
    if window.strideRows != window.kernelRows || window.strideColumns != window.kernelColumns {
      text += ":s\(window.strideRows)"
    }
    if window.paddingRows != 0 { text += ":p\(window.paddingRows)" }
    return text
  }
}
