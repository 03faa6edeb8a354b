import SparsityCore

/// Keeps the k largest activations of each channel, or of each pixel across channels, and sets
/// the rest to zero: a k-sparse activation for images.
///
/// `.channel`: within each channel of each sample, the k largest of its rows * columns pixels
/// are kept (each feature map fires at k places). `.position`: at each pixel of each sample, the
/// k largest of its channel values are kept (k features fire per place). Ties at the k-th value
/// keep the lowest index (pixel in row-major order, or channel), as `TopK` does; k at least the
/// group size keeps everything.
///
/// Backward: dL/dx = dL/dy on the kept positions, 0 elsewhere, through a 0/1 mask stored by
/// `forward` (a kept value can be exactly 0) and reused across calls of one batch size. The
/// selections are the Core kernels `selectTopKInChannels` and `selectTopKAtPositions`.
///
/// Reference: A. Makhzani and B. Frey, "k-Sparse Autoencoders", ICLR 2014; A. Makhzani and
/// B. Frey, "Winner-Take-All Autoencoders", NeurIPS 2015 (spatial and lifetime sparsity).
public final class SpatialTopK: ImageLayer {
  /// Which values compete for the k places.
  public enum Group: Sendable, Hashable, CustomStringConvertible {
    /// The pixels of one channel of one sample.
    case channel
    /// The channels at one pixel of one sample.
    case position

    public var description: String {
      switch self {
      case .channel: "channel"
      case .position: "position"
      }
    }
  }

  /// The channels, rows and columns of one sample; the output has the same shape.
  public let inputShape: ImageShape
  /// Values kept per group.
  public let k: Int
  /// The groups the k largest are kept in.
  public let group: Group
  private var mask: [Float] = []

  /// Keeps the `k` largest values of every `group` of `input` images.
  public init(input: ImageShape, k: Int, over group: Group) {
    precondition(k > 0, "SpatialTopK: k \(k) must be positive")
    self.inputShape = input
    self.k = k
    self.group = group
  }

  /// The same shape as the input.
  public var outputShape: ImageShape { inputShape }
  /// `SpatialTopK(4, over: channel)`.
  public var description: String { "SpatialTopK(\(k), over: \(group))" }
  public var isActivation: Bool { true }
  public func outputFeatures(inputFeatures: Int) -> Int { checkedOutputFeatures(inputFeatures: inputFeatures) }

  /// Selects the k largest of every group.
  /// - Complexity: O(batch * features), a radix selection per group.
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    checkForwardShapes(input, output)
    if mask.count != input.count { mask = [Float](repeating: 0, count: input.count) }
    switch group {
    case .channel: selectTopKInChannels(of: input, image: inputShape, k: k, into: &output, mask: &mask)
    case .position: selectTopKAtPositions(of: input, image: inputShape, k: k, into: &output, mask: &mask)
    }
  }

  /// dL/dx = dL/dy * mask. - Complexity: O(batch * features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    checkBackwardShapes(input, outputGradient, inputGradient)
    precondition(
      mask.count == input.count,
      "\(description).backward: mask of \(mask.count) from the last forward, input \(input.shape)")
    Tensor.zip(outputGradient.scalars, mask, into: &inputGradient.scalars, *)
  }
}
