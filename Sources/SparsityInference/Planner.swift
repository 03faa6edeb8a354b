// Choosing a kernel per Linear layer: time the candidates on calibration data, or estimate.

import SparsityCore
import SparsityNN

/// Chooses, for every Linear layer of a network, the kernel that runs it fastest at a target
/// batch size.
///
/// The layer inputs come from running the network densely on calibration samples; they give
/// each layer's input density. Candidates are dense BLAS plus the sparse kernels whose zeros
/// exist: input-skipping kernels when inputs have at least `minimumZeroFraction` zeros,
/// weight-sparse ones when weights do. With `.timed` each candidate runs on batches of
/// calibration inputs at the target size, in this process, the candidates taking their timed
/// samples in turn, and its median time counts; with
/// `.costModel` the `CostModel` estimates. A sparse kernel must beat dense by `margin` to be
/// chosen, so a network without zeros stays dense.
public struct Planner: Sendable {
  /// How candidates are compared.
  public enum Method: Sendable, Equatable {
    /// Time each candidate: `samples` samples of at least 1 ms each, the median counts.
    case timed(samples: Int)
    /// Estimate with the cost model; nothing runs.
    case costModel
  }

  /// How candidates are compared (default: timed, 7 samples).
  public var method = Method.timed(samples: 7)
  /// The kernels that may be chosen (dense is always a candidate).
  public var kernels = LayerKernel.all
  /// A sparse kernel is chosen only when dense takes at least `margin` times as long.
  public var margin = 1.05
  /// Inputs (or weights) need at least this fraction of zeros for the kernels skipping them.
  public var minimumZeroFraction = 0.1
  /// Calibration samples used at most (the first ones).
  public var calibrationLimit = 512
  /// The cost model for `.costModel`.
  public var costModel = CostModel()

  public init(method: Method = .timed(samples: 7)) { self.method = method }

  /// The plan for `network` at `batch` samples per call, from `calibration` inputs
  /// (samples, inputFeatures). Runs `network.forward(_:training: false)` once on them.
  /// - Complexity: one dense forward pass, plus per layer the weight conversions and (timed)
  ///   about 15 ms per candidate.
  public func plan(_ network: Sequential, calibration: Tensor, batch: Int) -> InferencePlan {
    precondition(batch > 0, "Planner.plan: batch \(batch) must be positive")
    precondition(calibration.rank == 2 && calibration.columns == network.inputFeatures && calibration.rows > 0,
      "Planner.plan: calibration \(calibration.shape), expected (samples > 0, \(network.inputFeatures))")
    let samples = calibration.rows > calibrationLimit ? calibration.rows(0..<calibrationLimit) : calibration
    network.forward(samples, training: false)
    let activations = network.activations
    let layers = InferencePlan.linearLayers(of: network).map { index, linear in
      planLayer(linear, at: index, input: activations[index], source: InferencePlan.inputSource(of: network, layer: index), batch: batch)
    }
    let methodName: PlanningMethod = method == .costModel ? .costModel : .timed
    return InferencePlan(
      architecture: InferencePlan.architectureName(network), batch: batch, threads: Parallel.threadCount,
      method: methodName, calibrationSamples: samples.rows, layers: layers)
  }

  /// The plan of one Linear layer given its calibration inputs.
  func planLayer(_ linear: Linear, at index: Int, input: Tensor, source: String, batch: Int) -> LayerPlan {
    let weights = linear.weight.value
    let (weightDensity, inputDensity) = (InferencePlan.density(weights), InferencePlan.density(input))
    let candidates = [LayerKernel.dense] + kernels.filter { kernel in
      guard kernel != .dense else { return false }
      if kernel.skipsZeroWeights && 1 - weightDensity < minimumZeroFraction { return false }
      if kernel == .activationSkipping && 1 - inputDensity < minimumZeroFraction { return false }
      return true
    }
    let times = zip(candidates, milliseconds(candidates, linear, input: input, inputDensity: inputDensity, batch: batch)).map {
      CandidateTime(kernel: $0, milliseconds: $1)
    }
    let (kernel, reason) = choose(times, weightDensity: weightDensity, inputDensity: inputDensity)
    return LayerPlan(
      layerIndex: index, inputs: linear.inputFeatures, outputs: linear.outputFeatures, kernel: kernel,
      weightDensity: weightDensity, inputDensity: inputDensity, inputSource: source, candidates: times, reason: reason)
  }

  /// The fastest candidate if it beats dense by `margin`, else dense; and why.
  func choose(_ times: [CandidateTime], weightDensity: Double, inputDensity: Double) -> (LayerKernel, String) {
    let dense = times.first { $0.kernel == .dense }!.milliseconds
    let verb = method == .costModel ? "estimated" : "measured"
    guard times.count > 1 else {
      return (.dense, String(format: "only dense was tried: weights %.0f%% and inputs %.0f%% nonzero leave too few zeros to skip",
        weightDensity * 100, inputDensity * 100))
    }
    let best = times.filter { $0.kernel != .dense }.min { $0.milliseconds < $1.milliseconds }!
    let speedup = dense / best.milliseconds
    if speedup >= margin {
      return (best.kernel, String(format: "fastest %@: %.2fx faster than dense", verb, speedup))
    }
    return (.dense, String(format: "no sparse kernel is %.0f%% faster than dense (best %@, %.2fx, %@)",
      (margin - 1) * 100, best.kernel.name, speedup, verb))
  }

  /// Milliseconds per call of each of `kernels` on this layer at `batch`: estimated, or timed
  /// with the candidates' samples interleaved (`LayerTiming`).
  func milliseconds(_ kernels: [LayerKernel], _ linear: Linear, input: Tensor, inputDensity: Double, batch: Int) -> [Double] {
    let weights = linear.weight.value
    switch method {
    case .costModel:
      let nonzeros = weights.scalars.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
      return kernels.map { kernel in
        var stored = 0
        if case .bsr(let r, let c) = kernel { stored = BSRMatrix(dense: weights, blockRows: r, blockColumns: c).values.count }
        return costModel.milliseconds(
          kernel, inputs: linear.inputFeatures, outputs: linear.outputFeatures, nonzeroWeights: nonzeros,
          storedBlockValues: stored, inputDensity: inputDensity, batch: batch)
      }
    case .timed(let samples):
      let layers = kernels.map { CompiledLinear(weights: weights, bias: linear.bias?.value, kernel: $0) }
      return LayerTiming.milliseconds(layers, inputs: input, batch: batch, timer: MedianTimer(samples: samples))
    }
  }
}
