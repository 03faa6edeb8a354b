// The text and JSON forms of a sparse coding summary, for `sparsity code`.

import SparsityExperiments
import SparsityIO

extension CodeSummary {
  /// The human-readable summary.
  var text: String {
    """
    samples            \(samples)
    atoms              \(atoms)
    solver             \(solver)
    nonzeros/sample    mean \(format(meanNonzeros)), min \(minNonzeros), max \(maxNonzeros)
    zero fraction      \(format(zeroFraction))
    relative error     \(format(relativeError))  (||X - A D||_F / ||X||_F)
    mean objective     \(format(meanObjective))
    not converged      \(nonConverged) of \(samples)
    seconds            \(format(solverSeconds)) solver, \(format(totalSeconds)) total
    """
  }

  /// The summary as one JSON object.
  var json: JSONValue {
    .object([
      ("samples", .integer(samples)), ("atoms", .integer(atoms)), ("solver", .string(solver)),
      ("mean_nonzeros", .double(meanNonzeros)), ("min_nonzeros", .integer(minNonzeros)),
      ("max_nonzeros", .integer(maxNonzeros)), ("zero_fraction", .double(zeroFraction)),
      ("relative_error", .double(relativeError)), ("mean_objective", .double(meanObjective)),
      ("non_converged", .integer(nonConverged)), ("solver_seconds", .double(solverSeconds)),
      ("seconds", .double(totalSeconds)),
    ])
  }

  /// `value` rounded to 6 decimals.
  private func format(_ value: Double) -> String { "\((value * 1e6).rounded() / 1e6)" }
}
