import SparsityCore

/// The L2 penalty (weight decay) on weight matrices.
///
/// Objective term: R(W) = λ/2 Σ w² over the parameters named `weight` (biases are not
/// penalized); gradient dR/dw = λ w. With plain SGD this is `SGD(weightDecay: λ)` restricted to
/// weights; with Adam it is the coupled decay of `Adam(weightDecay:)`, not AdamW's.
///
/// Reference: Krogh and Hertz, "A Simple Weight Decay Can Improve Generalization", NIPS 1991.
public struct WeightDecay: WeightRegularizer, Equatable {
  /// λ, the strength of the penalty.
  public let strength: Float

  /// An L2 penalty of strength λ ≥ 0.
  public init(strength: Float) {
    precondition(
      strength >= 0 && strength.isFinite, "WeightDecay: strength \(strength) must be finite and non-negative")
    self.strength = strength
  }

  /// λ/2 Σ w² over the weight matrices, accumulated in Double. O(number of weights).
  public func penalty(_ parameters: [Parameter]) -> Float {
    var total = 0.0
    for parameter in parameters where parameter.isRegularizedWeight {
      for w in parameter.value.scalars { total += Double(w) * Double(w) }
    }
    return Float(Double(strength) / 2 * total)
  }

  /// Adds λ w to each weight's gradient. O(number of weights), no allocation.
  public func addGradient(to parameters: [Parameter]) {
    guard strength != 0 else { return }
    for parameter in parameters where parameter.isRegularizedWeight {
      parameter.materializeGradient()
      addScaled(parameter.value.scalars, by: strength, to: &parameter.gradient.scalars)
    }
  }
}
