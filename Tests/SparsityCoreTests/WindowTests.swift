import Testing

@testable import SparsityCore

@Suite struct WindowTests {
  /// u, the unit roundoff of Float.
  static let u = Double(Float.ulpOfOne) / 2

  @Test func valuesAreThePeriodicWindows() {
    let n = 16
    let hann = Window.hann.values(length: n)
    let root = Window.sqrtHann.values(length: n)
    #expect(hann[0] == 0 && hann[n / 2] == 1 && root[0] == 0 && root[n / 2] == 1)
    for i in 1..<n {
      #expect(hann[i] == hann[n - i], "periodic Hann is DFT-even at \(i)")
      #expect(root[i] == root[n - i], "periodic sqrt-Hann is DFT-even at \(i)")
      // Each value is rounded once from Double: the square of the root is Hann to a few u.
      #expect(Swift.abs(Double(root[i]) * Double(root[i]) - Double(hann[i])) <= 3 * Self.u)
    }
    #expect(Window.rectangular.values(length: 5) == [1, 1, 1, 1, 1])
    #expect(Window.hann.values(length: 0).isEmpty)
    #expect(Window.hann.values(length: 1) == [0])
  }

  @Test func sqrtHannSumsToOneAtHalfAndTwoAtQuarterOverlap() {
    for n in [4, 64, 512] {
      #expect(isNear(n, n / 2, 1))
      #expect(isNear(n, n / 4, 2))
      #expect(Window.sqrtHann.overlapAddConstant(length: n, hop: n) == nil, "no overlap leaves gaps")
    }
    #expect(Window.sqrtHann.overlapAddConstant(length: 64, hop: 24) == nil, "a hop that does not divide N")
  }

  /// sqrtHann * sqrtHann at hop `hop` has the constant sum `expected`, up to Double rounding.
  private func isNear(_ n: Int, _ hop: Int, _ expected: Double) -> Bool {
    guard let constant = Window.sqrtHann.overlapAddConstant(length: n, hop: hop) else { return false }
    return Swift.abs(constant - expected) <= 1e-12
  }

  @Test func knownConstantsOfTheOtherPairs() throws {
    let n = 48
    let hannSquared = try #require(Window.hann.overlapAddConstant(length: n, hop: n / 4))
    #expect(Swift.abs(hannSquared - 1.5) <= 1e-12, "Hann^2 at hop N/4 sums to 3/2")
    #expect(Window.hann.overlapAddConstant(length: n, hop: n / 2) == nil, "Hann^2 at hop N/2 is not constant")
    let third = try #require(Window.rectangular.overlapAddConstant(length: n, hop: n / 3))
    #expect(Swift.abs(third - 3) <= 1e-12)
    let hannAnalysis = try #require(Window.hann.overlapAddConstant(length: n, hop: n / 2, synthesis: .rectangular))
    #expect(Swift.abs(hannAnalysis - 1) <= 1e-12, "Hann analysis, no synthesis window, hop N/2")
    let sums = Window.hann.overlapAddSum(length: n, hop: n / 2)
    #expect(sums.count == n / 2)
  }

  /// Frames of a signal, windowed twice by sqrt-Hann and added back at hop N/2, give the signal
  /// wherever two frames overlap: each sample is w_a w_s x + w_a' w_s' x with the Float windows
  /// within u of exact, so the error is a few u of |x|.
  @Test func overlapAddWithSqrtHannReconstructsTheSignal() {
    let (n, hop, frames) = (32, 16, 10)
    let window = Window.sqrtHann.values(length: n)
    let signal = randomValues(hop * (frames + 1), seed: 3)
    var sum = [Float](repeating: 0, count: signal.count)
    for t in 0..<frames {
      for i in 0..<n { sum[t * hop + i] += window[i] * (window[i] * signal[t * hop + i]) }
    }
    let scale = Double(signal.map { Swift.abs($0) }.max()!)
    for i in hop..<(frames * hop) {
      #expect(Swift.abs(Double(sum[i] - signal[i])) <= 8 * Self.u * scale, "sample \(i)")
    }
  }
}
