import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// A `width` x `height` image whose pixel (r, c) is `(r * width + c) / (width * height)`, so
/// every pixel is distinct and a patch reveals where it came from.
private func rampImage(width: Int, height: Int) -> GrayImage {
  GrayImage(width: width, height: height, pixels: (0..<(width * height)).map { Float($0) / Float(width * height) })
}

/// A seeded image of uniform noise.
private func noiseImage(width: Int, height: Int, seed: UInt64) -> GrayImage {
  var generator = Xoshiro256StarStar(seed: seed)
  return GrayImage(width: width, height: height, pixels: (0..<(width * height)).map { _ in generator.nextUnitFloat() })
}

/// Mean and population standard deviation of each row.
private func rowMoments(_ t: Tensor) -> [(mean: Double, std: Double)] {
  (0..<t.rows).map { r in
    let row = (0..<t.columns).map { Double(t[r, $0]) }
    let mean = row.reduce(0, +) / Double(row.count)
    return (mean, (row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(row.count)).squareRoot())
  }
}

@Suite struct PatchesTests {
  @Test func gridPositionsCoverTheImageWithoutCrossingTheBorder() {
    let positions = Patches.positions(width: 10, height: 7, size: 3, placement: .grid(stride: 2))
    // Rows 0, 2, 4 (4 + 3 <= 7); columns 0, 2, 4, 6 (6 + 3 <= 10).
    #expect(positions.count == 12)
    #expect(positions.first == Patches.Position(row: 0, column: 0))
    #expect(positions.last == Patches.Position(row: 4, column: 6))
    #expect(
      Patches.positions(width: 8, height: 8, size: 8, placement: .grid(stride: 1)) == [
        Patches.Position(row: 0, column: 0)
      ])
    #expect(Patches.positions(width: 2, height: 8, size: 3, placement: .grid(stride: 1)).isEmpty)
    #expect(Patches.positions(width: 5, height: 5, size: 2, placement: .grid(stride: 1)).count == 16)
  }

  @Test func extractedPatchesHoldTheRightPixels() {
    let image = rampImage(width: 9, height: 6)
    let positions = [Patches.Position(row: 2, column: 5), Patches.Position(row: 0, column: 0)]
    let patches = Patches.extract(from: image, size: 4, at: positions)
    #expect(patches.shape == [2, 16])
    for (k, position) in positions.enumerated() {
      for i in 0..<4 {
        for j in 0..<4 { #expect(patches[k, i * 4 + j] == image[position.row + i, position.column + j]) }
      }
    }
  }

  @Test func randomPatchesAreDeterministicBySeedAndInBounds() {
    let image = noiseImage(width: 20, height: 13, seed: 1)
    let a = Patches.extract(from: image, size: 5, placement: .random(count: 200, seed: 42))
    let b = Patches.extract(from: image, size: 5, placement: .random(count: 200, seed: 42))
    let c = Patches.extract(from: image, size: 5, placement: .random(count: 200, seed: 43))
    #expect(a.shape == [200, 25])
    #expect(a == b)
    #expect(a != c)
    let positions = Patches.positions(width: 20, height: 13, size: 5, placement: .random(count: 2000, seed: 7))
    #expect(positions.allSatisfy { (0...8).contains($0.row) && (0...15).contains($0.column) })
    // Every corner row and column is reachable, including the last ones.
    #expect(Set(positions.map(\.row)) == Set(0...8))
    #expect(Set(positions.map(\.column)) == Set(0...15))
  }

  @Test func meanRemovalAndContrastNormalizationGiveZeroMeanUnitStd() {
    let patches = Patches.extract(
      from: noiseImage(width: 32, height: 32, seed: 5), size: 8, placement: .grid(stride: 4))
    let centered = Patches.removingMean(patches)
    #expect(rowMoments(centered).allSatisfy { abs($0.mean) < 1e-6 })
    let normalized = Patches.preprocessed(patches, [.removeMean, .normalizeContrast(epsilon: 1e-8)])
    #expect(rowMoments(normalized).allSatisfy { abs($0.mean) < 1e-5 && abs($0.std - 1) < 1e-4 })
    // Epsilon keeps a flat patch finite (it stays zero instead of dividing 0 by 0).
    let flat = Patches.preprocessed(
      Tensor(repeating: 0.3, shape: [1, 16]), [.removeMean, .normalizeContrast(epsilon: 0.1)])
    #expect(flat.scalars.allSatisfy { abs($0) < 1e-6 })
  }

  @Test func jacobiEigendecompositionReconstructsTheMatrix() {
    var generator = Xoshiro256StarStar(seed: 11)
    for n in [1, 2, 5, 16] {
      let b = (0..<(n * n)).map { _ in Double(generator.normal()) }
      let a = (0..<(n * n)).map { b[$0] + b[($0 % n) * n + $0 / n] }  // B + B^T
      let eigen = SymmetricEigendecomposition(symmetric: a, dimension: n)
      #expect(eigen.converged)
      #expect(zip(eigen.values, eigen.values.dropFirst()).allSatisfy { $0 >= $1 })
      let v = eigen.vectors
      var worst = 0.0
      for i in 0..<n {
        for j in 0..<n {
          let reconstructed = (0..<n).reduce(0.0) { $0 + v[i * n + $1] * eigen.values[$1] * v[j * n + $1] }
          let orthogonality = (0..<n).reduce(0.0) { $0 + v[$1 * n + i] * v[$1 * n + j] }
          worst = max(worst, abs(reconstructed - a[i * n + j]), abs(orthogonality - (i == j ? 1 : 0)))
        }
      }
      #expect(worst < 1e-10, "n = \(n)")
    }
  }

  @Test func jacobiFindsKnownEigenvalues() {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with vectors (1, 1) / sqrt 2 and (1, -1) / sqrt 2.
    let eigen = SymmetricEigendecomposition(symmetric: [2, 1, 1, 2], dimension: 2)
    #expect(abs(eigen.values[0] - 3) < 1e-12 && abs(eigen.values[1] - 1) < 1e-12)
    #expect(abs(abs(eigen.vectors[0]) - 0.5.squareRoot()) < 1e-12)
    #expect(abs(eigen.vectors[0] - eigen.vectors[2]) < 1e-12)
  }

  @Test func zcaWhitenedPatchesHaveIdentityCovariance() {
    // Smooth the noise so neighbouring pixels correlate, as in natural images.
    let noise = noiseImage(width: 40, height: 40, seed: 3)
    var smooth = noise
    for r in 0..<39 {
      for c in 0..<39 { smooth[r, c] = (noise[r, c] + noise[r + 1, c] + noise[r, c + 1] + noise[r + 1, c + 1]) / 4 }
    }
    let patches = Patches.extract(from: smooth, size: 4, placement: .random(count: 3000, seed: 9))
    let zca = ZCAWhitening(fitting: patches, epsilon: 0)
    let white = zca.apply(patches)
    let n = Float(white.rows)
    let covariance = Tensor.matmul(white, white, transposeA: true)
    var worst: Float = 0
    for i in 0..<16 { for j in 0..<16 { worst = max(worst, abs(covariance[i, j] / n - (i == j ? 1 : 0))) } }
    #expect(worst < 1e-2)
    #expect(zca.matrix == zca.matrix.transposed())
    // With a large epsilon whitening barely rescales: output ~ centered input / sqrt(epsilon).
    let gentle = Patches.preprocessed(patches, [.whiten(epsilon: 1e4)])
    let centeredFirst = patches[0, 0] - zca.mean[0]
    #expect(abs(gentle[0, 0] * 100 - centeredFirst) < 1e-3)
  }
}
