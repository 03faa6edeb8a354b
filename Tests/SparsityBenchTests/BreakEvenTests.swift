import Testing

@testable import SparsityBench

@Suite struct BreakEvenTests {
  func result(_ sparsity: Double, speedup: Double, batch: Int = 1, kernel: BenchmarkKernel = .csr)
    -> KernelBenchmarkResult
  {
    KernelBenchmarkResult(
      benchCase: KernelBenchmarkCase(kernel: kernel, rows: 8, columns: 8, batch: batch, sparsity: sparsity),
      denseMilliseconds: speedup, sparseMilliseconds: 1, relativeError: 0, sparseWeightBytes: 0)
  }

  @Test func interpolatesTheLastCrossingOfOne() {
    // 0.5x at 50%, 2x at 70%: crossing at 50% + (1 - 0.5) / 1.5 * 20% = 56.67%.
    let points = BreakEven.of([
      result(0, speedup: 0.2), result(0.5, speedup: 0.5), result(0.7, speedup: 2), result(0.9, speedup: 5),
    ])
    #expect(points.count == 1)
    #expect(abs(points[0].sparsity! - (0.5 + 0.5 / 1.5 * 0.2)) < 1e-12)
  }

  @Test func alwaysFasterNeverFasterAndDipsAreHandled() {
    #expect(BreakEven.of([result(0, speedup: 1.2), result(0.9, speedup: 3)])[0].sparsity == 0)
    #expect(BreakEven.of([result(0, speedup: 0.2), result(0.9, speedup: 0.9)])[0].sparsity == nil)
    // Faster at 50%, slower again at 70%: the break-even point is the last crossing.
    let dip = BreakEven.of([
      result(0, speedup: 0.5), result(0.5, speedup: 1.5), result(0.7, speedup: 0.5), result(0.9, speedup: 1.5),
    ])
    #expect(abs(dip[0].sparsity! - 0.8) < 1e-12)
  }

  @Test func groupsByKernelShapeAndBatch() {
    let points = BreakEven.of([
      result(0, speedup: 0.5, batch: 1), result(0, speedup: 0.5, batch: 64), result(0.9, speedup: 2, batch: 1),
      result(0.9, speedup: 0.8, batch: 64), result(0.9, speedup: 2, kernel: .bsr1x4),
    ])
    #expect(points.map(\.batch) == [1, 64, 1])
    #expect(points[1].sparsity == nil)
    #expect(points[2].kernel == .bsr1x4 && points[2].sparsity == 0)
  }

  @Test func casesCoverEveryCombinationOnce() {
    var benchmark = KernelBenchmark()
    benchmark.sizes = [16, 8]
    benchmark.batches = [1, 3]
    benchmark.sparsities = [0, 0.5, 0.9]
    #expect(benchmark.cases.count == 2 * BenchmarkKernel.allCases.count * 3 * 2)
    #expect(Set(benchmark.cases).count == benchmark.cases.count)
  }

  @Test func tinyBenchmarkRunsAndAgreesWithBLAS() {
    var benchmark = KernelBenchmark()
    benchmark.sizes = [33]
    benchmark.batches = [1, 5]
    benchmark.sparsities = [0, 0.9]
    benchmark.samples = 1
    benchmark.blasIdlePause = 0
    let results = benchmark.run()
    #expect(results.count == benchmark.cases.count)
    for r in results {
      #expect(r.relativeError < 1e-5, "\(r.benchCase)")
      #expect(r.denseMilliseconds > 0 && r.sparseMilliseconds > 0)
    }
  }
}
