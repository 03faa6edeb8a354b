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
  /// - Complexity: O(frames bins log(frames bins)) for `.total`, O(frames bins log bins) per frame.
  public func keepingLargest(_ selection: CoefficientSelection) -> ComplexSpectrogram {
    let squares = zip(real.scalars, imaginary.scalars).map { $0 * $0 + $1 * $1 }
    var keep = [Bool](repeating: false, count: squares.count)
    func mark(_ range: Range<Int>, count: Int) {
      precondition(count >= 0, "ComplexSpectrogram.keepingLargest: negative count \(count)")
      let order = range.sorted { squares[$0] > squares[$1] || (squares[$0] == squares[$1] && $0 < $1) }
      for index in order.prefix(count) { keep[index] = true }
    }
    switch selection {
    case .perFrame(let count):
      for f in 0..<frames { mark((f * bins)..<((f + 1) * bins), count: count) }
    case .total(let count):
      mark(0..<squares.count, count: count)
    }
    var copy = self
    for index in keep.indices where !keep[index] {
      copy.real.scalars[index] = 0
      copy.imaginary.scalars[index] = 0
    }
    return copy
  }
}
