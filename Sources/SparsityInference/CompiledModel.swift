// A trained network compiled for inference: per layer the kernel a plan chose.

import SparsityCore
import SparsityNN

/// A `Sequential` network compiled for fast inference: every Linear layer runs the kernel its
/// `InferencePlan` chose (dense BLAS, activation skipping, CSR, BSR, or CSR with activation
/// skipping), with its bias and the following element-wise activation fused into one pass;
/// Dropout is dropped (the identity at inference).
///
/// The outputs equal the network's `forward(_:training: false)` up to float rounding (the
/// kernels add in a different order). Buffers for every stage are allocated once, for the
/// largest batch seen so far, so `forward` allocates nothing in steady state. A compiled model
/// holds mutable buffers: use one from one thread at a time (kernels parallelize inside).
public final class CompiledModel {
  /// The plan the model was built from.
  public let plan: InferencePlan
  /// Features of one input sample.
  public let inputFeatures: Int
  /// Features of one output sample.
  public let outputFeatures: Int
  let stages: [InferenceStage]
  private var buffers: [UnsafeMutablePointer<Float>] = []
  private var capacity = 0

  /// Compiles `network` with the kernels of `plan`.
  /// - Precondition: `plan` fits `network` (`plan.mismatch(with:)` is nil); plans read from
  ///   files are checked when read.
  public init(_ network: Sequential, plan: InferencePlan) {
    if let problem = plan.mismatch(with: network) { preconditionFailure("CompiledModel: \(problem)") }
    self.plan = plan
    let kernels = Dictionary(
      uniqueKeysWithValues: plan.layers.map { ($0.layerIndex, ($0.kernel, threads: $0.threads)) })
    let bands = plan.rowBands.flatMap { $0.kept ? RowBands(network, bands: $0.bands) : nil }
    stages = makeStages(network, rowBands: bands) { kernels[$0]! }
    inputFeatures = network.inputFeatures
    outputFeatures = network.outputFeatures
  }

  /// `network` with every Linear layer on dense BLAS, on at most `threads` threads (nil: all):
  /// the baseline a sparse plan is measured against.
  public static func dense(_ network: Sequential, batch: Int = 1, threads: Int? = nil) -> CompiledModel {
    CompiledModel(network, plan: .dense(for: network, batch: batch, threads: threads))
  }

  deinit { for buffer in buffers { buffer.deallocate() } }

  /// Bytes of all weights and biases as the chosen kernels store them.
  public var storedWeightBytes: Int {
    stages.reduce(0) { total, stage in
      switch stage {
      case .linear(let layer, _): return total + layer.storedBytes
      case .convolution(let layer, _): return total + layer.storedBytes
      case .rowBands(let bands): return total + bands.storedBytes
      default: return total
      }
    }
  }

  /// The kernel of each Linear layer, in order.
  public var kernels: [LayerKernel] {
    stages.compactMap { if case .linear(let layer, _) = $0 { return layer.kernel } else { return nil } }
  }

  /// Runs the network on `batch` samples: x is (batch, inputFeatures), y (batch, outputFeatures).
  /// - Complexity: the sum of the stages' kernels; no allocation once buffers fit `batch`.
  public func forward(_ x: UnsafePointer<Float>, batch: Int, into y: UnsafeMutablePointer<Float>) {
    guard batch > 0 else { return }
    reserve(batch: batch)
    var input = x
    for (index, stage) in stages.enumerated() {
      stage.run(buffers[index], input, batch: batch)
      input = UnsafePointer(buffers[index])
    }
    y.update(from: input, count: batch * outputFeatures)
  }

  /// Runs the network on `input` (batch, inputFeatures) and writes `output` (batch,
  /// outputFeatures), reshaping it only when its shape differs.
  public func forward(_ input: Tensor, into output: inout Tensor) {
    precondition(
      input.rank == 2 && input.columns == inputFeatures,
      "CompiledModel.forward: input \(input.shape), expected (batch, \(inputFeatures))")
    let batch = input.rows
    if output.shape != [batch, outputFeatures] { output = Tensor(zeros: [batch, outputFeatures]) }
    guard batch > 0 else { return }
    input.scalars.withUnsafeBufferPointer { x in
      output.scalars.withUnsafeMutableBufferPointer { y in forward(x.baseAddress!, batch: batch, into: y.baseAddress!) }
    }
  }

  /// The network's outputs for `input` (batch, inputFeatures).
  public func predict(_ input: Tensor) -> Tensor {
    var output = Tensor(zeros: [input.rows, outputFeatures])
    forward(input, into: &output)
    return output
  }

  /// Grows every stage buffer to hold `batch` samples.
  private func reserve(batch: Int) {
    guard batch > capacity else { return }
    for buffer in buffers { buffer.deallocate() }
    // 64-byte aligned (a cache line, one AVX-512 vector): malloc's 16 bytes left the
    // alignment to chance, and vector loads that straddle cache lines slowed some runs.
    buffers = stages.map { stage in
      UnsafeMutableRawPointer.allocate(
        byteCount: Swift.max(1, batch * stage.outputs) * MemoryLayout<Float>.stride, alignment: 64
      )
      .bindMemory(to: Float.self, capacity: Swift.max(1, batch * stage.outputs))
    }
    capacity = batch
  }
}
