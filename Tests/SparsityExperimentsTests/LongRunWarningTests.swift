import SparsityExperiments
import Testing

/// Work of more than a day is warned about, shorter work is not.
@Suite struct LongRunWarningTests {
  @Test func aDayOfWorkIsTheThreshold() {
    let day = LongRunWarning.assumedRate * LongRunWarning.threshold
    #expect(LongRunWarning.message("x", multiplyAdds: day) == nil)
    let message = LongRunWarning.message("train --epochs 9", multiplyAdds: 3 * day)
    #expect(
      message
        == "warning: train --epochs 9 needs 2.6e+16 multiply-adds: 3 days even at 1e+11 per second;"
        + " a progress line shows how it goes and Ctrl-C stops it")
  }

  @Test func longerRunsAreCountedInYearsAndBoundsSaySo() throws {
    let message = try #require(
      LongRunWarning.message("code", multiplyAdds: 1e21, upTo: true, progress: false))
    #expect(message.contains("up to 1.0e+21 multiply-adds: up to 317 years"))
    #expect(message.hasSuffix("per second; Ctrl-C stops it"))
  }

  @Test func trainingCountsThreeMultiplyAddsPerWeightAndSample() {
    // 64-8-10: 64 x 8 + 8 x 10 = 592 weights.
    #expect(LongRunWarning.trainingMultiplyAdds(widths: [64, 8, 10], samples: 100, epochs: 2) == 3 * 592 * 100 * 2)
  }
}
