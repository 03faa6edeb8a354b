// What each latent of a sparse autoencoder does on a set of rows, from one streamed pass.
import SparsityCore

/// Per-latent statistics of an autoencoder's code on a set of rows: how often each latent fires,
/// how strongly, the distribution of its activations, and the rows it fires on most.
///
/// For latent j over rows i with code z_ij: firing count #{i : z_ij ≠ 0}, frequency count / rows,
/// mean activation Σ z_ij / count (over the rows where it fires), maximum activation, a
/// `histogramBins`-bin histogram from 0 to a power of two within 2x of the maximum
/// (`LatentHistogram`), and the `top` rows with the largest z_ij (ties: the earlier row).
/// The top rows are what interpretability dashboards show (Bricken et al. 2023, "Towards
/// Monosemanticity"; Neuronpedia).
public struct LatentStatistics: Equatable, Sendable {
  /// Bins of each latent's activation histogram.
  public static let histogramBins = 20

  /// Rows the statistics are over.
  public var rows: Int
  /// Rows on which each latent fired.
  public var firingCounts: [Int]
  /// Mean activation of each latent over the rows where it fired (0 for a dead latent).
  public var meanActivations: [Double]
  /// Largest activation of each latent (0 for a dead latent).
  public var maxActivations: [Float]
  /// Each latent's activation histogram.
  public var histograms: [LatentHistogram]
  /// Each latent's top rows, highest activation first (at most `top` of them).
  public var topRows: [[LatentActivation]]
  /// Active latents over all rows.
  public var nonzeroCount: Int

  /// Latents.
  public var latents: Int { firingCounts.count }
  /// Firing frequency of each latent, count / rows.
  public var frequencies: [Double] { firingCounts.map { rows > 0 ? Double($0) / Double(rows) : 0 } }
  /// Mean active latents per row (L0).
  public var l0: Double { rows > 0 ? Double(nonzeroCount) / Double(rows) : 0 }
  /// The fraction of latents that fired on no row.
  public var deadFraction: Double {
    latents == 0 ? 0 : Double(firingCounts.filter { $0 == 0 }.count) / Double(latents)
  }

  /// The latents by firing frequency, most frequent first (ties: lower index), dead ones last.
  public var latentsByFrequency: [Int] {
    firingCounts.indices.sorted {
      firingCounts[$0] > firingCounts[$1] || (firingCounts[$0] == firingCounts[$1] && $0 < $1)
    }
  }

  /// The memory the per-latent state of `compute` takes: heaps of `top` rows (16 bytes each),
  /// histograms, counts and sums.
  public static func memoryEstimate(latents: Int, top: Int) -> MemoryEstimate {
    MemoryEstimate.elements([latents, 2 * top + histogramBins + 4], bytes: 8)
  }

  /// Encodes every row of `set` with `autoencoder`, `batchRows` at a time, and gathers the
  /// statistics in the same pass.
  /// - Parameters:
  ///   - autoencoder: the autoencoder whose latents are described.
  ///   - set: the rows, read in order.
  ///   - top: rows kept per latent (bounded min-heaps: memory latents x top).
  ///   - batchRows: rows encoded at a time.
  /// - Throws: `MemoryBudgetError` when the per-latent state does not fit (checked before
  ///   allocating), and whatever reading the set throws.
  /// - Complexity: one encoding of every row, plus O(nonzeros x log top).
  public static func compute(
    _ autoencoder: SparseAutoencoder, on set: some SAERowSet, top: Int = 10, batchRows: Int = 1024
  ) throws -> LatentStatistics {
    precondition(
      set.columns == autoencoder.inputs,
      "LatentStatistics: rows of \(set.columns), autoencoder of \(autoencoder.inputs)")
    precondition(top >= 0, "LatentStatistics: top \(top) must be non-negative")
    let latents = autoencoder.latents
    try MemoryBudget.check(memoryEstimate(latents: latents, top: top), for: "the top \(top) rows of \(latents) latents")
    var heaps = LatentTopRows(latents: latents, capacity: top)
    var histograms = LatentHistograms(latents: latents, bins: histogramBins)
    var (counts, sums) = ([Int](repeating: 0, count: latents), [Double](repeating: 0, count: latents))
    var maxima = [Float](repeating: 0, count: latents)
    let total = set.rowCount
    let batch = Swift.max(1, Swift.min(batchRows, total))
    var x = [Float](repeating: 0, count: batch * autoencoder.inputs)
    var codes = SparseCodes(columns: latents)
    var workspace = [Float]()
    let bias = autoencoder.foldedEncoderBias
    var (start, nonzeros) = (0, 0)
    while start < total {
      let count = Swift.min(batch, total - start)
      try x.withUnsafeMutableBufferPointer { try set.read(rows: start..<(start + count), into: $0.baseAddress!) }
      x.withUnsafeBufferPointer { xs in
        autoencoder.encode(xs.baseAddress!, count: count, into: &codes, workspace: &workspace, bias: bias)
      }
      for row in 0..<count {
        for q in codes.offsets[row]..<codes.offsets[row + 1] {
          let (latent, value) = (Int(codes.indices[q]), codes.values[q])
          counts[latent] += 1
          sums[latent] += Double(value)
          maxima[latent] = Swift.max(maxima[latent], value)
          histograms.add(latent: latent, activation: value)
          heaps.offer(latent: latent, row: start + row, activation: value)
        }
      }
      nonzeros += codes.nonzeroCount
      start += count
    }
    return LatentStatistics(
      rows: total, firingCounts: counts,
      meanActivations: (0..<latents).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 },
      maxActivations: maxima, histograms: (0..<latents).map(histograms.histogram),
      topRows: (0..<latents).map(heaps.sorted),
      nonzeroCount: nonzeros)
  }

  /// The rows that are some latent's top row, ascending.
  public var allTopRows: [Int] { Set(topRows.joined().map(\.row)).sorted() }
}
