/// The gradual pruning schedule of Zhu and Gupta: sparsity rising along a cubic from an initial
/// to a final value over a range of training steps.
///
/// With t₀ = `startStep`, t₁ = `endStep` (t₁ = t₀ + nΔt in the paper) and Δt = `frequency`,
/// masks are recomputed at the pruning steps t = t₀, t₀ + Δt, t₀ + 2Δt, ... < t₁ and at t₁,
/// each time to
///
///     s_t = s_f + (s_i − s_f) · (1 − (t − t₀) / (t₁ − t₀))³
///
/// so pruning is fast at first, while redundant weights are plentiful, and slows down as the
/// final sparsity s_f approaches. Before t₀ nothing is pruned; from t₁ on the sparsity stays s_f
/// and the masks stay fixed (fine-tuning). With t₀ = t₁ it is one-shot pruning to s_f.
///
/// Reference: Zhu and Gupta, "To prune, or not to prune: exploring the efficacy of pruning for
/// model compression", ICLR workshop 2018, equation (1).
public struct PruningSchedule: Sendable, Equatable {
  /// s_i, the sparsity at the first pruning step.
  public var initialSparsity: Double
  /// s_f, the sparsity from `endStep` on.
  public var finalSparsity: Double
  /// t₀, the first pruning step (steps count optimizer steps from 0).
  public var startStep: Int
  /// t₁, the step at which s_f is reached.
  public var endStep: Int
  /// Δt, the number of steps between pruning steps.
  public var frequency: Int

  /// A schedule from s_i at t₀ to s_f at t₁, pruning every Δt steps.
  /// - Precondition: 0 ≤ s_i ≤ s_f < 1, 0 ≤ t₀ ≤ t₁, Δt ≥ 1.
  public init(initialSparsity: Double = 0, finalSparsity: Double, startStep: Int, endStep: Int, frequency: Int = 1) {
    precondition(
      initialSparsity >= 0 && initialSparsity <= finalSparsity && finalSparsity < 1,
      "PruningSchedule: need 0 <= initial \(initialSparsity) <= final \(finalSparsity) < 1")
    precondition(
      startStep >= 0 && startStep <= endStep, "PruningSchedule: need 0 <= start \(startStep) <= end \(endStep)")
    precondition(frequency >= 1, "PruningSchedule: frequency \(frequency) must be positive")
    self.initialSparsity = initialSparsity
    self.finalSparsity = finalSparsity
    self.startStep = startStep
    self.endStep = endStep
    self.frequency = frequency
  }

  /// True when the masks are recomputed before step `step`: t₀ + jΔt ≤ t₁, or t₁ itself.
  public func isPruningStep(_ step: Int) -> Bool {
    step == endStep || (step >= startStep && step < endStep && (step - startStep) % frequency == 0)
  }

  /// The target sparsity at `step`: 0 before t₀, s_t of the last pruning step ≤ `step` between
  /// t₀ and t₁ (the formula above), s_f from t₁ on.
  public func sparsity(atStep step: Int) -> Double {
    if step < startStep { return 0 }
    if step >= endStep { return finalSparsity }
    let lastPruning = startStep + (step - startStep) / frequency * frequency
    if lastPruning == startStep { return initialSparsity }
    let remaining = 1 - Double(lastPruning - startStep) / Double(endStep - startStep)
    return finalSparsity + (initialSparsity - finalSparsity) * remaining * remaining * remaining
  }
}
