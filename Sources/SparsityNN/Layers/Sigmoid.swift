import SparsityCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#else
  import Darwin
#endif

/// The logistic sigmoid, y = 1 / (1 + exp(-x)), element-wise.
///
/// Numerically stable: for x >= 0 it evaluates 1 / (1 + exp(-x)), for x < 0 the equal
/// exp(x) / (1 + exp(x)); exp only ever sees -|x|, so it never overflows and no NaN appears
/// for large |x|.
/// Backward: dL/dx = dL/dy * y (1 - y), read from the stored output.
public final class Sigmoid: Layer {
  public init() {}

  public var description: String { "Sigmoid" }
  public var isActivation: Bool { true }
  public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

  /// y = sigmoid(x). - Complexity: O(batch * features) exponentials.
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    precondition(output.shape == input.shape, "Sigmoid.forward: input \(input.shape), output \(output.shape)")
    Tensor.map(input.scalars, into: &output.scalars) { Self.sigmoid($0) }
  }

  /// dL/dx = dL/dy * y * (1 - y). - Complexity: O(batch * features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    precondition(
      outputGradient.shape == output.shape && inputGradient.shape == output.shape,
      "Sigmoid.backward: output \(output.shape), output gradient \(outputGradient.shape), input gradient \(inputGradient.shape)"
    )
    Tensor.zip(output.scalars, outputGradient.scalars, into: &inputGradient.scalars) { y, gy in gy * y * (1 - y) }
  }

  /// The logistic function without overflow for any x: with e = exp(-|x|) <= 1, it is
  /// 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0 (a select, not a branch).
  @inline(__always)
  static func sigmoid(_ x: Float) -> Float {
    let e = exp(-abs(x))
    return (x >= 0 ? 1 : e) / (1 + e)
  }
}
