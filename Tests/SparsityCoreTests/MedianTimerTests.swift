import Testing

@testable import SparsityCore

@Suite struct MedianTimerTests {
  @Test func medianOfOddAndEvenCounts() {
    #expect(MedianTimer.median([3, 1, 2]) == 2)
    #expect(MedianTimer.median([4, 1, 3, 2]) == 2.5)
  }

  @Test func interleavedTimingRunsEveryBodyWithConsecutiveCallNumbers() {
    // No timed assertions: only that each body runs, in order of its own call numbers, and
    // that every body gets a positive median.
    let timer = MedianTimer(samples: 3, minimumSampleMilliseconds: 0.05, warmUpMilliseconds: 0.1)
    var calls: [[Int]] = [[], []]
    var sink: Float = 0
    let times = timer.interleavedMilliseconds([
      { call in
        calls[0].append(call)
        for i in 0..<100 { sink += Float(i) }
      },
      { call in
        calls[1].append(call)
        for i in 0..<300 { sink += Float(i) }
      },
    ])
    #expect(times.count == 2 && times.allSatisfy { $0 > 0 })
    for body in 0..<2 {
      #expect(calls[body].count >= 2 + 3, "warm-up calls plus one call per sample at least")
      #expect(calls[body] == Array(0..<calls[body].count))
    }
    #expect(sink > 0)
  }
}
