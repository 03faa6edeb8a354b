import SparsityCore

/// Keeps the k largest activations of every sample and sets the rest to zero.
///
/// y[i, j] = x[i, j] if x[i, j] is among the k largest values of row i, else 0; so every row
/// keeps exactly min(k, features) entries (some of which may themselves be 0). Ties at the k-th
/// value are broken by index: among equal values the first ones (lowest column) are kept, so
/// the selection is deterministic and stable. The comparison is by value, not magnitude
/// (-0 equals +0; rows holding NaN give an unspecified selection).
///
/// Backward: dL/dx = dL/dy on the kept positions, 0 elsewhere. The kept positions are stored
/// as a 0/1 mask during `forward` (a kept output can be exactly 0, so the output alone cannot
/// tell them apart); the mask is reused across calls and reallocated only when the shape
/// changes. `backward` uses the mask of the last `forward`. The selection is the Core kernel
/// `selectTopK`.
///
/// Reference: A. Makhzani and B. Frey, "k-Sparse Autoencoders", ICLR 2014.
public final class TopK: Layer {
  /// Entries kept per sample.
  public let k: Int
  private var mask: [Float] = []

  public init(k: Int) {
    precondition(k > 0, "TopK: k \(k) must be positive")
    self.k = k
  }

  public var description: String { "TopK(\(k))" }
  public var isActivation: Bool { true }
  public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

  /// Selects the k largest entries of every row.
  ///
  /// - Complexity: O(batch * features), a radix selection per row (`selectTopK`).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    precondition(
      input.rank == 2 && output.shape == input.shape,
      "\(description).forward: input \(input.shape), output \(output.shape)")
    if mask.count != input.count { mask = [Float](repeating: 0, count: input.count) }
    selectTopK(of: input, k: k, into: &output, mask: &mask)
  }

  /// dL/dx = dL/dy * mask. - Complexity: O(batch * features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    precondition(
      outputGradient.shape == input.shape && inputGradient.shape == input.shape && mask.count == input.count,
      "\(description).backward: input \(input.shape), output gradient \(outputGradient.shape), input gradient \(inputGradient.shape), mask of \(mask.count) from the last forward"
    )
    Tensor.zip(outputGradient.scalars, mask, into: &inputGradient.scalars, *)
  }
}
