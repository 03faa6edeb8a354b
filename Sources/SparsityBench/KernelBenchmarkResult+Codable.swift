// The JSON form of a kernel benchmark result, as `sparsity bench kernels --json` prints it.

/// `{"kernel", "rows", "cols", "batch", "sparsity", "dense_ms", "sparse_ms", "speedup",
/// "relative_error", "dense_bytes", "sparse_bytes"}`: the case, then the median times and what
/// follows from them. `KernelBenchmarkRecord` adds the break-even sparsity and the instruction set.
extension KernelBenchmarkResult: Encodable {
  private enum CodingKeys: String, CodingKey {
    case kernel, rows, batch, sparsity, speedup
    case columns = "cols"
    case denseMilliseconds = "dense_ms"
    case sparseMilliseconds = "sparse_ms"
    case relativeError = "relative_error"
    case denseWeightBytes = "dense_bytes"
    case sparseWeightBytes = "sparse_bytes"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(benchCase.kernel.rawValue, forKey: .kernel)
    try container.encode(benchCase.rows, forKey: .rows)
    try container.encode(benchCase.columns, forKey: .columns)
    try container.encode(benchCase.batch, forKey: .batch)
    try container.encode(benchCase.sparsity, forKey: .sparsity)
    try container.encode(denseMilliseconds, forKey: .denseMilliseconds)
    try container.encode(sparseMilliseconds, forKey: .sparseMilliseconds)
    try container.encode(speedup, forKey: .speedup)
    try container.encode(relativeError, forKey: .relativeError)
    try container.encode(denseWeightBytes, forKey: .denseWeightBytes)
    try container.encode(sparseWeightBytes, forKey: .sparseWeightBytes)
  }
}
