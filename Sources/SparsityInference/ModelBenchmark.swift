// Dense against compiled inference of one network, in one process: latency, accuracy, bytes.

import Foundation
import SparsityCore
import SparsityNN

/// What `ModelBenchmark` measured at one batch size.
public struct ModelBenchmarkResult: Sendable {
  /// Samples per call.
  public var batch: Int
  /// Median milliseconds per call of the dense network (the faster dense variant).
  public var denseMilliseconds: Double
  /// Which dense variant that was (see `DenseVariant`).
  public var denseVariant: DenseVariant
  /// Median milliseconds per call of the compiled network (the faster variant).
  public var sparseMilliseconds: Double
  /// Which variant that was: how the BLAS calls of its dense layers (if any) were threaded.
  public var sparseVariant: DenseVariant
  /// dense / sparse.
  public var speedup: Double { denseMilliseconds / sparseMilliseconds }
  /// Samples per second, dense.
  public var denseThroughput: Double { Double(batch) / denseMilliseconds * 1000 }
  /// Samples per second, compiled.
  public var sparseThroughput: Double { Double(batch) / sparseMilliseconds * 1000 }
  /// Bytes of the dense weights and biases.
  public var denseWeightBytes: Int
  /// Bytes of the weights and biases as the compiled kernels store them.
  public var sparseWeightBytes: Int
  /// Accuracy of the dense and the compiled network on the labeled samples (0...1).
  public var denseAccuracy: Double
  public var sparseAccuracy: Double
  /// max |compiled - dense| / max |dense| over all outputs of all samples.
  public var relativeError: Double
  /// The plan the compiled network ran.
  public var plan: InferencePlan
  /// The instruction set the kernels ran with (`KernelInstructionSet.active`).
  public var instructionSet = KernelInstructionSet.active
}

/// How BLAS is threaded while a network runs; `ModelBenchmark` times the dense and the compiled
/// network both ways and reports the faster of each, so that neither side gets more tries.
public enum DenseVariant: String, Sendable {
  /// OpenBLAS on one thread per call, calls split over Sparsity's threads (`parallelGEMM`,
  /// row-split `sgemv`): how Sparsity runs dense layers.
  case sparsityThreads = "openblas-1-thread-split"
  /// One OpenBLAS call per layer with OpenBLAS's own threads (as many as Sparsity's).
  case openBLASThreads = "openblas-threaded"
  /// Everything on one thread (dense only): at small sizes a hand-off to another thread costs
  /// more than it saves.
  case singleThread = "one-thread"
}

/// Times a network densely and compiled, at several batch sizes, on the same inputs.
///
/// Per batch size: a plan is made by `planner` (or `plan` is used), both forms run on batches
/// cycling through the samples, each timed as medians of `samples` samples (the dense one every
/// way of `DenseVariant`, the compiled one both BLAS threadings, since its dense layers call BLAS
/// too; within each way, dense and compiled take their samples in turn), and both classify every
/// sample for the accuracies. The faster figure of each side counts.
public struct ModelBenchmark: Sendable {
  /// Batch sizes to measure.
  public var batches: [Int] = [1, 8, 64]
  /// Timed samples per figure; the median is reported.
  public var samples = 9
  /// Makes the plan per batch size (unless `plan` is set).
  public var planner = Planner()
  /// A fixed plan for every batch size, instead of planning.
  public var plan: InferencePlan?
  /// Seconds to wait after OpenBLAS ran threaded, so that its spinning threads go idle.
  public var blasIdlePause = 0.15

  public init() {}

  /// Measures `network` on `features` (samples, inputFeatures) with `labels` (one class index
  /// per sample, for the accuracies); `calibration` feeds the planner. Calls `report` per batch.
  public func run(
    _ network: Sequential, features: Tensor, labels: [Int], calibration: Tensor,
    report: (ModelBenchmarkResult) -> Void = { _ in }
  ) -> [ModelBenchmarkResult] {
    precondition(
      labels.count == features.rows && features.rows > 0,
      "ModelBenchmark: \(labels.count) labels for \(features.rows) samples")
    let dense = CompiledModel.dense(network)
    let singleThreadDense = CompiledModel.dense(network, threads: 1)
    let denseOutputs = dense.predict(features)
    return batches.map { batch in
      let plan = self.plan ?? planner.plan(network, calibration: calibration, batch: batch)
      let compiled = CompiledModel(network, plan: plan)
      let sparseOutputs = compiled.predict(features)
      let inputs = LayerTiming.batches(of: features, batch: batch, variants: 16)
      let timer = MedianTimer(samples: samples, minimumSampleMilliseconds: 5, warmUpMilliseconds: 20)
      let split = Self.time([dense, compiled] + (Parallel.threadCount > 1 ? [singleThreadDense] : []), inputs, timer)
      var (denseMs, variant) = (split[0], DenseVariant.sparsityThreads)
      var (sparseMs, sparseVariant) = (split[1], DenseVariant.sparsityThreads)
      if split.count > 2 && split[2] < denseMs { (denseMs, variant) = (split[2], .singleThread) }
      if Parallel.threadCount > 1 {
        let threaded = BLAS.withThreadCount(Parallel.threadCount) { Self.time([dense, compiled], inputs, timer) }
        if threaded[0] < denseMs { (denseMs, variant) = (threaded[0], .openBLASThreads) }
        if threaded[1] < sparseMs { (sparseMs, sparseVariant) = (threaded[1], .openBLASThreads) }
        Thread.sleep(forTimeInterval: blasIdlePause)
      }
      let result = ModelBenchmarkResult(
        batch: batch, denseMilliseconds: denseMs, denseVariant: variant, sparseMilliseconds: sparseMs,
        sparseVariant: sparseVariant,
        denseWeightBytes: dense.storedWeightBytes, sparseWeightBytes: compiled.storedWeightBytes,
        denseAccuracy: Self.accuracy(denseOutputs, labels), sparseAccuracy: Self.accuracy(sparseOutputs, labels),
        relativeError: maxNormRelativeError(sparseOutputs, denseOutputs), plan: plan)
      report(result)
      return result
    }
  }

  /// Median milliseconds per `forward` of each of `models`, cycling through `inputs`, their
  /// timed samples interleaved (`MedianTimer.interleavedMilliseconds`).
  static func time(_ models: [CompiledModel], _ inputs: [Tensor], _ timer: MedianTimer) -> [Double] {
    let batch = inputs[0].rows
    let output = UnsafeMutablePointer<Float>.allocate(capacity: batch * models.map(\.outputFeatures).max()!)
    defer { output.deallocate() }
    return timer.interleavedMilliseconds(
      models.map { model in
        { call in
          inputs[call % inputs.count].scalars.withUnsafeBufferPointer { x in
            model.forward(x.baseAddress!, batch: batch, into: output)
          }
        }
      })
  }

  /// Fraction of rows of `outputs` whose largest entry (first on ties) is at the label.
  static func accuracy(_ outputs: Tensor, _ labels: [Int]) -> Double {
    let columns = outputs.columns
    var correct = 0
    for (row, label) in labels.enumerated() {
      var best = 0
      for j in 1..<Swift.max(1, columns)
      where outputs.scalars[row * columns + j] > outputs.scalars[row * columns + best] { best = j }
      if best == label { correct += 1 }
    }
    return Double(correct) / Double(Swift.max(1, labels.count))
  }
}
