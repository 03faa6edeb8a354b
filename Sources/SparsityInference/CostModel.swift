// Estimated kernel times from nonzero counts: the planner's fallback when it may not time.

/// Estimates a Linear layer's time per call for each kernel from its shape, its nonzero weights
/// and the density of its inputs, without running anything.
///
/// Estimate = fixed overhead + (work the kernel does) x (nanoseconds per unit of work):
/// - dense: outputs x inputs x batch multiply-adds;
/// - activation-skipping: input density x outputs x inputs x batch;
/// - csr: nnz(W) x batch;  bsr: stored block values x batch;
/// - csr+activation-skipping: input density x nnz(W) x batch (scalar scatter-adds).
/// The costs per unit are rough figures measured on a 2-core AMD EPYC (Zen 4) with AVX-512
/// (docs/PERFORMANCE.md); the model ranks kernels, it does not predict times precisely.
public struct CostModel: Sendable {
  /// Nanoseconds per call that every kernel pays (dispatch, scratch, loops over the batch).
  public var overheadNanoseconds = 300.0

  public init() {}

  /// Estimated milliseconds per call of `kernel` on a layer with `inputs` x `outputs` weights of
  /// which `nonzeroWeights` are nonzero (`storedBlockValues` for a BSR layout), fed inputs
  /// with `inputDensity` nonzeros, at batch size `batch`.
  public func milliseconds(
    _ kernel: LayerKernel, inputs: Int, outputs: Int, nonzeroWeights: Int, storedBlockValues: Int, inputDensity: Double,
    batch: Int
  ) -> Double {
    let (dense, b, single) = (Double(inputs * outputs), Double(batch), batch == 1)
    let units: Double
    let perUnit: Double
    switch kernel {
    case .dense:
      (units, perUnit) = (dense * b, single ? 0.06 : 0.012)
    case .activationSkipping:
      (units, perUnit) = (inputDensity * dense * b, single ? 0.05 : 0.03)
    case .csr:
      (units, perUnit) = (Double(nonzeroWeights) * b, single ? 0.35 : 0.05)
    case .bsr:
      (units, perUnit) = (Double(storedBlockValues) * b, single ? 0.12 : 0.04)
    case .sparseInputSparseWeights:
      (units, perUnit) = (inputDensity * Double(nonzeroWeights) * b, 0.4)
    }
    return (overheadNanoseconds + units * perUnit) / 1e6
  }
}
