// The complex coefficients of a short-time Fourier transform, their magnitudes, and the
// selection of the largest ones.

/// Which complex coefficients `ComplexSpectrogram.keepingLargest` keeps.
public enum CoefficientSelection: Sendable, Equatable {
  /// The `count` largest magnitudes of each frame.
  case perFrame(Int)
  /// The `count` largest magnitudes over the whole spectrogram.
  case total(Int)
}

/// Complex short-time Fourier coefficients, frames x bins, as two tensors of the same shape.
public struct ComplexSpectrogram: Sendable, Equatable {
  /// Real parts, frames x bins.
  public var real: Tensor
  /// Imaginary parts, frames x bins.
  public var imaginary: Tensor

  /// Coefficients from their real and imaginary parts (two frames x bins tensors).
  public init(real: Tensor, imaginary: Tensor) {
    precondition(
      real.rank == 2 && real.shape == imaginary.shape,
      "ComplexSpectrogram: real \(real.shape) and imaginary \(imaginary.shape) must be frames x bins")
    self.real = real
    self.imaginary = imaginary
  }

  /// The number of frames.
  public var frames: Int { real.rows }
  /// The number of bins per frame.
  public var bins: Int { real.columns }

  /// |X[f, q]|, frames x bins.
  /// - Complexity: O(frames bins).
  public var magnitudes: Tensor {
    Tensor(shape: real.shape, scalars: zip(real.scalars, imaginary.scalars).map { ($0 * $0 + $1 * $1).squareRoot() })
  }

  /// The number of coefficients that are not zero.
  public var nonzeroCount: Int {
    zip(real.scalars, imaginary.scalars).reduce(0) { $0 + ($1.0 != 0 || $1.1 != 0 ? 1 : 0) }
  }

  /// A copy that keeps the largest-magnitude coefficients `selection` names and sets the others
  /// to zero. Ties are broken by position (earlier frame, then lower bin, kept first), so the
  /// number kept is exactly min(count, available).
  /// - Complexity: O(frames bins log(frames bins)) for `.total` (a sort of the magnitudes),
  ///   O(frames bins log bins) for `.perFrame`.
  public func keepingLargest(_ selection: CoefficientSelection) -> ComplexSpectrogram {
    let squares = zip(real.scalars, imaginary.scalars).map { $0 * $0 + $1 * $1 }
    var keep = [Bool](repeating: false, count: squares.count)
    switch selection {
    case .perFrame(let count):
      for f in 0..<frames { Self.markLargest(squares, (f * bins)..<((f + 1) * bins), count: count, in: &keep) }
    case .total(let count):
      Self.markLargest(squares, 0..<squares.count, count: count, in: &keep)
    }
    var copy = self
    for index in keep.indices where !keep[index] {
      copy.real.scalars[index] = 0
      copy.imaginary.scalars[index] = 0
    }
    return copy
  }

  /// Marks the `count` largest of values[range]: all above the count-th largest value v, then
  /// the first of those equal to v, in index order, until `count` are marked.
  private static func markLargest(_ values: [Float], _ range: Range<Int>, count: Int, in keep: inout [Bool]) {
    precondition(count >= 0, "ComplexSpectrogram.keepingLargest: negative count \(count)")
    guard count > 0, !range.isEmpty else { return }
    guard count < range.count else {
      for index in range { keep[index] = true }
      return
    }
    let threshold = values[range].sorted(by: >)[count - 1]
    var remaining = count - range.reduce(0) { $0 + (values[$1] > threshold ? 1 : 0) }
    for index in range {
      if values[index] > threshold {
        keep[index] = true
      } else if values[index] == threshold && remaining > 0 {
        keep[index] = true
        remaining -= 1
      }
    }
  }
}
