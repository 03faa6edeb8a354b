// The orthonormal discrete cosine transform as a basis matrix, so that frames of a signal can
// be coded in it (or compared with a learned dictionary) with one BLAS product.
import Foundation

/// The orthonormal DCT-II of length n and its inverse, the DCT-III, as products with an n x n
/// basis matrix B whose rows are the basis vectors:
///
///     B[k, i] = sqrt(2 / n) c_k cos(pi (i + 1/2) k / n),  c_0 = 1 / sqrt(2), c_k = 1 otherwise.
///
/// B is orthogonal (B B^T = I), so the forward transform of a frame x is X = B x and the
/// inverse is x = B^T X. For a batch of frames as rows (frames x n, the project's samples x
/// features convention), `forward` computes X = F B^T and `inverse` F = X B: the rows of B are
/// the atoms of a fixed dictionary and the coefficients are the code.
///
/// A cosine at frequency k/(2n) cycles per sample, cos(pi (i + 1/2) k / n), is row k of B up to
/// scale: its transform is sqrt(n / 2) at coefficient k (sqrt(n) for k = 0) and zero elsewhere.
///
/// Reference: N. Ahmed, T. Natarajan, K. R. Rao, "Discrete cosine transform", IEEE Trans.
/// Computers C-23(1), 1974; K. R. Rao, P. Yip, "Discrete Cosine Transform", Academic Press 1990
/// (the orthonormal scaling).
public struct DCT: Sendable {
  /// n, the length of a frame.
  public let length: Int
  /// The n x n basis B, rows are basis vectors (see the type's summary).
  public let basis: Tensor

  /// The transform of frames of `length` samples; builds the basis once (n^2 floats).
  /// - Complexity: O(n^2) time and memory (`memory(length:)`).
  public init(length: Int) {
    self.length = length
    self.basis = DCT.basis(length: length)
  }

  /// The bytes the basis of length n takes: n^2 Floats.
  public static func memory(length n: Int) -> MemoryEstimate { .floats(n, n) }

  /// The n x n orthonormal DCT-II basis, row k = sqrt(2/n) c_k cos(pi (i + 0.5) k / n),
  /// each entry computed in Double and rounded once to Float.
  ///
  /// The cosine's argument is reduced exactly in integers first: pi (2i + 1) k / (2n) with
  /// (2i + 1) k taken modulo 4n, so large n loses no accuracy to a huge argument.
  /// - Precondition: `n >= 1`.
  /// - Complexity: O(n^2).
  public static func basis(length n: Int) -> Tensor {
    precondition(n >= 1, "DCT.basis: length \(n) must be positive")
    var scalars = [Float](repeating: 0, count: n * n)
    for k in 0..<n {
      let scale = (2.0 / Double(n)).squareRoot() * (k == 0 ? (0.5).squareRoot() : 1)
      for i in 0..<n { scalars[k * n + i] = Float(scale * cosine(k: k, i: i, n: n)) }
    }
    return Tensor(shape: [n, n], scalars: scalars)
  }

  /// cos(pi (2i + 1) k / (2n)), the argument reduced modulo 2 pi in integers ((2i + 1) k < 2n^2
  /// cannot overflow for any n whose n^2 basis fits in memory).
  static func cosine(k: Int, i: Int, n: Int) -> Double {
    cosPi(Double((2 * i + 1) * k % (4 * n)) / Double(2 * n))
  }

  /// The coefficients X = F B^T of frames F (one frame per row), by one BLAS product.
  ///
  /// - Parameter frames: (frames, n), or one frame of rank 1 (n).
  /// - Returns: the coefficients, the shape of `frames`; row t holds frame t's coefficients.
  /// - Complexity: O(frames * n^2).
  public func forward(_ frames: Tensor) -> Tensor {
    apply(frames, transposeBasis: true, caller: "DCT.forward")
  }

  /// The frames F = X B from coefficients X (one frame per row): the inverse of `forward`.
  ///
  /// - Parameter coefficients: (frames, n), or one frame of rank 1 (n).
  /// - Returns: the frames, the shape of `coefficients`.
  /// - Complexity: O(frames * n^2).
  public func inverse(_ coefficients: Tensor) -> Tensor {
    apply(coefficients, transposeBasis: false, caller: "DCT.inverse")
  }

  /// input * B^T (or input * B), keeping a rank-1 input rank 1.
  private func apply(_ input: Tensor, transposeBasis: Bool, caller: String) -> Tensor {
    precondition(
      (input.rank == 1 || input.rank == 2) && input.shape.last == length,
      "\(caller): expected (frames, \(length)) or (\(length)), got \(input.shape)")
    let matrix = input.rank == 1 ? input.reshaped([1, length]) : input
    let product = Tensor.matmul(matrix, basis, transposeB: transposeBasis)
    return input.rank == 1 ? product.reshaped([length]) : product
  }

  /// Reference twin of `forward`: X[t, k] = sum_i sqrt(2/n) c_k cos(pi (i + 0.5) k / n) F[t, i],
  /// each term evaluated directly in Double (no basis matrix, no BLAS).
  /// - Complexity: O(frames * n^2), with n^2 cosines per frame.
  public func forwardReference(_ frames: Tensor) -> Tensor {
    reference(frames, inverse: false)
  }

  /// Reference twin of `inverse`: F[t, i] = sum_k sqrt(2/n) c_k cos(pi (i + 0.5) k / n) X[t, k]
  /// in Double.
  /// - Complexity: O(frames * n^2).
  public func inverseReference(_ coefficients: Tensor) -> Tensor {
    reference(coefficients, inverse: true)
  }

  private func reference(_ input: Tensor, inverse: Bool) -> Tensor {
    precondition(
      (input.rank == 1 || input.rank == 2) && input.shape.last == length,
      "DCT reference: expected (frames, \(length)) or (\(length)), got \(input.shape)")
    let n = length
    let frames = input.count / n
    var out = [Float](repeating: 0, count: input.count)
    for t in 0..<frames {
      for j in 0..<n {
        var sum = 0.0
        for m in 0..<n {
          let (k, i) = inverse ? (m, j) : (j, m)
          let scale = (2.0 / Double(n)).squareRoot() * (k == 0 ? (0.5).squareRoot() : 1)
          sum += scale * cosPi(Double(2 * i + 1) * Double(k) / Double(2 * n)) * Double(input.scalars[t * n + m])
        }
        out[t * n + j] = Float(sum)
      }
    }
    return Tensor(shape: input.shape, scalars: out)
  }
}

/// cos(pi x) for Double x.
private func cosPi(_ x: Double) -> Double {
  Foundation.cos(Double.pi * x)
}
