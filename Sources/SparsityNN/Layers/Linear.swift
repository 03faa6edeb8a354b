import SparsityCore

/// A fully connected layer, Y = X W^T + b.
///
/// Shapes (PyTorch layout): X is (batch, inputFeatures), W is (outputFeatures, inputFeatures),
/// b is (outputFeatures), Y is (batch, outputFeatures). The products run in BLAS `sgemm`
/// written straight into the buffers the network hands in; the bias add and the bias gradient
/// are the Core kernels `addRowVector` and `accumulateColumnSums`, so neither pass allocates.
///
/// Backward, given G = dL/dY:
///   dL/dW += G^T X,   dL/db += column sums of G,   dL/dX = G W.
public final class Linear: Layer {
  /// Features of one input sample.
  public let inputFeatures: Int
  /// Features of one output sample.
  public let outputFeatures: Int
  /// W, shape (outputFeatures, inputFeatures), named `weight`.
  public let weight: Parameter
  /// b, shape (outputFeatures), named `bias`; nil for a layer built with `bias: false`.
  public let bias: Parameter?
  /// [weight, bias], or [weight] without bias; stored so that reading it allocates nothing.
  public let parameters: [Parameter]

  /// A layer from `inputFeatures` to `outputFeatures` with weights drawn by `initialization`.
  public init(
    _ inputFeatures: Int, _ outputFeatures: Int, bias: Bool = true, initialization: Initialization = .he,
    using generator: inout Xoshiro256StarStar
  ) {
    precondition(
      inputFeatures > 0 && outputFeatures > 0,
      "Linear: features must be positive, got (\(inputFeatures), \(outputFeatures))")
    self.inputFeatures = inputFeatures
    self.outputFeatures = outputFeatures
    weight = Parameter(
      name: "weight", value: initialization.weight(fanIn: inputFeatures, fanOut: outputFeatures, using: &generator))
    self.bias =
      bias
      ? Parameter(
        name: "bias", value: initialization.bias(fanIn: inputFeatures, fanOut: outputFeatures, using: &generator))
      : nil
    parameters = [weight] + (self.bias.map { [$0] } ?? [])
  }

  public var description: String {
    "Linear(\(inputFeatures), \(outputFeatures)\(bias == nil ? ", bias: false" : ""))"
  }

  public func outputFeatures(inputFeatures: Int) -> Int {
    precondition(inputFeatures == self.inputFeatures, "\(description): got \(inputFeatures) input features")
    return outputFeatures
  }

  /// Y = X W^T + b, in place.
  ///
  /// - Complexity: O(batch * inputFeatures * outputFeatures).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    precondition(input.rank == 2 && input.columns == inputFeatures, "\(description).forward: input \(input.shape)")
    precondition(
      output.shape == [input.rows, outputFeatures],
      "\(description).forward: output \(output.shape), expected \([input.rows, outputFeatures])")
    Tensor.matmul(input, weight.value, transposeB: true, into: &output)
    if let bias { addRowVector(bias.value.scalars, to: &output) }
  }

  /// Adds G^T X to dL/dW and the column sums of G to dL/db; writes G W into `inputGradient`
  /// when `needsInputGradient`.
  ///
  /// - Complexity: O(batch * inputFeatures * outputFeatures), twice with the input gradient.
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    let batch = input.rows
    precondition(input.columns == inputFeatures, "\(description).backward: input \(input.shape)")
    precondition(
      outputGradient.shape == [batch, outputFeatures],
      "\(description).backward: output gradient \(outputGradient.shape)")
    // A reset gradient (Parameter.resetGradient) is overwritten rather than added to.
    let overwriteWeight = weight.beginAccumulation()
    Tensor.matmul(outputGradient, input, transposeA: true, beta: overwriteWeight ? 0 : 1, into: &weight.gradient)
    if let bias {
      if bias.beginAccumulation() { bias.zeroGradient() }
      accumulateColumnSums(of: outputGradient, into: &bias.gradient.scalars)
    }
    guard needsInputGradient else { return }
    precondition(
      inputGradient.shape == input.shape,
      "\(description).backward: input gradient \(inputGradient.shape), input \(input.shape)")
    Tensor.matmul(outputGradient, weight.value, into: &inputGradient)
  }
}
