// JumpReLU's starting thresholds taken from the data, so that a short run starts sparse.
import Foundation
import SparsityCore

/// Per-latent thresholds at which the initialized autoencoder keeps about `l0` latents per row
/// of `sample`: θ_j is the value latent j's pre-activation exceeds on a fraction l0 / latents of
/// the sample's rows (halfway between its ⌈rows · l0 / latents⌉-th largest pre-activation and
/// the next), so every latent starts firing at the same rate and none starts dead. A latent
/// whose pre-activation is that high on too few rows keeps `fallback`.
///
/// Thresholds are learned as log θ with Adam, which moves log θ by about the learning rate per
/// step, so in a few hundred steps they change by tens of percent; from SAELens's fixed start
/// (0.001) such a run stays dense. Starting at the target L0 leaves the
/// penalty to tune the thresholds rather than find them.
///
/// Shapes: `sample` is (rows, inputs) in the units of training; `encoder` is (latents, inputs),
/// `decoderBias` (inputs), `encoderBias` (latents); the result is (latents).
/// - Complexity: O(rows · latents · inputs) for the pre-activations, O(rows · latents) memory.
func initialThresholds(
  sample: UnsafePointer<Float>, rows: Int, encoder: [Float], encoderBias: [Float], decoderBias: [Float],
  l0: Double, fallback: Float
) -> [Float] {
  let (n, d) = (encoderBias.count, decoderBias.count)
  guard rows > 0, n > 0 else { return [Float](repeating: fallback, count: n) }
  var centered = [Float](repeating: 0, count: rows * d)
  for b in 0..<rows { for c in 0..<d { centered[b * d + c] = sample[b * d + c] - decoderBias[c] } }
  var pre = [Float](repeating: 0, count: rows * n)
  pre.withUnsafeMutableBufferPointer { pre in
    centered.withUnsafeBufferPointer { x in
      encoder.withUnsafeBufferPointer { w in
        parallelGEMM(pre.baseAddress!, x.baseAddress!, w.baseAddress!, m: rows, n: n, k: d, transposeB: true)
      }
    }
  }
  // The rank, among a latent's `rows` pre-activations, of the one it must exceed.
  let rank = Swift.min(rows, Swift.max(1, Int((Double(rows) * l0 / Double(n)).rounded(.up))))
  var column = [Float](repeating: 0, count: rows)
  return (0..<n).map { j in
    for b in 0..<rows { column[b] = pre[b * n + j] + encoderBias[j] }
    column.sort(by: >)
    let value = column[rank - 1]
    guard value > 0 && value.isFinite else { return fallback }
    // Halfway to the next value below (or to 0): rounding in how a later pass computes the
    // pre-activations does not move a row across the threshold.
    return (value + (rank < rows ? Swift.max(column[rank], 0) : 0)) / 2
  }
}
