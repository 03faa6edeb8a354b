// What sparse coding produced: sizes, sparsity and fit of the codes, convergence, time.

import SparsityCoding
import SparsityCore

/// Summary statistics of a sparse coding run: sizes, nonzeros per sample, zero fraction,
/// relative reconstruction error ||X - A D||_F / ||X||_F, objective, convergence and time.
public struct CodeSummary: Sendable {
  /// Rows of X and of A.
  public var samples: Int
  /// Rows of D, columns of A.
  public var atoms: Int
  /// The solver's name, as `sparsity code --solver` takes it.
  public var solver: String
  /// Nonzeros per row of A, mean.
  public var meanNonzeros: Double
  /// Nonzeros per row of A, minimum.
  public var minNonzeros: Int
  /// Nonzeros per row of A, maximum.
  public var maxNonzeros: Int
  /// Exact zeros in A over samples x atoms.
  public var zeroFraction: Double
  /// ||X - A D||_F / ||X||_F (0 when X is all zeros and so is the reconstruction).
  public var relativeError: Double
  /// Mean over samples of 0.5 ||x - a D||^2 + lambda ||a||_1 (lambda = 0 for OMP).
  public var meanObjective: Double
  /// Samples whose solve hit its iteration cap or a degenerate step.
  public var nonConverged: Int
  /// Wall time of `sparseEncode` alone.
  public var solverSeconds: Double
  /// Wall time of the whole command: reading, checking, coding, summarizing, writing.
  public var totalSeconds: Double
  /// For frames of sound, the SNR of the code against the DCT baseline at the same counts.
  public var sound: SoundCodingQuality?

  /// Summarizes `result` for samples X over dictionary D.
  /// - Complexity: one `sgemm`, O(samples atoms features).
  public init(result: SparseCodingResult, samples x: Tensor, dictionary: Tensor, solver: String, solverSeconds: Double)
  {
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
}
