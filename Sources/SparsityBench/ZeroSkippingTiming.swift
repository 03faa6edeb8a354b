// Timing what zero-skipping buys a trained model at batch 1: dense sgemv against activation skipping.

import Foundation
import SparsityCore
import SparsityNN

/// Batch-1 time of a model's Linear layers that read activations (every Linear layer but the
/// first, whose input is the data), dense against zero-skipping, on real inputs.
///
/// For each of up to `samples` test inputs the model's own activations (evaluation mode) are the
/// inputs of those layers. Dense: `sgemv` of W (outputs x inputs) with each input. Skipping:
/// `activationSkippingMatVec` with W^T, which reads only the weight rows of nonzero inputs.
/// Both compute W x without the bias; one timed call runs every sample through every such layer.
/// The two sides are timed in alternation, `repeats` pairs of at least 5 ms each after a warm-up,
/// so that a change in machine load hits both; the speedup is the median of the pairs' ratios.
/// Dense OpenBLAS runs on 1 thread or on as many as the skipping kernel may use, whichever was
/// faster in a first measurement.
public struct ZeroSkippingTiming: Sendable {
  /// Median microseconds per input, all timed layers, dense BLAS.
  public var denseMicroseconds: Double
  /// Median microseconds per input, all timed layers, activation skipping.
  public var skippingMicroseconds: Double
  /// The median over the timed pairs of dense time / skipping time: above 1 when skipping zeros
  /// is faster.
  public var speedup: Double
  /// The OpenBLAS thread count of the dense figure (the faster of 1 and the kernel's count).
  public var denseThreads: Int
  /// The indices (in the `Sequential`) of the timed Linear layers.
  public var layers: [Int]
  /// Inputs timed.
  public var samples: Int
  /// max |skipping - dense| / max |dense| on the first timed layer and input: the two agree.
  public var relativeError: Double

  /// One timed layer: W, W^T and the inputs it sees, row after row.
  private struct Timed {
    var weights: [Float], weightsByInput: [Float], inputs: [Float]
    var inputCount: Int, outputCount: Int
  }

  /// Measures `model` on the first `samples` rows of `features`; nil when no Linear layer reads
  /// activations (a network without hidden layers).
  public static func measure(_ model: Sequential, features: Tensor, samples: Int = 100, repeats: Int = 7)
    -> ZeroSkippingTiming?
  {
    let count = Swift.min(samples, features.rows)
    guard count > 0 else { return nil }
    model.forward(features.rows(0..<count), training: false)
    let indices = model.layers.indices.filter { $0 > 0 && model.layers[$0] is Linear }
    guard !indices.isEmpty else { return nil }
    let layers = indices.map { index -> Timed in
      let linear = model.layers[index] as! Linear
      let weight = linear.weight.value
      return Timed(
        weights: weight.scalars, weightsByInput: InputMajorWeights(weight).weightsByInput.scalars,
        inputs: model.activations[index].scalars, inputCount: linear.inputFeatures, outputCount: linear.outputFeatures)
    }
    let error = relativeError(layers[0], sample: 0)
    let threads = fasterDenseThreadCount(layers, samples: count)
    var dense: [Double] = []
    var skipping: [Double] = []
    var ratios: [Double] = []
    for _ in 0..<Swift.max(1, repeats) {
      dense.append(milliseconds(layers, samples: count, skipping: false, threads: threads))
      skipping.append(milliseconds(layers, samples: count, skipping: true, threads: threads))
      ratios.append(dense.last! / Swift.max(1e-12, skipping.last!))
    }
    let perInput = 1000 / Double(count)
    return ZeroSkippingTiming(
      denseMicroseconds: MedianTimer.median(dense) * perInput,
      skippingMicroseconds: MedianTimer.median(skipping) * perInput,
      speedup: MedianTimer.median(ratios), denseThreads: threads, layers: indices, samples: count, relativeError: error)
  }

  /// Milliseconds of one pass over the samples (at least 5 ms of calls after a warm-up).
  private static func milliseconds(_ layers: [Timed], samples: Int, skipping: Bool, threads: Int) -> Double {
    var y = [Float](repeating: 0, count: layers.map(\.outputCount).max()!)
    let milliseconds = BLAS.withThreadCount(threads) {
      MedianTimer(samples: 1, minimumSampleMilliseconds: 5, warmUpMilliseconds: 20).milliseconds { _ in
        run(layers, samples: samples, into: &y, skipping: skipping)
      }
    }
    // OpenBLAS worker threads spin for a while after a call and would take a core from the kernel.
    if !skipping && threads > 1 { MedianTimer.pause(seconds: 0.2) }
    return milliseconds
  }

  /// 1 or the kernel's thread count, whichever runs the dense products faster (median of 3).
  private static func fasterDenseThreadCount(_ layers: [Timed], samples: Int) -> Int {
    guard Parallel.threadCount > 1 else { return 1 }
    let times = [1, Parallel.threadCount].map { threads in
      MedianTimer.median((0..<3).map { _ in milliseconds(layers, samples: samples, skipping: false, threads: threads) })
    }
    return times[0] <= times[1] ? 1 : Parallel.threadCount
  }

  /// Every sample through every timed layer, dense or skipping; the outputs land in `y`.
  private static func run(_ layers: [Timed], samples: Int, into y: inout [Float], skipping: Bool) {
    for layer in layers {
      if skipping {
        activationSkippingMatVecOfEachRow(
          &y, weightsByInput: layer.weightsByInput, inputs: layer.inputs, samples: samples,
          inputCount: layer.inputCount, outputCount: layer.outputCount)
      } else {
        denseMatVecOfEachRow(
          &y, weights: layer.weights, inputs: layer.inputs, samples: samples, inputCount: layer.inputCount,
          outputCount: layer.outputCount)
      }
    }
  }

  /// How far the two products of one input apart are, relative to the dense one.
  private static func relativeError(_ layer: Timed, sample: Int) -> Double {
    var dense = [Float](repeating: 0, count: layer.outputCount)
    var skipping = dense
    let one = Timed(
      weights: layer.weights, weightsByInput: layer.weightsByInput,
      inputs: Array(layer.inputs[(sample * layer.inputCount)..<((sample + 1) * layer.inputCount)]),
      inputCount: layer.inputCount, outputCount: layer.outputCount)
    run([one], samples: 1, into: &dense, skipping: false)
    run([one], samples: 1, into: &skipping, skipping: true)
    return maxNormRelativeError(skipping, dense)
  }
}
