// Which rows of an activation data set train and which are held out: a contiguous tail.

/// A data set's rows divided into a training range (the first rows) and a held-out range (the
/// last rows).
///
/// The held-out rows are a contiguous tail rather than a random subset because neighbouring
/// rows are not independent: the activations of consecutive tokens of one text (often of one
/// sequence, or of one document split over several sequences) are correlated, so a random
/// subset would hold out rows whose neighbours were trained on, and the held-out loss would
/// flatter the model. A tail shares at most one boundary with the training rows. When the rows
/// were shuffled before they were stored this costs nothing either. A separate held-out data
/// set needs no split: read it as its own `ActivationDataset`.
public struct ActivationSplit: Equatable, Sendable {
  /// The rows trained on: `0..<(rows - heldOut.count)`.
  public let training: Range<Int>
  /// The rows held out: the last ones.
  public let heldOut: Range<Int>

  /// The last `heldOutRows` of `rows` rows held out.
  /// - Precondition: `0 <= heldOutRows <= rows`.
  public init(rows: Int, heldOutRows: Int) {
    precondition(
      heldOutRows >= 0 && heldOutRows <= rows,
      "ActivationSplit: \(heldOutRows) held-out rows must lie in 0...\(rows)")
    training = 0..<(rows - heldOutRows)
    heldOut = (rows - heldOutRows)..<rows
  }

  /// The last `heldOutFraction` of `rows` rows held out, rounded to the nearest row.
  /// - Precondition: `0 <= heldOutFraction <= 1`.
  public init(rows: Int, heldOutFraction: Double) {
    precondition(
      heldOutFraction >= 0 && heldOutFraction <= 1,
      "ActivationSplit: held-out fraction \(heldOutFraction) must lie in 0...1")
    self.init(rows: rows, heldOutRows: min(rows, Int((Double(rows) * heldOutFraction).rounded())))
  }
}
