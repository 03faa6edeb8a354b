import SparsityCore

/// A first-order optimizer: updates parameters in place from their accumulated gradients.
///
/// As in mlx-swift, a conforming type overrides exactly two things: `makeState(for:)`, which
/// creates the per-parameter state (momentum buffers, moment estimates) the first time a
/// parameter is seen, and `update(_:state:learningRate:step:)`, which applies one update to one
/// parameter. The shared `step(_:learningRate:)` does the bookkeeping: it keeps the states in
/// `states` (keyed by the parameter's identity), counts steps and calls `update` for each
/// parameter. State tensors are created once, so a step allocates nothing after the first.
///
/// The learning rate is an argument of every step rather than a property, so that a
/// `LearningRateSchedule` can drive it without mutating the optimizer.
public protocol Optimizer: AnyObject {
  /// What the optimizer remembers about one parameter between steps.
  associatedtype State

  /// Storage for the per-parameter states and the step count; not an override point
  /// (conforming types declare `public let states = OptimizerStates<State>()`).
  var states: OptimizerStates<State> { get }

  /// The state of a parameter seen for the first time (zero buffers of its shape).
  func makeState(for parameter: Parameter) -> State

  /// Applies one update to `parameter.value` from `parameter.gradient`.
  ///
  /// - Parameters:
  ///   - parameter: The parameter to update in place.
  ///   - state: Its state, updated in place.
  ///   - learningRate: The learning rate of this step.
  ///   - step: How many times this parameter has been updated, this update included (1 on
  ///     the first update), as PyTorch's per-parameter `state["step"]`; used for bias correction.
  func update(_ parameter: Parameter, state: inout State, learningRate: Float, step: Int)
}

extension Optimizer {
  /// Updates every parameter once from its gradient and increments the step count.
  ///
  /// Gradients are read, not cleared: call `zeroGradient()` before the next backward pass.
  /// Each parameter should appear once in `parameters`.
  ///
  /// - Complexity: O(total number of parameter elements); allocates only the first time a
  ///   parameter is seen.
  public func step(_ parameters: [Parameter], learningRate: Float) {
    precondition(
      learningRate.isFinite && learningRate >= 0,
      "Optimizer.step: learning rate \(learningRate) must be finite and non-negative")
    states.stepCount += 1
    for parameter in parameters {
      parameter.materializeGradient()
      precondition(
        parameter.gradient.shape == parameter.value.shape,
        "Optimizer.step: gradient \(parameter.gradient.shape) of '\(parameter.name)' differs from its value \(parameter.value.shape)"
      )
      let index = states.index(of: parameter) ?? states.append(parameter, state: makeState(for: parameter))
      states.entries[index].updates += 1
      let updates = states.entries[index].updates
      update(parameter, state: &states.entries[index].state, learningRate: learningRate, step: updates)
    }
  }

  /// The number of calls to `step` since creation or the last `reset()`.
  public var stepCount: Int { states.stepCount }

  /// Forgets every per-parameter state and the step count, as a freshly created optimizer.
  public func reset() { states.removeAll() }
}

/// The per-parameter states of an optimizer, keyed by parameter identity, and its step count.
///
/// Holds a strong reference to every parameter it has a state for, so that an identity is
/// never reused by another parameter while its state is kept.
public final class OptimizerStates<State> {
  struct Entry {
    let parameter: Parameter
    var updates: Int
    var state: State
  }

  var entries: [Entry] = []
  private var indices: [ObjectIdentifier: Int] = [:]
  /// The number of calls to `Optimizer.step`.
  public internal(set) var stepCount = 0

  /// An empty store.
  public init() {}

  /// The number of parameters with a state.
  public var count: Int { entries.count }

  /// The state of `parameter`, or nil before its first update.
  public func state(for parameter: Parameter) -> State? {
    index(of: parameter).map { entries[$0].state }
  }

  /// How many times `parameter` has been updated.
  public func updates(of parameter: Parameter) -> Int {
    index(of: parameter).map { entries[$0].updates } ?? 0
  }

  func index(of parameter: Parameter) -> Int? { indices[ObjectIdentifier(parameter)] }

  /// Adds a state for a parameter that has none and returns its index.
  func append(_ parameter: Parameter, state: State) -> Int {
    precondition(index(of: parameter) == nil, "OptimizerStates: '\(parameter.name)' already has a state")
    indices[ObjectIdentifier(parameter)] = entries.count
    entries.append(Entry(parameter: parameter, updates: 0, state: state))
    return entries.count - 1
  }

  func removeAll() {
    entries.removeAll()
    indices.removeAll()
    stepCount = 0
  }
}
