import Foundation
import Testing

@testable import SparsityNN

@Suite struct PruningScheduleTests {
  @Test func followsZhuAndGuptasCubicAtThePruningSteps() {
    let schedule = PruningSchedule(initialSparsity: 0.1, finalSparsity: 0.9, startStep: 20, endStep: 120, frequency: 10)
    for step in stride(from: 20, through: 120, by: 10) {
      #expect(schedule.isPruningStep(step))
      let expected = 0.9 + (0.1 - 0.9) * pow(1 - Double(step - 20) / 100, 3)
      #expect(abs(schedule.sparsity(atStep: step) - expected) < 1e-12, "step \(step)")
    }
    #expect(schedule.sparsity(atStep: 20) == 0.1)
    #expect(schedule.sparsity(atStep: 120) == 0.9)
    #expect(abs(schedule.sparsity(atStep: 70) - (0.9 - 0.8 * 0.125)) < 1e-12)
  }

  @Test func holdsBetweenPruningStepsAndOutsideTheRange() {
    let schedule = PruningSchedule(finalSparsity: 0.8, startStep: 5, endStep: 25, frequency: 7)
    #expect(schedule.sparsity(atStep: 0) == 0)
    #expect(schedule.sparsity(atStep: 4) == 0)
    #expect(!schedule.isPruningStep(4))
    #expect(schedule.sparsity(atStep: 6) == schedule.sparsity(atStep: 5))
    #expect(schedule.sparsity(atStep: 11) == schedule.sparsity(atStep: 5))
    #expect(schedule.sparsity(atStep: 12) > schedule.sparsity(atStep: 11))
    #expect([5, 12, 19, 25].allSatisfy(schedule.isPruningStep))
    #expect(!schedule.isPruningStep(26) && !schedule.isPruningStep(24))
    #expect(schedule.sparsity(atStep: 1000) == 0.8)
    let values = (0...30).map(schedule.sparsity(atStep:))
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "non-decreasing")
  }

  @Test func oneShotPrunesOnceToTheFinalSparsity() {
    let schedule = PruningSchedule(initialSparsity: 0.9, finalSparsity: 0.9, startStep: 3, endStep: 3)
    #expect(schedule.isPruningStep(3) && !schedule.isPruningStep(4))
    #expect(schedule.sparsity(atStep: 3) == 0.9)
  }

  @Test func epochSettingsBecomeSteps() {
    let settings = PruningSettings(sparsity: 0.9, startEpoch: 2, endEpoch: 4, frequency: .everyEpoch)
    let schedule = settings.schedule(stepsPerEpoch: 10)
    #expect(schedule.startStep == 10 && schedule.endStep == 39 && schedule.frequency == 10)
    #expect(PruningSettings.oneShot(sparsity: 0.5).schedule(stepsPerEpoch: 10).endStep == 0)
    #expect(settings.description == "0.9 global unstructured, epochs 2-4, every epoch")
  }
}
