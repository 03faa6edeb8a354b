// The text form of a sparse coding summary, for `sparsity code`.

import SparsityExperiments

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

  /// `value` rounded to 6 decimals.
  private func format(_ value: Double) -> String { "\((value * 1e6).rounded() / 1e6)" }
}
