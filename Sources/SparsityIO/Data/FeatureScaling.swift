// Feature scaling whose statistics are fitted on the training set and applied to every set.
import SparsityCore

/// How features are rescaled before training.
public enum FeatureScaling: Sendable, Equatable {
  /// `x / m`, with `m` the largest absolute feature value of the training set (one number for
  /// all features, as suits pixels); an all-zero training set leaves the data unchanged.
  case unitRange
  /// `x / maximum` with a known maximum, such as 16 for digits or 255 for MNIST.
  case fixedRange(maximum: Float)
  /// `(x - mean_j) / std_j` per feature `j`, with the training set's mean and population
  /// standard deviation; a constant feature is only centred (its `std_j` is taken as 1).
  case standardize

  /// `unit-range`, `fixed-range` or `standardize`, as model files record it.
  public var name: String {
    switch self {
    case .unitRange: return "unit-range"
    case .fixedRange: return "fixed-range"
    case .standardize: return "standardize"
    }
  }
}

/// A fitted feature scaling: `x'_ij = (x_ij - offsets[j]) * scales[j]`.
///
/// Fit it on the training set only, then apply it to the training and the test set, so that no
/// statistic of the test set leaks into training.
public struct FeatureScaler: Sendable, Equatable {
  /// The scaling this was fitted for.
  public let scaling: FeatureScaling
  /// What each feature is reduced by (its mean for `.standardize`, otherwise 0).
  public let offsets: [Float]
  /// What each reduced feature is multiplied by.
  public let scales: [Float]

  /// Fits `scaling` to `features` (samples x features).
  /// - Complexity: O(samples * features).
  public init(fitting scaling: FeatureScaling, to features: Tensor) {
    precondition(features.rank == 2, "FeatureScaler: features must be samples x features, shape is \(features.shape)")
    self.scaling = scaling
    let width = features.shape[1]
    switch scaling {
    case .unitRange:
      let largest = features.scalars.reduce(Float(0)) { max($0, $1.magnitude) }
      offsets = [Float](repeating: 0, count: width)
      scales = [Float](repeating: largest > 0 && largest.isFinite ? 1 / largest : 1, count: width)
    case .fixedRange(let maximum):
      precondition(maximum > 0 && maximum.isFinite, "FeatureScaler: maximum \(maximum) must be positive and finite")
      offsets = [Float](repeating: 0, count: width)
      scales = [Float](repeating: 1 / maximum, count: width)
    case .standardize:
      (offsets, scales) = Self.meansAndInverseDeviations(features)
    }
  }

  /// A scaler with known statistics, such as one saved with a model.
  /// - Precondition: as many finite offsets as scales.
  public init(scaling: FeatureScaling, offsets: [Float], scales: [Float]) {
    precondition(offsets.count == scales.count, "FeatureScaler: \(offsets.count) offsets, \(scales.count) scales")
    precondition((offsets + scales).allSatisfy(\.isFinite), "FeatureScaler: statistics must be finite")
    self.scaling = scaling
    self.offsets = offsets
    self.scales = scales
  }

  /// Fits `scaling` to the features of `dataset` (the training set).
  public init(fitting scaling: FeatureScaling, to dataset: LabeledDataset) {
    self.init(fitting: scaling, to: dataset.features)
  }

  /// `features` (samples x features, as many features as fitted) rescaled.
  /// - Complexity: O(samples * features).
  public func apply(to features: Tensor) -> Tensor {
    precondition(
      features.rank == 2 && features.shape[1] == scales.count,
      "FeatureScaler: fitted for \(scales.count) features, got shape \(features.shape)")
    var out = features
    let width = scales.count
    for row in 0..<features.shape[0] {
      for j in 0..<width {
        out.scalars[row * width + j] = (features.scalars[row * width + j] - offsets[j]) * scales[j]
      }
    }
    return out
  }

  /// `dataset` with rescaled features; labels, name and image shape are kept.
  public func apply(to dataset: LabeledDataset) -> LabeledDataset {
    LabeledDataset(
      features: apply(to: dataset.features), labels: dataset.labels, classCount: dataset.classCount,
      name: dataset.name, imageShape: dataset.imageShape)
  }

  /// Per-feature means and reciprocal population standard deviations (1 for constant features),
  /// accumulated in Double with two passes.
  private static func meansAndInverseDeviations(_ features: Tensor) -> ([Float], [Float]) {
    let (rows, width) = (features.shape[0], features.shape[1])
    var sums = [Double](repeating: 0, count: width)
    for row in 0..<rows {
      for j in 0..<width { sums[j] += Double(features.scalars[row * width + j]) }
    }
    let means = sums.map { rows > 0 ? $0 / Double(rows) : 0 }
    var squares = [Double](repeating: 0, count: width)
    for row in 0..<rows {
      for j in 0..<width {
        let centred = Double(features.scalars[row * width + j]) - means[j]
        squares[j] += centred * centred
      }
    }
    // A deviation below float32 resolution of the mean is rounding noise: the feature is constant.
    let inverse = zip(squares, means).map { sum, mean -> Float in
      let deviation = rows > 0 ? (sum / Double(rows)).squareRoot() : 0
      return deviation > 1e-6 * max(1, mean.magnitude) ? Float(1 / deviation) : 1
    }
    return (means.map { Float($0) }, inverse)
  }
}
