import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct OptimizerTests {
  @Test func stepCountsStepsAndKeepsOneStatePerParameter() {
    let optimizer = Adam()
    let (a, b) = (Parameter(name: "weight", value: Tensor([1, 2])), Parameter(name: "bias", value: Tensor([1, 2])))
    optimizer.step([a, b], learningRate: 0.1)
    optimizer.step([a, b], learningRate: 0.1)
    #expect(optimizer.stepCount == 2)
    #expect(optimizer.states.count == 2)
    #expect(optimizer.states.updates(of: a) == 2)
    // Same shape, separate state: keyed by identity, not by shape or name.
    a.gradient = Tensor([1, 1])
    optimizer.step([a], learningRate: 0.1)
    #expect(optimizer.states.state(for: a)!.firstMoment != optimizer.states.state(for: b)!.firstMoment)
  }

  @Test func parameterSeenLaterStartsItsOwnUpdateCount() {
    let optimizer = SGD(momentum: 0.9)
    let (a, b) = (Parameter(name: "weight", value: Tensor([1])), Parameter(name: "weight", value: Tensor([1])))
    optimizer.step([a], learningRate: 0.1)
    optimizer.step([a, b], learningRate: 0.1)
    #expect(optimizer.stepCount == 2)
    #expect(optimizer.states.updates(of: a) == 2)
    #expect(optimizer.states.updates(of: b) == 1)
  }

  @Test func resetForgetsStatesAndSteps() {
    let optimizer = SGD(momentum: 0.5)
    let parameter = Parameter(name: "weight", value: Tensor([1]))
    parameter.gradient = Tensor([1])
    optimizer.step([parameter], learningRate: 1)
    optimizer.reset()
    #expect(optimizer.stepCount == 0 && optimizer.states.count == 0)
    optimizer.step([parameter], learningRate: 1)
    #expect(optimizer.states.state(for: parameter)!.momentumBuffer == Tensor([1]))
  }

  @Test func updatesInPlaceWithoutReallocatingStateOrValue() {
    let optimizer = Adam()
    let parameter = Parameter(name: "weight", value: Tensor(zeros: [8, 16]))
    parameter.gradient = Tensor(repeating: 0.5, shape: [8, 16])
    optimizer.step([parameter], learningRate: 0.1)
    let valueAddress = parameter.value.scalars.withUnsafeBufferPointer { $0.baseAddress }
    let stateAddress = optimizer.states.entries[0].state.firstMoment.scalars.withUnsafeBufferPointer { $0.baseAddress }
    for _ in 0..<3 { optimizer.step([parameter], learningRate: 0.1) }
    #expect(parameter.value.scalars.withUnsafeBufferPointer { $0.baseAddress } == valueAddress)
    #expect(
      optimizer.states.entries[0].state.firstMoment.scalars.withUnsafeBufferPointer { $0.baseAddress } == stateAddress)
  }

  @Test func emptyParameterIsAllowed() {
    let parameter = Parameter(name: "weight", value: Tensor(zeros: [0, 4]))
    for optimizer in [OptimizerKind.sgd(momentum: 0.9, nesterov: true), .adam, .adamW(weightDecay: 0.1)] {
      optimizer.makeOptimizer().step([parameter], learningRate: 0.1)
    }
    #expect(parameter.value.count == 0)
  }
}

@Suite struct OptimizerKindTests {
  @Test func factoryBuildsTheNamedOptimizer() {
    let sgd = OptimizerKind.sgd(momentum: 0.9, nesterov: true).makeOptimizer() as? SGD
    #expect(sgd?.momentum == 0.9 && sgd?.nesterov == true)
    #expect(OptimizerKind.adam.makeOptimizer() is Adam)
    #expect((OptimizerKind.adamW(weightDecay: 0.05).makeOptimizer() as? AdamW)?.weightDecay == 0.05)
  }

  @Test func existentialStepMatchesConcreteStep() {
    let (a, b) = (
      Parameter(name: "weight", value: Tensor([1, -1])), Parameter(name: "weight", value: Tensor([1, -1]))
    )
    a.gradient = Tensor([0.3, 0.2])
    b.gradient = a.gradient
    let any = OptimizerKind.adamW(weightDecay: 0.1).makeOptimizer()
    any.step([a], learningRate: 0.01)
    AdamW(weightDecay: 0.1).step([b], learningRate: 0.01)
    #expect(a.value == b.value)
    #expect(any.stepCount == 1)
  }

  @Test func descriptions() {
    #expect(OptimizerKind.sgd(momentum: 0, nesterov: false).description == "SGD")
    #expect(OptimizerKind.sgd(momentum: 0.9, nesterov: true).description == "SGD(momentum: 0.9, nesterov)")
    #expect(OptimizerKind.adamW(weightDecay: 0.01).description == "AdamW(weightDecay: 0.01)")
  }
}
