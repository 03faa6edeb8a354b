import Testing

@testable import SparsityCore

@Suite struct ParallelTests {
  @Test func withThreadCountLowersTheCountInsideOnly() {
    let configured = Parallel.configuredThreadCount
    #expect(Parallel.threadCount == configured)
    Parallel.withThreadCount(1) {
      #expect(Parallel.threadCount == 1)
      var pieces = 0
      Parallel.forEachChunk(of: 100) { _ in pieces += 1 }  // one piece: runs on this thread
      #expect(pieces == 1)
      Parallel.withThreadCount(configured + 5) {
        #expect(Parallel.threadCount == configured, "never above the configured count")
      }
      #expect(Parallel.threadCount == 1)
    }
    #expect(Parallel.threadCount == configured)
  }
}
