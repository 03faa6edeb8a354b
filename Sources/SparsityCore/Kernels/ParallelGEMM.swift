// A matrix product split over Sparsity's own threads, each calling single-threaded BLAS.

/// C = alpha * op(A) * op(B) + beta * C (row-major, as `BLAS.gemm`), split over the cores.
///
/// BLAS runs single-threaded in Sparsity (see `BLAS.defaultThreading`): the rows of C (or its
/// columns, when C has more columns than rows) are cut into one block per core and each block
/// is one BLAS call on its own thread. When BLAS has been lent more threads
/// (`BLAS.withThreadCount`), this is one BLAS call that BLAS parallelizes itself. The split
/// depends only on the shapes and the thread count, so results are reproducible.
/// Shapes: C is (m, n), op(A) is (m, k), op(B) is (k, n), all contiguous.
/// - Complexity: O(m n k) flops.
public func parallelGEMM(
  _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1, beta: Float = 0
) {
  let threads = Parallel.threadCount
  let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
  guard BLAS.threadCount == 1, threads > 1, m * n * k >= 1 << 18 else {
    return BLAS.gemm(
      c, a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
  }
  // Split the larger of m and n: each thread then packs only its part of the larger operand.
  if m >= n {
    Parallel.forEachChunk(of: m) { rows in
      let aBlock = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
      BLAS.gemm(
        c + rows.lowerBound * n, aBlock, b, m: rows.count, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
        alpha: alpha, beta: beta, lda: lda, ldb: ldb, ldc: n)
    }
  } else {
    Parallel.forEachChunk(of: n) { columns in
      let bBlock = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
      BLAS.gemm(
        c + columns.lowerBound, a, bBlock, m: m, n: columns.count, k: k, transposeA: transposeA, transposeB: transposeB,
        alpha: alpha, beta: beta, lda: lda, ldb: ldb, ldc: n)
    }
  }
}
