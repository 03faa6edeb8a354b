import Foundation
import SparsityTestSupport
import Testing

@testable import SparsityCore

/// `TopKProduct` (the top k of x Wᵀ + b from a bfloat16 product, recomputing candidates in
/// float32) against its twin, the float32 product whole: equal codes, bit for bit, on random
/// rows, near-ties the bfloat16 product cannot order, exact ties, rows with fewer than k
/// positive entries, odd widths and latent counts; and the error bound it relies on.
@Suite(.enabled(if: KernelInstructionSet.bfloat16Products, "needs AVX512-BF16"))
struct TopKProductTests {
  /// (rows, latents, width, k): latents not a multiple of 16, odd widths, k above the latents.
  static let shapes: [(Int, Int, Int, Int)] = [
    (1, 1, 1, 1), (3, 5, 2, 9), (13, 17, 3, 4), (25, 70, 45, 5), (12, 32, 64, 32), (50, 300, 97, 16),
    (40, 3072, 384, 32),
  ]

  private static func codes(
    _ x: [Float], _ w: [Float], _ bias: [Float]?, rows: Int, latents: Int, width: Int, k: Int, bfloat16: Bool
  ) -> (SparseCodes, Int) {
    var codes = SparseCodes(columns: latents)
    var product = TopKProduct()
    x.withUnsafeBufferPointer { x in
      w.withUnsafeBufferPointer { w in
        let select = { (bias: UnsafePointer<Float>?) in
          product.select(
            x.baseAddress!, rows: rows, weights: w.baseAddress!, latents: latents, width: width, bias: bias, k: k,
            into: &codes, bfloat16: bfloat16)
        }
        if let bias { bias.withUnsafeBufferPointer { select($0.baseAddress!) } } else { select(nil) }
      }
    }
    return (codes, product.recomputed)
  }

  private static func expectSame(
    _ x: [Float], _ w: [Float], _ bias: [Float]?, rows: Int, latents: Int, width: Int, k: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let (fast, recomputed) = codes(x, w, bias, rows: rows, latents: latents, width: width, k: k, bfloat16: true)
    let (twin, _) = codes(x, w, bias, rows: rows, latents: latents, width: width, k: k, bfloat16: false)
    #expect(fast.offsets == twin.offsets, sourceLocation: sourceLocation)
    #expect(fast.indices == twin.indices, sourceLocation: sourceLocation)
    #expect(bits(fast.values) == bits(twin.values), sourceLocation: sourceLocation)
    #expect(recomputed >= fast.nonzeroCount && recomputed <= rows * latents, sourceLocation: sourceLocation)
  }

  @Test(arguments: shapes)
  func randomRowsGiveTheFloat32Codes(rows: Int, latents: Int, width: Int, k: Int) {
    let seed = UInt64(rows * 7 + latents * 3 + width)
    let x = randomValues(rows * width, seed: seed)
    let w = randomValues(latents * width, seed: seed + 1)
    let bias = randomValues(latents, seed: seed + 2).map { $0 * 0.1 }
    Self.expectSame(x, w, bias, rows: rows, latents: latents, width: width, k: k)
    Self.expectSame(x, w, nil, rows: rows, latents: latents, width: width, k: k)
  }

  @Test func nearTiesAndExactTiesGiveTheFloat32Codes() {
    // Rows of W that differ by less than bfloat16 resolves: the approximate order is noise.
    let (rows, latents, width, k) = (30, 96, 40, 8)
    var generator = Xoshiro256StarStar(seed: 11)
    let base = (0..<width).map { _ in generator.normal() }
    var w = [Float]()
    for j in 0..<latents {
      // Every fourth row repeats the one before it exactly: ties the lowest index must win.
      if j % 4 == 3 {
        w += w[((j - 1) * width)..<(j * width)]
      } else {
        w += base.map { $0 + 1e-4 * generator.normal() }
      }
    }
    let x = (0..<(rows * width)).map { i in base[i % width] + 0.01 * generator.normal() }
    Self.expectSame(x, w, nil, rows: rows, latents: latents, width: width, k: k)
    let bias = (0..<latents).map { Float($0 % 3) * 1e-5 }
    Self.expectSame(x, w, bias, rows: rows, latents: latents, width: width, k: k)
  }

  @Test func rowsWithFewerThanKPositiveEntries() {
    let (rows, latents, width, k) = (20, 48, 24, 16)
    let x = randomValues(rows * width, seed: 5)
    let w = randomValues(latents * width, seed: 6).map { $0 * 0.05 }
    // A bias that leaves only a few entries of each row positive, and one that leaves none.
    for shift: Float in [-0.9, -100] {
      let bias = randomValues(latents, seed: 7).map { $0 * 0.1 + shift }
      Self.expectSame(x, w, bias, rows: rows, latents: latents, width: width, k: k)
    }
  }

  @Test func largeAndTinyScales() {
    let (rows, latents, width, k) = (9, 40, 33, 6)
    for scale: Float in [1e15, 1e-15] {
      let x = randomValues(rows * width, seed: 8).map { $0 * scale }
      let w = randomValues(latents * width, seed: 9)
      Self.expectSame(x, w, nil, rows: rows, latents: latents, width: width, k: k)
    }
  }

  /// The approximate product stays within the bound δ_ij of the float32 one (the premise of
  /// exactness), on rows spanning six decades.
  @Test func theApproximationErrorIsWithinTheBound() {
    let (rows, latents, width) = (33, 50, 77)
    var generator = Xoshiro256StarStar(seed: 3)
    let x = (0..<(rows * width)).map { _ in generator.normal() * Float(pow(10, Double(generator.next() % 7) - 3)) }
    let w = randomValues(latents * width, seed: 4)
    var product = TopKProduct()
    var approximate = [Float](repeating: 0, count: rows * latents)
    x.withUnsafeBufferPointer { xp in
      w.withUnsafeBufferPointer { wp in
        product.pack(xp.baseAddress!, rows: rows, weights: wp.baseAddress!, latents: latents, width: width)
      }
    }
    approximate.withUnsafeMutableBufferPointer {
      product.approximateProduct($0.baseAddress!, first: 0, count: rows, latents: latents, width: width, bias: nil)
    }
    let gamma = Double(width) * 0x1p-24 / (1 - Double(width) * 0x1p-24)
    var worst = 0.0
    for i in 0..<rows {
      for j in 0..<latents {
        var exact = 0.0
        for c in 0..<width { exact += Double(x[i * width + c]) * Double(w[j * width + c]) }
        let (rounded, error) = (product.rowNorms[2 * i], product.rowNorms[2 * i + 1])
        let (weight, weightError) = (product.weightNorms[2 * j], product.weightNorms[2 * j + 1])
        let delta =
          error * (weight + weightError) + rounded * weightError + gamma * (rounded + error) * (weight + weightError)
        let difference = Swift.abs(Double(approximate[i * latents + j]) - exact)
        #expect(difference <= delta, "entry (\(i), \(j)): |approximate - exact| \(difference) > bound \(delta)")
        worst = Swift.max(worst, difference / delta)
      }
    }
    #expect(worst > 0.001, "the bound is not vacuous: the worst entry used \(worst) of it")
  }
}
