// How sparse one layer's weight matrix is, and how its magnitudes are spread.

import SparsityCore
import SparsityNN

/// Statistics of one layer's weight matrix W (outputFeatures x inputFeatures, PyTorch layout),
/// or of a convolution's weight (out x in / groups x kernel rows x kernel columns), read as the
/// matrix of its filters (out x the rest).
///
/// With N the number of weights and epsilon the near-zero threshold:
/// - `zeroFraction = #{w == 0} / N`, `nearZeroFraction = #{|w| <= epsilon} / N`;
/// - `smallFraction = #{|w| < 1e-3} / N` (the threshold `eval` and `train` report,
///   `NetworkSparsity.smallWeight`);
/// - `magnitudeHistogram`: |w| of the nonzero weights in log10-spaced bins between the smallest
///   and largest nonzero magnitude (weights span decades; the exact zeros are `zeroFraction`);
/// - `zeroRows`: output units (filters) whose whole weight row is zero (they see nothing of
///   the input);
/// - `meanMagnitude`, `maximumMagnitude` of |w| over all weights (Double accumulation).
public struct WeightAnalysis: Sendable, Equatable {
  /// Index of the layer in its `Sequential`.
  public var layerIndex: Int
  /// The layer's description, e.g. `Linear(64, 256)`.
  public var name: String
  /// The weight's shape: [outputFeatures, inputFeatures], or a convolution's four sizes.
  public var shape: [Int]
  /// Fraction of weights exactly zero.
  public var zeroFraction: Double
  /// Fraction of weights with |w| <= epsilon.
  public var nearZeroFraction: Double
  /// Fraction of weights with |w| < `NetworkSparsity.smallWeight` (1e-3).
  public var smallFraction: Double
  /// The near-zero threshold used.
  public var epsilon: Float
  /// Mean of |w|.
  public var meanMagnitude: Double
  /// Largest |w|.
  public var maximumMagnitude: Double
  /// Rows (output units) whose weights are all exactly zero.
  public var zeroRows: [Int]
  /// |w| of the nonzero weights, log-spaced bins.
  public var magnitudeHistogram: ValueHistogram

  /// Analyses `weight` (a matrix, or a tensor of higher rank read as shape[0] rows) of layer
  /// `layerIndex` named `name`.
  /// - Complexity: O(N).
  public init(layerIndex: Int, name: String, weight: Tensor, epsilon: Float, bins: Int = 30) {
    precondition(weight.rank >= 2, "WeightAnalysis: weight must have rank 2 or more, shape \(weight.shape)")
    precondition(epsilon >= 0, "WeightAnalysis: epsilon must be >= 0, got \(epsilon)")
    self.layerIndex = layerIndex
    self.name = name
    self.epsilon = epsilon
    shape = weight.shape
    let total = Double(Swift.max(weight.count, 1))
    var zeros = 0
    var near = 0
    var small = 0
    var sum = 0.0
    var largest: Float = 0
    for w in weight.scalars {
      let m = Swift.abs(w)
      if w == 0 { zeros += 1 }
      if m <= epsilon { near += 1 }
      if m < NetworkSparsity.smallWeight { small += 1 }
      sum += Double(m)
      largest = Swift.max(largest, m)
    }
    zeroFraction = Double(zeros) / total
    nearZeroFraction = Double(near) / total
    smallFraction = Double(small) / total
    meanMagnitude = sum / total
    maximumMagnitude = Double(largest)
    let rows = weight.shape[0]
    let columns = weight.count / Swift.max(rows, 1)
    zeroRows = (0..<rows).filter { r in
      weight.scalars[(r * columns)..<((r + 1) * columns)].allSatisfy { $0 == 0 }
    }
    magnitudeHistogram = ValueHistogram(
      values: weight.scalars.lazy.filter { $0 != 0 }.map { Double(Swift.abs($0)) }, bins: bins, scale: .logarithmic)
  }
}
