import SparsityCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The KL-divergence sparsity penalty of sparse autoencoders, on sigmoid activations in (0, 1).
///
/// For activations A (batch B, features F), the mean activation of unit j over the batch,
/// ρ̂_j = (1/B) Σ_i a_ij, clamped to [1e-6, 1 − 1e-6], is pushed towards a small target ρ:
///
///     R(A) = β Σ_j KL(ρ ‖ ρ̂_j),   KL(ρ ‖ ρ̂) = ρ log(ρ / ρ̂) + (1 − ρ) log((1 − ρ) / (1 − ρ̂))
///     dR/da_ij = β (−ρ / ρ̂_j + (1 − ρ) / (1 − ρ̂_j)) / B
///
/// The gradient uses the clamped ρ̂ (it is not zeroed where the clamp is active), so a unit that
/// is always off or always on is still pushed back towards ρ.
///
/// Reference: Andrew Ng, "Sparse autoencoder", CS294A lecture notes, Stanford 2011, §3.
public struct KLSparsity: ActivationRegularizer, Equatable {
  /// The clamp keeping ρ̂ away from 0 and 1.
  public static let clampMargin: Double = 1e-6

  /// ρ, the target mean activation of every unit, in (0, 1).
  public let target: Float
  /// β, the weight of the penalty.
  public let weight: Float

  /// A KL sparsity penalty with target ρ in (0, 1) and weight β ≥ 0.
  public init(target: Float, weight: Float) {
    precondition(target > 0 && target < 1, "KLSparsity: target \(target) must be in (0, 1)")
    precondition(weight >= 0 && weight.isFinite, "KLSparsity: weight \(weight) must be finite and non-negative")
    self.target = target
    self.weight = weight
  }

  /// β Σ_j KL(ρ ‖ ρ̂_j), in Double; 0 for an empty batch. O(B F).
  public func penalty(activation: Tensor) -> Float {
    precondition(activation.rank == 2, "KLSparsity: activation must be (batch, features), shape is \(activation.shape)")
    guard activation.rows > 0 else { return 0 }
    let rho = Double(target)
    return withMeanActivations(activation) { means, features in
      var total = 0.0
      for j in 0..<features {
        total += rho * log(rho / means[j]) + (1 - rho) * log((1 - rho) / (1 - means[j]))
      }
      return Float(Double(weight) * total)
    }
  }

  /// Adds β (−ρ/ρ̂_j + (1 − ρ)/(1 − ρ̂_j)) / B to every gradient[i, j]. O(B F); uses per-thread
  /// scratch memory for ρ̂, no allocation after the first call.
  public func addGradient(activation: Tensor, to gradient: inout Tensor) {
    checkActivationShapes(activation, gradient, caller: "KLSparsity")
    let batch = activation.rows
    guard batch > 0, weight != 0 else { return }
    let (rho, scale) = (Double(target), Double(weight) / Double(batch))
    withMeanActivations(activation) { means, features in
      // Turn each mean into its column's gradient coefficient, then add it to every row.
      for j in 0..<features { means[j] = scale * (-rho / means[j] + (1 - rho) / (1 - means[j])) }
      gradient.scalars.withUnsafeMutableBufferPointer { g in
        for i in 0..<batch {
          for j in 0..<features { g[i * features + j] += Float(means[j]) }
        }
      }
    }
  }

  /// Calls `body` with ρ̂ (the clamped column means of `activation`, in scratch memory that
  /// `body` may overwrite) and the number of features.
  private func withMeanActivations<Result>(
    _ activation: Tensor, _ body: (UnsafeMutablePointer<Double>, Int) -> Result
  ) -> Result {
    let (batch, features) = (activation.rows, activation.columns)
    return Scratch.withBuffer(of: Double.self, count: features) { means in
      means.update(repeating: 0, count: features)
      activation.scalars.withUnsafeBufferPointer { a in
        for i in 0..<batch {
          for j in 0..<features { means[j] += Double(a[i * features + j]) }
        }
      }
      let margin = Self.clampMargin
      for j in 0..<features { means[j] = Swift.min(Swift.max(means[j] / Double(batch), margin), 1 - margin) }
      return body(means, features)
    }
  }
}
