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
  /// Zeros, near-zeros, firing counts, sums and class sums (the Core kernel `ActivationTally`).
  private var tally: ActivationTally
  private var classCounts: [Int]
  private var activeCounts: CountDistribution
  private var top: [TopActivations]
  private var histogram: ValueHistogram?

  /// Smallest and largest active value seen (the histogram's range).
  var activeRange: (low: Float, high: Float) { tally.activeRange }

  init(units: Int, classes: Int, epsilon: Float, topInputs: Int) {
    precondition(epsilon >= 0, "ActivationAccumulator: epsilon must be >= 0, got \(epsilon)")
    self.units = units
    self.classes = classes
    self.epsilon = epsilon
    tally = ActivationTally(units: units, classes: classes, epsilon: epsilon)
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
    let activePerRow = tally.add(batch, labels: labels)
    let values = batch.scalars
    for row in 0..<batch.rows {
      let label = labels.map { $0[$0.startIndex + row] }
      if let label { classCounts[label] += 1 }
      activeCounts.record(activePerRow[row])
      if keepsTop {
        for j in 0..<units where Swift.abs(values[row * units + j]) > epsilon {
          top[j].offer(values[row * units + j], input: firstInput + row, label: label)
        }
      }
    }
    samples += batch.rows
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
    let (firing, classSums) = (tally.firing, tally.classSums)
    let rates = firing.map { samples == 0 ? 0 : Double($0) / n }
    let classMeans: [[Double?]] =
      labeled
      ? (0..<units).map { j in
        (0..<classes).map { c in classCounts[c] == 0 ? nil : classSums[c * units + j] / Double(classCounts[c]) }
      }
      : []
    return ActivationAnalysis(
      layerIndex: layerIndex, name: name, units: units, samples: samples, epsilon: epsilon,
      zeroFraction: Double(tally.zeros) / cells, nearZeroFraction: Double(tally.nearZeros) / cells,
      activeUnitsPerInput: activeCounts, firingRates: rates, meanActivations: tally.sums.map { $0 / n },
      deadUnits: samples == 0 ? [] : firing.indices.filter { firing[$0] == 0 },
      alwaysOnUnits: samples == 0 ? [] : firing.indices.filter { firing[$0] == samples },
      classMeans: classMeans, selectivity: classMeans.map(ClassSelectivity.init(classMeans:)),
      topInputs: top.map(\.sorted),
      valueHistogram: histogram ?? Self.emptyHistogram(range: activeRange, bins: bins))
  }
}
