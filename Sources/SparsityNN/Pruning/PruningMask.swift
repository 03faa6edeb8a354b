import SparsityCore

/// Which elements of one weight tensor are kept (true) and which are pruned (false).
///
/// A pruned element is held at exactly +0.0: `apply(to:)` writes 0 into every pruned position
/// of a tensor (the weight after each optimizer step, its gradient before it), so neither the
/// gradient nor an optimizer's momentum can bring it back. The mask has the shape of the tensor
/// it belongs to and is stored flat, in the tensor's row-major order.
public struct PruningMask: Sendable, Equatable {
  /// The shape of the masked tensor.
  public let shape: [Int]
  /// keep[i] is false when element i (row-major) is pruned.
  public let keep: [Bool]
  /// The number of pruned (false) elements.
  public let prunedCount: Int

  /// A mask of `shape` from its flat keep flags.
  /// - Precondition: `keep.count` is the product of `shape`.
  public init(shape: [Int], keep: [Bool]) {
    precondition(shape.reduce(1, *) == keep.count, "PruningMask: \(keep.count) flags for shape \(shape)")
    self.shape = shape
    self.keep = keep
    prunedCount = keep.reduce(0) { $0 + ($1 ? 0 : 1) }
  }

  /// A mask of `shape` that keeps everything.
  public init(keepingAll shape: [Int]) {
    self.init(shape: shape, keep: [Bool](repeating: true, count: shape.reduce(1, *)))
  }

  /// The number of masked elements.
  public var count: Int { keep.count }

  /// The fraction of elements pruned, prunedCount / count (0 for an empty mask).
  public var sparsity: Double { count == 0 ? 0 : Double(prunedCount) / Double(count) }

  /// The elementwise AND of two masks of the same shape: pruned where either prunes.
  public func intersection(_ other: PruningMask) -> PruningMask {
    precondition(shape == other.shape, "PruningMask.intersection: shapes \(shape) and \(other.shape)")
    return PruningMask(shape: shape, keep: zip(keep, other.keep).map { $0 && $1 })
  }

  /// Sets every pruned element of `tensor` to +0.0; kept elements are untouched.
  /// - Complexity: O(count), no allocation.
  public func apply(to tensor: inout Tensor) {
    precondition(tensor.shape == shape, "PruningMask.apply: tensor \(tensor.shape), mask \(shape)")
    guard prunedCount > 0 else { return }
    zeroUnkept(&tensor.scalars, keep: keep)
  }
}
