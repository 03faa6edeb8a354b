// Which kernel every Linear layer of a network runs, why, and what the alternatives measured.

import SparsityCore
import SparsityNN

/// The kernel chosen for every Linear layer of a network at one batch size, with the evidence:
/// weight and input densities and every candidate's time (measured, or estimated by the cost
/// model). Saved as JSON (`InferencePlan+File.swift`) and checked against the model on load.
public struct InferencePlan: Codable, Equatable, Sendable {
  /// The `format` field of plan files.
  public static let formatName = "sparsity-inference-plan"
  /// The `format_version` this build writes and reads.
  public static let currentVersion = 1

  /// Always `formatName`.
  public var format = InferencePlan.formatName
  /// Always `currentVersion` when written by this build.
  public var formatVersion = InferencePlan.currentVersion
  /// The network's architecture in the compact form, e.g. `64-1024-relu-1024-relu-10`.
  public var architecture: String
  /// The batch size the plan was made for.
  public var batch: Int
  /// Sparsity's thread count when the plan was made.
  public var threads: Int
  /// How candidates were compared.
  public var method: PlanningMethod
  /// Calibration samples the densities (and timings) came from; 0 for none.
  public var calibrationSamples: Int
  /// One entry per Linear layer, in network order.
  public var layers: [LayerPlan]
  /// The whole plan timed against the dense model (timed plans with a sparse layer); nil otherwise.
  public var wholeModel: WholeModelCheck?
  /// The row bands tried (timed batch-1 plans of networks with convolutions); nil otherwise.
  public var rowBands: RowBandsPlan?

  /// A plan with the given fields (`format` and `formatVersion` are this build's).
  public init(
    architecture: String, batch: Int, threads: Int, method: PlanningMethod, calibrationSamples: Int, layers: [LayerPlan]
  ) {
    self.architecture = architecture
    self.batch = batch
    self.threads = threads
    self.method = method
    self.calibrationSamples = calibrationSamples
    self.layers = layers
  }

  /// Every Linear and Conv2d layer of `network` on dense BLAS on at most `threads` threads (nil:
  /// all), with nothing measured.
  public static func dense(for network: Sequential, batch: Int = 1, threads: Int? = nil) -> InferencePlan {
    let layers = plannedLayers(of: network).map { planned in
      let index = planned.index
      return LayerPlan(
        layerIndex: index, inputs: planned.inputs, outputs: planned.outputs, kernel: .dense,
        weightDensity: density(planned.weights), inputDensity: nil,
        inputSource: inputSource(of: network, layer: index),
        candidates: [], reason: "dense baseline", threads: threads)
    }
    return InferencePlan(
      architecture: architectureName(network), batch: batch, threads: Parallel.threadCount, method: .fixed,
      calibrationSamples: 0, layers: layers)
  }

  /// Why this plan cannot run `network` (layer count, positions or shapes differ), or nil.
  public func mismatch(with network: Sequential) -> String? {
    let planned = Self.plannedLayers(of: network)
    guard planned.count == layers.count else {
      return
        "the plan has \(layers.count) Linear and Conv2d layers, the model \(Self.architectureName(network)) has \(planned.count)"
    }
    for (layer, plan) in zip(planned, layers) {
      guard plan.layerIndex == layer.index else {
        return
          "plan layer \(plan.layerIndex) is not a Linear or Conv2d layer of the model (those are at \(planned.map(\.index)))"
      }
      guard plan.inputs == layer.inputs && plan.outputs == layer.outputs else {
        let inPlan =
          layer.convolution == nil
          ? "Linear(\(plan.inputs), \(plan.outputs))" : "\(plan.inputs) -> \(plan.outputs) features"
        return "layer \(layer.index) is \(layer.layer.description) in the model but \(inPlan) in the plan"
      }
      if layer.convolution != nil && !CompiledConvolution.kernels.contains(plan.kernel) {
        return "layer \(layer.index) is a convolution, which has no \(plan.kernel.name) kernel"
      }
    }
    if let bands = rowBands, bands.kept {
      guard let run = RowBands.run(in: network), run.layers == bands.firstLayer...bands.lastLayer else {
        return "the plan runs layers \(bands.firstLayer)-\(bands.lastLayer) in row bands, which the model cannot"
      }
      guard run.storedRows >= bands.bands else {
        return "the plan splits \(run.storedRows) rows into \(bands.bands) bands"
      }
    }
    return nil
  }

  /// A layer whose product a plan chooses the kernel of: a Linear or a Conv2d.
  struct PlannedLayer {
    /// The index in the network.
    var index: Int
    /// The layer.
    var layer: Layer
    /// Input and output features.
    var inputs: Int, outputs: Int
    /// Its weight tensor.
    var weights: Tensor
    /// Its geometry when it is a convolution.
    var convolution: ConvolutionGeometry?
  }

  /// The Linear and Conv2d layers of `network`, in order.
  static func plannedLayers(of network: Sequential) -> [PlannedLayer] {
    network.layers.enumerated().compactMap { index, layer in
      switch layer {
      case let linear as Linear:
        return PlannedLayer(
          index: index, layer: linear, inputs: linear.inputFeatures, outputs: linear.outputFeatures,
          weights: linear.weight.value, convolution: nil)
      case let conv as Conv2d:
        return PlannedLayer(
          index: index, layer: conv, inputs: conv.geometry.input.featureCount,
          outputs: conv.geometry.output.featureCount,
          weights: conv.weight.value, convolution: conv.geometry)
      default: return nil
      }
    }
  }

  /// The compact architecture string of `network`, or its layer descriptions when it has no
  /// `ModelArchitecture` form.
  static func architectureName(_ network: Sequential) -> String {
    ModelArchitecture(describing: network)?.description
      ?? "\(network.inputFeatures)-" + network.layers.map(\.description).joined(separator: "-")
  }

  /// Fraction of nonzero entries of `tensor` (1 for an empty one).
  static func density(_ tensor: Tensor) -> Double {
    guard tensor.count > 0 else { return 1 }
    return Double(tensor.scalars.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }) / Double(tensor.count)
  }

  /// What feeds the layer at `layer`: `data`, or the description of the last non-Dropout layer before it.
  static func inputSource(of network: Sequential, layer: Int) -> String {
    let previous = network.layers[..<layer].last { !($0 is Dropout) }
    return previous?.description ?? "data"
  }
}

/// A whole compiled plan timed against the dense model at the plan's batch size.
public struct WholeModelCheck: Codable, Equatable, Sendable {
  /// Median milliseconds per call of the plan as the per-layer choices made it.
  public var plannedMilliseconds: Double
  /// Median milliseconds per call of the dense model on its faster thread count.
  public var denseMilliseconds: Double
  /// That thread count.
  public var denseThreads: Int
  /// True when the plan was slower and every layer fell back to dense.
  public var fellBack: Bool

  public init(plannedMilliseconds: Double, denseMilliseconds: Double, denseThreads: Int, fellBack: Bool) {
    self.plannedMilliseconds = plannedMilliseconds
    self.denseMilliseconds = denseMilliseconds
    self.denseThreads = denseThreads
    self.fellBack = fellBack
  }
}

/// The row bands a timed batch-1 plan tried (`RowBands`): a run of convolutions, and the
/// Linear layer after them, computed in horizontal bands from one hand-off, timed as a whole
/// model against the plan's layers one by one.
public struct RowBandsPlan: Codable, Equatable, Sendable {
  /// Network indices of the run's first and last layers.
  public var firstLayer: Int
  public var lastLayer: Int
  /// Bands (threads) the run is split into.
  public var bands: Int
  /// Median milliseconds per call of the whole plan with the bands, and with the layers one by one.
  public var bandedMilliseconds: Double
  public var layerByLayerMilliseconds: Double
  /// True when the bands were faster and the plan runs them.
  public var kept: Bool

  /// `layers 0-8 in 2 bands`.
  public var summary: String { "layers \(firstLayer)-\(lastLayer) in \(bands) bands" }

  public init(
    firstLayer: Int, lastLayer: Int, bands: Int, bandedMilliseconds: Double, layerByLayerMilliseconds: Double,
    kept: Bool
  ) {
    (self.firstLayer, self.lastLayer, self.bands) = (firstLayer, lastLayer, bands)
    (self.bandedMilliseconds, self.layerByLayerMilliseconds, self.kept) =
      (bandedMilliseconds, layerByLayerMilliseconds, kept)
  }
}

/// How a plan's candidates were compared.
public enum PlanningMethod: String, Codable, Sendable {
  /// Each candidate timed on calibration data at the plan's batch size.
  case timed
  /// Costs estimated from nonzero counts (`CostModel`), nothing run.
  case costModel = "cost-model"
  /// Given, not chosen (the dense baseline).
  case fixed
}

/// The plan for one Linear or Conv2d layer.
public struct LayerPlan: Codable, Equatable, Sendable {
  /// The layer's index in the network (counting every layer, as model files do).
  public var layerIndex: Int
  /// Input features.
  public var inputs: Int
  /// Output features.
  public var outputs: Int
  /// The chosen kernel.
  public var kernel: LayerKernel
  /// Fraction of nonzero weights.
  public var weightDensity: Double
  /// Fraction of nonzero inputs on the calibration data; nil when not measured.
  public var inputDensity: Double?
  /// What feeds the layer: `data` or the layer before it (e.g. `ReLU`).
  public var inputSource: String
  /// Every candidate considered, with its time per call (measured or estimated).
  public var candidates: [CandidateTime]
  /// Why `kernel` was chosen, in words.
  public var reason: String
  /// Threads the layer runs on (at most the plan's `threads`); nil for all of them.
  public var threads: Int?

  /// A layer plan with the given fields.
  public init(
    layerIndex: Int, inputs: Int, outputs: Int, kernel: LayerKernel, weightDensity: Double, inputDensity: Double?,
    inputSource: String, candidates: [CandidateTime], reason: String, threads: Int? = nil
  ) {
    self.threads = threads
    self.layerIndex = layerIndex
    self.inputs = inputs
    self.outputs = outputs
    self.kernel = kernel
    self.weightDensity = weightDensity
    self.inputDensity = inputDensity
    self.inputSource = inputSource
    self.candidates = candidates
    self.reason = reason
  }
}

/// One candidate kernel on a thread count, and its time per call of the layer at the plan's
/// batch size.
public struct CandidateTime: Codable, Equatable, Sendable {
  /// The kernel.
  public var kernel: LayerKernel
  /// Milliseconds per call: the median of the timed samples, or the cost model's estimate.
  public var milliseconds: Double
  /// Threads it ran on; nil for all of Sparsity's.
  public var threads: Int?

  public init(kernel: LayerKernel, milliseconds: Double, threads: Int? = nil) {
    self.kernel = kernel
    self.milliseconds = milliseconds
    self.threads = threads
  }

  /// The kernel's name, with `/1t`-style thread counts when given (`csr/1t`).
  public var name: String { threads.map { "\(kernel.name)/\($0)t" } ?? kernel.name }
}
