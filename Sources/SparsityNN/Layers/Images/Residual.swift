import SparsityCore

/// A residual block, y = body(x) + shortcut(x), with the identity as the default shortcut: the
/// building block of ResNets.
///
/// The body (for example conv, batch norm, ReLU, conv, batch norm) and the shortcut (for
/// example a strided 1x1 conv and batch norm when the body changes the shape) are networks of
/// their own, with their own buffers; both must turn the block's input features into the same
/// output features. Backward sends dL/dy through both and adds the two input gradients. In
/// PyTorch the block is a module with `body` and `shortcut` `Sequential`s, so its tensors are
/// named `body.<i>.weight` and `shortcut.<i>.weight` (see `scripts/torch_exchange.py`).
///
/// Reference: K. He, X. Zhang, S. Ren and J. Sun, "Deep Residual Learning for Image
/// Recognition", CVPR 2016.
public final class Residual: Layer {
  /// The main path.
  public let body: Sequential
  /// The shortcut path; nil for the identity.
  public let shortcut: Sequential?
  /// The parameters of the body, then of the shortcut.
  public let parameters: [Parameter]

  /// A block adding `body(x)` and `shortcut(x)` (x itself without a shortcut).
  /// - Precondition: both paths take the same input features and give the same output features.
  public init(body: Sequential, shortcut: Sequential? = nil) {
    let shortcutOutput = shortcut?.outputFeatures ?? body.inputFeatures
    precondition(
      shortcut.map { $0.inputFeatures == body.inputFeatures } ?? true && shortcutOutput == body.outputFeatures,
      "Residual: the body maps \(body.inputFeatures) -> \(body.outputFeatures) features, the shortcut \(shortcut?.inputFeatures ?? body.inputFeatures) -> \(shortcutOutput)"
    )
    self.body = body
    self.shortcut = shortcut
    parameters = body.parameters + (shortcut?.parameters ?? [])
  }

  public var description: String {
    "Residual(\(body.layers.map(\.description).joined(separator: ", "))"
      + (shortcut.map { "; shortcut: " + $0.layers.map(\.description).joined(separator: ", ") } ?? "") + ")"
  }

  public var buffers: [Buffer] { (body.layers + (shortcut?.layers ?? [])).flatMap(\.buffers) }

  public var sublayers: [(name: String, layers: [Layer])] {
    [("body", body.layers)] + (shortcut.map { [("shortcut", $0.layers)] } ?? [])
  }

  public func outputFeatures(inputFeatures: Int) -> Int {
    precondition(inputFeatures == body.inputFeatures, "\(description): got \(inputFeatures) input features")
    return body.outputFeatures
  }

  /// y = body(x) + shortcut(x). - Complexity: that of both paths, plus O(batch * features).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    let main = body.forward(input, training: training)
    precondition(output.shape == main.shape, "\(description).forward: output \(output.shape), expected \(main.shape)")
    let side = shortcut?.forward(input, training: training) ?? input
    Tensor.zip(main.scalars, side.scalars, into: &output.scalars, +)
  }

  /// dL/dx = body's input gradient + shortcut's (or dL/dy itself for the identity).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    body.backward(outputGradient, needsInputGradient: needsInputGradient)
    shortcut?.backward(outputGradient, needsInputGradient: needsInputGradient)
    guard needsInputGradient else { return }
    precondition(
      inputGradient.shape == input.shape,
      "\(description).backward: input gradient \(inputGradient.shape), input \(input.shape)")
    Tensor.zip(
      body.inputGradient.scalars, shortcut?.inputGradient.scalars ?? outputGradient.scalars,
      into: &inputGradient.scalars, +)
  }
}
