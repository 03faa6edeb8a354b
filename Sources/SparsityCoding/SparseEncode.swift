import SparsityCore

/// Sparse codes A (samples x atoms) of `samples` X (samples x features) over `dictionary` D
/// (atoms x features, unit-norm rows), X ~= A D, by `solver`.
///
/// The Lasso solvers minimize 0.5 ||x - a D||^2 + lambda ||a||_1 per sample (a >= 0 when
/// positive); see `SparseCodingSolver`. Prepares a `LassoProblem` (Gram matrix, once); to code
/// many batches over one dictionary, build the problem once and call
/// `sparseEncode(_:problem:solver:progress:)`.
public func sparseEncode(
  _ samples: Tensor, dictionary: Tensor, solver: SparseCodingSolver,
  progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
) -> SparseCodingResult {
  sparseEncode(
    samples, problem: LassoProblem(dictionary: dictionary, stepSize: solver.needsStepSize), solver: solver,
    progress: progress)
}

/// Sparse codes of `samples` over a prepared problem. Samples are handed out in blocks to one
/// worker per core (`Parallel.threadCount`), each with its own solver and buffers, writing
/// disjoint rows; blocks are taken as workers free up, so a core slowed by other load does
/// not hold the others back. `progress(done, total)` is told the samples coded after each block,
/// from the workers' threads, one call at a time.
/// - Complexity: one `sgemm` for C = X D^T (O(samples atoms features)), then the solver's
///   per-sample cost, which depends on atoms only.
public func sparseEncode(
  _ samples: Tensor, problem: LassoProblem, solver: SparseCodingSolver,
  progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
) -> SparseCodingResult {
  precondition(solver.lambda >= 0, "sparseEncode: lambda \(solver.lambda) < 0")
  let n = samples.rows
  let atoms = problem.atoms
  let correlations = problem.correlations(samples)
  var codes = [Float](repeating: 0, count: n * atoms)
  var iterations = [Int](repeating: 0, count: n)
  var converged = [Bool](repeating: false, count: n)
  var objectives = [Double](repeating: 0, count: n)
  var gaps = [Double](repeating: 0, count: n)
  codes.withUnsafeMutableBufferPointer { codes in
    iterations.withUnsafeMutableBufferPointer { iterations in
      converged.withUnsafeMutableBufferPointer { converged in
        objectives.withUnsafeMutableBufferPointer { objectives in
          gaps.withUnsafeMutableBufferPointer { gaps in
            let output = ChunkOutput(
              codes: codes, iterations: iterations, converged: converged,
              objectives: objectives, gaps: gaps)
            problem.withSampleBuilder(
              samples: samples, correlations: correlations, lambda: Double(solver.lambda),
              positive: solver.positive
            ) { builder in
              let blocks = WorkBlocks(count: n, blockSize: 32)
              Parallel.forEachChunk(of: min(n, Parallel.threadCount)) { _ in
                encodeBlocks(
                  blocks, builder: builder, problem: problem, solver: solver, into: output, progress: progress)
              }
            }
          }
        }
      }
    }
  }
  let isLasso: Bool
  if case .orthogonalMatchingPursuit = solver { isLasso = false } else { isLasso = true }
  return SparseCodingResult(
    codes: Tensor(shape: [n, atoms], scalars: codes), iterations: iterations,
    converged: converged, objectives: objectives, dualityGaps: isLasso ? gaps : nil)
}

/// Where one chunk writes its rows (disjoint from every other chunk's).
private struct ChunkOutput {
  let codes: UnsafeMutableBufferPointer<Float>
  let iterations: UnsafeMutableBufferPointer<Int>
  let converged: UnsafeMutableBufferPointer<Bool>
  let objectives: UnsafeMutableBufferPointer<Double>
  let gaps: UnsafeMutableBufferPointer<Double>
}

/// One worker: takes blocks of samples until none are left, with a solver and buffers of its own.
private func encodeBlocks(
  _ blocks: WorkBlocks, builder: SampleLassoBuilder, problem: LassoProblem, solver: SparseCodingSolver,
  into output: ChunkOutput, progress: ((Int, Int) -> Void)?
) {
  let atoms = problem.atoms
  var sampleSolver = solver.makeSampleSolver(for: problem)
  var q = [Double](repeating: 0, count: atoms)
  Scratch.withBuffer(of: Double.self, count: atoms) { correlation in
    while let range = blocks.next() {
      for i in range {
        let sample = builder.sample(i, buffer: correlation)
        let solution = q.withUnsafeMutableBufferPointer {
          sampleSolver.solve(sample, residualCorrelation: $0.baseAddress!)
        }
        for j in 0..<atoms { output.codes[i * atoms + j] = Float(solution.code[j]) }
        output.iterations[i] = solution.iterations
        output.converged[i] = solution.converged
        output.objectives[i] = sample.objective(solution.code, residualCorrelation: q)
        output.gaps[i] = sample.dualityGap(solution.code, residualCorrelation: q)
      }
      blocks.finish(range, report: progress)
    }
  }
}
