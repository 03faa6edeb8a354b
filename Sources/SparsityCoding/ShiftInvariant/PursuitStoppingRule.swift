/// How many spikes a shift-invariant pursuit may place.
public enum SpikeLimit: Sendable, Equatable {
  /// At most this many spikes in the whole signal.
  case total(Int)
  /// At most round(rate N / sampleRate) spikes for a signal of N samples at `sampleRate` Hz.
  case perSecond(Double, sampleRate: Double)

  /// The limit for a signal of `signalLength` samples.
  public func count(signalLength: Int) -> Int {
    switch self {
    case .total(let count):
      precondition(count >= 0, "SpikeLimit.total: \(count) spikes")
      return count
    case .perSecond(let rate, let sampleRate):
      precondition(rate >= 0 && sampleRate > 0, "SpikeLimit.perSecond: \(rate) spikes/s at \(sampleRate) Hz")
      return Int((rate * Double(signalLength) / sampleRate).rounded())
    }
  }
}

/// When a `ShiftInvariantPursuit` stops: at the first of the criteria given that holds.
///
/// With r the residual and x the signal, the pursuit stops before placing a spike when
/// - the spike count has reached `spikeLimit`;
/// - 10 log10(||x||^2 / ||r||^2) >= `signalToResidualDecibels` (the residual energy is tracked
///   as ||r||^2 - a^2 per spike of amplitude a, exact for unit-norm atoms in exact arithmetic);
/// - the largest |<r, shifted atom>| is below `correlationThreshold`.
///
/// It always stops when no shifted atom correlates with r; without a spike limit it also stops
/// at N spikes for a signal of N samples, so that a target it cannot reach ends the loop.
public struct PursuitStoppingRule: Sendable, Equatable {
  /// The most spikes to place.
  public var spikeLimit: SpikeLimit?
  /// The signal-to-residual energy ratio to reach, in decibels.
  public var signalToResidualDecibels: Double?
  /// The smallest |correlation| worth a spike.
  public var correlationThreshold: Float?

  /// A rule from any of its criteria (at least one).
  public init(
    spikeLimit: SpikeLimit? = nil, signalToResidualDecibels: Double? = nil, correlationThreshold: Float? = nil
  ) {
    precondition(
      spikeLimit != nil || signalToResidualDecibels != nil || correlationThreshold != nil,
      "PursuitStoppingRule: give a spike limit, a signal-to-residual target or a correlation threshold")
    self.spikeLimit = spikeLimit
    self.signalToResidualDecibels = signalToResidualDecibels
    self.correlationThreshold = correlationThreshold
  }

  /// Stop after `limit` spikes.
  public static func spikes(_ limit: SpikeLimit) -> PursuitStoppingRule { PursuitStoppingRule(spikeLimit: limit) }
}
