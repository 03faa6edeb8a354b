@testable import SparsityCore

/// Shapes every kernel is checked on: empty, 1 x 1, sizes that are not a SIMD multiple, and
/// sizes large enough to take the multi-threaded and tiled paths.
/// Each entry is (outputs, inputs, batch).
let kernelTestShapes: [(outputs: Int, inputs: Int, batch: Int)] = [
  (0, 5, 3), (5, 0, 3), (4, 4, 0), (1, 1, 1), (1, 1, 2), (3, 17, 1), (17, 3, 5), (33, 65, 7),
  (64, 64, 64), (130, 67, 65), (257, 129, 1), (300, 700, 70), (1100, 300, 2), (600, 1200, 1),
]

/// Sparsity levels: fully dense, typical, very sparse, all zero.
let kernelTestSparsities: [Double] = [0, 0.5, 0.9, 0.99, 1]

/// A (rows, columns) matrix of normal values with `zeroFraction` of them set to zero.
func randomMatrix(_ rows: Int, _ columns: Int, zeroFraction: Double, seed: UInt64) -> Tensor {
  var generator = Xoshiro256StarStar(seed: seed)
  return Tensor.normal(shape: [rows, columns], using: &generator).sparsified(
    zeroFraction: zeroFraction, using: &generator)
}

/// Y = X W^T, one product at a time in Double: the ground truth every kernel is compared to.
func naiveLinear(_ input: Tensor, _ weights: Tensor) -> Tensor {
  let (batch, inputs, outputs) = (input.rows, input.columns, weights.rows)
  var out = Tensor(zeros: [batch, outputs])
  for b in 0..<batch {
    for o in 0..<outputs {
      var total = 0.0
      for j in 0..<inputs { total += Double(input[b, j]) * Double(weights[o, j]) }
      out[b, o] = Float(total)
    }
  }
  return out
}

/// Lengths every element-wise kernel is checked on: empty, single, around the 16-lane SIMD
/// width, odd sizes, and one long enough (> 2^15) to be split over threads, not a SIMD multiple.
let kernelTestLengths: [Int] = [0, 1, 2, 7, 15, 16, 17, 31, 33, 100, 1000, 70_001]

/// `count` normal values with `zeroFraction` of them set to exactly zero.
func randomValues(_ count: Int, zeroFraction: Double = 0, seed: UInt64) -> [Float] {
  randomMatrix(1, count, zeroFraction: zeroFraction, seed: seed).scalars
}

/// The bit patterns of `values`: comparing them checks results bit for bit (+0 differs from -0).
func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

/// The bit patterns of a tensor's values.
func bits(_ tensor: Tensor) -> [UInt32] { bits(tensor.scalars) }
