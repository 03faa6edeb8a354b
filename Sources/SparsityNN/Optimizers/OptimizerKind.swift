/// Which optimizer to train with, as chosen on the command line.
///
/// A value type naming an optimizer and its hyperparameters; `makeOptimizer()` builds a fresh
/// one (with empty state). The learning rate is not part of the kind: it is given to every
/// `Optimizer.step`, usually from a `LearningRateSchedule`.
public enum OptimizerKind: Equatable, Sendable {
  /// `SGD(momentum:nesterov:)`.
  case sgd(momentum: Float, nesterov: Bool)
  /// `Adam()` with β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and no weight decay.
  case adam
  /// `AdamW(weightDecay:)` with β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
  case adamW(weightDecay: Float)

  /// A new optimizer of this kind.
  public func makeOptimizer() -> any Optimizer {
    switch self {
    case .sgd(let momentum, let nesterov): SGD(momentum: momentum, nesterov: nesterov)
    case .adam: Adam()
    case .adamW(let weightDecay): AdamW(weightDecay: weightDecay)
    }
  }
}

extension OptimizerKind: CustomStringConvertible {
  /// A short description such as `SGD(momentum: 0.9, nesterov)` or `AdamW(weightDecay: 0.01)`.
  public var description: String {
    switch self {
    case .sgd(let momentum, let nesterov):
      momentum == 0 ? "SGD" : "SGD(momentum: \(momentum)\(nesterov ? ", nesterov" : ""))"
    case .adam: "Adam"
    case .adamW(let weightDecay): "AdamW(weightDecay: \(weightDecay))"
    }
  }
}
