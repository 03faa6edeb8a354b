// Streaming per-channel counts for one image-shaped layer's activations, batch by batch.

import SparsityCore

/// Accumulates everything `ChannelAnalysis` reports from batches of one layer's output.
///
/// Each batch is reduced per input and channel to the channel's zero count, active-pixel count,
/// spatial mean and largest value in one pass. The spatial means (batch x channels) then go
/// through the Core kernel `ActivationTally` as if each channel were a unit, which gives the
/// sums and per-class sums of max(mean, 0) behind `meanActivations` and the selectivity; the
/// ranking value goes to one bounded `TopActivations` heap per channel.
///
/// Memory is O(channels * (classes + topInputs)) whatever the number of inputs.
struct ChannelAccumulator {
  let shape: ImageShape
  let classes: Int
  let epsilon: Float
  let ranking: ChannelAnalysis.Ranking
  private(set) var samples = 0
  /// The spatial means tallied with one unit per channel (only sums and class sums are read).
  private var means: ActivationTally
  private var zeros: [Int]
  private var activePixels: [Int]
  /// Per channel, the inputs on which it is active on at least one pixel.
  private var firing: [Int]
  private var classCounts: [Int]
  private var top: [TopActivations]

  init(shape: ImageShape, classes: Int, epsilon: Float, ranking: ChannelAnalysis.Ranking, topInputs: Int) {
    precondition(epsilon >= 0, "ChannelAccumulator: epsilon must be >= 0, got \(epsilon)")
    self.shape = shape
    self.classes = classes
    self.epsilon = epsilon
    self.ranking = ranking
    means = ActivationTally(units: shape.channels, classes: classes, epsilon: epsilon)
    zeros = [Int](repeating: 0, count: shape.channels)
    activePixels = zeros
    firing = zeros
    classCounts = [Int](repeating: 0, count: classes)
    top = [TopActivations](repeating: TopActivations(capacity: topInputs), count: shape.channels)
  }

  /// Adds a batch (batch x channels * rows * columns, NCHW rows) whose first row is input
  /// `firstInput`; `labels` holds the batch's classes (in 0..<classes) or is nil.
  /// - Complexity: O(batch * features + batch * channels * log topInputs).
  mutating func add(_ batch: Tensor, firstInput: Int, labels: ArraySlice<Int>?) {
    precondition(
      batch.columns == shape.featureCount, "ChannelAccumulator: batch \(batch.shape), expected \(shape) images")
    precondition(labels == nil || labels!.count == batch.rows, "ChannelAccumulator: labels and rows differ")
    let (channels, pixels) = (shape.channels, shape.pixelCount)
    var spatialMeans = [Float](repeating: 0, count: batch.rows * channels)
    batch.scalars.withUnsafeBufferPointer { values in
      for row in 0..<batch.rows {
        let label = labels.map { $0[$0.startIndex + row] }
        if let label { classCounts[label] += 1 }
        for k in 0..<channels {
          let plane = reduce(values, offset: (row * channels + k) * pixels, count: pixels)
          zeros[k] += plane.zeros
          activePixels[k] += plane.active
          spatialMeans[row * channels + k] = plane.mean
          guard plane.active > 0 else { continue }
          firing[k] += 1
          top[k].offer(ranking == .maximum ? plane.maximum : plane.mean, input: firstInput + row, label: label)
        }
      }
    }
    _ = means.add(Tensor(shape: [batch.rows, channels], scalars: spatialMeans), labels: labels)
    samples += batch.rows
  }

  /// One channel plane's zeros, active values (|a| > epsilon; NaN counts as active, as in
  /// `ActivationTally`), mean (summed in Double) and largest value.
  private func reduce(_ values: UnsafeBufferPointer<Float>, offset: Int, count: Int) -> (
    zeros: Int, active: Int, mean: Float, maximum: Float
  ) {
    var (zeroCount, active, sum, largest) = (0, 0, 0.0, -Float.infinity)
    for p in offset..<(offset + count) {
      let a = values[p]
      if a == 0 { zeroCount += 1 }
      if !(Swift.abs(a) <= epsilon) { active += 1 }
      sum += Double(a)
      largest = Swift.max(largest, a)
    }
    return (zeroCount, active, Float(sum / Double(Swift.max(count, 1))), largest)
  }

  /// The analysis of everything added; `labeled` says whether labels were given.
  func result(layerIndex: Int, name: String, labeled: Bool) -> ChannelAnalysis {
    let channels = shape.channels
    let n = Double(Swift.max(samples, 1))
    let values = Double(Swift.max(samples * shape.pixelCount, 1))
    let classSums = means.classSums
    let classMeans: [[Double?]] =
      labeled
      ? (0..<channels).map { k in
        (0..<classes).map { c in classCounts[c] == 0 ? nil : classSums[c * channels + k] / Double(classCounts[c]) }
      }
      : []
    return ChannelAnalysis(
      layerIndex: layerIndex, name: name, shape: shape, samples: samples, epsilon: epsilon, ranking: ranking,
      zeroFractions: zeros.map { Double($0) / values }, activePixelFractions: activePixels.map { Double($0) / values },
      firingRates: firing.map { samples == 0 ? 0 : Double($0) / n }, meanActivations: means.sums.map { $0 / n },
      deadChannels: samples == 0 ? [] : firing.indices.filter { firing[$0] == 0 },
      alwaysOnChannels: samples == 0 ? [] : firing.indices.filter { firing[$0] == samples },
      classMeans: classMeans, selectivity: classMeans.map(ClassSelectivity.init(classMeans:)),
      topInputs: top.map(\.sorted))
  }
}
