// SNR against the number of coefficients: a learned code and a fixed transform side by side.

import SparsityCoding
import SparsityCore

/// The SNR of a learned sparse code and of a fixed-transform baseline at several budgets.
public struct SNRCurve: Equatable, Sendable {
  /// What a budget counts, e.g. "nonzeros per frame".
  public var budget: String
  /// The baseline's name, e.g. "DCT-II, largest k per frame".
  public var baseline: String
  /// The budgets, increasing.
  public var counts: [Double]
  /// SNR of the learned code at each budget, dB.
  public var learned: [Double]
  /// SNR of the baseline at each budget, dB.
  public var reference: [Double]

  /// A curve; the arrays must have one value per budget.
  public init(budget: String, baseline: String, counts: [Double], learned: [Double], reference: [Double]) {
    precondition(counts.count == learned.count && counts.count == reference.count, "SNRCurve: lengths differ")
    self.budget = budget
    self.baseline = baseline
    self.counts = counts
    self.learned = learned
    self.reference = reference
  }

  /// The budgets of a frame curve up to `features`: 1, 2, 4, ... and `features / 4` at most.
  public static func frameBudgets(features: Int) -> [Int] {
    var counts: [Int] = []
    var k = 1
    while k <= Swift.max(1, features / 4) {
      counts.append(k)
      k *= 2
    }
    return counts
  }

  /// The frame SNR of OMP codes over `dictionary` with k nonzeros per frame, and of the DCT-II
  /// keeping the k largest coefficients of each frame, for each k of `counts`, on `sound`'s frames.
  /// - Complexity: one `sparseEncode` with OMP and one DCT baseline per budget.
  public static func frames(_ sound: SoundFrames, dictionary: Tensor, counts: [Int]) -> SNRCurve {
    let frames = sound.denormalized(sound.frames)
    var learned: [Double] = []
    var reference: [Double] = []
    for k in counts {
      let codes = sparseEncode(sound.frames, dictionary: dictionary, solver: .orthogonalMatchingPursuit(nonzeros: k))
      let coded = sound.denormalized(Tensor.matmul(codes.codes, dictionary))
      learned.append(SignalToNoise.decibels(signal: frames.scalars, approximation: coded.scalars))
      let dct = DCTBaseline.approximation(of: frames, keeping: k)
      reference.append(SignalToNoise.decibels(signal: frames.scalars, approximation: dct.scalars))
    }
    return SNRCurve(
      budget: "nonzeros per frame", baseline: "DCT-II, largest k per frame", counts: counts.map(Double.init),
      learned: learned, reference: reference)
  }
}
