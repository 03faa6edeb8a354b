// The training setting `sparsity sweep` varies, and parsing the values it takes.

import Foundation
import SparsityNN

/// A setting of `sparsity train` that `sparsity sweep --param` varies, one model per value.
public enum SweepParameter: String, CaseIterable, Sendable {
  /// L1 strength on the activations (`--act-l1`).
  case activationL1 = "act-l1"
  /// L1 strength on the weights (`--l1`).
  case weightL1 = "l1"
  /// Dropout probability after each activation (`--dropout`).
  case dropout
  /// K of TopK activations (`--activation topk:K`).
  case topK = "topk"

  /// The `train` option this parameter replaces; giving it as well is an error.
  public var trainOption: String {
    switch self {
    case .activationL1: return "act-l1"
    case .weightL1: return "l1"
    case .dropout: return "dropout"
    case .topK: return "activation"
    }
  }

  /// What one value must be, for error messages.
  public var expected: String {
    switch self {
    case .activationL1, .weightL1: return "a comma-separated list of distinct non-negative numbers"
    case .dropout: return "a comma-separated list of distinct probabilities in [0, 1)"
    case .topK: return "a comma-separated list of distinct positive integers"
    }
  }

  /// One value as given on the command line, with its number.
  public struct Value: Equatable, Sendable {
    /// The text as typed, e.g. `1e-4` (used as its label in tables and charts).
    public var text: String
    public var number: Double

    public init(text: String, number: Double) {
      self.text = text
      self.number = number
    }
  }

  /// The values of `--values`, in the order given.
  /// - Throws: `ExperimentError.invalidSetting` for an empty list, a malformed or out-of-range
  ///   value, or a repeat.
  public func values(_ text: String) throws(ExperimentError) -> [Value] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    var values: [Value] = []
    for part in parts {
      guard let number = parse(part), !values.contains(where: { $0.number == number }) else {
        throw .invalidSetting(option: "values", value: text, expected: expected + " for --param \(rawValue)")
      }
      values.append(Value(text: part, number: number))
    }
    return values
  }

  private func parse(_ text: String) -> Double? {
    switch self {
    // Kept as Double (JSON shows 0.01, not 0.0099999998); the models get it as Float.
    case .activationL1, .weightL1: return Double(text).flatMap { $0 >= 0 && Float($0).isFinite ? $0 : nil }
    case .dropout: return Double(text).flatMap { (0..<1).contains($0) && Float($0) < 1 ? $0 : nil }
    case .topK: return Int(text).flatMap { $0 > 0 ? Double($0) : nil }
    }
  }

  /// The file name of the model trained at `value`: `model-PARAM-VALUE.safetensors`.
  public func modelFileName(_ value: Value) -> String { "model-\(rawValue)-\(value.text).safetensors" }

  /// `recipe` with this setting set to `value`.
  public func applied(_ value: Value, to recipe: TrainingRecipe) -> TrainingRecipe {
    var recipe = recipe
    switch self {
    case .activationL1: recipe.settings.activationL1 = Float(value.number)
    case .weightL1: recipe.settings.weightL1 = Float(value.number)
    case .dropout: recipe.dropout = Float(value.number)
    case .topK: recipe.activation = .topK(k: Int(value.number))
    }
    return recipe
  }

  /// Throws when a TopK value would keep every unit of the narrowest hidden layer.
  public func check(_ values: [Value], hiddenLayers: [Int]) throws(ExperimentError) {
    guard self == .topK, let narrowest = hiddenLayers.min(),
      let k = values.first(where: { $0.number >= Double(narrowest) })  // not Int(number): Int.max is 2^63 as a Double
    else { return }
    throw .invalidSetting(
      option: "values", value: k.text,
      expected: "a K below the narrowest hidden layer (\(narrowest)), or TopK keeps everything")
  }
}
