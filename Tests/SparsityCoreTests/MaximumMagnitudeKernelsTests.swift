import Testing

@testable import SparsityCore

/// The pursuit step's kernels against their twins on every instruction set this machine runs.
/// Where the target fuses x - a w (AVX2, AVX-512), each value may differ from the twin's (which
/// rounds a w first) by that rounding, u |a w|, plus the two final roundings, u (|fast| + |twin|);
/// the returned maximum is exactly the largest magnitude of the kernel's own output, and within
/// that bound of the twin's.
@Suite struct MaximumMagnitudeKernelsTests {
  static let counts = [0, 1, 7, 15, 16, 17, 31, 33, 100, 1023]

  @Test(arguments: counts)
  func subtractScaledMatchesReference(count: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(count))
    let x = (0..<count).map { _ in generator.normal() }
    let w = (0..<count).map { _ in generator.normal() }
    let a = generator.normal()
    var twin = x
    let twinMaximum = twin.withUnsafeMutableBufferPointer { t in
      w.withUnsafeBufferPointer {
        subtractScaledReturningMaximumMagnitudeReference(t.baseAddress!, a, $0.baseAddress!, count: count)
      }
    }
    for isa in KernelInstructionSet.supported {
      var fast = x
      let maximum = fast.withUnsafeMutableBufferPointer { f in
        w.withUnsafeBufferPointer {
          subtractScaledReturningMaximumMagnitude(f.baseAddress!, a, $0.baseAddress!, count: count, isa: isa)
        }
      }
      let u = Float(0x1p-24)
      var worst: Float = 0
      for j in 0..<count {
        let bound = 1.01 * u * (abs(a * w[j]) + abs(fast[j]) + abs(twin[j]))
        worst = max(worst, bound)
        #expect(abs(fast[j] - twin[j]) <= bound, "\(isa) j \(j)")
      }
      #expect(maximum == fast.map { abs($0) }.max() ?? 0, "\(isa)")
      #expect(abs(maximum - twinMaximum) <= worst, "\(isa)")
    }
  }

  @Test(arguments: counts)
  func maximumMagnitudeMatchesReference(count: Int) {
    var generator = Xoshiro256StarStar(seed: 100 + UInt64(count))
    var x = (0..<count).map { _ in generator.normal() }
    if count > 3 { x[count - 2] = -1e4 }  // a negative largest magnitude, in the tail or a lane
    let twin = x.withUnsafeBufferPointer { maximumMagnitudeReference($0.baseAddress!, count: count) }
    for isa in KernelInstructionSet.supported {
      let fast = x.withUnsafeBufferPointer { maximumMagnitude($0.baseAddress!, count: count, isa: isa) }
      #expect(fast == twin, "\(isa)")
    }
    let zeros = [Float](repeating: -0, count: 40)
    #expect(zeros.withUnsafeBufferPointer { maximumMagnitude($0.baseAddress!, count: 40) } == 0)
  }
}
