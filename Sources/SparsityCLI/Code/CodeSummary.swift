// What `sparsity code` reports about the codes it computed.

import SparsityIO
import SparsityCoding
import SparsityCore

/// Summary statistics of a sparse coding run: sizes, nonzeros per sample, zero fraction,
/// relative reconstruction error ||X - A D||_F / ||X||_F, objective, convergence and time.
struct CodeSummary {
  /// Rows of X and of A.
  var samples: Int
  /// Rows of D, columns of A.
  var atoms: Int
  /// The `--solver` name.
  var solver: String
  /// Nonzeros per row of A: mean, minimum, maximum.
  var meanNonzeros: Double
  var minNonzeros: Int
  var maxNonzeros: Int
  /// Exact zeros in A over samples x atoms.
  var zeroFraction: Double
  /// ||X - A D||_F / ||X||_F (0 when X is all zeros and so is the reconstruction).
  var relativeError: Double
  /// Mean over samples of 0.5 ||x - a D||^2 + lambda ||a||_1 (lambda = 0 for OMP).
  var meanObjective: Double
  /// Samples whose solve hit its iteration cap or a degenerate step.
  var nonConverged: Int
  /// Wall time of `sparseEncode` alone.
  var solverSeconds: Double
  /// Wall time of the whole command: reading, checking, coding, summarizing, writing.
  var totalSeconds: Double

  /// Summarizes `result` for samples X over dictionary D.
  /// - Complexity: one `sgemm`, O(samples atoms features).
  init(result: SparseCodingResult, samples x: Tensor, dictionary: Tensor, solver: String, solverSeconds: Double) {
    let codes = result.codes
    samples = codes.rows
    atoms = codes.columns
    self.solver = solver
    var counts = [Int](repeating: 0, count: samples)
    for i in 0..<samples {
      for j in 0..<atoms where codes.scalars[i * atoms + j] != 0 { counts[i] += 1 }
    }
    let nonzeros = counts.reduce(0, +)
    meanNonzeros = samples > 0 ? Double(nonzeros) / Double(samples) : 0
    minNonzeros = counts.min() ?? 0
    maxNonzeros = counts.max() ?? 0
    zeroFraction = codes.count > 0 ? 1 - Double(nonzeros) / Double(codes.count) : 0
    let reconstruction = Tensor.matmul(codes, dictionary)
    var residual = 0.0
    var energy = 0.0
    for (value, approximation) in zip(x.scalars, reconstruction.scalars) {
      let d = Double(value) - Double(approximation)
      residual += d * d
      energy += Double(value) * Double(value)
    }
    relativeError = energy > 0 ? (residual / energy).squareRoot() : residual.squareRoot()
    meanObjective = samples > 0 ? result.objectives.reduce(0, +) / Double(samples) : 0
    nonConverged = result.nonConvergedCount
    self.solverSeconds = solverSeconds
    totalSeconds = solverSeconds
  }

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
