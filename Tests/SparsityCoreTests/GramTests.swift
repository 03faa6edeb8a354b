import Testing

@testable import SparsityCore

/// `Tensor.gram` and `BLAS.syrk` against their reference twin, the Gram matrix accumulated in
/// Double: exactly symmetric whatever the BLAS kernel, and within the Float rounding bound.
@Suite struct GramTests {
  /// (rows, columns) of A: empty, one entry, sizes that are not a SIMD multiple, all zero (seed 0).
  static let shapes: [(rows: Int, columns: Int)] = [(0, 4), (4, 0), (1, 1), (3, 17), (24, 96), (96, 24), (65, 33)]

  /// op(A) op(A)^T in Double, each entry rounded once to Float.
  static func naiveGram(_ a: Tensor, transposeA: Bool) -> Tensor {
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let entry = { (i: Int, t: Int) -> Double in Double(transposeA ? a[t, i] : a[i, t]) }
    var out = Tensor(zeros: [m, m])
    for i in 0..<m {
      for j in 0..<m { out[i, j] = Float((0..<k).reduce(0.0) { $0 + entry(i, $1) * entry(j, $1) }) }
    }
    return out
  }

  /// The error bound of a Float dot product of length k in any summation order (Higham,
  /// Accuracy and Stability of Numerical Algorithms, 2nd ed., 3.1): |error| <= gamma_k
  /// sum_t |a_it a_jt| with gamma_k = k u / (1 - k u), u = 2^-24; plus the final rounding of the
  /// reference. Bounded here through sum_t |a_it a_jt| <= ||a_i|| ||a_j|| <= max_i ||a_i||^2.
  static func tolerance(_ a: Tensor, transposeA: Bool) -> Float {
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let u = Float.ulpOfOne / 2
    let gamma = Float(k) * u / (1 - Float(k) * u)
    var largest: Float = 0
    for i in 0..<m {
      largest = max(
        largest,
        (0..<k).reduce(Float(0)) {
          let v = transposeA ? a[$1, i] : a[i, $1]
          return $0 + v * v
        })
    }
    return (gamma + u) * largest * 1.01
  }

  @Test(arguments: [false, true])
  func matchesDoubleReferenceAndIsExactlySymmetric(transposeA: Bool) {
    for (index, shape) in Self.shapes.enumerated() {
      let a =
        index == 0
        ? Tensor(zeros: [shape.rows, shape.columns])
        : randomMatrix(shape.rows, shape.columns, zeroFraction: 0.2, seed: UInt64(index))
      let g = Tensor.gram(a, transposeA: transposeA)
      let reference = Self.naiveGram(a, transposeA: transposeA)
      #expect(g.shape == reference.shape, "\(shape)")
      let m = g.rows
      let bound = Self.tolerance(a, transposeA: transposeA)
      for i in 0..<m {
        for j in 0..<m {
          #expect(g[i, j].bitPattern == g[j, i].bitPattern, "\(shape) (\(i), \(j))")
          #expect(abs(g[i, j] - reference[i, j]) <= bound, "\(shape) (\(i), \(j)): \(g[i, j]) vs \(reference[i, j])")
        }
      }
    }
  }

  @Test func allZeroInputGivesZeroGram() {
    #expect(Tensor.gram(Tensor(zeros: [5, 7])) == Tensor(zeros: [5, 5]))
    #expect(Tensor.gram(Tensor(zeros: [5, 7]), transposeA: true) == Tensor(zeros: [7, 7]))
  }

  /// alpha, beta and leading dimensions as `gemm` takes them; beta scales both triangles of a
  /// symmetric C, and entries beyond n in each row of C are left alone.
  @Test func syrkHonorsAlphaBetaAndLeadingDimensions() {
    let (n, k, ldc) = (5, 9, 7)
    let a = randomMatrix(n, k, zeroFraction: 0, seed: 11)
    let start = Tensor.gram(randomMatrix(n, 3, zeroFraction: 0, seed: 12))
    var c = [Float](repeating: -99, count: n * ldc)
    for i in 0..<n { for j in 0..<n { c[i * ldc + j] = start[i, j] } }
    a.scalars.withUnsafeBufferPointer { pa in
      c.withUnsafeMutableBufferPointer { pc in
        BLAS.syrk(pc.baseAddress!, pa.baseAddress!, n: n, k: k, alpha: 2, beta: 0.5, ldc: ldc)
      }
    }
    let product = Self.naiveGram(a, transposeA: false)
    let bound = 2 * Self.tolerance(a, transposeA: false)
    for i in 0..<n {
      for j in 0..<n {
        #expect(c[i * ldc + j].bitPattern == c[j * ldc + i].bitPattern)
        // Beyond the product's own bound: a few Float roundings (u ~ 6e-8 each) of the scaled
        // terms, in BLAS and in the expected value.
        let expected = 2 * product[i, j] + 0.5 * start[i, j]
        let slack = 1e-6 * (abs(2 * product[i, j]) + abs(0.5 * start[i, j]))
        #expect(abs(c[i * ldc + j] - expected) <= bound + slack)
      }
      for j in n..<ldc { #expect(c[i * ldc + j] == -99) }
    }
  }
}
