// One case of a kernel benchmark with what the whole run says about it: a line of `--json`.

/// A kernel benchmark result with the break-even sparsity of its kernel, shape and batch over
/// the whole run (`BreakEven`), as `sparsity bench kernels --json` prints it, a line per case:
/// the members of `KernelBenchmarkResult`, then `"break_even_sparsity"` (`null` when the kernel
/// is slower at every measured sparsity) and `"isa"`, the instruction set the kernels ran with.
public struct KernelBenchmarkRecord: Sendable, Encodable {
  /// The measured case.
  public var result: KernelBenchmarkResult
  /// The break-even sparsity of the case's kernel, shape and batch; nil when there is none.
  public var breakEvenSparsity: Double?

  /// A record of `result` with the break-even sparsity of its group.
  public init(result: KernelBenchmarkResult, breakEvenSparsity: Double?) {
    self.result = result
    self.breakEvenSparsity = breakEvenSparsity
  }

  /// One record per result, in order, each with the break-even sparsity that `BreakEven.of`
  /// finds for its kernel, shape and batch among `results`.
  public static func records(_ results: [KernelBenchmarkResult]) -> [KernelBenchmarkRecord] {
    let points = BreakEven.of(results)
    return results.map { result in
      let c = result.benchCase
      let point = points.first {
        $0.kernel == c.kernel && $0.rows == c.rows && $0.columns == c.columns && $0.batch == c.batch
      }
      return KernelBenchmarkRecord(result: result, breakEvenSparsity: point?.sparsity)
    }
  }

  private enum CodingKeys: String, CodingKey {
    case breakEvenSparsity = "break_even_sparsity"
    case instructionSet = "isa"
  }

  public func encode(to encoder: any Encoder) throws {
    try result.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(breakEvenSparsity, forKey: .breakEvenSparsity)
    try container.encode(result.instructionSet.description, forKey: .instructionSet)
  }
}
