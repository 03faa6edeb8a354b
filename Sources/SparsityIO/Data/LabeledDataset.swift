// Samples with class labels: the input of classifier training and evaluation.
import SparsityCore

/// A classification data set: features (samples x features) and one class index per sample.
///
/// Invariants, checked on creation: `features` is a matrix with one row per label, every label
/// is in `0..<classCount`, and for image data `imageShape.featureCount == featureCount`.
public struct LabeledDataset: Sendable, Equatable {
  /// The samples, samples x features.
  public private(set) var features: Tensor
  /// The class index of each sample, in `0..<classCount`.
  public private(set) var labels: [Int]
  /// The number of classes (possibly more than the labels present, e.g. in a small subset).
  public private(set) var classCount: Int
  /// A short name for reports, such as `digits` or `mnist`.
  public var name: String
  /// The channels and pixel grid when each sample is an image; nil for tabular data.
  public private(set) var imageShape: ImageShape?

  /// A data set; see the invariants above.
  public init(features: Tensor, labels: [Int], classCount: Int, name: String, imageShape: ImageShape? = nil) {
    precondition(features.rank == 2, "LabeledDataset: features must be samples x features, shape is \(features.shape)")
    precondition(
      features.shape[0] == labels.count, "LabeledDataset: \(features.shape[0]) samples but \(labels.count) labels")
    precondition(classCount > 0, "LabeledDataset: classCount \(classCount) must be positive")
    precondition(
      labels.allSatisfy { (0..<classCount).contains($0) }, "LabeledDataset: a label is outside 0..<\(classCount)")
    if let imageShape {
      precondition(
        imageShape.featureCount == features.shape[1],
        "LabeledDataset: image shape \(imageShape) for \(features.shape[1]) features")
    }
    self.features = features
    self.labels = labels
    self.classCount = classCount
    self.name = name
    self.imageShape = imageShape
  }

  /// Number of samples.
  public var sampleCount: Int { labels.count }
  /// Number of features per sample.
  public var featureCount: Int { features.shape[1] }

  /// How many samples each class has, indexed by class.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[label] += 1 }
    return counts
  }

  /// The samples at `indices`, in that order (repeats allowed).
  /// - Complexity: O(indices.count * featureCount).
  public func subset(_ indices: [Int]) -> LabeledDataset {
    var copy = self
    copy.features = features.gatherRows(indices)
    copy.labels = indices.map { labels[$0] }
    return copy
  }

  /// The samples in a random order drawn from `generator`.
  public func shuffled(using generator: inout Xoshiro256StarStar) -> LabeledDataset {
    subset(generator.permutation(sampleCount))
  }

  /// The samples in the random order that `seed` determines.
  public func shuffled(seed: UInt64) -> LabeledDataset {
    var generator = Xoshiro256StarStar(seed: seed)
    return shuffled(using: &generator)
  }

  /// A random train/test partition, the same for the same seed.
  ///
  /// The samples are put in the order of a seeded permutation. Without stratification the first
  /// `round(testFraction * sampleCount)` of them form the test set (at least one sample, and at
  /// least one left for training, when there are two or more samples). With stratification each
  /// class contributes `round(testFraction * classSize)` samples, so class proportions match in
  /// both parts. Both parts keep the permutation's order, so classes are interleaved.
  /// - Precondition: `0 < testFraction < 1`.
  /// - Complexity: O(sampleCount * featureCount).
  public func split(
    testFraction: Double, seed: UInt64, stratified: Bool = false
  ) -> (train: LabeledDataset, test: LabeledDataset) {
    precondition(
      testFraction > 0 && testFraction < 1, "LabeledDataset.split: testFraction \(testFraction) is outside (0, 1)")
    var generator = Xoshiro256StarStar(seed: seed)
    let order = generator.permutation(sampleCount)
    var quota: [Int]
    if stratified {
      quota = classCounts.map { Int((Double($0) * testFraction).rounded()) }
    } else {
      var total = Int((Double(sampleCount) * testFraction).rounded())
      if sampleCount >= 2 { total = min(max(total, 1), sampleCount - 1) }
      quota = [total]
    }
    var (trainIndices, testIndices) = ([Int](), [Int]())
    for index in order {
      let slot = stratified ? labels[index] : 0
      if quota[slot] > 0 {
        quota[slot] -= 1
        testIndices.append(index)
      } else {
        trainIndices.append(index)
      }
    }
    return (subset(trainIndices), subset(testIndices))
  }
}
