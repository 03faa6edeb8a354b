// Parsing the values of `sparsity train`'s options; each returns nil for an invalid text.

import Foundation
import SparsityIO
import SparsityNN

extension TrainOptions {
  /// Comma-separated widths from 1 to 2^20, e.g. `256,128`.
  static func parseWidths(_ text: String) -> [Int]? {
    let values = text.split(separator: ",", omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    return values.isEmpty || values.contains(where: { $0 == nil || $0! <= 0 || $0! > 1 << 20 })
      ? nil : values.compactMap { $0 }
  }

  /// The activation a `--activation` token names, in the layer-token grammar of architectures
  /// (`ModelArchitecture.layer`); nil for other tokens (sizes, dropout) and malformed ones.
  static func parseActivation(_ text: String) -> ModelArchitecture.LayerSpec? {
    guard case .success(let layer) = ModelArchitecture.layer(text) else { return nil }
    switch layer {
    case .relu, .sigmoid, .leakyReLU, .topK: return layer
    default: return nil
    }
  }

  /// `RHO:BETA` with 0 < RHO < 1 and finite BETA ≥ 0.
  static func parseKL(_ text: String) -> KLSparsity? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Float($0) }
    guard parts.count == 2, let rho = parts[0], let beta = parts[1], rho > 0, rho < 1, beta >= 0, beta.isFinite
    else { return nil }
    return KLSparsity(target: rho, weight: beta)
  }

  /// `adam`, `adamw[:DECAY]`, `sgd` or `sgd-nesterov`, as a function of the momentum (which only
  /// the SGD ones use).
  static func parseOptimizer(_ text: String) -> (@Sendable (_ momentum: Float) -> OptimizerKind)? {
    let parts = text.split(separator: ":").map(String.init)
    switch parts.first {
    case "adam" where parts.count == 1: return { _ in .adam }
    case "adamw" where parts.count == 1: return { _ in .adamW(weightDecay: 0.01) }
    case "adamw" where parts.count == 2:
      guard let decay = Float(parts[1]), decay >= 0, decay.isFinite else { return nil }
      return { _ in .adamW(weightDecay: decay) }
    case "sgd" where parts.count == 1: return { .sgd(momentum: $0, nesterov: false) }
    case "sgd-nesterov" where parts.count == 1: return { .sgd(momentum: $0, nesterov: true) }
    default: return nil
    }
  }

  /// `constant`, `step:EVERY:FACTOR` or `cosine[:MIN]`, as a function of the number of epochs
  /// (which the cosine anneals over).
  static func parseSchedule(_ text: String) -> (@Sendable (_ epochs: Int) -> LearningRateSchedule)? {
    let parts = text.split(separator: ":").map(String.init)
    switch parts.first {
    case "constant" where parts.count == 1: return { _ in .constant }
    case "cosine" where parts.count <= 2:
      guard let minimum = parts.count == 2 ? Float(parts[1]) : 0, minimum >= 0, minimum.isFinite else { return nil }
      return { .cosine(totalEpochs: $0, minimum: minimum) }
    case "step" where parts.count == 3:
      guard let every = Int(parts[1]), every > 0, let factor = Float(parts[2]), factor > 0, factor.isFinite else {
        return nil
      }
      return { _ in .step(every: every, factor: factor) }
    default: return nil
    }
  }

  /// `unit`, `standardize` or `none` (nil: unscaled).
  static func parseScaling(_ text: String) -> FeatureScaling?? {
    switch text {
    case "unit": return .some(.unitRange)
    case "standardize": return .some(.standardize)
    case "none": return .some(nil)
    default: return nil
    }
  }
}
