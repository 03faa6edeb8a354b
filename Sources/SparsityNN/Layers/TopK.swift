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
/// tell them apart); the mask and the selection scratch are reused across calls and
/// reallocated only when the shape changes. `backward` uses the mask of the last `forward`.
///
/// Reference: A. Makhzani and B. Frey, "k-Sparse Autoencoders", ICLR 2014.
public final class TopK: Layer {
  /// Entries kept per sample.
  public let k: Int
  private var mask: [Float] = []
  private var keys: [UInt32] = []
  private var histogram = [UInt32](repeating: 0, count: TopKSelection.histogramSize)

  public init(k: Int) {
    precondition(k > 0, "TopK: k \(k) must be positive")
    self.k = k
  }

  public var description: String { "TopK(\(k))" }
  public var isActivation: Bool { true }
  public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

  /// Selects the k largest entries of every row.
  ///
  /// - Complexity: O(batch * features), a radix selection per row (`TopKSelection`).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    precondition(
      input.rank == 2 && output.shape == input.shape,
      "\(description).forward: input \(input.shape), output \(output.shape)")
    let (rows, columns) = (input.rows, input.columns)
    if mask.count != input.count { mask = [Float](repeating: 0, count: input.count) }
    if keys.count != columns { keys = [UInt32](repeating: 0, count: columns) }
    guard rows > 0, columns > 0 else { return }
    let kept = Swift.min(k, columns)
    input.scalars.withUnsafeBufferPointer { xs in
      output.scalars.withUnsafeMutableBufferPointer { ys in
        mask.withUnsafeMutableBufferPointer { ms in
          keys.withUnsafeMutableBufferPointer { ks in
            histogram.withUnsafeMutableBufferPointer { hs in
              for i in 0..<rows {
                let offset = i * columns
                Self.selectRow(
                  output: ys.baseAddress! + offset, mask: ms.baseAddress! + offset, input: xs.baseAddress! + offset,
                  keys: ks.baseAddress!, histogram: hs.baseAddress!, columns: columns, k: kept)
              }
            }
          }
        }
      }
    }
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
    let count = input.count
    guard count > 0 else { return }
    mask.withUnsafeBufferPointer { ms in
      outputGradient.scalars.withUnsafeBufferPointer { gys in
        inputGradient.scalars.withUnsafeMutableBufferPointer { gxs in
          let (m, gy, gx) = (ms.baseAddress!, gys.baseAddress!, gxs.baseAddress!)
          for i in 0..<count { gx[i] = gy[i] * m[i] }
        }
      }
    }
  }

  // MARK: - Kernels

  /// One row: y = x on the k largest entries (first by index among ties), 0 elsewhere; mask
  /// is 1 on kept entries. x, y, mask and keys hold `columns` values; 1 <= k <= columns.
  static func selectRow(
    output y: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, input x: UnsafePointer<Float>,
    keys: UnsafeMutablePointer<UInt32>, histogram: UnsafeMutablePointer<UInt32>, columns: Int, k: Int
  ) {
    if k == columns {
      for j in 0..<columns {
        y[j] = x[j]
        mask[j] = 1
      }
      return
    }
    let (threshold, greater, equal) = TopKSelection.kthLargest(
      x, count: columns, k: k, keys: keys, histogram: histogram)
    var ties = k - greater
    if ties == equal {
      // Every entry equal to the threshold is kept: one vectorized comparison.
      for j in 0..<columns {
        let keep = x[j] >= threshold
        y[j] = keep ? x[j] : 0
        mask[j] = keep ? 1 : 0
      }
      return
    }
    for j in 0..<columns {
      // Ties straddle the k-th place: keep the first k - greater of them, by index.
      let value = x[j]
      let tie = (value == threshold ? 1 : 0) & (ties > 0 ? 1 : 0)
      ties -= tie
      let keep = value > threshold || tie == 1
      y[j] = keep ? value : 0
      mask[j] = keep ? 1 : 0
    }
  }
}
