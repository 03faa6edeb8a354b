import SparsityCore

/// The L1 (lasso) penalty on weight matrices, minimized by subgradient or by proximal steps.
///
/// Objective term: R(W) = λ Σ |w| over the parameters named `weight` (biases are not penalized).
///
/// - `.subgradient` adds λ · sign(w) to the gradient (with sign(0) = 0, as PyTorch's autograd of
///   `abs`). Weights then oscillate around zero rather than reach it.
/// - `.proximal` leaves the gradient alone and, after each optimizer step with learning rate η,
///   applies the proximal operator of η λ |·|, soft-thresholding:
///
///       w ← sign(w) · max(|w| − η λ, 0)
///
///   which sets small weights exactly to zero. This is proximal gradient descent (ISTA) when the
///   optimizer is plain SGD; after Adam or momentum it is the usual heuristic.
///
/// References: Tibshirani, "Regression Shrinkage and Selection via the Lasso", JRSS B 1996;
/// Parikh and Boyd, "Proximal Algorithms", Foundations and Trends in Optimization 2014, §6.5.2.
public struct WeightL1: WeightRegularizer, Equatable {
  /// How the non-differentiable L1 term is minimized.
  public enum Mode: Equatable, Sendable {
    /// Add the subgradient λ · sign(w) to the gradient.
    case subgradient
    /// Soft-threshold the weights after each optimizer step.
    case proximal
  }

  /// λ, the strength of the penalty.
  public let strength: Float
  /// How the penalty is minimized.
  public let mode: Mode

  /// An L1 penalty of strength λ ≥ 0.
  public init(strength: Float, mode: Mode = .subgradient) {
    precondition(strength >= 0 && strength.isFinite, "WeightL1: strength \(strength) must be finite and non-negative")
    self.strength = strength
    self.mode = mode
  }

  /// λ Σ |w| over the weight matrices, accumulated in Double. O(number of weights).
  public func penalty(_ parameters: [Parameter]) -> Float {
    var total = 0.0
    for parameter in parameters where parameter.isRegularizedWeight {
      for w in parameter.value.scalars { total += Double(Swift.abs(w)) }
    }
    return Float(Double(strength) * total)
  }

  /// In `.subgradient` mode, adds λ · sign(w) to each weight's gradient; else does nothing.
  /// O(number of weights), no allocation.
  public func addGradient(to parameters: [Parameter]) {
    guard mode == .subgradient, strength != 0 else { return }
    for parameter in parameters where parameter.isRegularizedWeight {
      parameter.materializeGradient()
      addSignSteps(strength, signsOf: parameter.value.scalars, to: &parameter.gradient.scalars)
    }
  }

  /// In `.proximal` mode, soft-thresholds every weight at η λ; else does nothing.
  /// O(number of weights), no allocation.
  public func applyProximalStep(to parameters: [Parameter], learningRate: Float) {
    guard mode == .proximal else { return }
    precondition(
      learningRate >= 0 && learningRate.isFinite,
      "WeightL1: learning rate \(learningRate) must be finite and non-negative")
    let threshold = learningRate * strength
    for parameter in parameters where parameter.isRegularizedWeight {
      softThresholdValues(&parameter.value.scalars, threshold: threshold)
    }
  }
}
