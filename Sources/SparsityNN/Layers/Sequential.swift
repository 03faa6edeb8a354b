import SparsityCore

/// Layers applied one after another; owns the activation and gradient buffers of all of them.
///
/// `activations[0]` is the last input and `activations[i + 1]` the output of `layers[i]`;
/// `forward` and `backward` reuse these buffers as long as the batch size stays the same, so a
/// training step allocates nothing. An autoencoder is a `Sequential` too (encoder layers, then
/// decoder layers, trained with `meanSquaredError` against its input).
public final class Sequential {
  /// The layers, first to last.
  public let layers: [Layer]
  /// Features of one input sample.
  public let inputFeatures: Int
  /// Features after each layer: `features[0] == inputFeatures`, `features[i + 1]` after layer i.
  public let features: [Int]
  /// The input and every layer's output from the last `forward`.
  public private(set) var activations: [Tensor]
  private var gradients: [Tensor]

  /// A network taking `inputFeatures` features through `layers`.
  public init(inputFeatures: Int, _ layers: [Layer]) {
    precondition(inputFeatures > 0, "Sequential: inputFeatures must be positive")
    self.layers = layers
    self.inputFeatures = inputFeatures
    var features = [inputFeatures]
    for layer in layers { features.append(layer.outputFeatures(inputFeatures: features.last!)) }
    self.features = features
    parameters = layers.flatMap(\.parameters)
    activations = features.map { Tensor(zeros: [0, $0]) }
    gradients = activations
  }

  /// Features of the network's output.
  public var outputFeatures: Int { features.last! }

  /// All parameters, layer by layer (collected once: the layers never change).
  public let parameters: [Parameter]

  /// Runs every layer on `input` (batch, inputFeatures) and returns the last output.
  /// `training` turns on training-only behaviour such as dropout.
  @discardableResult
  public func forward(_ input: Tensor, training: Bool) -> Tensor {
    precondition(
      input.rank == 2 && input.columns == inputFeatures,
      "Sequential.forward: input \(input.shape), expected (batch, \(inputFeatures))")
    let batch = input.rows
    // Copied into a buffer the network owns: holding the caller's tensor instead would make
    // the caller's next in-place write (a reused batch buffer) copy its whole storage.
    copy(input, into: &activations[0])
    for (index, layer) in layers.enumerated() {
      ensureShape(&activations[index + 1], batch, features[index + 1])
      layer.forward(activations[index], into: &activations[index + 1], training: training)
    }
    return activations[layers.count]
  }

  /// Back-propagates dL/d(output) of the last `forward` through every layer, adding to the
  /// parameters' gradients. Call `zeroGradients()` first unless accumulating over batches.
  ///
  /// `activationPenalty`, when given, is called for every layer i (last to first) with i, the
  /// layer's output and dL/d(that output) before the gradient goes through the layer: this is
  /// where penalties on activations (L1, KL sparsity) add their gradient. With
  /// `needsInputGradient`, dL/d(input) is computed too and left in `inputGradient` (a network
  /// inside a layer, such as a residual block's body, needs it; a whole network does not).
  public func backward(
    _ outputGradient: Tensor, activationPenalty: ((Int, Tensor, inout Tensor) -> Void)? = nil,
    needsInputGradient: Bool = false
  ) {
    precondition(
      outputGradient.shape == activations[layers.count].shape,
      "Sequential.backward: gradient \(outputGradient.shape), output \(activations[layers.count].shape)")
    copy(outputGradient, into: &gradients[layers.count])
    for index in stride(from: layers.count - 1, through: 0, by: -1) {
      ensureShape(&gradients[index], activations[index].rows, features[index])
      activationPenalty?(index, activations[index + 1], &gradients[index + 1])
      layers[index].backward(
        input: activations[index], output: activations[index + 1], outputGradient: gradients[index + 1],
        inputGradient: &gradients[index], needsInputGradient: index > 0 || needsInputGradient)
    }
  }

  /// dL/d(input) from the last `backward(_:activationPenalty:needsInputGradient: true)`.
  public var inputGradient: Tensor { gradients[0] }

  /// Sets every parameter's gradient to zero, lazily (`Parameter.resetGradient()`): the next
  /// `backward` overwrites the gradients instead of adding to them. Code that reads a gradient
  /// before that calls `Parameter.materializeGradient()` first (optimizers and regularizers do).
  public func zeroGradients() {
    for parameter in parameters { parameter.resetGradient() }
  }

  /// Reallocates `tensor` only when it is not a `rows` x `columns` matrix.
  private func ensureShape(_ tensor: inout Tensor, _ rows: Int, _ columns: Int) {
    if tensor.rank != 2 || tensor.shape[0] != rows || tensor.shape[1] != columns {
      tensor = Tensor(zeros: [rows, columns])
    }
  }

  /// Copies the values of `source` into `target`, reshaping `target` only when needed.
  private func copy(_ source: Tensor, into target: inout Tensor) {
    ensureShape(&target, source.rows, source.columns)
    copyValues(source.scalars, into: &target.scalars)
  }
}
