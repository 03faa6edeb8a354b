// The text form of a learned dictionary's summary, for `learn-dictionary` and `demo`.

import SparsityExperiments

extension DictionarySummary {
  /// The human-readable summary.
  var text: String {
    """
    samples            \(samples)
    features           \(features)
    atoms              \(atoms)
    epochs             \(epochs)
    objective/epoch    \(epochObjectives.map(format).joined(separator: " "))
    final objective    \(format(finalObjective))  (mean over \(evaluated) samples)
    nonzeros/sample    \(format(meanNonzeros))
    zero fraction      \(format(zeroFraction))
    relative error     \(format(relativeError))  (||X - A D||_F / ||X||_F)
    resampled atoms    \(resampledAtoms)
    seconds            \(format(seconds))
    """
  }

  /// `value` rounded to 6 decimals.
  private func format(_ value: Double) -> String { "\((value * 1e6).rounded() / 1e6)" }
}
