// Streaming counts for one layer's activations, batch by batch, in bounded memory.

import SparsityCore

/// Accumulates everything `ActivationAnalysis` reports from batches of one layer's output.
///
/// Memory is O(units * (classes + topInputs) + units) whatever the number of inputs: counts in
/// integers, sums in Double, one bounded heap per unit. The value histogram needs the range of
/// the active values first, so it is filled by a second pass (`addToHistogram`).
struct ActivationAccumulator {
  let units: Int
  let classes: Int
  let epsilon: Float
  private(set) var samples = 0
  private var zeros = 0
  private var nearZeros = 0
  private var firing: [Int]
  private var sums: [Double]
  /// Sums of max(a, 0) per class: `classSums[c * units + j]`.
  private var classSums: [Double]
  private var classCounts: [Int]
  private var activeCounts: CountDistribution
  private var top: [TopActivations]
  /// Smallest and largest active value seen (the histogram's range).
  private(set) var activeRange: (low: Float, high: Float) = (.infinity, -.infinity)
  private var histogram: ValueHistogram?

  init(units: Int, classes: Int, epsilon: Float, topInputs: Int) {
    precondition(epsilon >= 0, "ActivationAccumulator: epsilon must be >= 0, got \(epsilon)")
    self.units = units
    self.classes = classes
    self.epsilon = epsilon
    firing = [Int](repeating: 0, count: units)
    sums = [Double](repeating: 0, count: units)
    classSums = [Double](repeating: 0, count: units * classes)
    classCounts = [Int](repeating: 0, count: classes)
    activeCounts = CountDistribution(maximumCount: units)
    top = [TopActivations](repeating: TopActivations(capacity: topInputs), count: units)
  }

  /// Adds a batch (batch x units) whose first row is input `firstInput`; `labels` holds the
  /// batch's classes (in 0..<classes) or is nil for unlabeled data.
  mutating func add(_ batch: Tensor, firstInput: Int, labels: ArraySlice<Int>?) {
    precondition(batch.columns == units, "ActivationAccumulator: batch \(batch.shape), expected \(units) units")
    precondition(labels == nil || labels!.count == batch.rows, "ActivationAccumulator: labels and rows differ")
    let keepsTop = top.first.map { $0.capacity > 0 } ?? false
    batch.scalars.withUnsafeBufferPointer { values in
      for row in 0..<batch.rows {
        let label = labels.map { $0[$0.startIndex + row] }
        if let label { classCounts[label] += 1 }
        let active = addRow(values, offset: row * units, label: label)
        activeCounts.record(active)
        if keepsTop {
          for j in 0..<units where Swift.abs(values[row * units + j]) > epsilon {
            top[j].offer(values[row * units + j], input: firstInput + row)
          }
        }
      }
    }
    samples += batch.rows
  }

  /// Counts one row; returns its number of active units.
  private mutating func addRow(_ values: UnsafeBufferPointer<Float>, offset: Int, label: Int?) -> Int {
    var active = 0
    let classOffset = (label ?? 0) * units
    for j in 0..<units {
      let a = values[offset + j]
      if a == 0 { zeros += 1 }
      if Swift.abs(a) <= epsilon {
        nearZeros += 1
      } else {
        active += 1
        firing[j] += 1
        activeRange = (Swift.min(activeRange.low, a), Swift.max(activeRange.high, a))
      }
      sums[j] += Double(a)
      if label != nil && a > 0 { classSums[classOffset + j] += Double(a) }
    }
    return active
  }

  /// Second pass: counts the active values of a batch in the value histogram, whose range is
  /// `activeRange` from the first pass.
  mutating func addToHistogram(_ batch: Tensor, bins: Int) {
    if histogram == nil { histogram = Self.emptyHistogram(range: activeRange, bins: bins) }
    for a in batch.scalars where Swift.abs(a) > epsilon { histogram!.add(Double(a)) }
  }

  private static func emptyHistogram(range: (low: Float, high: Float), bins: Int) -> ValueHistogram {
    guard range.low <= range.high, range.low.isFinite, range.high.isFinite else {
      return ValueHistogram(scale: .linear, lowerBound: 0, upperBound: 1, bins: bins)
    }
    return ValueHistogram(scale: .linear, lowerBound: Double(range.low), upperBound: Double(range.high), bins: bins)
  }

  /// The analysis of everything added; `labeled` says whether labels were given.
  func result(layerIndex: Int?, name: String, labeled: Bool, bins: Int) -> ActivationAnalysis {
    let n = Double(Swift.max(samples, 1))
    let cells = Double(Swift.max(samples * units, 1))
    let rates = firing.map { samples == 0 ? 0 : Double($0) / n }
    let classMeans: [[Double?]] =
      labeled
      ? (0..<units).map { j in
        (0..<classes).map { c in classCounts[c] == 0 ? nil : classSums[c * units + j] / Double(classCounts[c]) }
      }
      : []
    return ActivationAnalysis(
      layerIndex: layerIndex, name: name, units: units, samples: samples, epsilon: epsilon,
      zeroFraction: Double(zeros) / cells, nearZeroFraction: Double(nearZeros) / cells,
      activeUnitsPerInput: activeCounts, firingRates: rates, meanActivations: sums.map { $0 / n },
      deadUnits: samples == 0 ? [] : firing.indices.filter { firing[$0] == 0 },
      alwaysOnUnits: samples == 0 ? [] : firing.indices.filter { firing[$0] == samples },
      classMeans: classMeans, selectivity: classMeans.map(ClassSelectivity.init(classMeans:)),
      topInputs: top.map(\.sorted),
      valueHistogram: histogram ?? Self.emptyHistogram(range: activeRange, bins: bins))
  }
}
