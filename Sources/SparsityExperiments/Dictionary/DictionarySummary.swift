// What a dictionary learning run measured: sizes, objectives, sparsity and fit of the codes.

import SparsityCoding
import SparsityCore

/// Summary of a dictionary learning run: sizes, the mean objective after each epoch, and the
/// sparsity and fit of the final codes of up to `evaluationLimit` evenly spaced samples.
public struct DictionarySummary: Sendable {
  /// The most samples coded with the final dictionary for the summary.
  public static let evaluationLimit = 2000

  public var samples: Int
  public var features: Int
  public var atoms: Int
  public var epochs: Int
  /// Mean objective (1/n) sum_i 0.5 ||x_i - a_i D||^2 + lambda ||a_i||_1 of all samples after each epoch.
  public var epochObjectives: [Double]
  /// The samples coded for the statistics below.
  public var evaluated: Int
  /// Mean objective of the evaluated samples with the final dictionary.
  public var finalObjective: Double
  /// Mean nonzeros per code, and exact zeros over evaluated x atoms.
  public var meanNonzeros: Double
  public var zeroFraction: Double
  /// ||X - A D||_F / ||X||_F over the evaluated samples.
  public var relativeError: Double
  /// Atoms replaced as unused during learning.
  public var resampledAtoms: Int
  /// Wall time of the whole command.
  public var seconds = 0.0

  /// Codes up to `evaluationLimit` evenly spaced rows of `x` with the learner's final dictionary.
  /// - Complexity: one `transform` and one `matmul` of the evaluated rows.
  public init(learner: DictionaryLearner, samples x: Tensor, epochs: Int) {
    samples = x.rows
    features = x.columns
    atoms = learner.settings.atoms
    self.epochs = epochs
    epochObjectives = learner.epochObjectives
    resampledAtoms = learner.resampledAtomCount
    let count = min(x.rows, Self.evaluationLimit)
    let n = x.rows
    evaluated = count
    let rows = (0..<count).map { $0 * n / count }
    let subset = x.gatherRows(rows)
    let result = learner.transform(subset)
    let codes = result.codes
    let nonzeros = codes.scalars.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    meanNonzeros = Double(nonzeros) / Double(evaluated)
    zeroFraction = 1 - Double(nonzeros) / Double(max(1, codes.count))
    finalObjective = result.objectives.reduce(0, +) / Double(evaluated)
    let reconstruction = Tensor.matmul(codes, learner.dictionary)
    var residual = 0.0
    var energy = 0.0
    for (value, approximation) in zip(subset.scalars, reconstruction.scalars) {
      residual += (Double(value) - Double(approximation)) * (Double(value) - Double(approximation))
      energy += Double(value) * Double(value)
    }
    relativeError = energy > 0 ? (residual / energy).squareRoot() : residual.squareRoot()
  }
}
