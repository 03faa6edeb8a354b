// ZCA whitening of a patch matrix.
import SparsityCore

/// The ZCA (zero-phase component analysis) whitening transform fitted to a data matrix.
///
/// With `mean` the column means of X (samples x features) and `C = (X - mean)^T (X - mean) / n`
/// = U diag(lambda) U^T, the transform is `W = U diag(1 / sqrt(lambda + epsilon)) U^T`, applied
/// as `(x - mean) W`. Of all whitening transforms ZCA stays closest to the input, so whitened
/// patches still look like (edge-enhanced) patches; `epsilon` keeps the smallest-variance
/// directions from being amplified into noise.
///
/// Reference: A. J. Bell and T. J. Sejnowski, "The 'independent components' of natural scenes
/// are edge filters", Vision Research 37(23), 1997; A. Krizhevsky, "Learning Multiple Layers of
/// Features from Tiny Images" (2009), appendix A.
public struct ZCAWhitening: Sendable {
  /// The column means subtracted before whitening.
  public let mean: [Float]
  /// The symmetric features x features whitening matrix W.
  public let matrix: Tensor
  /// The covariance eigendecomposition W was built from.
  public let eigen: SymmetricEigendecomposition

  /// Fits the transform to `data` (samples x features, at least one sample).
  /// - Complexity: O(samples * features^2 + sweeps * features^3).
  public init(fitting data: Tensor, epsilon: Float) {
    precondition(
      data.rank == 2 && data.rows >= 1,
      "ZCAWhitening: need a samples x features matrix with a sample, got \(data.shape)")
    precondition(epsilon >= 0, "ZCAWhitening: negative epsilon \(epsilon)")
    let d = data.columns
    let mean = data.sumOfRows().scalars.map { $0 / Float(data.rows) }
    let centered = Self.centered(data, mean: mean)
    // Exactly symmetric (`Tensor.gram`), as the Jacobi eigensolver assumes.
    let covariance = Tensor.gram(centered, transposeA: true).scalars.map { Double($0) / Double(data.rows) }
    let eigen = SymmetricEigendecomposition(symmetric: covariance, dimension: d)
    let scales = eigen.values.map { 1 / (max($0, 0) + Double(epsilon)).squareRoot() }
    var w = [Float](repeating: 0, count: d * d)
    for i in 0..<d {
      for j in i..<d {
        var sum = 0.0
        for k in 0..<d { sum += eigen.vectors[i * d + k] * scales[k] * eigen.vectors[j * d + k] }
        w[i * d + j] = Float(sum)
        w[j * d + i] = Float(sum)
      }
    }
    self.mean = mean
    self.matrix = Tensor(shape: [d, d], scalars: w)
    self.eigen = eigen
  }

  /// `(data - mean) W`, row by row.
  /// - Complexity: O(samples * features^2).
  public func apply(_ data: Tensor) -> Tensor {
    precondition(
      data.rank == 2 && data.columns == mean.count, "ZCAWhitening.apply: expected ? x \(mean.count), got \(data.shape)")
    return Tensor.matmul(Self.centered(data, mean: mean), matrix)
  }

  /// `data` with `mean` subtracted from every row.
  private static func centered(_ data: Tensor, mean: [Float]) -> Tensor {
    var out = data
    let d = mean.count
    for i in 0..<out.count { out.scalars[i] -= mean[i % d] }
    return out
  }
}
