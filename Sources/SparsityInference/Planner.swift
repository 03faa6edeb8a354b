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
/// `.costModel` the `CostModel` estimates. Timed candidates run on one thread and on all of
/// Sparsity's, and the plan records the faster. A sparse kernel must beat dense by `margin` to
/// be chosen, so a network without zeros stays dense; and the whole timed plan must beat the
/// dense model, or it falls back to dense.
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
  /// (samples, inputFeatures). Runs `network.forward(_:training: false)` once on them; when timed,
  /// row bands are tried at batch 1 (`tryRowBands`) and the whole compiled plan is then timed
  /// against the dense model (`checkWholeModel`).
  /// - Complexity: one dense forward pass, plus per layer the weight conversions and (timed)
  ///   about 15 ms per candidate, and about 0.2 s for each whole-model timing.
  public func plan(_ network: Sequential, calibration: Tensor, batch: Int) -> InferencePlan {
    precondition(batch > 0, "Planner.plan: batch \(batch) must be positive")
    precondition(
      calibration.rank == 2 && calibration.columns == network.inputFeatures && calibration.rows > 0,
      "Planner.plan: calibration \(calibration.shape), expected (samples > 0, \(network.inputFeatures))")
    let samples = calibration.rows > calibrationLimit ? calibration.rows(0..<calibrationLimit) : calibration
    network.forward(samples, training: false)
    let activations = network.activations
    let layers = InferencePlan.plannedLayers(of: network).map { planned in
      planLayer(
        planned, input: activations[planned.index],
        source: InferencePlan.inputSource(of: network, layer: planned.index), batch: batch)
    }
    let methodName: PlanningMethod = method == .costModel ? .costModel : .timed
    let plan = InferencePlan(
      architecture: InferencePlan.architectureName(network), batch: batch, threads: Parallel.threadCount,
      method: methodName, calibrationSamples: samples.rows, layers: layers)
    guard case .timed(let timedSamples) = method else { return plan }
    let banded = tryRowBands(plan, network, calibration: samples, samples: timedSamples)
    return checkWholeModel(banded, network, calibration: samples, samples: timedSamples)
  }

  /// At batch 1 on more than one thread, with a sparse layer chosen, times the plan with the run
  /// of convolutions (and the Linear layer after it) in row bands, one per thread (`RowBands`;
  /// at most one per row of the last convolution's output), against the plan layer by layer,
  /// on batches of calibration inputs in turn; the bands are kept when faster. Either way the
  /// figures go in the plan.
  func tryRowBands(_ plan: InferencePlan, _ network: Sequential, calibration: Tensor, samples: Int) -> InferencePlan {
    guard plan.batch == 1, Parallel.threadCount > 1, plan.layers.contains(where: { $0.kernel != .dense }),
      let run = RowBands.run(in: network), run.storedRows > 1
    else { return plan }
    let bands = Swift.min(Parallel.threadCount, run.storedRows)
    var banded = plan
    banded.rowBands = RowBandsPlan(
      firstLayer: run.layers.lowerBound, lastLayer: run.layers.upperBound, bands: bands, bandedMilliseconds: 0,
      layerByLayerMilliseconds: 0, kept: true)
    let times = ModelBenchmark.time(
      [CompiledModel(network, plan: banded), CompiledModel(network, plan: plan)],
      LayerTiming.batches(of: calibration, batch: plan.batch),
      MedianTimer(samples: samples, minimumSampleMilliseconds: 2, warmUpMilliseconds: 10))
    banded.rowBands!.bandedMilliseconds = times[0]
    banded.rowBands!.layerByLayerMilliseconds = times[1]
    banded.rowBands!.kept = times[0] < times[1]
    return banded
  }

  /// Thread counts each candidate is timed with: one, and all of Sparsity's when that is more.
  /// (A layer of a few microseconds does not pay for handing work to another thread.)
  var threadChoices: [Int?] {
    guard case .timed = method, Parallel.threadCount > 1 else { return [nil] }
    return [1, Parallel.threadCount]
  }

  /// The plan of one Linear or Conv2d layer given its calibration inputs.
  func planLayer(_ layer: InferencePlan.PlannedLayer, input: Tensor, source: String, batch: Int) -> LayerPlan {
    let weights = layer.weights
    let (weightDensity, inputDensity) = (InferencePlan.density(weights), InferencePlan.density(input))
    let kernelCandidates =
      [LayerKernel.dense]
      + kernels.filter { kernel in
        guard kernel != .dense else { return false }
        if layer.convolution != nil && !CompiledConvolution.kernels.contains(kernel) { return false }
        if kernel.skipsZeroWeights && 1 - weightDensity < minimumZeroFraction { return false }
        if kernel == .activationSkipping && 1 - inputDensity < minimumZeroFraction { return false }
        return true
      }
    let candidates = kernelCandidates.flatMap { kernel in threadChoices.map { (kernel, $0) } }
    let times = zip(
      candidates, milliseconds(candidates, layer, input: input, inputDensity: inputDensity, batch: batch)
    ).map {
      CandidateTime(kernel: $0.0, milliseconds: $1, threads: $0.1)
    }
    let (chosen, reason) = choose(times, weightDensity: weightDensity, inputDensity: inputDensity)
    return LayerPlan(
      layerIndex: layer.index, inputs: layer.inputs, outputs: layer.outputs, kernel: chosen.kernel,
      weightDensity: weightDensity, inputDensity: inputDensity, inputSource: source, candidates: times, reason: reason,
      threads: chosen.threads)
  }

  /// The fastest sparse candidate if it beats the fastest dense one by `margin`, else the fastest
  /// dense one; and why.
  func choose(_ times: [CandidateTime], weightDensity: Double, inputDensity: Double) -> (CandidateTime, String) {
    let fastest = { (list: [CandidateTime]) in list.min { $0.milliseconds < $1.milliseconds } }
    let dense = fastest(times.filter { $0.kernel == .dense })!
    let verb = method == .costModel ? "estimated" : "measured"
    guard let best = fastest(times.filter { $0.kernel != .dense }) else {
      return (
        dense,
        String(
          format: "only dense was tried: weights %.0f%% and inputs %.0f%% nonzero leave too few zeros to skip",
          weightDensity * 100, inputDensity * 100)
      )
    }
    let speedup = dense.milliseconds / best.milliseconds
    if speedup >= margin {
      return (best, String(format: "fastest %@: %.2fx faster than %@", verb, speedup, dense.name))
    }
    return (
      dense,
      String(
        format: "no sparse kernel is %.0f%% faster than dense (best %@, %.2fx, %@)",
        (margin - 1) * 100, best.name, speedup, verb)
    )
  }

  /// Times the compiled `plan` as a whole against the dense model on one thread and on all, on
  /// batches of calibration inputs, their samples in turn; per-layer times need not add up to
  /// the whole (caches, thread hand-offs). When the plan is slower than the faster dense model,
  /// every layer falls back to dense on that model's thread count. The figures go in the plan.
  func checkWholeModel(_ plan: InferencePlan, _ network: Sequential, calibration: Tensor, samples: Int) -> InferencePlan
  {
    guard plan.layers.contains(where: { $0.kernel != .dense }) else { return plan }
    let denseThreads = threadChoices.map { $0 ?? Parallel.threadCount }
    let models =
      [CompiledModel(network, plan: plan)]
      + denseThreads.map { CompiledModel.dense(network, batch: plan.batch, threads: $0) }
    let inputs = LayerTiming.batches(of: calibration, batch: plan.batch)
    let times = ModelBenchmark.time(
      models, inputs, MedianTimer(samples: samples, minimumSampleMilliseconds: 2, warmUpMilliseconds: 10))
    let fastestDense = (1..<times.count).min { times[$0] < times[$1] }!
    var checked = plan
    checked.wholeModel = WholeModelCheck(
      plannedMilliseconds: times[0], denseMilliseconds: times[fastestDense],
      denseThreads: denseThreads[fastestDense - 1],
      fellBack: times[0] > times[fastestDense])
    guard checked.wholeModel!.fellBack else { return checked }
    let reason = String(
      format: "whole model: the plan took %.4f ms, dense on %ld thread(s) %.4f ms; dense kept",
      times[0], denseThreads[fastestDense - 1], times[fastestDense])
    checked.rowBands?.kept = false
    for i in checked.layers.indices {
      checked.layers[i].kernel = .dense
      checked.layers[i].threads = denseThreads[fastestDense - 1]
      checked.layers[i].reason = reason
    }
    return checked
  }

  /// Milliseconds per call of each candidate (kernel, threads) on this layer at `batch`:
  /// estimated, or timed with the candidates' samples interleaved (`LayerTiming`). A convolution
  /// is estimated as the product it amounts to: (out / groups) x (in / groups x taps) weights
  /// per output pixel and group.
  func milliseconds(
    _ candidates: [(LayerKernel, Int?)], _ layer: InferencePlan.PlannedLayer, input: Tensor, inputDensity: Double,
    batch: Int
  ) -> [Double] {
    let weights = layer.weights
    switch method {
    case .costModel:
      let nonzeros = weights.scalars.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
      let (rows, columns, calls) =
        layer.convolution.map { g in (g.output.channels, g.patchLength, g.output.pixelCount) }
        ?? (layer.outputs, layer.inputs, 1)
      return candidates.map { kernel, _ in
        var stored = 0
        if case .bsr(let r, let c) = kernel {
          stored = BSRMatrix(dense: weights, blockRows: r, blockColumns: c).values.count
        }
        return costModel.milliseconds(
          kernel, inputs: columns, outputs: rows, nonzeroWeights: nonzeros, storedBlockValues: stored,
          inputDensity: inputDensity, batch: batch * calls)
      }
    case .timed(let samples):
      var prepared: [LayerKernel: any CompiledProduct] = [:]
      let layers: [any CompiledProduct] = candidates.map { kernel, threads in
        switch layer.layer {
        case let conv as Conv2d:
          if prepared[kernel] == nil { prepared[kernel] = CompiledConvolution(conv, kernel: kernel) }
          return (prepared[kernel] as! CompiledConvolution).running(threads: threads)
        case let linear as Linear:
          if prepared[kernel] == nil {
            prepared[kernel] = CompiledLinear(weights: weights, bias: linear.bias?.value, kernel: kernel)
          }
          return CompiledLinear(prepared: prepared[kernel] as! CompiledLinear, threads: .some(threads))
        default: preconditionFailure("Planner: layer \(layer.index) is neither Linear nor Conv2d")
        }
      }
      return LayerTiming.milliseconds(layers, inputs: input, batch: batch, timer: MedianTimer(samples: samples))
    }
  }
}
