import SparsityCore

/// Adam with decoupled weight decay, with the formulas of `torch.optim.AdamW`.
///
/// Each update first shrinks the parameter, then takes a plain Adam step (see `Adam`):
///
///     w ← w · (1 − η λ)
///     m ← β₁ m + (1 − β₁) g,    v ← β₂ v + (1 − β₂) g²
///     w ← w − η / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Unlike `Adam(weightDecay:)`, the decay does not pass through the adaptive scaling, so every
/// weight decays at the same relative rate η λ per step. The decay applies to every parameter
/// it is given, biases included (as PyTorch does with a single parameter group).
///
/// Reference: Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
public final class AdamW: Optimizer {
  public typealias State = Adam.State

  /// The plain Adam step taken after the decay: same β₁, β₂, ε, and no L2 term.
  public let adam: Adam
  /// λ, the decoupled weight decay: each step multiplies the parameter by 1 − η λ.
  public let weightDecay: Float
  public let states = OptimizerStates<State>()

  /// β₁, the decay of the first moment.
  public var beta1: Float { adam.beta1 }
  /// β₂, the decay of the second moment.
  public var beta2: Float { adam.beta2 }
  /// ε, added to the denominator for numerical stability.
  public var epsilon: Float { adam.epsilon }

  /// AdamW with decays β₁, β₂ in [0, 1), ε > 0 and decoupled weight decay λ ≥ 0.
  public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
    Adam.checkCoefficients(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, caller: "AdamW")
    adam = Adam(beta1: beta1, beta2: beta2, epsilon: epsilon)
    self.weightDecay = weightDecay
  }

  public func makeState(for parameter: Parameter) -> State { adam.makeState(for: parameter) }

  /// - Complexity: O(n) for n elements, two passes, no allocation.
  public func update(_ parameter: Parameter, state: inout State, learningRate: Float, step: Int) {
    if weightDecay != 0 {
      let shrink = Float(1 - Double(learningRate) * Double(weightDecay))
      scaleValues(&parameter.value.scalars, by: shrink)
    }
    adam.update(parameter, state: &state, learningRate: learningRate, step: step)
  }
}
