import SparsityCore

/// A zero-skipping kernel that `KernelBenchmark` measures against dense BLAS.
public enum BenchmarkKernel: String, CaseIterable, Sendable {
  /// Dense weights, inputs with the given fraction of zeros (ReLU outputs); skips zero inputs.
  case activationSkipping = "activation-skipping"
  /// Weights with the given fraction of zeros scattered at random, stored as CSR.
  case csr
  /// Weights pruned in 1 x 4 blocks to the given sparsity, stored as BSR.
  case bsr1x4 = "bsr-1x4"
  /// Weights pruned in 4 x 1 blocks to the given sparsity, stored as BSR.
  case bsr4x1 = "bsr-4x1"
}

/// One measured configuration.
public struct KernelBenchmarkCase: Sendable, Hashable {
  public var kernel: BenchmarkKernel
  /// Outputs of the layer (rows of W).
  public var rows: Int
  /// Inputs of the layer (columns of W).
  public var columns: Int
  public var batch: Int
  /// Fraction of zeros in the inputs (activation skipping) or the weights (the others).
  public var sparsity: Double
}

/// What one configuration measured.
public struct KernelBenchmarkResult: Sendable {
  public var benchCase: KernelBenchmarkCase
  /// Median milliseconds per product with OpenBLAS (`sgemv` for batch 1, `sgemm` otherwise).
  public var denseMilliseconds: Double
  /// Median milliseconds per product with the zero-skipping kernel.
  public var sparseMilliseconds: Double
  /// dense / sparse.
  public var speedup: Double { denseMilliseconds / sparseMilliseconds }
  /// max |sparse - dense| / max |dense| over the outputs: agreement with BLAS.
  public var relativeError: Double
  /// Bytes of the weights as the sparse kernel stores them (dense array for activation skipping).
  public var sparseWeightBytes: Int
  /// Bytes of the dense weight matrix.
  public var denseWeightBytes: Int { benchCase.rows * benchCase.columns * 4 }
  /// The instruction set the kernels ran with (`KernelInstructionSet.active`).
  public var instructionSet = KernelInstructionSet.active
}

/// Measures dense BLAS against every zero-skipping kernel in one process.
///
/// Every case cycles through `inputVariants` different input batches, so neither side is timed
/// on an input whose touched weights stay in cache from the previous call. Each side gets
/// warm-up calls and then `samples` timed samples of at least 10 ms; figures are medians.
public struct KernelBenchmark: Sendable {
  public var sizes: [Int] = [4096, 1024]
  public var batches: [Int] = [1, 64]
  public var sparsities: [Double] = [0, 0.5, 0.7, 0.9, 0.95, 0.99]
  public var kernels: [BenchmarkKernel] = BenchmarkKernel.allCases
  /// Timed samples per side; the median is reported.
  public var samples = 7
  /// Distinct inputs cycled through while timing.
  public var inputVariants = 8
  public var seed: UInt64 = 0
  /// Seconds to wait after timing BLAS before timing a sparse kernel, so that spinning BLAS
  /// threads do not compete with it.
  public var blasIdlePause = 0.15

  public init() {}

  /// The short form: the large layer at batch 1 and 64, dense and 90% sparse, three kernels.
  public static var quick: KernelBenchmark {
    var benchmark = KernelBenchmark()
    benchmark.sizes = [4096]
    benchmark.sparsities = [0, 0.9]
    benchmark.kernels = [.activationSkipping, .csr, .bsr1x4]
    benchmark.samples = 5
    return benchmark
  }

  /// The memory of the largest case: the random weights, the pruned dense copy and its sparse
  /// formats (CSR and BSR at their largest, no zeros, each with a huge-page copy), then the
  /// input variants, both outputs and the kernels' scratch at the largest batch.
  public var memoryEstimate: MemoryEstimate {
    let size = sizes.max() ?? 0
    let batch = batches.max() ?? 0
    return .floats(size, size) * 8 + .floats(inputVariants + 4, batch, size)
  }

  /// Throws unless the largest case fits in memory.
  /// - Throws: `MemoryBudgetError.insufficient` naming the largest size and batch.
  public func checkMemory() throws(MemoryBudgetError) {
    try MemoryBudget.check(
      memoryEstimate, for: "bench kernels --sizes \(sizes.max() ?? 0) --batches \(batches.max() ?? 0)")
  }

  /// All cases in the order they run: size, kernel, sparsity, batch.
  public var cases: [KernelBenchmarkCase] {
    sizes.flatMap { size in
      kernels.flatMap { kernel in
        sparsities.flatMap { sparsity in
          batches.map { KernelBenchmarkCase(kernel: kernel, rows: size, columns: size, batch: $0, sparsity: sparsity) }
        }
      }
    }
  }

  /// Runs every case, calling `report` as each finishes.
  public func run(report: (KernelBenchmarkResult) -> Void = { _ in }) -> [KernelBenchmarkResult] {
    var results: [KernelBenchmarkResult] = []
    var generator = Xoshiro256StarStar(seed: seed)
    for size in sizes {
      let weights = Tensor.normal(
        shape: [size, size], standardDeviation: 1 / Float(size).squareRoot(), using: &generator)
      for kernel in kernels {
        for sparsity in sparsities {
          let fixture = KernelFixture(kernel: kernel, weights: weights, sparsity: sparsity, using: &generator)
          for batch in batches {
            let inputs = fixture.inputs(batch: batch, variants: inputVariants, using: &generator)
            let result = measure(
              KernelBenchmarkCase(kernel: kernel, rows: size, columns: size, batch: batch, sparsity: sparsity),
              fixture: fixture, inputs: inputs)
            report(result)
            results.append(result)
          }
        }
      }
    }
    return results
  }

  func measure(_ benchCase: KernelBenchmarkCase, fixture: KernelFixture, inputs: [Tensor]) -> KernelBenchmarkResult {
    var denseOut = Tensor(zeros: [benchCase.batch, benchCase.rows])
    var sparseOut = denseOut
    var error = 0.0
    for input in inputs.prefix(2) {
      BLAS.withThreadCount(Parallel.threadCount) { fixture.dense(&denseOut, input) }
      fixture.sparse(&sparseOut, input)
      error = Swift.max(error, maxNormRelativeError(sparseOut.scalars, denseOut.scalars))
    }
    // Each side is timed in its own block of samples after warm-up calls, dense first. OpenBLAS
    // worker threads spin for a while after a call (2^28 cycles by default, about 0.1 s) and
    // would take a core from the sparse kernel, so they are given time to go idle in between.
    var call = 0
    // OpenBLAS gets as many threads as the sparse kernels (Sparsity otherwise runs it on one).
    let denseMilliseconds = BLAS.withThreadCount(Parallel.threadCount) {
      MedianTimer(samples: samples, minimumSampleMilliseconds: 10, warmUpMilliseconds: 20).milliseconds { _ in
        fixture.dense(&denseOut, inputs[call % inputs.count])
        call += 1
      }
    }
    MedianTimer.pause(seconds: blasIdlePause)
    let sparseMilliseconds = MedianTimer(samples: samples, minimumSampleMilliseconds: 10, warmUpMilliseconds: 20)
      .milliseconds { _ in
        fixture.sparse(&sparseOut, inputs[call % inputs.count])
        call += 1
      }
    return KernelBenchmarkResult(
      benchCase: benchCase, denseMilliseconds: denseMilliseconds,
      sparseMilliseconds: sparseMilliseconds, relativeError: error,
      sparseWeightBytes: fixture.sparseWeightBytes)
  }
}
