import Testing

@testable import SparsityCore

/// The short-time transform: frame geometry, magnitudes against the direct DFT of each windowed
/// frame, perfect reconstruction with the square-root Hann pair, and the top-k baseline.
///
/// Bounds: a frame's coefficients have error at most (eps_L + u) ||X_f|| (the real transform's
/// bound plus the windowing, ||X_f|| = sqrt(L) ||w x_f||). With w^2 summing to one at hop L/2
/// the analysis is a tight frame, sum_f ||X_f||^2 = L ||x||^2 over full spectra, and each sample
/// lies in two frames; so a round trip errs by at most sqrt(2) (2 eps_L + 4 u) ||x|| plus 2u ||x||
/// for the rounded window's squares not summing exactly to one, and a reconstruction from
/// coefficients Y errs by at most ||Y - X|| / sqrt(L) (the pseudo-inverse of a tight frame).
@Suite struct STFTTests {
  static let u = 0x1p-24

  static func random(_ count: Int, seed: UInt64) -> [Float] {
    var generator = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in generator.normal() }
  }

  static func norm(_ x: [Float]) -> Double { x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }

  static func distance(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }.squareRoot()
  }

  @Test func frameGeometry() {
    let stft = STFT.perfectReconstruction(frameLength: 8)
    #expect(stft.hop == 4 && stft.binCount == 5)
    #expect(stft.frameCount(signalLength: 0) == 0)
    #expect(stft.frameCount(signalLength: 1) == 2)  // frames at -4 and 0 both hold sample 0
    #expect(stft.frameCount(signalLength: 4) == 2)
    #expect(stft.frameCount(signalLength: 5) == 3)
    #expect(stft.frameStart(0) == -4 && stft.frameStart(3) == 8)
    // Every sample lies in exactly two frames.
    for n in [1, 7, 8, 9, 33] {
      let frames = stft.frameCount(signalLength: n)
      for sample in 0..<n {
        let holding = (0..<frames).filter { stft.frameStart($0) <= sample && sample < stft.frameStart($0) + 8 }
        #expect(holding.count == 2, "N \(n) sample \(sample)")
      }
    }
  }

  @Test(arguments: [(1000, 64), (4096, 256), (37, 16), (5, 2)])
  func magnitudesMatchDFT(n: Int, l: Int) {
    let x = Self.random(n, seed: UInt64(n + l))
    let stft = STFT(window: (0..<l).map { Float($0 % 5) / 4 }, hop: max(1, l / 4))
    let magnitudes = stft.magnitudes(x)
    #expect(magnitudes.shape == [stft.frameCount(signalLength: n), l / 2 + 1])
    let eps = FFT.relativeErrorBound(stages: l.trailingZeroBitCount)
    for f in 0..<magnitudes.rows {
      let start = stft.frameStart(f)
      let frame = (0..<l).map { j in start + j >= 0 && start + j < n ? stft.window[j] * x[start + j] : 0 }
      let exact = FFT.referenceTransform(real: frame, imaginary: [Float](repeating: 0, count: l), direction: .forward)
      var error = 0.0
      for q in 0...(l / 2) {
        let magnitude = (exact.real[q] * exact.real[q] + exact.imaginary[q] * exact.imaginary[q]).squareRoot()
        error += (Double(magnitudes[f, q]) - magnitude) * (Double(magnitudes[f, q]) - magnitude)
      }
      let bound = (eps + 2 * Self.u) * 1.01 * Double(l).squareRoot() * Self.norm(frame)
      #expect(error.squareRoot() <= bound, "frame \(f)")
    }
  }

  @Test(arguments: [(1, 8), (100, 16), (5000, 256), (4097, 512)])
  func perfectReconstruction(n: Int, l: Int) {
    let x = Self.random(n, seed: UInt64(7 * n + l))
    let stft = STFT.perfectReconstruction(frameLength: l)
    let back = stft.inverse(stft.transform(x), length: n)
    let eps = FFT.relativeErrorBound(stages: l.trailingZeroBitCount)
    let bound = (2.0.squareRoot() * (2 * eps + 4 * Self.u) + 2 * Self.u) * 1.01 * Self.norm(x)
    #expect(Self.distance(back, x) <= bound, "N \(n) L \(l)")
  }

  /// The largest coefficients are kept, exactly as many as asked, and the reconstruction error is
  /// within the tight-frame bound of the dropped energy.
  @Test(arguments: [CoefficientSelection.perFrame(5), .perFrame(0), .perFrame(1000), .total(300), .total(0)])
  func topKReconstruction(selection: CoefficientSelection) {
    let (n, l) = (3000, 64)
    let x = Self.random(n, seed: 11)
    let stft = STFT.perfectReconstruction(frameLength: l)
    let full = stft.transform(x)
    let kept = full.keepingLargest(selection)
    let (frames, bins) = (full.frames, full.bins)
    switch selection {
    case .perFrame(let k): #expect(kept.nonzeroCount == frames * min(k, bins))
    case .total(let k): #expect(kept.nonzeroCount == min(k, frames * bins))
    }
    let (magnitudes, keptMagnitudes) = (full.magnitudes, kept.magnitudes)
    var dropped = 0.0  // ||Y - X||^2 over full spectra: inner bins count twice
    for f in 0..<frames {
      for q in 0..<bins where keptMagnitudes[f, q] == 0 {
        dropped += (q == 0 || q == bins - 1 ? 1 : 2) * Double(magnitudes[f, q]) * Double(magnitudes[f, q])
      }
    }
    if case .perFrame(let k) = selection, k > 0, k < bins {
      for f in 0..<frames {
        let row = (0..<bins).map { magnitudes[f, $0] }
        let keptRow = (0..<bins).filter { keptMagnitudes[f, $0] != 0 }.map { row[$0] }
        let droppedRow = (0..<bins).filter { keptMagnitudes[f, $0] == 0 }.map { row[$0] }
        #expect(keptRow.min()! >= droppedRow.max()!, "frame \(f)")
      }
    }
    let back = stft.reconstruction(of: x, keeping: selection)
    let eps = FFT.relativeErrorBound(stages: l.trailingZeroBitCount)
    let rounding = (2.0.squareRoot() * (2 * eps + 4 * Self.u) + 2 * Self.u) * Self.norm(x)
    #expect(Self.distance(back, x) <= (dropped / Double(l)).squareRoot() * 1.01 + rounding)
  }
}
