import Testing

@testable import SparsityNN

@Suite struct LearningRateScheduleTests {
  @Test func constantKeepsTheBase() {
    #expect((0..<50).allSatisfy { LearningRateSchedule.constant.learningRate(base: 0.1, epoch: $0) == 0.1 })
  }

  @Test func stepHalvesEveryTenEpochs() {
    let schedule = LearningRateSchedule.step(every: 10, factor: 0.5)
    let rates = (0..<30).map { schedule.learningRate(base: 0.8, epoch: $0) }
    #expect(rates[0..<10].allSatisfy { $0 == 0.8 })
    #expect(rates[10..<20].allSatisfy { $0 == 0.4 })
    #expect(rates[20..<30].allSatisfy { $0 == 0.2 })
  }

  @Test func cosineStartsAtBaseAndEndsAtMinimum() {
    let schedule = LearningRateSchedule.cosine(totalEpochs: 20, minimum: 0.001)
    #expect(schedule.learningRate(base: 0.1, epoch: 0) == 0.1)
    #expect(abs(schedule.learningRate(base: 0.1, epoch: 10) - 0.0505) < 1e-7)  // halfway: the mean
    #expect(schedule.learningRate(base: 0.1, epoch: 20) == 0.001)
    #expect(schedule.learningRate(base: 0.1, epoch: 35) == 0.001)
    let rates = (0...20).map { schedule.learningRate(base: 0.1, epoch: $0) }
    #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 })
  }

  @Test func cosineMatchesClosedForm() {
    // η_min + (η − η_min)(1 + cos(π e / T)) / 2 at e = 5, T = 20: cos(π/4) = √2/2.
    let rate = LearningRateSchedule.cosine(totalEpochs: 20, minimum: 0).learningRate(base: 1, epoch: 5)
    #expect(abs(Double(rate) - (1 + 0.5.squareRoot()) / 2) < 1e-7)
  }

  @Test func descriptions() {
    #expect(LearningRateSchedule.step(every: 10, factor: 0.5).description == "step(every: 10, factor: 0.5)")
    #expect(
      LearningRateSchedule.cosine(totalEpochs: 5, minimum: 0).description == "cosine(totalEpochs: 5, minimum: 0.0)")
  }
}
