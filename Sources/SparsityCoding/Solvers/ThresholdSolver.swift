/// Soft thresholding: a = S_lambda(c), c = D x^T (a = max(c - lambda, 0) when positive).
///
/// The exact Lasso solution when D has orthonormal rows, a cheap baseline otherwise.
/// - Complexity: O(atoms) per sample after the batch product C = X D^T.
struct ThresholdSolver: SampleSolver {
  func solve(_ s: SampleLasso) -> SampleSolution {
    SampleSolution(code: s.correlation.map { s.shrink($0, threshold: s.lambda) }, iterations: 0, converged: true)
  }
}
