import Dispatch
import Testing

@testable import SparsityCoding

/// Blocks handed to concurrent workers cover 0..<count exactly once, in order of handing out.
@Suite struct WorkBlocksTests {
  @Test(arguments: [(0, 32), (1, 32), (100, 32), (64, 32), (7, 1)])
  func blocksCoverTheRangeOnceAcrossWorkers(count: Int, blockSize: Int) {
    let blocks = WorkBlocks(count: count, blockSize: blockSize)
    let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, count))
    seen.initialize(repeating: 0)
    defer { seen.deallocate() }
    nonisolated(unsafe) let marks = seen
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      while let range = blocks.next() {
        #expect(range.count >= 1 && range.count <= blockSize)
        for i in range { marks[i] += 1 }  // ranges are disjoint: no two workers write one index
      }
    }
    #expect(seen.prefix(count).allSatisfy { $0 == 1 })
    #expect(blocks.next() == nil)
  }
}
