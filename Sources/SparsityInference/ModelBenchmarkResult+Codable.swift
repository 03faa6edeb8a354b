// The JSON form of a model benchmark result, as `sparsity bench MODEL --json` prints it.

/// `{"batch", "dense_ms", "sparse_ms", "speedup", "dense_variant", "sparse_variant",
/// "dense_samples_per_second", "sparse_samples_per_second", "dense_bytes", "sparse_bytes",
/// "dense_accuracy", "sparse_accuracy", "relative_error", "threads", "kernels", "row_bands",
/// "isa"}`: the median times and their variants, throughputs, weight bytes, accuracies and
/// agreement, then the plan's threads, kernel per layer and row bands run (`layers 0-8 in 2
/// bands`, or null) and the instruction set the kernels ran with.
extension ModelBenchmarkResult: Encodable {
  private enum CodingKeys: String, CodingKey {
    case batch, speedup, threads, kernels
    case rowBands = "row_bands"
    case denseMilliseconds = "dense_ms"
    case sparseMilliseconds = "sparse_ms"
    case denseVariant = "dense_variant"
    case sparseVariant = "sparse_variant"
    case denseThroughput = "dense_samples_per_second"
    case sparseThroughput = "sparse_samples_per_second"
    case denseWeightBytes = "dense_bytes"
    case sparseWeightBytes = "sparse_bytes"
    case denseAccuracy = "dense_accuracy"
    case sparseAccuracy = "sparse_accuracy"
    case relativeError = "relative_error"
    case instructionSet = "isa"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(batch, forKey: .batch)
    try container.encode(denseMilliseconds, forKey: .denseMilliseconds)
    try container.encode(sparseMilliseconds, forKey: .sparseMilliseconds)
    try container.encode(speedup, forKey: .speedup)
    try container.encode(denseVariant.rawValue, forKey: .denseVariant)
    try container.encode(sparseVariant.rawValue, forKey: .sparseVariant)
    try container.encode(denseThroughput, forKey: .denseThroughput)
    try container.encode(sparseThroughput, forKey: .sparseThroughput)
    try container.encode(denseWeightBytes, forKey: .denseWeightBytes)
    try container.encode(sparseWeightBytes, forKey: .sparseWeightBytes)
    try container.encode(denseAccuracy, forKey: .denseAccuracy)
    try container.encode(sparseAccuracy, forKey: .sparseAccuracy)
    try container.encode(relativeError, forKey: .relativeError)
    try container.encode(plan.threads, forKey: .threads)
    try container.encode(plan.layers.map(\.kernel.name), forKey: .kernels)
    try container.encode(plan.rowBands.flatMap { $0.kept ? $0.summary : nil }, forKey: .rowBands)
    try container.encode(instructionSet.description, forKey: .instructionSet)
  }
}
