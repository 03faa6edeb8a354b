import Foundation
import SparsityCore

@testable import SparsityCoding

/// Sound-like atoms and signals planted from them, shared by the shift-invariant tests.
enum ShiftInvariantFixture {
  static let sampleRate = 16_000.0

  /// A gammatone t^3 e^{-2 pi b t} cos(2 pi f t), b = 1.019 ERB(f) = 1.019 (24.7 + 0.108 f),
  /// sampled at 16 kHz (Patterson et al. 1992; Glasberg and Moore 1990).
  static func gammatone(frequency f: Double, length: Int) -> [Double] {
    let b = 1.019 * (24.7 + 0.108 * f)
    return (0..<length).map { i in
      let t = Double(i) / sampleRate
      return t * t * t * exp(-2 * Double.pi * b * t) * cos(2 * Double.pi * f * t)
    }
  }

  /// A linear chirp from f0 to f1 Hz over the window, times a Hann window.
  static func chirp(from f0: Double, to f1: Double, length: Int) -> [Double] {
    let duration = Double(length) / sampleRate
    return (0..<length).map { i in
      let t = Double(i) / sampleRate
      let phase = 2 * Double.pi * (f0 * t + (f1 - f0) * t * t / (2 * duration))
      return (0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(length))) * cos(phase)
    }
  }

  /// `row` shifted (zeros filling in) so that its energy centroid sum_i i x_i^2 / sum_i x_i^2 is
  /// within half a sample of the window's center, as `ShiftInvariantLearner` centers its atoms.
  static func centered(_ row: [Double]) -> [Double] {
    let energy = row.reduce(0) { $0 + $1 * $1 }
    let centroid = row.indices.reduce(0.0) { $0 + Double($1) * row[$1] * row[$1] } / energy
    let shift = Int((centroid - Double(row.count - 1) / 2).rounded())
    return row.indices.map { $0 + shift >= 0 && $0 + shift < row.count ? row[$0 + shift] : 0 }
  }

  /// Rows scaled to unit norm, as Float.
  static func atoms(_ rows: [[Double]]) -> Tensor {
    Tensor(
      rows: rows.map { row in
        let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return row.map { Float($0 / norm) }
      })
  }

  /// Three gammatones (2, 3.2, 5 kHz) and two chirps (1 to 4 kHz, 6 to 2.5 kHz) of `length`.
  static func soundAtoms(length: Int) -> Tensor {
    atoms([
      gammatone(frequency: 2000, length: length), gammatone(frequency: 3200, length: length),
      gammatone(frequency: 5000, length: length), chirp(from: 1000, to: 4000, length: length),
      chirp(from: 6000, to: 2500, length: length),
    ])
  }

  /// Spikes with starts `gaps` apart (the first at `gaps.lowerBound`), seeded random atoms and
  /// amplitudes +-[1, 3], and the length that holds them plus a margin of L.
  static func plantedSpikes(
    count: Int, atoms: Int, length l: Int, gaps: ClosedRange<Int>, seed: UInt64
  ) -> (spikes: [Spike], signalLength: Int) {
    var generator = Xoshiro256StarStar(seed: seed)
    var (spikes, time) = ([Spike](), gaps.lowerBound)
    for _ in 0..<count {
      let sign: Float = generator.nextUnitFloat() < 0.5 ? -1 : 1
      let atom = Int(generator.next(upperBound: UInt64(atoms)))
      spikes.append(Spike(atom: atom, time: time, amplitude: sign * generator.uniform(in: 1...3)))
      time += gaps.lowerBound + Int(generator.next(upperBound: UInt64(gaps.count)))
    }
    return (spikes, time + l)
  }

  /// <phi_a, phi_b> in Double for atoms shifted to their spikes' times (0 when apart >= L).
  static func inner(_ a: Spike, _ b: Spike, atoms: Tensor) -> Double {
    let l = atoms.columns
    let d = b.time - a.time
    guard abs(d) < l else { return 0 }
    var sum = 0.0
    for i in max(0, d)..<min(l, l + d) { sum += Double(atoms[a.atom, i]) * Double(atoms[b.atom, i - d]) }
    return sum
  }

  /// The normwise first-order error factor of an overlap-save correlation with blocks of B
  /// samples and filters of L (`crossCorrelation`'s summary), plus u for rounding to Float.
  static func correlationErrorFactor(blockSize b: Int, length l: Int) -> Double {
    let u = 0x1p-24
    let eps = FFT.relativeErrorBound(stages: b.trailingZeroBitCount)
    return 1.01 * 2 * ((Double(b).squareRoot() + 2 * Double(l).squareRoot()) * eps + 3 * u * Double(l).squareRoot()) + u
  }

  /// The factor for `crossCorrelation(signal of n, K filters of l)` as it chooses its method.
  static func correlationErrorFactor(signalLength n: Int, filters k: Int, length l: Int) -> Double {
    switch CorrelationMethod.cheapest(signalLength: n, filterCount: k, filterLength: l) {
    case .direct: return 1.01 * Double(l) * 0x1p-24 / (1 - Double(l) * 0x1p-24) + 0x1p-24
    case .overlapSave(let b): return correlationErrorFactor(blockSize: b, length: l)
    }
  }
}
