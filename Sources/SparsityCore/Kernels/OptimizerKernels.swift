// The element loops of the optimizers: one Adam update and the SGD updates, with the formulas
// of PyTorch's `torch.optim.Adam` and `torch.optim.SGD` (dampening 0). `SparsityNN`'s optimizers
// keep the per-parameter state and call these on their arrays.

import CSparsityKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The per-step constants of one Adam update, and the update itself.
///
/// For each element, at update t = 1, 2, ... with gradient g and learning rate η:
///
///     g ← g + λ w                                   (L2 term, λ = l2; 0 for AdamW)
///     m ← m + (1 − β₁)(g − m)                       (torch's lerp_ form of β₁ m + (1 − β₁) g)
///     v ← β₂ v + (1 − β₂) g²
///     w ← w − η / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Reference: Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
public struct AdamStep: Sendable {
  /// β₁, the decay of the first moment.
  public let beta1: Float
  /// β₂, the decay of the second moment.
  public let beta2: Float
  /// ε, added to the denominator after the bias correction of √v.
  public let epsilon: Float
  /// λ of the L2 term added to the gradient (0 for AdamW).
  public let l2: Float
  /// η / (1 − β₁ᵗ), computed in Double as PyTorch does in Python floats.
  public let stepSize: Float
  /// √(1 − β₂ᵗ).
  public let secondCorrectionRoot: Float

  /// The constants of update number `step` (1 for the first) at learning rate η.
  public init(beta1: Float, beta2: Float, epsilon: Float, l2: Float, learningRate: Float, step: Int) {
    precondition(step >= 1, "Adam: step \(step) must be at least 1")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.l2 = l2
    let firstCorrection = 1 - pow(Double(beta1), Double(step))
    stepSize = Float(Double(learningRate) / firstCorrection)
    secondCorrectionRoot = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
  }

  /// One Adam update of `weights` and its moments m and v, in place; all four have n entries.
  ///
  /// A C kernel per instruction set with the same operations in the same order as
  /// `applyReference` (the same bits); tensors of 32768 entries and more are split over the
  /// cores, as the update is bound by memory traffic.
  /// - Complexity: O(n), one pass, no allocation.
  public func apply(
    weights: inout [Float], gradient: [Float], firstMoment: inout [Float], secondMoment: inout [Float]
  ) {
    let count = weights.count
    precondition(
      gradient.count == count && firstMoment.count == count && secondMoment.count == count,
      "AdamStep: \(count) weights, \(gradient.count) gradients, \(firstMoment.count) and \(secondMoment.count) moments")
    guard count > 0 else { return }
    weights.withUnsafeMutableBufferPointer { w in
      gradient.withUnsafeBufferPointer { g in
        firstMoment.withUnsafeMutableBufferPointer { m in
          secondMoment.withUnsafeMutableBufferPointer { v in
            let (wp, mp, vp, gp) = (w.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!)
            Parallel.forEachChunk(of: count, minimumChunk: 1 << 15) { range in
              let start = range.lowerBound
              update(wp + start, mp + start, vp + start, gp + start, count: range.count)
            }
          }
        }
      }
    }
  }

  /// One Adam update of `count` weights and their moments in place, on the calling thread (for
  /// loops that update a matrix row by row while it is in cache); the same arithmetic as
  /// `apply(weights:gradient:firstMoment:secondMoment:)`.
  /// - Complexity: O(count), no allocation.
  public func apply(
    weights: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, firstMoment: UnsafeMutablePointer<Float>,
    secondMoment: UnsafeMutablePointer<Float>, count: Int
  ) {
    update(weights, firstMoment, secondMoment, gradient, count: count)
  }

  /// Reference twin of `apply`: the scalar formulas one element at a time, √v by `squareRoot()`.
  public func applyReference(
    weights: inout [Float], gradient: [Float], firstMoment: inout [Float], secondMoment: inout [Float]
  ) {
    for i in weights.indices {
      let g = gradient[i] + l2 * weights[i]
      let mean = firstMoment[i] + (1 - beta1) * (g - firstMoment[i])
      let square = beta2 * secondMoment[i] + (1 - beta2) * g * g
      firstMoment[i] = mean
      secondMoment[i] = square
      weights[i] -= stepSize * (mean / (square.squareRoot() / secondCorrectionRoot + epsilon))
    }
  }

  // w, m, v and g are (count): the C kernel per instruction set.
  private func update(
    _ w: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
    _ g: UnsafePointer<Float>, count: Int, isa: KernelInstructionSet = .active
  ) {
    sparsity_adam(
      isa.rawValue, w, m, v, g, Int64(count), beta1, beta2, epsilon, l2, stepSize, secondCorrectionRoot)
  }
}

/// One plain SGD update in place, weight decay coupled to the gradient:
///
///     w ← w − η (g + λ w)
///
/// Shapes: `weights` and `gradient` are (n).
/// - Complexity: O(n), no allocation.
public func sgdStep(weights: inout [Float], gradient: [Float], learningRate: Float, weightDecay: Float) {
  precondition(gradient.count == weights.count, "sgdStep: \(weights.count) weights, \(gradient.count) gradients")
  weights.withUnsafeMutableBufferPointer { ws in
    gradient.withUnsafeBufferPointer { gs in
      guard let w = ws.baseAddress, let g = gs.baseAddress else { return }
      for i in 0..<ws.count {
        w[i] -= learningRate * (g[i] + weightDecay * w[i])
      }
    }
  }
}

/// Reference twin of `sgdStep`: the same formula, indexing the arrays.
public func sgdStepReference(weights: inout [Float], gradient: [Float], learningRate: Float, weightDecay: Float) {
  for i in weights.indices { weights[i] = weights[i] - learningRate * (gradient[i] + weightDecay * weights[i]) }
}

/// One SGD update with momentum (or Nesterov momentum) in place, as `torch.optim.SGD`:
///
///     g ← g + λ w,   b ← μ b + g,   d ← g + μ b if nesterov else b,   w ← w − η d
///
/// Shapes: `weights`, `momentumBuffer` and `gradient` are (n); b is 0 before the first step.
/// - Complexity: O(n), no allocation.
public func sgdMomentumStep(
  weights: inout [Float], momentumBuffer: inout [Float], gradient: [Float], learningRate: Float, momentum: Float,
  nesterov: Bool, weightDecay: Float
) {
  let count = weights.count
  precondition(
    gradient.count == count && momentumBuffer.count == count,
    "sgdMomentumStep: \(count) weights, \(momentumBuffer.count) buffer entries, \(gradient.count) gradients")
  weights.withUnsafeMutableBufferPointer { ws in
    momentumBuffer.withUnsafeMutableBufferPointer { bs in
      gradient.withUnsafeBufferPointer { gs in
        guard let w = ws.baseAddress, let b = bs.baseAddress, let g = gs.baseAddress else { return }
        for i in 0..<count {
          let gradient = g[i] + weightDecay * w[i]
          let buffer = momentum * b[i] + gradient
          b[i] = buffer
          let direction = nesterov ? gradient + momentum * buffer : buffer
          w[i] -= learningRate * direction
        }
      }
    }
  }
}

/// Reference twin of `sgdMomentumStep`: the same formulas, indexing the arrays.
public func sgdMomentumStepReference(
  weights: inout [Float], momentumBuffer: inout [Float], gradient: [Float], learningRate: Float, momentum: Float,
  nesterov: Bool, weightDecay: Float
) {
  for i in weights.indices {
    let g = gradient[i] + weightDecay * weights[i]
    momentumBuffer[i] = momentum * momentumBuffer[i] + g
    let direction = nesterov ? g + momentum * momentumBuffer[i] : momentumBuffer[i]
    weights[i] = weights[i] - learningRate * direction
  }
}
