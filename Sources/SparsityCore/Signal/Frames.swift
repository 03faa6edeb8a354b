// Cutting a signal into overlapping windowed frames, and overlap-adding frames back into a signal.

/// How a signal is cut into frames: `length` samples every `hop` samples, each multiplied by an
/// analysis window; overlap-add multiplies by the same window again (synthesis) and divides by
/// the sum of the squared windows that cover each sample, so framing followed by overlap-add
/// returns the signal exactly (up to rounding) for any window that is nonzero somewhere in every
/// frame position and any hop up to `length`.
///
/// The signal is padded with `length - hop` zeros in front and enough zeros at the end that every
/// sample lies in `length / hop` frames (for a hop that divides the length), so the first and last
/// samples get the same window sum as the middle ones. With the periodic sqrt-Hann window and
/// hop = length / 2 the squared windows already sum to exactly 1 (Princen-Bradley condition), and
/// the frames' coefficients in any orthonormal basis carry the signal's energy unchanged.
///
/// Convention: frames are rows, a frames x `length` tensor, as every sample matrix in Sparsity.
public struct FrameLayout: Equatable, Sendable {
  /// Samples per frame.
  public let length: Int
  /// Samples between the starts of consecutive frames.
  public let hop: Int
  /// The analysis (and synthesis) window, `length` values.
  public let window: [Float]

  /// A layout of `length`-sample frames every `hop` samples with `window` (`length` values).
  /// - Precondition: 1 <= hop <= length, window.count == length, some window value nonzero.
  public init(length: Int, hop: Int, window: [Float]) {
    precondition(length >= 1 && (1...length).contains(hop), "FrameLayout: hop \(hop) not in 1...\(length)")
    precondition(window.count == length, "FrameLayout: window has \(window.count) values, not \(length)")
    precondition(window.contains { $0 != 0 }, "FrameLayout: the window is all zeros")
    self.length = length
    self.hop = hop
    self.window = window
  }

  /// The zeros padded in front of the signal: `length - hop`.
  public var leadingPadding: Int { length - hop }

  /// The number of frames that cover a signal of `samples` samples with the padding in front:
  /// the smallest count whose last frame ends at or after sample `samples - 1` plus `length - hop`
  /// trailing samples, so every signal sample is covered by as many frames as one in the middle.
  /// Nil when the count overflows.
  public func frameCount(samples: Int) -> Int? {
    guard samples > 0 else { return 0 }
    let (padded, overflow) = samples.addingReportingOverflow(2 * leadingPadding)
    guard !overflow else { return nil }
    return Swift.max(1, (padded - length + hop - 1) / hop + 1)
  }

  /// The first signal sample of frame `index` (negative for the frames that start in the padding).
  public func start(ofFrame index: Int) -> Int { index * hop - leadingPadding }
}

/// Framing and overlap-add under a `FrameLayout`.
public enum Frames {
  /// The frames of `signal` as rows of a frames x `layout.length` tensor, each multiplied by the
  /// window: row f holds w[i] * x[f * hop - (length - hop) + i], with x zero outside the signal.
  /// - Precondition: the frame count does not overflow (`layout.frameCount(samples:)`).
  /// - Complexity: O(frames x length).
  public static func split(_ signal: [Float], layout: FrameLayout) -> Tensor {
    guard let count = layout.frameCount(samples: signal.count) else {
      preconditionFailure("Frames.split: \(signal.count) samples overflow the frame count")
    }
    return split(signal, layout: layout, frames: Array(0..<count))
  }

  /// Only the frames numbered `indices` of `signal` (as `split(_:layout:)` numbers them), as rows.
  /// - Complexity: O(indices.count x length).
  public static func split(_ signal: [Float], layout: FrameLayout, frames indices: [Int]) -> Tensor {
    let n = layout.length
    var out = [Float](repeating: 0, count: indices.count * n)
    signal.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { o in
        for (row, frame) in indices.enumerated() {
          let start = layout.start(ofFrame: frame)
          let first = Swift.max(0, -start)
          let last = Swift.min(n, x.count - start)
          guard first < last else { continue }
          for i in first..<last { o[row * n + i] = layout.window[i] * x[start + i] }
        }
      }
    }
    return Tensor(shape: [indices.count, n], scalars: out)
  }

  /// The signal of `samples` samples whose frames numbered `indices` are the rows of `frames`:
  /// each row multiplied by the window and added at its place, then each sample divided by the
  /// sum of the squared windows of all frames that cover it (`split` uses every frame; frames
  /// not in `indices`, such as skipped silence, count as zero frames).
  /// - Precondition: `frames` is indices.count x length.
  /// - Complexity: O(frames x length + samples).
  public static func overlapAdd(_ frames: Tensor, layout: FrameLayout, frames indices: [Int], samples: Int) -> [Float] {
    let n = layout.length
    precondition(frames.rank == 2 && frames.rows == indices.count && frames.columns == n, "Frames.overlapAdd: shape")
    var sum = [Float](repeating: 0, count: samples)
    frames.scalars.withUnsafeBufferPointer { f in
      sum.withUnsafeMutableBufferPointer { y in
        for (row, frame) in indices.enumerated() {
          let start = layout.start(ofFrame: frame)
          let first = Swift.max(0, -start)
          let last = Swift.min(n, samples - start)
          guard first < last else { continue }
          for i in first..<last { y[start + i] += layout.window[i] * f[row * n + i] }
        }
      }
    }
    let norm = squaredWindowSum(layout: layout, samples: samples)
    for t in 0..<samples { sum[t] = norm[t] > 0 ? sum[t] / norm[t] : 0 }
    return sum
  }

  /// The overlap-add of all frames of a signal of `samples` samples (`split(_:layout:)`'s rows).
  public static func overlapAdd(_ frames: Tensor, layout: FrameLayout, samples: Int) -> [Float] {
    overlapAdd(frames, layout: layout, frames: Array(0..<frames.rows), samples: samples)
  }

  /// For each of `samples` samples, the sum of w[i]^2 over the frames of `split` that cover it.
  static func squaredWindowSum(layout: FrameLayout, samples: Int) -> [Float] {
    var norm = [Double](repeating: 0, count: samples)
    let count = layout.frameCount(samples: samples) ?? 0
    for frame in 0..<count {
      let start = layout.start(ofFrame: frame)
      for i in Swift.max(0, -start)..<Swift.max(Swift.max(0, -start), Swift.min(layout.length, samples - start)) {
        norm[start + i] += Double(layout.window[i]) * Double(layout.window[i])
      }
    }
    return norm.map { Float($0) }
  }
}
