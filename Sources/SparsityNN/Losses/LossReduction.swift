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
}
