import Foundation

/// Contiguous blocks of 0..<count handed out one at a time to whichever worker asks next
/// (dynamic scheduling): on a shared machine a worker that gets less CPU simply takes fewer
/// blocks instead of finishing last with a fixed half of the work.
final class WorkBlocks: @unchecked Sendable {
  let count: Int
  let blockSize: Int
  private var nextStart = 0
  private var finishedCount = 0
  private let lock = NSLock()

  /// Blocks of `blockSize` (the last may be shorter) covering 0..<count.
  init(count: Int, blockSize: Int) {
    precondition(count >= 0 && blockSize >= 1, "WorkBlocks: count \(count), blockSize \(blockSize)")
    self.count = count
    self.blockSize = blockSize
  }

  /// The next block not yet handed out, or nil when all are. Thread-safe.
  func next() -> Range<Int>? {
    lock.lock()
    defer { lock.unlock() }
    guard nextStart < count else { return nil }
    let start = nextStart
    nextStart = min(count, start + blockSize)
    return start..<nextStart
  }

  /// Records that `range` is done and calls `report(done, count)` with the total done so far;
  /// the calls are serialized, so `report` needs no lock of its own. Thread-safe.
  func finish(_ range: Range<Int>, report: ((Int, Int) -> Void)?) {
    guard let report else { return }
    lock.lock()
    defer { lock.unlock() }
    finishedCount += range.count
    report(finishedCount, count)
  }
}
