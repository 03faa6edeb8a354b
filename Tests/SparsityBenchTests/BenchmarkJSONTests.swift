import SparsityCore
import SparsityIO
import Testing

@testable import SparsityBench

/// The JSON lines of `sparsity bench kernels --json` and the object of `bench training --json`.
@Suite struct BenchmarkJSONTests {
  static func result(_ sparsity: Double, denseMilliseconds: Double, batch: Int = 1) -> KernelBenchmarkResult {
    KernelBenchmarkResult(
      benchCase: KernelBenchmarkCase(kernel: .csr, rows: 8, columns: 8, batch: batch, sparsity: sparsity),
      denseMilliseconds: denseMilliseconds, sparseMilliseconds: 1, relativeError: 0, sparseWeightBytes: 100,
      instructionSet: .avx2)
  }

  @Test func eachCaseGetsTheBreakEvenOfItsGroupAndTheInstructionSet() throws {
    // Batch 1: 0.5x at 50%, 1.5x at 75%, crossing at 62.5%; batch 4: slower everywhere.
    let results = [
      Self.result(0.5, denseMilliseconds: 0.5), Self.result(0.75, denseMilliseconds: 1.5),
      Self.result(0.5, denseMilliseconds: 0.25, batch: 4),
    ]
    let lines = try KernelBenchmarkRecord.records(results).map { try JSONValue(encoding: $0).text }
    #expect(
      lines == [
        #"{"kernel":"csr","rows":8,"cols":8,"batch":1,"sparsity":0.5,"dense_ms":0.5,"sparse_ms":1.0,"speedup":0.5,"#
          + #""relative_error":0.0,"dense_bytes":256,"sparse_bytes":100,"break_even_sparsity":0.625,"isa":"AVX2+FMA"}"#,
        #"{"kernel":"csr","rows":8,"cols":8,"batch":1,"sparsity":0.75,"dense_ms":1.5,"sparse_ms":1.0,"speedup":1.5,"#
          + #""relative_error":0.0,"dense_bytes":256,"sparse_bytes":100,"break_even_sparsity":0.625,"isa":"AVX2+FMA"}"#,
        #"{"kernel":"csr","rows":8,"cols":8,"batch":4,"sparsity":0.5,"dense_ms":0.25,"sparse_ms":1.0,"#
          + #""speedup":0.25,"relative_error":0.0,"dense_bytes":256,"sparse_bytes":100,"break_even_sparsity":null,"#
          + #""isa":"AVX2+FMA"}"#,
      ])
  }

  @Test func theTrainingResultWritesEveryEpochAndTheMedian() throws {
    let result = TrainingBenchmarkResult(
      architecture: "4-3-2", batchSize: 8, samples: 16, threads: 2, samplesPerSecond: [100, 300, 200])
    #expect(
      try JSONValue(encoding: result).text
        == #"{"architecture":"4-3-2","batch":8,"samples":16,"threads":2,"samples_per_second":[100.0,300.0,200.0],"#
        + #""median_samples_per_second":200.0}"#)
  }
}
