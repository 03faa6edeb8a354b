// Timing one compiled layer on batches cut from calibration inputs.

import SparsityCore

/// A compiled layer the planner can time: a Linear or a convolution.
protocol CompiledProduct {
  /// Output features per sample.
  var outputs: Int { get }
  /// y = layer(x) for `batch` samples.
  func run(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int)
}

extension CompiledLinear: CompiledProduct {}
extension CompiledConvolution: CompiledProduct {}

/// Times compiled layers the way the planner compares them.
enum LayerTiming {
  /// Batches of `batch` rows cut from `inputs` (rows wrap around when there are too few):
  /// up to `variants` different ones, so that no call sees the input of the one before.
  static func batches(of inputs: Tensor, batch: Int, variants: Int = 8) -> [Tensor] {
    let rows = inputs.rows
    let count = Swift.max(1, Swift.min(variants, rows / batch))
    return (0..<count).map { v in inputs.gatherRows((0..<batch).map { (v * batch + $0) % rows }) }
  }

  /// Median milliseconds per call of `layer` on batches of `batch` calibration rows.
  static func milliseconds(_ layer: any CompiledProduct, inputs: Tensor, batch: Int, timer: MedianTimer) -> Double {
    milliseconds([layer], inputs: inputs, batch: batch, timer: timer)[0]
  }

  /// Median milliseconds per call of each of `layers` (same shape) on the same batches, their
  /// timed samples taken in turn (`MedianTimer.interleavedMilliseconds`), so that a change of
  /// machine load falls on all candidates alike.
  static func milliseconds(_ layers: [any CompiledProduct], inputs: Tensor, batch: Int, timer: MedianTimer) -> [Double]
  {
    let batches = batches(of: inputs, batch: batch)
    let output = UnsafeMutablePointer<Float>.allocate(capacity: batch * layers.map(\.outputs).max()!)
    defer { output.deallocate() }
    return timer.interleavedMilliseconds(
      layers.map { layer in
        { call in
          batches[call % batches.count].scalars.withUnsafeBufferPointer { x in
            layer.run(output, x.baseAddress!, batch: batch)
          }
        }
      })
  }
}
