// Dense matrix products, all through BLAS.

extension Tensor {
  /// The matrix product op(a) * op(b) computed by BLAS `sgemm`.
  ///
  /// - Parameters:
  ///   - a: m x k matrix (k x m when `transposeA`).
  ///   - b: k x n matrix (n x k when `transposeB`).
  ///   - transposeA: op(a) = a^T when true, a otherwise.
  ///   - transposeB: op(b) = b^T when true, b otherwise.
  /// - Returns: an m x n matrix.
  /// - Complexity: O(m n k).
  public static func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
  ) -> Tensor {
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
    precondition(
      k == kb,
      "Tensor.matmul: inner dimensions differ, \(a.shape)\(transposeA ? "^T" : "") x \(b.shape)\(transposeB ? "^T" : "")"
    )
    var out = [Float](repeating: 0, count: m * n)
    guard m > 0, n > 0, k > 0 else { return Tensor(shape: [m, n], scalars: out) }
    a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        out.withUnsafeMutableBufferPointer { pc in
          BLAS.gemm(
            pc.baseAddress!, pa.baseAddress!, pb.baseAddress!, m: m, n: n, k: k,
            transposeA: transposeA, transposeB: transposeB)
        }
      }
    }
    return Tensor(shape: [m, n], scalars: out)
  }

  /// The Gram matrix op(a) op(a)^T computed by BLAS `ssyrk`: a a^T (inner products of the
  /// rows), or a^T a (of the columns) when `transposeA`.
  ///
  /// Exactly symmetric whatever the BLAS kernel (see `BLAS.syrk`), which `matmul(a, a,
  /// transposeB: true)` is not: use this for every matrix an algorithm takes to be symmetric.
  /// - Parameters:
  ///   - a: m x k matrix (k x m when `transposeA`).
  ///   - transposeA: the columns' Gram matrix a^T a when true, the rows' a a^T otherwise.
  /// - Returns: an m x m matrix.
  /// - Complexity: O(m^2 k).
  public static func gram(_ a: Tensor, transposeA: Bool = false) -> Tensor {
    precondition(a.rank == 2, "Tensor.gram: need a matrix, shape is \(a.shape)")
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    var out = [Float](repeating: 0, count: m * m)
    guard m > 0, k > 0 else { return Tensor(shape: [m, m], scalars: out) }
    a.scalars.withUnsafeBufferPointer { pa in
      out.withUnsafeMutableBufferPointer { pc in
        BLAS.syrk(pc.baseAddress!, pa.baseAddress!, n: m, k: k, transpose: transposeA)
      }
    }
    return Tensor(shape: [m, m], scalars: out)
  }

  /// The matrix-vector product `self * x` (or `self^T * x`) computed by BLAS `sgemv`.
  public func matvec(_ x: Tensor, transpose: Bool = false) -> Tensor {
    let (r, c) = (rows, columns)
    precondition(
      x.count == (transpose ? r : c), "Tensor.matvec: matrix \(shape)\(transpose ? "^T" : "") and vector of \(x.count)")
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

extension Tensor {
  /// The product of a linear layer, Y = X W^T, written into `out` without allocating.
  ///
  /// Shapes: `input` X is (batch, inputs), `weights` W is (outputs, inputs), `out` Y is
  /// (batch, outputs). Batch 1 runs BLAS `sgemv`, larger batches `sgemm`: the dense baseline
  /// every zero-skipping kernel is measured against.
  public static func linearProduct(_ input: Tensor, weights: Tensor, into out: inout Tensor) {
    let (batch, inputs, outputs) = (input.rows, input.columns, weights.rows)
    precondition(weights.columns == inputs, "Tensor.linearProduct: input \(input.shape) and weights \(weights.shape)")
    precondition(
      out.shape == [batch, outputs], "Tensor.linearProduct: output \(out.shape), expected \([batch, outputs])")
    guard batch > 0, outputs > 0, inputs > 0 else {
      out.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      return
    }
    input.scalars.withUnsafeBufferPointer { x in
      weights.scalars.withUnsafeBufferPointer { w in
        out.scalars.withUnsafeMutableBufferPointer { y in
          if batch == 1 {
            BLAS.gemv(y.baseAddress!, w.baseAddress!, x.baseAddress!, rows: outputs, columns: inputs)
          } else {
            BLAS.gemm(y.baseAddress!, x.baseAddress!, w.baseAddress!, m: batch, n: outputs, k: inputs, transposeB: true)
          }
        }
      }
    }
  }
}

extension Tensor {
  /// out = alpha * op(a) * op(b) + beta * out with BLAS `sgemm` (through `parallelGEMM`),
  /// written in place: the form the training loop uses so that a step allocates nothing.
  ///
  /// Shapes: op(a) is (m, k), op(b) is (k, n), `out` is (m, n) and must already have that shape.
  public static func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0, into out: inout Tensor
  ) {
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
    precondition(
      k == kb,
      "Tensor.matmul: inner dimensions differ, \(a.shape)\(transposeA ? "^T" : "") x \(b.shape)\(transposeB ? "^T" : "")"
    )
    precondition(out.shape == [m, n], "Tensor.matmul: output \(out.shape), expected \([m, n])")
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
      out.scalars.withUnsafeMutableBufferPointer { o in for i in o.indices { o[i] = beta == 0 ? 0 : beta * o[i] } }
      return
    }
    a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        out.scalars.withUnsafeMutableBufferPointer { pc in
          parallelGEMM(
            pc.baseAddress!, pa.baseAddress!, pb.baseAddress!, m: m, n: n, k: k,
            transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
        }
      }
    }
  }
}
