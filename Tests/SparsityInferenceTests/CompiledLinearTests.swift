import SparsityTestSupport
import SparsityCore
import SparsityNN
import Testing

@testable import SparsityInference

@Suite struct CompiledLinearTests {
  /// Y = f(X W^T + b) computed with the training layers.
  func reference(_ weights: Tensor, _ bias: Tensor, _ input: Tensor, _ activation: Layer?) -> Tensor {
    var generator = Xoshiro256StarStar(seed: 0)
    let linear = Linear(weights.columns, weights.rows, using: &generator)
    linear.weight.value = weights
    linear.bias!.value = bias
    let network = Sequential(inputFeatures: weights.columns, [linear] + (activation.map { [$0] } ?? []))
    return network.forward(input, training: false)
  }

  @Test(arguments: LayerKernel.all)
  func everyKernelMatchesTheDenseLayer(kernel: LayerKernel) {
    var generator = Xoshiro256StarStar(seed: 7)
    for (outputs, inputs, batch) in [(1, 1, 1), (33, 70, 1), (130, 67, 3), (257, 129, 64), (70, 300, 9)] {
      let weights = Tensor.normal(shape: [outputs, inputs], using: &generator).sparsified(
        zeroFraction: 0.8, using: &generator)
      let bias = Tensor.normal(shape: [outputs], using: &generator)
      let input = TestNetworks.inputs(batch, inputs, zeros: 0.6, seed: UInt64(batch))
      for (activation, layer) in [
        (PointwiseActivation.identity, nil), (.relu, ReLU() as Layer),
        (.leakyReLU(negativeSlope: 0.1), LeakyReLU(negativeSlope: 0.1)), (.sigmoid, Sigmoid()),
      ] {
        let compiled = CompiledLinear(weights: weights, bias: bias, kernel: kernel, activation: activation)
        var output = Tensor(repeating: .nan, shape: [batch, outputs])
        input.scalars.withUnsafeBufferPointer { x in
          output.scalars.withUnsafeMutableBufferPointer { y in
            compiled.run(y.baseAddress!, x.baseAddress!, batch: batch)
          }
        }
        let error = relativeError(output, reference(weights, bias, input, layer))
        #expect(error < 1e-5, "\(kernel) \(activation) shape (\(outputs), \(inputs)) batch \(batch): error \(error)")
      }
    }
  }

  @Test func sparseLayoutsStoreFewerBytesThanDense() {
    var generator = Xoshiro256StarStar(seed: 3)
    let weights = Tensor.normal(shape: [256, 256], using: &generator).sparsified(zeroFraction: 0.9, using: &generator)
    let dense = CompiledLinear(weights: weights, bias: nil, kernel: .dense).storedBytes
    #expect(dense == 256 * 256 * 4)
    #expect(CompiledLinear(weights: weights, bias: nil, kernel: .activationSkipping).storedBytes == dense)
    for kernel in [LayerKernel.csr, .sparseInputSparseWeights] {
      #expect(CompiledLinear(weights: weights, bias: nil, kernel: kernel).storedBytes < dense / 4, "\(kernel)")
    }
  }
}
