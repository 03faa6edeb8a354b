import Testing

@testable import SparsityCore
@testable import SparsityIO

@Suite struct ImageWhiteningTests {
  /// The kernel has no DC response (it sums to zero) and is symmetric under x -> -x, y -> -y.
  @Test func kernelSumsToZeroAndIsSymmetric() {
    let radius = 4
    let side = 9
    let kernel = ImageWhitening.kernel(cutoff: 0.2, radius: radius)
    #expect(kernel.count == side * side)
    #expect(abs(kernel.reduce(0, +)) < 1e-12)
    for i in 0..<kernel.count { #expect(abs(kernel[i] - kernel[kernel.count - 1 - i]) < 1e-12) }
    #expect(kernel[radius * side + radius] > 0)  // center-surround: positive center
  }

  /// The output has zero mean and unit standard deviation; a constant image becomes all zeros.
  @Test func outputIsStandardized() {
    var generator = Xoshiro256StarStar(seed: 5)
    let image = GrayImage(width: 23, height: 17, pixels: (0..<(23 * 17)).map { _ in generator.nextUnitFloat() })
    let white = ImageWhitening.whitened(image, radius: 3)
    #expect(white.width == 23 && white.height == 17)
    let n = Double(white.pixels.count)
    let mean = white.pixels.reduce(0.0) { $0 + Double($1) } / n
    let variance = white.pixels.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
    let flat = ImageWhitening.whitened(GrayImage(width: 9, height: 9, repeating: 0.5), radius: 2)
    #expect(flat.pixels.allSatisfy { abs($0) < 1e-5 })
  }
}
