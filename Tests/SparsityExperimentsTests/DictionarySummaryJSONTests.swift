import SparsityCoding
import SparsityCore
import SparsityIO
import Testing

@testable import SparsityExperiments

/// The JSON text of `sparsity learn-dictionary --json` and `sparsity code --json`.
@Suite struct DictionarySummaryJSONTests {
  static let samples = Tensor(rows: [[1, 0], [0.5, -2], [0, 0]])
  static let identity = Tensor(rows: [[1, 0], [0, 1]])

  @Test func theDictionarySummaryWritesSizesObjectivesAndFit() throws {
    let learner = DictionaryLearner(atoms: 2, lambda: 0.5)
    learner.initialize(dictionary: Self.identity)
    var summary = DictionarySummary(learner: learner, samples: Self.samples, epochs: 2)
    summary.epochObjectives = [1.5, 0.75]
    summary.finalObjective = 0.625
    summary.meanNonzeros = 1
    summary.zeroFraction = 0.5
    summary.relativeError = 0.25
    summary.resampledAtoms = 1
    summary.seconds = 0.125
    #expect(
      try JSONValue(encoding: summary).text
        == #"{"samples":3,"features":2,"atoms":2,"epochs":2,"epoch_objectives":[1.5,0.75],"evaluated_samples":3,"#
        + #""final_objective":0.625,"mean_nonzeros":1.0,"zero_fraction":0.5,"relative_error":0.25,"#
        + #""resampled_atoms":1,"seconds":0.125}"#)
  }

  @Test func theCodeSummaryWritesSizesSparsityFitAndTimes() throws {
    // An orthonormal dictionary: thresholding at lambda = 0 reproduces X exactly.
    let result = sparseEncode(Self.samples, dictionary: Self.identity, solver: .threshold(lambda: 0))
    var summary = CodeSummary(
      result: result, samples: Self.samples, dictionary: Self.identity, solver: "threshold", solverSeconds: 0.5)
    summary.totalSeconds = 0.75
    #expect(
      try JSONValue(encoding: summary).text
        == #"{"samples":3,"atoms":2,"solver":"threshold","mean_nonzeros":1.0,"min_nonzeros":0,"max_nonzeros":2,"#
        + #""zero_fraction":0.5,"relative_error":0.0,"mean_objective":0.0,"non_converged":0,"#
        + #""solver_seconds":0.5,"seconds":0.75}"#)
  }
}
