// Dense matrix products, all through BLAS.

extension Tensor {
  /// The matrix product op(a) * op(b) computed by BLAS `sgemm`.
  ///
  /// - Parameters:
  ///   - a: m x k matrix (k x m when `transposeA`).
  ///   - b: k x n matrix (n x k when `transposeB`).
  /// - Returns: an m x n matrix.
  /// - Complexity: O(m n k).
  public static func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
  ) -> Tensor {
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
    precondition(k == kb, "Tensor.matmul: inner dimensions differ, \(a.shape)\(transposeA ? "^T" : "") x \(b.shape)\(transposeB ? "^T" : "")")
    var out = [Float](repeating: 0, count: m * n)
    guard m > 0, n > 0, k > 0 else { return Tensor(shape: [m, n], scalars: out) }
    a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        out.withUnsafeMutableBufferPointer { pc in
          BLAS.gemm(pc.baseAddress!, pa.baseAddress!, pb.baseAddress!, m: m, n: n, k: k,
                    transposeA: transposeA, transposeB: transposeB)
        }
      }
    }
    return Tensor(shape: [m, n], scalars: out)
  }

  /// The matrix-vector product `self * x` (or `self^T * x`) computed by BLAS `sgemv`.
  public func matvec(_ x: Tensor, transpose: Bool = false) -> Tensor {
    let (r, c) = (rows, columns)
    precondition(x.count == (transpose ? r : c), "Tensor.matvec: matrix \(shape)\(transpose ? "^T" : "") and vector of \(x.count)")
    var out = [Float](repeating: 0, count: transpose ? c : r)
    guard r > 0, c > 0 else { return Tensor(out) }
    scalars.withUnsafeBufferPointer { pa in
      x.scalars.withUnsafeBufferPointer { px in
        out.withUnsafeMutableBufferPointer { py in
          BLAS.gemv(py.baseAddress!, pa.baseAddress!, px.baseAddress!, rows: r, columns: c, transpose: transpose)
        }
      }
    }
    return Tensor(out)
  }
}
