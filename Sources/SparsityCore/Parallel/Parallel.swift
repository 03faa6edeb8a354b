import CSparsityKernels
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Splits work over the machine's cores: on a pool of worker threads that spin briefly between
/// jobs (`CSparsityKernels/WorkerPool.c`), or with Dispatch when the pool is busy.
public enum Parallel {
  /// The number of worker threads kernels may use: the active processor count, or the value of
  /// the `SPARSITY_NUM_THREADS` environment variable when it is set to a positive integer.
  public static let configuredThreadCount: Int = {
    if let text = ProcessInfo.processInfo.environment["SPARSITY_NUM_THREADS"], let n = Int(text), n > 0 {
      return n
    }
    return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
  }()

  /// A lower thread count for the work this thread starts inside `withThreadCount`, nil outside
  /// it (a thread-local, so that setting it costs no allocation at every compiled layer).
  public static var threadLimit: Int? {
    let limit = sparsity_thread_limit()
    return limit > 0 ? Int(limit) : nil
  }

  /// The number of worker threads kernels use here: `configuredThreadCount`, or less inside
  /// `withThreadCount` (a compiled layer whose work is too small to pay for a hand-off to another
  /// thread runs on one).
  public static var threadCount: Int {
    guard let limit = threadLimit else { return configuredThreadCount }
    return Swift.min(limit, configuredThreadCount)
  }

  /// Runs `body` with kernels started from this thread using at most `count` threads (nested
  /// calls: the innermost count holds until it returns).
  /// - Complexity: O(1) on top of `body`.
  public static func withThreadCount<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
    precondition(count > 0, "Parallel.withThreadCount: \(count) threads")
    let previous = sparsity_set_thread_limit(Int32(clamping: count))
    defer { sparsity_set_thread_limit(previous) }
    return try body()
  }

  /// Calls `body` once for each of `chunks` contiguous pieces of 0..<count, concurrently.
  ///
  /// Pieces are as equal as possible and each is at least `minimumChunk` long, so small
  /// problems run on the calling thread alone and pay no dispatch cost.
  /// - Parameters:
  ///   - count: the length of the range 0..<count to split.
  ///   - minimumChunk: the shortest piece worth a thread of its own.
  ///   - body: receives a half-open range of 0..<count.
  @inlinable
  public static func forEachChunk(
    of count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void
  ) {
    let pieces = Swift.min(threadCount, Swift.max(1, count / Swift.max(1, minimumChunk)))
    if pieces <= 1 {
      if count > 0 { body(0..<count) }
      return
    }
    // Each piece writes a disjoint part of its output, which is what makes this safe; the
    // kernels that call it uphold that.
    withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let work = body
      let piece = { @Sendable (piece: Int) in
        let start = count * piece / pieces
        let end = count * (piece + 1) / pieces
        if start < end { work(start..<end) }
      }
      if !runOnWorkerPool(pieces: pieces, piece) {
        DispatchQueue.concurrentPerform(iterations: pieces, execute: piece)
      }
    }
  }

  /// Runs `piece(0..<pieces)` at once on the spinning worker pool (`sparsity_pool_run`): a
  /// hand-off costs well under a microsecond while the workers spin, where Dispatch's parked
  /// threads take microseconds to wake. False, having run nothing, when the pool is busy (a
  /// job from another thread, or from inside a piece).
  @usableFromInline
  static func runOnWorkerPool(pieces: Int, _ piece: (Int) -> Void) -> Bool {
    withoutActuallyEscaping(piece) { piece in
      var job = piece
      return withUnsafeMutablePointer(to: &job) { pointer in
        sparsity_pool_run(
          Int64(pieces),
          { context, index in
            context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(index))
          }, pointer) != 0
      }
    }
  }
}
