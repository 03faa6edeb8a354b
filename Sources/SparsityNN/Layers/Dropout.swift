import SparsityCore

/// Inverted dropout: in training, each unit is zeroed with probability p and the survivors
/// are scaled by 1 / (1 - p), so the expected output equals the input; in evaluation it is the
/// identity.
///
/// Training: y = x * m with m[i] = 0 with probability p, 1 / (1 - p) otherwise, drawn afresh
/// on every `forward` from the layer's own seeded generator (the same seed gives the same
/// sequence of masks). Backward: dL/dx = dL/dy * m with the mask of the last `forward`
/// (dL/dx = dL/dy after an evaluation forward). The mask buffer is reused and reallocated only
/// when the shape changes.
///
/// Reference: N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever and R. Salakhutdinov,
/// "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", JMLR 15, 2014.
public final class Dropout: StochasticLayer {
  /// The probability p that a unit is zeroed in training, in [0, 1).
  public let probability: Float
  private var generator: Xoshiro256StarStar
  private var mask: [Float] = []
  private var lastForwardWasTraining = false

  /// A dropout layer zeroing units with `probability`, its masks drawn from a generator seeded
  /// with `seed`.
  public init(probability: Float, seed: UInt64) {
    precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) not in [0, 1)")
    self.probability = probability
    generator = Xoshiro256StarStar(seed: seed)
  }

  public func reseed(_ seed: UInt64) { generator = Xoshiro256StarStar(seed: seed) }

  public var description: String { "Dropout(\(probability))" }
  public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

  /// y = x * m in training (new mask), y = x in evaluation.
  ///
  /// - Complexity: O(batch * features), one random draw per element in training.
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    precondition(output.shape == input.shape, "\(description).forward: input \(input.shape), output \(output.shape)")
    lastForwardWasTraining = training
    guard training else {
      copyValues(input.scalars, into: &output.scalars)
      return
    }
    if mask.count != input.count { mask = [Float](repeating: 0, count: input.count) }
    drawDropoutMask(&mask, probability: probability, using: &generator)
    Tensor.zip(input.scalars, mask, into: &output.scalars, *)
  }

  /// dL/dx = dL/dy * m (training) or dL/dy (evaluation). - Complexity: O(batch * features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    precondition(
      outputGradient.shape == input.shape && inputGradient.shape == input.shape,
      "\(description).backward: input \(input.shape), output gradient \(outputGradient.shape), input gradient \(inputGradient.shape)"
    )
    let count = input.count
    guard count > 0 else { return }
    guard lastForwardWasTraining else {
      copyValues(outputGradient.scalars, into: &inputGradient.scalars)
      return
    }
    precondition(
      mask.count == count, "\(description).backward: mask of \(mask.count) from the last forward, input \(input.shape)")
    Tensor.zip(outputGradient.scalars, mask, into: &inputGradient.scalars, *)
  }
}
