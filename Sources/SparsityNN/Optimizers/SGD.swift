import SparsityCore

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// with the semantics of `torch.optim.SGD` (dampening 0).
///
/// For each element, with gradient g, learning rate η, momentum μ and weight decay λ:
///
///     g ← g + λ w                           (weight decay, coupled to the gradient)
///     b ← μ b + g                           (momentum buffer, b = 0 before the first step,
///                                            so b = g after it, as in PyTorch)
///     d ← g + μ b   if nesterov,  b   if μ > 0,  g   otherwise
///     w ← w − η d
///
/// Weight decay here applies to every parameter it is given, biases included; use
/// `WeightDecay` to decay weight matrices only.
///
/// Reference: Sutskever, Martens, Dahl and Hinton, "On the importance of initialization and
/// momentum in deep learning", ICML 2013 (the momentum and Nesterov forms PyTorch follows).
public final class SGD: Optimizer {
  /// The momentum buffer of one parameter; nil when momentum is 0.
  public struct State {
    public var momentumBuffer: Tensor?
  }

  /// μ, the momentum factor (0 for plain SGD).
  public let momentum: Float
  /// Whether to use Nesterov momentum.
  public let nesterov: Bool
  /// λ, the L2 penalty added to the gradient as λ w.
  public let weightDecay: Float
  public let states = OptimizerStates<State>()

  /// SGD with momentum μ in [0, 1), Nesterov momentum (needs μ > 0) and weight decay λ ≥ 0.
  public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
    precondition(momentum >= 0 && momentum < 1, "SGD: momentum \(momentum) must be in [0, 1)")
    precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
    precondition(
      weightDecay >= 0 && weightDecay.isFinite, "SGD: weight decay \(weightDecay) must be finite and non-negative")
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
  }

  public func makeState(for parameter: Parameter) -> State {
    State(momentumBuffer: momentum == 0 ? nil : Tensor(zeros: parameter.value.shape))
  }

  /// One `sgdStep` or `sgdMomentumStep` (the Core kernels).
  /// - Complexity: O(n) for n elements, one pass, no allocation.
  public func update(_ parameter: Parameter, state: inout State, learningRate: Float, step: Int) {
    guard state.momentumBuffer != nil else {
      sgdStep(
        weights: &parameter.value.scalars, gradient: parameter.gradient.scalars, learningRate: learningRate,
        weightDecay: weightDecay)
      return
    }
    precondition(
      state.momentumBuffer!.count == parameter.value.count, "SGD: '\(parameter.name)' changed size since its first step"
    )
    sgdMomentumStep(
      weights: &parameter.value.scalars, momentumBuffer: &state.momentumBuffer!.scalars,
      gradient: parameter.gradient.scalars, learningRate: learningRate, momentum: momentum, nesterov: nesterov,
      weightDecay: weightDecay)
  }
}
