import Testing

@testable import SparsityCore

/// The radix-2 transforms against the direct DFT in Double. The bound is the normwise one of
/// `FFT.relativeErrorBound` (Higham 2002, Theorem 24.2): ||Y - X|| <= bound(log2 n) ||X||,
/// with ||X|| = sqrt(n) ||x|| (so, relative to the signal norm, sqrt(n) bound(log2 n)), plus the
/// reference's own Double error, at most n 2^-52 ||X||.
@Suite struct FFTTests {
  static let lengths = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096]

  /// ||Y - X|| / ||X|| for Float Y against Double X (0 when X = 0 and Y = 0).
  static func relativeError(_ y: (real: [Float], imaginary: [Float]), _ x: (real: [Double], imaginary: [Double]))
    -> Double
  {
    var (error, norm) = (0.0, 0.0)
    for k in x.real.indices {
      let (dr, di) = (Double(y.real[k]) - x.real[k], Double(y.imaginary[k]) - x.imaginary[k])
      error += dr * dr + di * di
      norm += x.real[k] * x.real[k] + x.imaginary[k] * x.imaginary[k]
    }
    return norm == 0 ? error.squareRoot() : (error / norm).squareRoot()
  }

  static func bound(_ n: Int) -> Double {
    FFT.relativeErrorBound(stages: n.trailingZeroBitCount) + Double(n) * 0x1p-52
  }

  @Test(arguments: lengths)
  func complexTransformMatchesDFT(n: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(n))
    let x = (real: (0..<n).map { _ in generator.normal() }, imaginary: (0..<n).map { _ in generator.normal() })
    let fft = FFT(count: n)
    for direction in [FourierDirection.forward, .inverse] {
      var y = x
      fft.transform(real: &y.real, imaginary: &y.imaginary, direction: direction)
      let reference = FFT.referenceTransform(real: x.real, imaginary: x.imaginary, direction: direction)
      let error = Self.relativeError(y, reference)
      #expect(error <= Self.bound(n), "n \(n) \(direction): relative error \(error)")
    }
  }

  /// The inverse of the forward transform is the input, within the two transforms' bounds.
  @Test(arguments: lengths)
  func inverseUndoesForward(n: Int) {
    var generator = Xoshiro256StarStar(seed: 100 + UInt64(n))
    let x = (real: (0..<n).map { _ in generator.normal() }, imaginary: (0..<n).map { _ in generator.normal() })
    var y = x
    let fft = FFT(count: n)
    fft.transform(real: &y.real, imaginary: &y.imaginary, direction: .forward)
    fft.transform(real: &y.real, imaginary: &y.imaginary, direction: .inverse)
    let error = Self.relativeError(y, (x.real.map(Double.init), x.imaginary.map(Double.init)))
    #expect(error <= 2.01 * Self.bound(n), "n \(n): round trip error \(error)")
  }

  /// Edge cases that are exact: zeros stay zero; an impulse at 0 transforms to all ones.
  @Test(arguments: [1, 2, 4, 64])
  func exactCases(n: Int) {
    let fft = FFT(count: n)
    var (re, im) = ([Float](repeating: 0, count: n), [Float](repeating: 0, count: n))
    fft.transform(real: &re, imaginary: &im, direction: .forward)
    #expect(re.allSatisfy { $0 == 0 } && im.allSatisfy { $0 == 0 })
    re[0] = 1
    fft.transform(real: &re, imaginary: &im, direction: .forward)
    #expect(re.allSatisfy { $0 == 1 } && im.allSatisfy { $0 == 0 })
  }

  /// The real transform's half spectrum against the DFT of the real signal; the error is
  /// measured on the full Hermitian spectrum (bins 1 ..< N/2 count twice).
  @Test(arguments: [2, 4, 8, 16, 64, 256, 2048, 4096])
  func realTransformMatchesDFT(n: Int) {
    var generator = Xoshiro256StarStar(seed: 200 + UInt64(n))
    let x = (0..<n).map { _ in generator.normal() }
    let real = RealFFT(count: n)
    let y = real.forward(x)
    #expect(y.real.count == n / 2 + 1 && y.imaginary.count == n / 2 + 1)
    let reference = FFT.referenceTransform(real: x, imaginary: [Float](repeating: 0, count: n), direction: .forward)
    var (error, norm) = (0.0, 0.0)
    for k in 0..<n {
      let q = k <= n / 2 ? k : n - k
      let (yr, yi) = (Double(y.real[q]), k <= n / 2 ? Double(y.imaginary[q]) : -Double(y.imaginary[q]))
      error +=
        (yr - reference.real[k]) * (yr - reference.real[k]) + (yi - reference.imaginary[k])
        * (yi - reference.imaginary[k])
      norm += reference.real[k] * reference.real[k] + reference.imaginary[k] * reference.imaginary[k]
    }
    let relative = (error / norm).squareRoot()
    #expect(relative <= Self.bound(n), "N \(n): relative error \(relative)")
    #expect(y.imaginary[0] == 0 && y.imaginary[n / 2] == 0)
  }

  /// The real inverse gives back the signal within the forward and inverse bounds.
  @Test(arguments: [2, 4, 8, 64, 1024])
  func realInverseUndoesForward(n: Int) {
    var generator = Xoshiro256StarStar(seed: 300 + UInt64(n))
    let x = (0..<n).map { _ in generator.normal() }
    let real = RealFFT(count: n)
    let spectrum = real.forward(x)
    let back = real.inverse(real: spectrum.real, imaginary: spectrum.imaginary)
    var (error, norm) = (0.0, 0.0)
    for j in 0..<n {
      error += (Double(back[j]) - Double(x[j])) * (Double(back[j]) - Double(x[j]))
      norm += Double(x[j]) * Double(x[j])
    }
    #expect((error / norm).squareRoot() <= 2.01 * Self.bound(n), "N \(n)")
  }

  /// The bound grows like log2(n) * eta with eta = mu + gamma_4 (sqrt 2 + mu) + u ~ 7.66 u.
  @Test func boundIsLinearInStages() {
    let u = 0x1p-24
    #expect(FFT.relativeErrorBound(stages: 0) == 0)
    let perStage = FFT.relativeErrorBound(stages: 1)
    #expect(perStage > 7.65 * u && perStage < 7.67 * u)
    #expect(FFT.relativeErrorBound(stages: 20) >= 20 * perStage)
    #expect(FFT.relativeErrorBound(stages: 20) < 20 * perStage * 1.001)
  }
}
