#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How the learning rate changes from epoch to epoch (epochs count from 0).
///
/// The schedule is a pure function of the base learning rate and the epoch, the closed forms
/// of PyTorch's `StepLR` and `CosineAnnealingLR`.
public enum LearningRateSchedule: Equatable, Sendable {
  /// The base learning rate at every epoch.
  case constant
  /// The base rate multiplied by `factor` every `every` epochs: η_e = η · factor^⌊e / every⌋
  /// (`torch.optim.lr_scheduler.StepLR(step_size: every, gamma: factor)`).
  case step(every: Int, factor: Float)
  /// Cosine annealing from the base rate at epoch 0 to `minimum` (an absolute rate, η_min) at
  /// epoch `totalEpochs`, and `minimum` after it:
  ///
  ///     η_e = η_min + (η − η_min) · (1 + cos(π · min(e, T) / T)) / 2
  ///
  /// (`CosineAnnealingLR(T_max: totalEpochs, eta_min: minimum)`). With epochs 0..<T the last
  /// epoch is one step above the minimum, as in PyTorch.
  ///
  /// Reference: Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent with Warm
  /// Restarts", ICLR 2017 (one cycle, no restarts).
  case cosine(totalEpochs: Int, minimum: Float)

  /// The learning rate of `epoch` (0 for the first) when the schedule starts from `base`.
  public func learningRate(base: Float, epoch: Int) -> Float {
    precondition(epoch >= 0, "LearningRateSchedule: epoch \(epoch) must be non-negative")
    switch self {
    case .constant:
      return base
    case .step(let every, let factor):
      precondition(every > 0, "LearningRateSchedule.step: every \(every) must be positive")
      precondition(factor > 0 && factor.isFinite, "LearningRateSchedule.step: factor \(factor) must be positive")
      return Float(Double(base) * pow(Double(factor), Double(epoch / every)))
    case .cosine(let totalEpochs, let minimum):
      precondition(totalEpochs > 0, "LearningRateSchedule.cosine: totalEpochs \(totalEpochs) must be positive")
      precondition(
        minimum >= 0 && minimum.isFinite,
        "LearningRateSchedule.cosine: minimum \(minimum) must be finite and non-negative")
      let progress = Double(Swift.min(epoch, totalEpochs)) / Double(totalEpochs)
      let (high, low) = (Double(base), Double(minimum))
      return Float(low + (high - low) * (1 + cos(Double.pi * progress)) / 2)
    }
  }
}

extension LearningRateSchedule: CustomStringConvertible {
  /// A short description such as `step(every: 10, factor: 0.5)`.
  public var description: String {
    switch self {
    case .constant: "constant"
    case .step(let every, let factor): "step(every: \(every), factor: \(factor))"
    case .cosine(let totalEpochs, let minimum): "cosine(totalEpochs: \(totalEpochs), minimum: \(minimum))"
    }
  }
}
