// The text and JSON forms of a learned dictionary's summary, for `learn-dictionary` and `demo`.

import SparsityExperiments
import SparsityIO

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

  /// The summary as one JSON object.
  var json: JSONValue {
    .object([
      ("samples", .integer(samples)), ("features", .integer(features)), ("atoms", .integer(atoms)),
      ("epochs", .integer(epochs)), ("epoch_objectives", .array(epochObjectives.map { .double($0) })),
      ("evaluated_samples", .integer(evaluated)), ("final_objective", .double(finalObjective)),
      ("mean_nonzeros", .double(meanNonzeros)), ("zero_fraction", .double(zeroFraction)),
      ("relative_error", .double(relativeError)), ("resampled_atoms", .integer(resampledAtoms)),
      ("seconds", .double(seconds)),
    ])
  }

  /// `value` rounded to 6 decimals.
  private func format(_ value: Double) -> String { "\((value * 1e6).rounded() / 1e6)" }
}
