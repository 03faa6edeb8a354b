// How well a sparse autoencoder reconstructs rows and how sparse and alive its code is.
import Foundation
import SparsityCore

/// A set of rows that can be read in any range: held-out activations, a data set on disk.
public protocol SAERowSet {
  /// Rows in the set.
  var rowCount: Int { get }
  /// Values per row.
  var columns: Int { get }
  /// Writes rows `rows` (row-major) to `buffer`.
  func read(rows: Range<Int>, into buffer: UnsafeMutablePointer<Float>) throws
}

extension SAERowSet {
  /// Reads every row once, `batchRows` at a time, so a fault in them (a non-finite value, a
  /// short file) is found before a run that would read them only later.
  /// - Throws: whatever reading the set throws.
  public func checkRows(batchRows: Int = 4096) throws {
    let batch = Swift.max(1, Swift.min(batchRows, rowCount))
    var buffer = [Float](repeating: 0, count: batch * Swift.max(1, columns))
    var start = 0
    while start < rowCount {
      let count = Swift.min(batch, rowCount - start)
      try buffer.withUnsafeMutableBufferPointer { try read(rows: start..<(start + count), into: $0.baseAddress!) }
      start += count
    }
  }
}

extension Tensor: SAERowSet {
  /// Rows of a matrix.
  public var rowCount: Int { rows }
  /// Reads rows of a matrix.
  public func read(rows range: Range<Int>, into buffer: UnsafeMutablePointer<Float>) {
    let width = columns
    scalars.withUnsafeBufferPointer { x in
      buffer.update(from: x.baseAddress! + range.lowerBound * width, count: range.count * width)
    }
  }
}

/// Reconstruction and sparsity of an autoencoder on a set of rows.
///
///     FVU = Σ_i ||x_i − x̂_i||² / Σ_i ||x_i − x̄||²     (x̄ the mean row of the set)
///
/// with L0 the mean active latents per row, and each latent's firing count, from which the
/// dead fraction (latents that never fire on these rows) and the density histogram follow.
public struct SAEEvaluation: Equatable, Sendable {
  /// Rows evaluated.
  public var rows: Int
  /// Fraction of variance unexplained; NaN when the rows do not vary (every row the same, or
  /// one row), where it is undefined.
  public var fvu: Double
  /// Mean squared error per row, Σ ||x − x̂||² / rows.
  public var meanSquaredError: Double
  /// Mean active latents per row.
  public var l0: Double
  /// Rows on which each latent fired.
  public var firingCounts: [Int]

  /// The FVU to four decimals, or why it is undefined (`nan` when the reconstruction is not
  /// finite).
  public var fvuText: String {
    fvu.isNaN && meanSquaredError.isFinite ? Self.undefinedFVU : String(format: "%.4f", fvu)
  }

  /// What an FVU over rows that do not vary is printed as.
  public static let undefinedFVU = "undefined (the rows do not vary)"

  /// The fraction of latents that fired on no row.
  public var deadFraction: Double {
    firingCounts.isEmpty ? 0 : Double(firingCounts.filter { $0 == 0 }.count) / Double(firingCounts.count)
  }

  /// Firing frequency of each latent, count / rows.
  public var frequencies: [Double] { firingCounts.map { rows > 0 ? Double($0) / Double(rows) : 0 } }

  /// Evaluates `autoencoder` on every row of `set`, `batchRows` at a time.
  /// - Throws: whatever reading the set throws.
  /// - Complexity: one encoding and decoding of every row.
  public static func evaluate(_ autoencoder: SparseAutoencoder, on set: some SAERowSet, batchRows: Int = 1024) throws
    -> SAEEvaluation
  {
    precondition(
      set.columns == autoencoder.inputs, "SAEEvaluation: rows of \(set.columns), autoencoder of \(autoencoder.inputs)")
    let (d, total) = (autoencoder.inputs, set.rowCount)
    let batch = Swift.max(1, Swift.min(batchRows, total))
    var x = [Float](repeating: 0, count: batch * d)
    var out = x
    var codes = SparseCodes(columns: autoencoder.latents)
    var workspace = [Float]()
    let bias = autoencoder.foldedEncoderBias
    var (squaredError, squares, nonzeros) = (0.0, 0.0, 0)
    var sums = [Double](repeating: 0, count: d)
    var counts = [Int](repeating: 0, count: autoencoder.latents)
    var start = 0
    while start < total {
      let count = Swift.min(batch, total - start)
      try x.withUnsafeMutableBufferPointer { try set.read(rows: start..<(start + count), into: $0.baseAddress!) }
      x.withUnsafeBufferPointer { xs in
        autoencoder.encode(xs.baseAddress!, count: count, into: &codes, workspace: &workspace, bias: bias)
        out.withUnsafeMutableBufferPointer { autoencoder.decode(codes, into: $0.baseAddress!) }
        for e in 0..<(count * d) {
          let (value, error) = (Double(xs[e]), Double(out[e] - xs[e]))
          squaredError += error * error
          squares += value * value
          sums[e % d] += value
        }
      }
      nonzeros += codes.nonzeroCount
      for q in 0..<codes.nonzeroCount { counts[Int(codes.indices[q])] += 1 }
      start += count
    }
    let variance = squares - sums.reduce(0) { $0 + $1 * $1 } / Double(Swift.max(1, total))
    return SAEEvaluation(
      rows: total, fvu: variance > 0 ? squaredError / variance : .nan,
      meanSquaredError: squaredError / Double(Swift.max(1, total)), l0: Double(nonzeros) / Double(Swift.max(1, total)),
      firingCounts: counts)
  }

  /// The latent density histogram: how many latents fire with log10 frequency in each bin of
  /// width `binWidth` from `lowest` to 0, plus the latents that never fire, counted apart.
  public func densityHistogram(lowest: Double = -8, binWidth: Double = 0.5) -> (
    bins: [Int], lowerEdges: [Double], neverFiring: Int
  ) {
    let binCount = Int((-lowest / binWidth).rounded(.up))
    var bins = [Int](repeating: 0, count: binCount)
    var never = 0
    for frequency in frequencies {
      guard frequency > 0 else {
        never += 1
        continue
      }
      let position = Int(((log10(frequency) - lowest) / binWidth).rounded(.down))
      bins[Swift.min(binCount - 1, Swift.max(0, position))] += 1
    }
    return (bins, (0..<binCount).map { lowest + Double($0) * binWidth }, never)
  }
}
