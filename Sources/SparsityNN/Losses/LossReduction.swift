/// How a loss combines its per-element (or per-sample) terms into one number.
///
/// The gradient a loss writes is always that of the reduced value, so `.mean` and `.sum`
/// differ in the loss and in the gradient by the same factor.
public enum LossReduction: Sendable, Equatable {
  /// The average: over samples for `softmaxCrossEntropy`, over all elements for
  /// `meanSquaredError` (as PyTorch's default `reduction="mean"`).
  case mean
  /// The plain sum of the terms.
  case sum
  /// The sum over these samples divided by `samples`, the rows of a whole batch this tensor is a
  /// part of (for `meanSquaredError`, by `samples` times the columns): the parts of a batch cut
  /// into parts add up to the batch's `.mean`. With `samples` equal to the rows it is `.mean`.
  case meanOverBatch(samples: Int)
}

extension LossReduction {
  /// The factor a sum of `terms` terms, `termsPerSample` of them per sample (1 for a loss per
  /// sample), is multiplied by.
  func scale(terms: Int, termsPerSample: Int) -> Float {
    switch self {
    case .mean: 1 / Float(terms)
    case .sum: 1
    case .meanOverBatch(let samples): 1 / Float(samples * termsPerSample)
    }
  }
}
