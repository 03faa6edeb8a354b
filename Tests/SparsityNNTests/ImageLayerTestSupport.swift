import SparsityCore

@testable import SparsityNN

/// The odd geometry the image layer tests use: 3 channels of 7 x 5 pixels.
let oddImage = ImageShape(channels: 3, rows: 7, columns: 5)

/// A (rows, columns) matrix of distinct values 0.05 apart in a seeded order, centred on zero:
/// no ties, and a finite-difference step of 0.01 never changes which value is largest.
func distinctValues(_ rows: Int, _ columns: Int, seed: UInt64) -> Tensor {
  var generator = Xoshiro256StarStar(seed: seed)
  let count = rows * columns
  let order = generator.permutation(count)
  return Tensor(shape: [rows, columns], scalars: order.map { (Float($0) - Float(count) / 2) * 0.05 })
}

/// The output of one forward pass into a fresh buffer (NaN-filled, so unwritten entries show).
func forward(_ layer: Layer, _ input: Tensor, training: Bool) -> Tensor {
  var output = Tensor(repeating: .nan, shape: [input.rows, layer.outputFeatures(inputFeatures: input.columns)])
  layer.forward(input, into: &output, training: training)
  return output
}

/// dL/dx of one backward pass after the layer's last forward, into a fresh NaN-filled buffer.
func inputGradient(_ layer: Layer, input: Tensor, output: Tensor, upstream: Tensor) -> Tensor {
  var gradient = Tensor(repeating: .nan, shape: input.shape)
  layer.backward(
    input: input, output: output, outputGradient: upstream, inputGradient: &gradient, needsInputGradient: true)
  return gradient
}

/// Forward and backward on an empty batch: the output and input gradient have zero rows.
func emptyBatchShapes(_ layer: Layer, features: Int, training: Bool) -> ([Int], [Int]) {
  let input = Tensor(zeros: [0, features])
  let output = forward(layer, input, training: training)
  let gradient = inputGradient(layer, input: input, output: output, upstream: Tensor(zeros: output.shape))
  return (output.shape, gradient.shape)
}
