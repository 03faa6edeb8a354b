// How well coded frames represent a sound, against the fixed-transform baseline at the same count.

import Foundation
import SparsityCore

/// The signal-to-noise ratio of an approximation, in decibels.
public enum SignalToNoise {
  /// 10 log10(||x||^2 / ||x - y||^2) over all entries, accumulated in Double; +infinity when
  /// y equals x, -infinity when x is zero and y is not.
  public static func decibels<X: Collection<Float>, Y: Collection<Float>>(signal x: X, approximation y: Y) -> Double {
    precondition(x.count == y.count, "SignalToNoise: \(x.count) vs \(y.count) values")
    var energy = 0.0
    var error = 0.0
    for (a, b) in zip(x, y) {
      energy += Double(a) * Double(a)
      error += (Double(a) - Double(b)) * (Double(a) - Double(b))
    }
    if error == 0 { return .infinity }
    return 10 * log10(energy / error)
  }
}

/// The fixed-transform baseline of frame coding: per frame, the largest-magnitude coefficients of
/// the orthonormal DCT-II, as many as the sparse code of that frame has nonzeros. Because the
/// basis is orthonormal, keeping the k largest coefficients is the best k-term approximation in
/// it, so this is what a DCT coder with the same budget achieves.
public enum DCTBaseline {
  /// `frames` (frames x n) approximated from `counts[f]` DCT-II coefficients of each frame f.
  /// - Complexity: two products with the n x n basis, O(frames n^2), and a sort per frame.
  public static func approximation(of frames: Tensor, keeping counts: [Int]) -> Tensor {
    precondition(frames.rank == 2 && counts.count == frames.rows, "DCTBaseline: \(counts.count) counts")
    let basis = DCT.basis(length: frames.columns)
    var coefficients = Tensor.matmul(frames, basis, transposeB: true)
    keepLargestMagnitudes(&coefficients, counts: counts)
    return Tensor.matmul(coefficients, basis)
  }

  /// `frames` approximated from `k` DCT-II coefficients each.
  public static func approximation(of frames: Tensor, keeping k: Int) -> Tensor {
    approximation(of: frames, keeping: [Int](repeating: k, count: frames.rows))
  }

  /// Sets all but the `counts[r]` largest-magnitude entries of each row r of `matrix` to zero
  /// (ties broken by column, first kept).
  static func keepLargestMagnitudes(_ matrix: inout Tensor, counts: [Int]) {
    let n = matrix.columns
    for r in 0..<matrix.rows {
      // A copy, not a slice: a slice would keep the buffer shared and make each write below copy it.
      let row = Array(matrix.scalars[(r * n)..<((r + 1) * n)])
      let order = row.indices.sorted { abs(row[$0]) > abs(row[$1]) || (abs(row[$0]) == abs(row[$1]) && $0 < $1) }
      for i in order.dropFirst(Swift.max(0, counts[r])) { matrix.scalars[r * n + i] = 0 }
    }
  }
}

/// The quality of a sparse code of sound frames: SNR of the frames and of the overlap-added
/// signals, nonzeros per frame and per second, against the DCT baseline at the same counts.
public struct SoundCodingQuality: Equatable, Sendable {
  /// Frames coded.
  public var frames: Int
  /// Seconds of sound those frames belong to (every sample of every signal).
  public var seconds: Double
  /// Mean nonzeros per frame.
  public var nonzerosPerFrame: Double
  /// Nonzeros per second of sound.
  public var nonzerosPerSecond: Double
  /// SNR of the coded frames against the frames (both on the signals' scale), dB.
  public var frameSNR: Double
  /// SNR of the overlap-added signals against the original signals, dB.
  public var signalSNR: Double
  /// SNR of the DCT baseline's frames, each with as many coefficients as its code, dB.
  public var dctFrameSNR: Double
  /// SNR of the DCT baseline's overlap-added signals, dB.
  public var dctSignalSNR: Double

  /// Measures the code `codes` (frames x atoms) over `dictionary` of `sound`'s frames.
  public init(codes: Tensor, dictionary: Tensor, sound: SoundFrames) {
    let originals = sound.originals
    let counts = (0..<codes.rows).map { r in (0..<codes.columns).reduce(0) { $0 + (codes[r, $1] != 0 ? 1 : 0) } }
    let reconstruction = Tensor.matmul(codes, dictionary)
    let frames = sound.denormalized(sound.frames)
    let coded = sound.denormalized(reconstruction)
    let dct = DCTBaseline.approximation(of: frames, keeping: counts)
    // The baseline codes the frames on the signals' scale; `signals(from:)` reads normalized ones.
    let dctNormalized = sound.normalized(dct)
    self.frames = codes.rows
    let samples = originals.reduce(0) { $0 + $1.count }
    seconds = Double(samples) / Double(sound.sampleRate)
    let total = counts.reduce(0, +)
    nonzerosPerFrame = codes.rows > 0 ? Double(total) / Double(codes.rows) : 0
    nonzerosPerSecond = seconds > 0 ? Double(total) / seconds : 0
    frameSNR = SignalToNoise.decibels(signal: frames.scalars, approximation: coded.scalars)
    dctFrameSNR = SignalToNoise.decibels(signal: frames.scalars, approximation: dct.scalars)
    let original = originals.flatMap { $0 }
    signalSNR = SignalToNoise.decibels(
      signal: original, approximation: sound.signals(from: reconstruction).flatMap { $0 })
    dctSignalSNR = SignalToNoise.decibels(
      signal: original, approximation: sound.signals(from: dctNormalized).flatMap { $0 })
  }

}
