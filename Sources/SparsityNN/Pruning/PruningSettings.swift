/// How a `Trainer` prunes while it trains: the target, its scope and pattern, and the epochs over
/// which the sparsity rises (Zhu and Gupta's gradual pruning, `PruningSchedule`).
///
/// Epochs count from 1, as in `EpochReport`. With B mini-batches per epoch the schedule runs
/// from step t₀ = (startEpoch − 1) · B, the first step of `startEpoch`, to t₁ = endEpoch · B − 1,
/// the last step of `endEpoch`: the sparsity rises over epochs startEpoch...endEpoch and
/// `endEpoch` already reports the final sparsity. Later epochs fine-tune with the masks fixed.
/// With `initialSparsity == sparsity` it is one-shot pruning at the first step of `startEpoch`.
public struct PruningSettings: Sendable, Equatable {
  /// How often the masks are recomputed between t₀ and t₁.
  public enum Frequency: Sendable, Equatable {
    /// At the first step of every epoch (and at t₁).
    case everyEpoch
    /// Every `steps` optimizer steps (Δt in the paper; and at t₁).
    case everySteps(Int)
  }

  /// s_f, the final fraction of pruned weights, in [0, 1).
  public var sparsity: Double
  /// s_i, the sparsity at the first pruning step, in [0, sparsity].
  public var initialSparsity: Double
  /// Whether layers are ranked together or each on its own.
  public var scope: PruningScope
  /// Unstructured or N:M (the N:M constraint holds from the first pruning step on; the schedule
  /// adds unstructured magnitude pruning on top when s_f exceeds 1 − N/M).
  public var pattern: PruningPattern
  /// The epoch whose first step prunes first (≥ 1).
  public var startEpoch: Int
  /// The epoch whose last step reaches `sparsity` (≥ startEpoch).
  public var endEpoch: Int
  /// How often masks are recomputed while the sparsity rises.
  public var frequency: Frequency

  /// Gradual pruning to `sparsity` over epochs `startEpoch...endEpoch`.
  public init(
    sparsity: Double, initialSparsity: Double = 0, scope: PruningScope = .global,
    pattern: PruningPattern = .unstructured,
    startEpoch: Int = 1, endEpoch: Int, frequency: Frequency = .everySteps(10)
  ) {
    precondition(sparsity >= 0 && sparsity < 1, "PruningSettings: sparsity \(sparsity) must be in [0, 1)")
    precondition(
      initialSparsity >= 0 && initialSparsity <= sparsity,
      "PruningSettings: initial sparsity \(initialSparsity) must be in [0, \(sparsity)]")
    precondition(
      startEpoch >= 1 && endEpoch >= startEpoch,
      "PruningSettings: need 1 <= start epoch \(startEpoch) <= end epoch \(endEpoch)")
    if case .everySteps(let steps) = frequency {
      precondition(steps >= 1, "PruningSettings: every \(steps) steps must be positive")
    }
    if case .nOfM(let n, let m) = pattern {
      precondition(n >= 1 && n < m, "PruningSettings: need 1 <= N < M, got \(n):\(m)")
    }
    self.sparsity = sparsity
    self.initialSparsity = initialSparsity
    self.scope = scope
    self.pattern = pattern
    self.startEpoch = startEpoch
    self.endEpoch = endEpoch
    self.frequency = frequency
  }

  /// One-shot pruning to `sparsity` at the first step of epoch 1; the masks then stay fixed,
  /// so training fine-tunes the pruned network.
  public static func oneShot(sparsity: Double, scope: PruningScope = .global, pattern: PruningPattern = .unstructured)
    -> PruningSettings
  {
    PruningSettings(
      sparsity: sparsity, initialSparsity: sparsity, scope: scope, pattern: pattern, startEpoch: 1, endEpoch: 1)
  }

  /// The schedule in optimizer steps for `stepsPerEpoch` mini-batches per epoch (one-shot
  /// settings give t₀ = t₁).
  public func schedule(stepsPerEpoch: Int) -> PruningSchedule {
    precondition(stepsPerEpoch >= 1, "PruningSettings: steps per epoch \(stepsPerEpoch) must be positive")
    let start = (startEpoch - 1) * stepsPerEpoch
    let end = initialSparsity == sparsity ? start : endEpoch * stepsPerEpoch - 1
    let every: Int
    switch frequency {
    case .everyEpoch: every = stepsPerEpoch
    case .everySteps(let steps): every = steps
    }
    return PruningSchedule(
      initialSparsity: initialSparsity, finalSparsity: sparsity, startStep: start, endStep: end, frequency: every)
  }
}

extension PruningSettings: CustomStringConvertible {
  /// E.g. `0.9 global unstructured, epochs 1-15, every 10 steps`.
  public var description: String {
    let every: String
    switch frequency {
    case .everyEpoch: every = "every epoch"
    case .everySteps(let steps): every = "every \(steps) step\(steps == 1 ? "" : "s")"
    }
    let ramp =
      initialSparsity == sparsity ? "one-shot at epoch \(startEpoch)" : "epochs \(startEpoch)-\(endEpoch), \(every)"
    let initial = initialSparsity > 0 && initialSparsity < sparsity ? " from \(initialSparsity)" : ""
    return "\(sparsity)\(initial) \(scope) \(pattern), \(ramp)"
  }
}
