import SparsityCore

/// Adam with bias correction and optional L2 weight decay coupled to the gradient, with the
/// formulas of `torch.optim.Adam` (amsgrad off).
///
/// For each element, at update t = 1, 2, ... with gradient g and learning rate η:
///
///     g ← g + λ w                                   (L2 weight decay, λ = weightDecay)
///     m ← β₁ m + (1 − β₁) g                         (first moment, m = 0 before t = 1)
///     v ← β₂ v + (1 − β₂) g²                        (second moment, v = 0 before t = 1)
///     w ← w − η / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// ε is added after the bias correction of √v, as in PyTorch (the paper adds it to √v̂ too).
/// With λ > 0 the decay is scaled by the adaptive step like the gradient; `AdamW` decouples it.
///
/// Reference: Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
public final class Adam: Optimizer {
  /// The moment estimates of one parameter.
  public struct State {
    /// m, the running mean of the gradient.
    public var firstMoment: Tensor
    /// v, the running mean of the squared gradient.
    public var secondMoment: Tensor

    /// Zero moments of `shape`.
    init(shape: [Int]) {
      firstMoment = Tensor(zeros: shape)
      secondMoment = Tensor(zeros: shape)
    }
  }

  /// β₁, the decay of the first moment.
  public let beta1: Float
  /// β₂, the decay of the second moment.
  public let beta2: Float
  /// ε, added to the denominator for numerical stability.
  public let epsilon: Float
  /// λ, the L2 penalty added to the gradient as λ w.
  public let weightDecay: Float
  public let states = OptimizerStates<State>()

  /// Adam with decays β₁, β₂ in [0, 1), ε > 0 and L2 weight decay λ ≥ 0.
  public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
    Self.checkCoefficients(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, caller: "Adam")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  public func makeState(for parameter: Parameter) -> State { State(shape: parameter.value.shape) }

  /// One `AdamStep` (the Core kernel) with λ as its L2 term.
  /// - Complexity: O(n) for n elements, one pass, no allocation.
  public func update(_ parameter: Parameter, state: inout State, learningRate: Float, step: Int) {
    precondition(
      state.firstMoment.count == parameter.value.count, "Adam: '\(parameter.name)' changed size since its first step")
    let adamStep = AdamStep(
      beta1: beta1, beta2: beta2, epsilon: epsilon, l2: weightDecay, learningRate: learningRate, step: step)
    adamStep.apply(
      weights: &parameter.value.scalars, gradient: parameter.gradient.scalars,
      firstMoment: &state.firstMoment.scalars, secondMoment: &state.secondMoment.scalars)
  }

  /// Stops with a message naming `caller` unless β₁, β₂ are in [0, 1), ε > 0 and λ ≥ 0 is finite.
  static func checkCoefficients(beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, caller: String) {
    precondition(beta1 >= 0 && beta1 < 1, "\(caller): beta1 \(beta1) must be in [0, 1)")
    precondition(beta2 >= 0 && beta2 < 1, "\(caller): beta2 \(beta2) must be in [0, 1)")
    precondition(epsilon > 0 && epsilon.isFinite, "\(caller): epsilon \(epsilon) must be positive")
    precondition(
      weightDecay >= 0 && weightDecay.isFinite, "\(caller): weight decay \(weightDecay) must be finite and non-negative"
    )
  }
}
