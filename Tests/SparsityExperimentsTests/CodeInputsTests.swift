import Foundation
import SparsityCoding
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

/// The inputs of sparse coding read from `.npy` files, the solver chosen by name, and the
/// summary of the codes.
@Suite struct CodeInputsTests {
  /// Writes `tensor` to a fresh `.npy` file named `name` and returns its path.
  private func file(_ name: String, _ tensor: Tensor, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try NPYFile.write(tensor, to: url)
    return url.path
  }

  @Test func unitNormDictionariesAreReadAndOthersNormalizedOnRequest() throws {
    let directory = try temporaryDirectory("code-inputs")
    defer { try? FileManager.default.removeItem(at: directory) }
    let x = try file("x.npy", Tensor(rows: [[1, 2], [3, 4], [0, 1]]), in: directory)
    let unit = try file("unit.npy", Tensor(rows: [[1, 0], [0, 1], [0.6, 0.8]]), in: directory)
    let inputs = try CodeInputs(dataPath: x, dictionaryPath: unit, normalize: false)
    #expect(inputs.samples.shape == [3, 2] && inputs.dictionary.shape == [3, 2])

    let scaled = try file("scaled.npy", Tensor(rows: [[2, 0], [0, 3]]), in: directory)
    #expect(
      throws: ExperimentError.unusableData(
        "\(scaled): dictionary row 0 has L2 norm 2.0, not 1 (within 0.001); the solvers need"
          + " unit-norm atoms: normalize the rows (D / ||D_i||) or pass --normalize")
    ) {
      try CodeInputs(dataPath: x, dictionaryPath: scaled, normalize: false)
    }
    #expect(
      try CodeInputs(dataPath: x, dictionaryPath: scaled, normalize: true).dictionary
        == Tensor(rows: [[1, 0], [0, 1]]))
    let zero = try file("zero.npy", Tensor(rows: [[1, 0], [0, 0]]), in: directory)
    #expect(throws: ExperimentError.unusableData("\(zero): dictionary row 1 is all zeros and cannot be normalized")) {
      try CodeInputs(dataPath: x, dictionaryPath: zero, normalize: true)
    }
  }

  @Test func codesThatOverflowAreRefused() throws {
    let directory = try temporaryDirectory("code-inputs")
    defer { try? FileManager.default.removeItem(at: directory) }
    let x = try file("x.npy", Tensor(rows: [[3e38, 3e38, 3e38, 3e38], [1, 0, 0, 0]]), in: directory)
    let unit = try file("unit.npy", Tensor(rows: [[0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0]]), in: directory)
    #expect(
      throws: ExperimentError.unusableData(
        "\(x): the data value at row 0, column 0 is 3e+38, beyond 1.8446743e+19 whose square overflows single"
          + " precision; scale the data down")
    ) { try CodeInputs(dataPath: x, dictionaryPath: unit, normalize: false) }
    // Codes that come out infinite anyway (from any cause) are refused, not written.
    let ordinaryData = try file("o.npy", Tensor(rows: [[1, 0, 0, 0]]), in: directory)
    let ordinaryInputs = try CodeInputs(dataPath: ordinaryData, dictionaryPath: unit, normalize: false)
    var infinite = sparseEncode(
      ordinaryInputs.samples, dictionary: ordinaryInputs.dictionary, solver: .fista(lambda: 0.1))
    infinite.codes.scalars[0] = .infinity
    #expect(
      throws: ExperimentError.unusableData(
        "\(ordinaryData): the codes of sample 0 are not finite: the data (largest magnitude 1.0) overflows single"
          + " precision; scale it down")
    ) { try ordinaryInputs.checkFinite(infinite, dataPath: ordinaryData) }

    let fine = try file("fine.npy", Tensor(rows: [[1, 2, 0, 1], [3, 4, 1, 0]]), in: directory)
    let ordinary = try CodeInputs(dataPath: fine, dictionaryPath: unit, normalize: false)
    try ordinary.checkFinite(
      sparseEncode(ordinary.samples, dictionary: ordinary.dictionary, solver: .fista(lambda: 0.1)), dataPath: fine)
    #expect(ordinary.longRunWarning(CodeSolverChoice(maxIterations: 1000)) == nil)
    #expect(ordinary.longRunWarning(CodeSolverChoice(maxIterations: 1 << 62))?.hasPrefix("warning: code") == true)
  }

  @Test func badFilesAreNamed() throws {
    let directory = try temporaryDirectory("code-inputs")
    defer { try? FileManager.default.removeItem(at: directory) }
    let x = try file("x.npy", Tensor(rows: [[1, 2], [3, 4]]), in: directory)
    let wide = try file("wide.npy", Tensor(rows: [[1, 0, 0]]), in: directory)
    #expect(
      throws: ExperimentError.unusableData(
        "\(x) and \(wide): the data has 2 features per sample but the dictionary atoms have 3"
          + " (expected data samples x features, dictionary atoms x features)")
    ) {
      try CodeInputs(dataPath: x, dictionaryPath: wide, normalize: false)
    }
    let vector = try file("vector.npy", Tensor([1, 2]), in: directory)
    #expect(
      throws: ExperimentError.unusableData("\(vector): the data must be a non-empty 2-D array, but its shape is [2]")
    ) {
      try CodeInputs(dataPath: vector, dictionaryPath: wide, normalize: false)
    }
    let nan = try file("nan.npy", Tensor(rows: [[1, .nan], [.infinity, 4]]), in: directory)
    #expect(
      throws: ExperimentError.unusableData(
        "\(nan): 2 of 4 dictionary values are NaN or infinite (the first at row 0, column 1);"
          + " sparse coding needs finite values")
    ) {
      try CodeInputs(dataPath: x, dictionaryPath: nan, normalize: false)
    }
    let missing = directory.appendingPathComponent("missing.npy").path
    let error = #expect(throws: (any Error).self) {
      try CodeInputs(dataPath: missing, dictionaryPath: x, normalize: false)
    }
    #expect(error.map { "\($0)".contains("missing.npy") } == true)
  }

  @Test func solversByName() throws {
    #expect(try CodeSolverChoice().solver() == .fista(lambda: 0.5, maxIterations: 1000, tolerance: 1e-4))
    #expect(
      try CodeSolverChoice(name: .cd, lambda: 0.2, tolerance: 1e-6, maxIterations: 50, positive: true).solver()
        == .coordinateDescent(lambda: 0.2, maxIterations: 50, tolerance: 1e-6, positive: true))
    #expect(try CodeSolverChoice(name: .lars, lambda: 0.3).solver() == .lars(lambda: 0.3))
    #expect(try CodeSolverChoice(name: .omp, nonzeros: 3).solver() == .orthogonalMatchingPursuit(nonzeros: 3))
    #expect(try CodeSolverChoice(name: .threshold).solver() == .threshold(lambda: 0.5))
    #expect(try CodeSolverChoice(name: .ista).solver() == .ista(lambda: 0.5))
    #expect(
      throws: ExperimentError.invalidSetting(option: "positive", value: "omp", expected: "supported by omp")
    ) {
      try CodeSolverChoice(name: .omp, positive: true).solver()
    }
    #expect(CodeSolverChoice.Name.allCases.map(\.rawValue) == ["fista", "ista", "cd", "lars", "omp", "threshold"])
  }

  @Test func theSummaryCountsNonzerosAndTheFit() {
    // An orthonormal dictionary: thresholding at lambda = 0 reproduces X exactly.
    let x = Tensor(rows: [[1, 0], [0.5, -2], [0, 0]])
    let d = Tensor(rows: [[1, 0], [0, 1]])
    let result = sparseEncode(x, dictionary: d, solver: .threshold(lambda: 0))
    let summary = CodeSummary(result: result, samples: x, dictionary: d, solver: "threshold", solverSeconds: 0.5)
    #expect(summary.samples == 3 && summary.atoms == 2 && summary.solver == "threshold")
    #expect(summary.meanNonzeros == 1 && summary.minNonzeros == 0 && summary.maxNonzeros == 2)
    #expect(summary.zeroFraction == 0.5)
    #expect(summary.relativeError == 0 && summary.nonConverged == 0)
    #expect(summary.solverSeconds == 0.5 && summary.totalSeconds == 0.5)
  }
}
