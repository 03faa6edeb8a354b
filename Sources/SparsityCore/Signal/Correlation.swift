// Valid cross-correlation of a long signal with a bank of short filters, by overlap-save FFT
// blocks or directly, and the correlations of the filters with each other.

/// How `crossCorrelation` lays out c[k, t].
public enum CorrelationLayout: Sendable, Equatable {
  /// K x T: row k holds filter k at every shift.
  case filtersByShifts
  /// T x K: row t holds every filter at shift t, so that a window of shifts is contiguous.
  case shiftsByFilters
}

/// How `crossCorrelation` computes c[k, t] = sum_{i<L} x[t + i] h_k[i].
public enum CorrelationMethod: Sendable, Equatable {
  /// The sum as written, K (N - L + 1) L multiply-adds, over tiles of outputs that stay in cache.
  case direct
  /// Overlap-save: blocks of `blockSize` samples (a power of two >= L) overlapping by L - 1,
  /// each transformed once by a `RealFFT`, multiplied by the conjugate spectrum of every
  /// filter and transformed back; each block gives blockSize - L + 1 outputs.
  case overlapSave(blockSize: Int)

  /// The method of fewest estimated flops for a signal of length `signalLength` (N) and
  /// `filterCount` (K) filters of length `filterLength` (L): direct at 2 K T L flops
  /// (T = N - L + 1 outputs), or overlap-save at the power-of-two block size B >= 2L that
  /// minimizes ceil(T / (B - L + 1)) ((K + 1) 2.5 B log2 B + 3 K B) + K 2.5 B log2 B (a real
  /// transform of the block, per filter a spectrum product and an inverse transform, and the
  /// filter spectra once).
  /// - Complexity: O(log N).
  public static func cheapest(signalLength: Int, filterCount: Int, filterLength: Int) -> CorrelationMethod {
    let (n, k, l) = (Double(signalLength), Double(filterCount), Double(filterLength))
    let outputs = n - l + 1
    guard outputs > 0, k > 0 else { return .direct }
    var best = (cost: 2 * k * outputs * l, method: CorrelationMethod.direct)
    var blockSize = Swift.max(2, nextPowerOfTwo(Swift.min(2 * filterLength - 1, 1 << 40)))
    let largest = Swift.min(Swift.max(blockSize, 2 * nextPowerOfTwo(Swift.min(signalLength, 1 << 40))), 1 << 24)
    while blockSize <= largest {
      let b = Double(blockSize)
      let transform = 2.5 * b * Double(blockSize.trailingZeroBitCount)
      let blocks = (outputs / (b - l + 1)).rounded(.up)
      let cost = blocks * ((k + 1) * transform + 3 * k * b) + k * transform
      if cost < best.cost { best = (cost, .overlapSave(blockSize: blockSize)) }
      blockSize *= 2
    }
    return best.method
  }
}

/// The smallest power of two >= n (1 for n <= 1).
private func nextPowerOfTwo(_ n: Int) -> Int { n <= 1 ? 1 : 1 << (Int.bitWidth - (n - 1).leadingZeroBitCount) }

/// The valid cross-correlation of `signal` x (length N) with each row h_k of `filters`
/// (K x L): the K x (N - L + 1) matrix
///
///     c[k, t] = sum_{i<L} x[t + i] h_k[i],   t = 0 ... N - L,
///
/// (K x 0 when N < L), split over the cores by blocks of outputs.
/// - Parameters:
///   - signal: x, any length (tens of millions of samples are fine: only the output is that large).
///   - filters: K x L, L >= 1.
///   - method: how to compute; nil for `CorrelationMethod.cheapest`.
///   - layout: K x (N - L + 1) (`filtersByShifts`, the default) or its transpose.
/// - Returns: c, in `layout`.
/// - Complexity: overlap-save O(N K log B) for block size B (about 2L to 8L); direct O(N K L).
///   Accuracy of overlap-save: for each block of B samples x_b, the outputs c_b it gives satisfy
///   ||c_b' - c_b||_2 <= 2 ((sqrt(B) + 2 sqrt(L)) eps_B + 3 u sqrt(L)) ||x_b|| ||h_k|| to first
///   order, eps_B = `FFT.relativeErrorBound(stages: log2 B)` (errors of the two transforms
///   scaled by the largest spectrum entries |X_f| <= sqrt(B) ||x_b||, |H_f| <= sqrt(L) ||h_k||,
///   plus the rounding of the products; the factor 2 covers the half-spectrum bookkeeping).
/// Reference: A. V. Oppenheim and R. W. Schafer, "Discrete-Time Signal Processing", 3rd ed.,
/// section 8.7.3 (overlap-save).
public func crossCorrelation(
  _ signal: [Float], filters: Tensor, method: CorrelationMethod? = nil, layout: CorrelationLayout = .filtersByShifts
) -> Tensor {
  precondition(
    filters.rank == 2 && filters.columns >= 1,
    "crossCorrelation: filters must be K x L with L >= 1, shape \(filters.shape)")
  let (k, l, n) = (filters.rows, filters.columns, signal.count)
  let outputs = Swift.max(0, n - l + 1)
  let shiftMajor = layout == .shiftsByFilters
  let shape = shiftMajor ? [outputs, k] : [k, outputs]
  guard outputs > 0, k > 0 else { return Tensor(zeros: shape) }
  let chosen = method ?? .cheapest(signalLength: n, filterCount: k, filterLength: l)
  if case .overlapSave(let blockSize) = chosen {
    precondition(
      blockSize >= l && blockSize >= 2 && blockSize.nonzeroBitCount == 1,
      "crossCorrelation: block size \(blockSize) is not a power of two >= 2 and >= filter length \(l)")
  }
  // Every output is written once, so the memory is not zeroed first; huge pages, as a pursuit
  // then updates windows of it at random places.
  let scalars = HugePageArray.make(count: k * outputs) { (c: UnsafeMutableBufferPointer<Float>) in
    signal.withUnsafeBufferPointer { x in
      filters.scalars.withUnsafeBufferPointer { h in
        switch chosen {
        case .direct:
          correlateDirect(
            c.baseAddress!, x.baseAddress!, h.baseAddress!, signalLength: n, filters: k, length: l,
            shiftMajor: shiftMajor)
        case .overlapSave(let blockSize):
          OverlapSave(filters: h.baseAddress!, count: k, length: l, blockSize: blockSize)
            .correlate(c.baseAddress!, x.baseAddress!, signalLength: n, shiftMajor: shiftMajor)
        }
      }
    }
  }
  return Tensor(shape: shape, scalars: scalars)
}

/// Reference twin of `crossCorrelation`: the sum as written, accumulated in Double.
/// - Complexity: O(N K L).
public func crossCorrelationReference(_ signal: [Float], filters: Tensor) -> Tensor {
  precondition(filters.rank == 2 && filters.columns >= 1, "crossCorrelationReference: filters \(filters.shape)")
  let (k, l) = (filters.rows, filters.columns)
  let outputs = Swift.max(0, signal.count - l + 1)
  var out = Tensor(zeros: [k, outputs])
  for f in 0..<k {
    for t in 0..<outputs {
      var sum = 0.0
      for i in 0..<l { sum += Double(signal[t + i]) * Double(filters[f, i]) }
      out[f, t] = Float(sum)
    }
  }
  return out
}

/// c[k, t] for all k, over tiles of 1024 outputs split over the cores; each tile row is L
/// unit-stride multiply-adds of a shifted piece of x.
private func correlateDirect(
  _ c: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ h: UnsafePointer<Float>,
  signalLength n: Int, filters k: Int, length l: Int, shiftMajor: Bool
) {
  // c is (k, outputs) or (outputs, k), h is (k, l), x is (n)
  let outputs = n - l + 1
  let tile = 1024
  let tiles = (outputs + tile - 1) / tile
  Parallel.forEachChunk(of: tiles, minimumChunk: Swift.max(1, (1 << 16) / Swift.max(1, k * l))) { range in
    let rows = UnsafeMutablePointer<Float>.allocate(capacity: k * tile)
    defer { rows.deallocate() }
    for index in range {
      let start = index * tile
      let width = Swift.min(tile, outputs - start)
      for f in 0..<k {
        let row = rows + f * width
        row.update(repeating: 0, count: width)
        for i in 0..<l {
          let weight = h[f * l + i]
          let source = x + start + i
          for t in 0..<width { row[t] += weight * source[t] }
        }
      }
      store(rows, width: width, start: start, into: c, filters: k, outputs: outputs, shiftMajor: shiftMajor)
    }
  }
}

/// Writes outputs start ..< start + width of every filter, `rows` (K x width), into c (K x T, or
/// T x K when `shiftMajor`, by the tiled transpose: strided stores of single values cost more
/// than the transforms that made them, measured).
private func store(
  _ rows: UnsafePointer<Float>, width: Int, start: Int, into c: UnsafeMutablePointer<Float>, filters k: Int,
  outputs: Int, shiftMajor: Bool
) {
  if shiftMajor {
    transpose(c + start * k, rows, rows: k, columns: width)
  } else {
    for f in 0..<k { (c + f * outputs + start).update(from: rows + f * width, count: width) }
  }
}

/// The overlap-save plan of one call: the filter spectra, pre-scaled for the inverse.
private struct OverlapSave {
  let count: Int
  let length: Int
  let blockSize: Int
  let fft: RealFFT
  /// conj(H_k) as (real, imaginary), K x (B/2 + 1) each.
  var spectraReal: [Float]
  var spectraImaginary: [Float]

  init(filters h: UnsafePointer<Float>, count k: Int, length l: Int, blockSize b: Int) {
    (count, length, blockSize, fft) = (k, l, b, RealFFT(count: b))
    (spectraReal, spectraImaginary) = filterSpectra(h, count: k, length: l, fft: fft)
    for index in spectraImaginary.indices { spectraImaginary[index] = -spectraImaginary[index] }
  }

  /// c (K x outputs) from x (n samples), blocks split over the cores.
  func correlate(_ c: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, signalLength n: Int, shiftMajor: Bool) {
    let outputs = n - length + 1
    let step = blockSize - length + 1
    let blocks = (outputs + step - 1) / step
    spectraReal.withUnsafeBufferPointer { hr in
      spectraImaginary.withUnsafeBufferPointer { hi in
        Parallel.forEachChunk(of: blocks) { range in
          correlateBlocks(range, c, x, signalLength: n, hr.baseAddress!, hi.baseAddress!, shiftMajor: shiftMajor)
        }
      }
    }
  }

  /// Blocks `range`: the real transform of each block of x, then per filter the product with
  /// conj(H_k) and the inverse transform, whose first B - L + 1 values are outputs.
  private func correlateBlocks(
    _ range: Range<Int>, _ c: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, signalLength n: Int,
    _ hr: UnsafePointer<Float>, _ hi: UnsafePointer<Float>, shiftMajor: Bool
  ) {
    let (b, bins, outputs, step) = (blockSize, blockSize / 2 + 1, n - length + 1, blockSize - length + 1)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: b + 4 * bins + count * b)
    defer { scratch.deallocate() }
    let (block, xr, xi) = (scratch, scratch + b, scratch + b + bins)
    let (pr, pi, rows) = (scratch + b + 2 * bins, scratch + b + 3 * bins, scratch + b + 4 * bins)
    for index in range {
      let start = index * step
      let available = Swift.min(b, n - start)
      block.update(from: x + start, count: available)
      (block + available).update(repeating: 0, count: b - available)
      fft.forward(block, xr, xi)
      let width = Swift.min(step, outputs - start)
      for f in 0..<count {
        let (fr, fi) = (hr + f * bins, hi + f * bins)
        for q in 0..<bins {
          pr[q] = xr[q] * fr[q] - xi[q] * fi[q]
          pi[q] = xr[q] * fi[q] + xi[q] * fr[q]
        }
        // The inverse fills B values from row f on; rows f + 1 ... are written after it.
        fft.inverse(pr, pi, into: rows + f * width)
      }
      store(rows, width: width, start: start, into: c, filters: count, outputs: outputs, shiftMajor: shiftMajor)
    }
  }
}

/// The half spectra of K filters of length L (h is K x L) zero-padded to `fft.count`: real
/// and imaginary parts, K x (B/2 + 1) each. O(K B log B).
func filterSpectra(_ h: UnsafePointer<Float>, count k: Int, length l: Int, fft: RealFFT) -> (
  real: [Float], imaginary: [Float]
) {
  let bins = fft.binCount
  var (real, imaginary) = ([Float](repeating: 0, count: k * bins), [Float](repeating: 0, count: k * bins))
  var padded = [Float](repeating: 0, count: fft.count)
  for f in 0..<k {
    for i in 0..<l { padded[i] = h[f * l + i] }
    let spectrum = fft.forward(padded)
    for q in 0..<bins { (real[f * bins + q], imaginary[f * bins + q]) = (spectrum.real[q], spectrum.imaginary[q]) }
  }
  return (real, imaginary)
}
