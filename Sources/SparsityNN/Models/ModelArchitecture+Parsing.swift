// The compact string form of a ModelArchitecture, for the command line: `784-256-relu-10`.

import Foundation

/// Why a text does not describe an architecture: the text and what is wrong with it.
public struct ModelArchitectureError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The text that was given (the compact form or the JSON).
  public var text: String
  /// What is wrong, e.g. `'relu6' is not a layer (expected ...)`.
  public var detail: String

  public init(text: String, detail: String) {
    self.text = text
    self.detail = detail
  }

  /// One line: the architecture text, then what is wrong with it.
  public var description: String { "invalid architecture '\(text)': \(detail)" }
}

extension ModelArchitecture: CustomStringConvertible, LosslessStringConvertible {
  /// The syntax of the compact form, for help texts.
  public static let syntax = """
    INPUT-LAYER-LAYER-...: the input features, then layers separated by '-':
      N            Linear to N features (N:nobias for no bias)
      relu         ReLU
      leaky_relu   LeakyReLU with slope 0.01 (leaky_relu:S for slope S)
      sigmoid      Sigmoid
      topk:K       TopK keeping the K largest activations
      dropout:P    Dropout with probability P in [0, 1)
    e.g. 784-256-relu-dropout:0.2-128-relu-10
    """

  /// Parses the compact form (see `syntax`), e.g. `784-256-relu-128-relu-10`: the input
  /// features, then layers separated by `-`. Names are case-insensitive; spaces around tokens
  /// are ignored.
  /// - Throws: `ModelArchitectureError` naming the text and the token at fault.
  public init(parsing text: String) throws(ModelArchitectureError) {
    func failure(_ detail: String) -> ModelArchitectureError { ModelArchitectureError(text: text, detail: detail) }
    let tokens = text.split(separator: "-", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces).lowercased()
    }
    guard let first = tokens.first, let inputFeatures = Int(first), inputFeatures > 0 else {
      throw failure("it must start with the input features, a positive integer, e.g. 784-256-relu-10")
    }
    guard tokens.count > 1 else { throw failure("no layers after the input features, e.g. \(inputFeatures)-10") }
    var layers = [LayerSpec]()
    for token in tokens.dropFirst() {
      switch Self.layer(token) {
      case .success(let layer): layers.append(layer)
      case .failure(let problem): throw failure(problem.detail)
      }
    }
    self.init(inputFeatures: inputFeatures, layers: layers)
  }

  /// The compact form of a description, or nil when it is invalid.
  public init?(_ description: String) {
    guard let parsed = try? ModelArchitecture(parsing: description) else { return nil }
    self = parsed
  }

  /// The compact form, e.g. `784-256-relu-dropout:0.2-10`; `init(parsing:)` reads it back
  /// to an equal architecture.
  public var description: String {
    ([String(inputFeatures)] + layers.map(\.token)).joined(separator: "-")
  }

  /// The layer one token describes, or why it describes none: the one grammar of layer tokens,
  /// for architectures and for options such as `train --activation`.
  public static func layer(_ token: String) -> Result<LayerSpec, ModelArchitectureError> {
    func failure(_ detail: String) -> Result<LayerSpec, ModelArchitectureError> {
      .failure(ModelArchitectureError(text: token, detail: detail))
    }
    let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    let (name, argument) = (parts[0], parts.count > 1 ? parts[1] : nil)
    if let size = Int(name) {
      guard size > 0 else { return failure("'\(token)': a layer size must be positive") }
      guard let argument else { return .success(.linear(outputFeatures: size)) }
      guard argument == "nobias" else { return failure("'\(token)': the only option of a layer size is ':nobias'") }
      return .success(.linear(outputFeatures: size, bias: false))
    }
    switch (name, argument) {
    case ("relu", nil): return .success(.relu)
    case ("sigmoid", nil): return .success(.sigmoid)
    case ("leaky_relu", nil): return .success(.leakyReLU(negativeSlope: 0.01))
    case ("leaky_relu", let slope?):
      guard let value = Float(slope), value.isFinite else {
        return failure("'\(token)': the slope must be a finite number")
      }
      return .success(.leakyReLU(negativeSlope: value))
    case ("topk", let k?):
      guard let value = Int(k), value > 0 else { return failure("'\(token)': k must be a positive integer") }
      return .success(.topK(k: value))
    case ("dropout", let p?):
      guard let value = Float(p), value >= 0, value < 1 else {
        return failure("'\(token)': the probability must be in [0, 1)")
      }
      return .success(.dropout(probability: value))
    case ("topk", nil), ("dropout", nil):
      return failure("'\(token)' needs a value, e.g. \(name == "topk" ? "topk:32" : "dropout:0.2")")
    case ("relu", _?), ("sigmoid", _?): return failure("'\(token)': \(name) takes no value")
    case ("leaky", _), ("leaky-relu", _), ("leakyrelu", _), ("leakyReLU", _), ("LeakyReLU", _):
      return failure("'\(token)': LeakyReLU is spelled leaky_relu (leaky_relu:S for slope S)")
    default:
      return failure(
        "'\(token)' is not a layer (expected a size N, relu, leaky_relu[:S], sigmoid, topk:K or dropout:P)")
    }
  }
}

extension ModelArchitecture.LayerSpec {
  /// The token of the compact form, e.g. `256`, `256:nobias`, `relu`, `topk:32`.
  public var token: String {
    switch self {
    case .linear(let outputFeatures, let bias): return bias ? "\(outputFeatures)" : "\(outputFeatures):nobias"
    case .relu: return "relu"
    case .leakyReLU(let slope): return "leaky_relu:\(slope)"
    case .sigmoid: return "sigmoid"
    case .topK(let k): return "topk:\(k)"
    case .dropout(let probability): return "dropout:\(probability)"
    }
  }
}
