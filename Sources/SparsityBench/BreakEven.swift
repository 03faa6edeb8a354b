/// The sparsity from which a zero-skipping kernel beats dense BLAS, for one kernel and shape.
public struct BreakEven: Sendable, Equatable {
  public var kernel: BenchmarkKernel
  public var rows: Int
  public var columns: Int
  public var batch: Int
  /// The break-even sparsity as a fraction, linearly interpolated in speedup between the two
  /// measured sparsities around it; 0 when the kernel is faster at every measured sparsity,
  /// nil when it is slower even at the sparsest one measured.
  public var sparsity: Double?

  /// One entry per (kernel, rows, columns, batch) in `results`, in first-seen order.
  ///
  /// The break-even point is where the speedup crosses 1 for the last time: from it on, every
  /// measured sparsity runs faster than dense.
  public static func of(_ results: [KernelBenchmarkResult]) -> [BreakEven] {
    var groups: [[KernelBenchmarkResult]] = []
    for result in results {
      if let index = groups.firstIndex(where: { sameGroup($0[0].benchCase, result.benchCase) }) {
        groups[index].append(result)
      } else {
        groups.append([result])
      }
    }
    return groups.map { group in
      let sorted = group.sorted { $0.benchCase.sparsity < $1.benchCase.sparsity }
      let c = sorted[0].benchCase
      return BreakEven(kernel: c.kernel, rows: c.rows, columns: c.columns, batch: c.batch, sparsity: crossing(sorted))
    }
  }

  static func sameGroup(_ a: KernelBenchmarkCase, _ b: KernelBenchmarkCase) -> Bool {
    a.kernel == b.kernel && a.rows == b.rows && a.columns == b.columns && a.batch == b.batch
  }

  /// The last crossing of speedup 1 in results sorted by sparsity.
  static func crossing(_ sorted: [KernelBenchmarkResult]) -> Double? {
    guard let last = sorted.last, last.speedup >= 1 else { return nil }
    guard let slower = sorted.lastIndex(where: { $0.speedup < 1 }) else { return 0 }
    let (a, b) = (sorted[slower], sorted[slower + 1])
    let fraction = (1 - a.speedup) / (b.speedup - a.speedup)
    return a.benchCase.sparsity + fraction * (b.benchCase.sparsity - a.benchCase.sparsity)
  }
}
