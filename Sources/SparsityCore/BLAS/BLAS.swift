import Foundation

// The one file in Sparsity that talks to BLAS: OpenBLAS on Linux, Accelerate on Apple platforms.
#if canImport(Accelerate)
  import Accelerate
#else
  import CBLAS
  #if canImport(Glibc)
    import Glibc
  #endif
#endif

/// Thin wrappers over the CBLAS single-precision routines, row-major throughout.
///
/// Every dense matrix product in Sparsity goes through these functions, so the dense
/// baseline that the zero-skipping kernels are measured against is the tuned BLAS itself.
public enum BLAS {
  /// C = alpha * op(A) * op(B) + beta * C, all row-major.
  ///
  /// - Parameters:
  ///   - c: output, m x n, leading dimension `ldc` (default `n`).
  ///   - a: op(A) is m x k; A is stored m x k (or k x m when `transposeA`), leading dimension
  ///     `lda` (default: its column count).
  ///   - b: op(B) is k x n; B is stored k x n (or n x k when `transposeB`), leading dimension
  ///     `ldb` (default: its column count).
  ///   - m: rows of C and of op(A).
  ///   - n: columns of C and of op(B).
  ///   - k: columns of op(A), rows of op(B).
  ///   - transposeA: op(A) = A^T when true, A otherwise.
  ///   - transposeB: op(B) = B^T when true, B otherwise.
  ///   - alpha: the scale of the product.
  ///   - beta: the scale of C's previous contents (0: C is overwritten, never read).
  ///   - lda: A's leading dimension; nil for its column count.
  ///   - ldb: B's leading dimension; nil for its column count.
  ///   - ldc: C's leading dimension; nil for `n`.
  /// - Complexity: O(m n k) flops.
  @inlinable
  public static func gemm(
    _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0, lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil
  ) {
    guard m > 0, n > 0 else { return }
    _ = defaultThreading
    let ldc = ldc ?? n
    guard k > 0 else {
      // BLAS leaves C scaled by beta when k == 0; do it here without calling it.
      for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
      return
    }
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      blasInt(m), blasInt(n), blasInt(k), alpha,
      a, blasInt(lda ?? (transposeA ? m : k)), b, blasInt(ldb ?? (transposeB ? k : n)), beta, c, blasInt(ldc))
  }

  /// C = alpha * op(A) * op(A)^T + beta * C, row-major, with C exactly symmetric.
  ///
  /// `ssyrk` computes the upper triangle only, which is then mirrored into the lower one. A
  /// Gram matrix from `gemm` is not symmetric to the last bit on every BLAS: OpenBLAS's
  /// Haswell-family `sgemm` kernels round C_ij and C_ji differently (pairs ~1e-7 apart), and
  /// algorithms that read rows and columns of G as one matrix (Cholesky factors, eigensolvers)
  /// then disagree with themselves by that much.
  ///
  /// - Parameters:
  ///   - c: output, n x n, leading dimension `ldc` (default `n`); both triangles are written.
  ///   - a: op(A) is n x k; A is stored n x k (or k x n when `transpose`, giving A^T A),
  ///     leading dimension `lda` (default: its column count).
  ///   - n: rows and columns of C, rows of op(A).
  ///   - k: columns of op(A).
  ///   - transpose: op(A) = A^T when true, A otherwise.
  ///   - alpha: the scale of the product.
  ///   - beta: the scale of C's previous contents (0: C is overwritten, never read).
  ///   - lda: A's leading dimension; nil for its column count.
  ///   - ldc: C's leading dimension; nil for `n`.
  /// - Complexity: O(n^2 k) flops, half those of the same product by `gemm`.
  @inlinable
  public static func syrk(
    _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, n: Int, k: Int, transpose: Bool = false,
    alpha: Float = 1, beta: Float = 0, lda: Int? = nil, ldc: Int? = nil
  ) {
    guard n > 0 else { return }
    _ = defaultThreading
    let ldc = ldc ?? n
    if k > 0 {
      cblas_ssyrk(
        CblasRowMajor, CblasUpper, transpose ? CblasTrans : CblasNoTrans, blasInt(n), blasInt(k),
        alpha, a, blasInt(lda ?? (transpose ? n : k)), beta, c, blasInt(ldc))
    } else {
      // BLAS leaves C scaled by beta when k == 0; do it here without calling it.
      for i in 0..<n { for j in i..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
    }
    for i in 1..<n { for j in 0..<i { c[i * ldc + j] = c[j * ldc + i] } }
  }

  /// Sparsity runs BLAS single-threaded and splits products over its own threads instead
  /// (`parallelGEMM`), set once before the first call: OpenBLAS's idle threads spin after each
  /// call and competed with the rest of a training step for the cores (measured), and a fixed
  /// thread count keeps results bit-for-bit reproducible. `withThreadCount` lends BLAS more
  /// threads for a while (the kernel benchmark does, for its dense baseline).
  ///
  /// OpenBLAS (pthreads build) starts its worker threads when the library loads, and each
  /// spins in `sched_yield` for about 2^28 cycles (~0.1 s) before it sleeps: on a 2-core
  /// machine that took a core from the first 0.1 s of every command (measured with `perf`:
  /// 10% of a 0.5 s `sparsity code` run). So the threads are stopped here as well, with
  /// `blas_thread_shutdown_` when the library exports it (looked up at run time, so other BLAS
  /// builds need nothing); OpenBLAS starts them again on the next multithreaded call.
  @usableFromInline
  static let defaultThreading: Void = {
    #if !canImport(Accelerate)
      openblas_set_num_threads(1)
      #if canImport(Glibc)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
          typealias Shutdown = @convention(c) () -> Int32
          _ = unsafeBitCast(symbol, to: Shutdown.self)()
        }
      #endif
    #endif
  }()

  /// The number of threads BLAS itself uses for one call (OpenBLAS; 1 where it cannot be read).
  public static var threadCount: Int {
    get {
      _ = defaultThreading
      #if canImport(Accelerate)
        return 1
      #else
        return Int(openblas_get_num_threads())
      #endif
    }
    set {
      _ = defaultThreading
      #if !canImport(Accelerate)
        openblas_set_num_threads(Int32(Swift.max(1, newValue)))
      #endif
    }
  }

  /// y = alpha * op(A) * x + beta * y, with A row-major `rows` x `columns`.
  ///
  /// op(A) is A (y has `rows` entries, x has `columns`) or A^T when `transpose` (y has `columns`
  /// entries, x has `rows`).
  /// - Complexity: O(rows * columns).
  @inlinable
  public static func gemv(
    _ y: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    rows: Int, columns: Int, transpose: Bool = false, alpha: Float = 1, beta: Float = 0
  ) {
    let outputCount = transpose ? columns : rows
    guard outputCount > 0 else { return }
    _ = defaultThreading
    guard rows > 0, columns > 0 else {
      for i in 0..<outputCount { y[i] = beta == 0 ? 0 : beta * y[i] }
      return
    }
    cblas_sgemv(
      CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasInt(rows), blasInt(columns),
      alpha, a, blasInt(columns), x, 1, beta, y, 1)
  }

  /// What BLAS library this is, for benchmark reports: for OpenBLAS its build configuration and
  /// kernel family. (Its thread count is Sparsity's choice: see `defaultThreading`.)
  public static var configuration: String {
    #if canImport(Accelerate)
      return "Accelerate"
    #else
      let config = String(cString: openblas_get_config())
      let core = String(cString: openblas_get_corename())
      return "\(config) (kernels: \(core))"
    #endif
  }

  /// The kernel family OpenBLAS chose for this CPU (`openblas_get_corename`, e.g. `SkylakeX`,
  /// `Haswell`, or `Prescott` when it does not recognise the CPU), or "Accelerate".
  public static var coreName: String {
    #if canImport(Accelerate)
      return "Accelerate"
    #else
      return String(cString: openblas_get_corename())
    #endif
  }

  /// Runs `body` with BLAS using `count` threads, then restores the previous count.
  ///
  /// OpenBLAS has one thread count for the whole process, so such calls run one at a time: a
  /// call from another thread waits until this one returns (nested calls on the same thread do
  /// not). Code that must see BLAS on one thread throughout, such as a run checked for
  /// bit-for-bit reproducibility while benchmarks may lend threads, holds `withThreadCount(1)`.
  public static func withThreadCount<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
    threadingLock.lock()
    defer { threadingLock.unlock() }
    let previous = threadCount
    threadCount = count
    defer { threadCount = previous }
    return try body()
  }

  /// Held by `withThreadCount` for as long as it has changed BLAS's thread count.
  private static let threadingLock = NSRecursiveLock()

  @usableFromInline
  static func blasInt(_ value: Int) -> Int32 {
    precondition(value <= Int(Int32.max), "BLAS: dimension \(value) exceeds 32-bit BLAS integers")
    return Int32(value)
  }
}
