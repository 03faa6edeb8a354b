// Element-wise activations applied to a compiled layer's output, fused with its bias.

import Foundation

/// An element-wise activation that a compiled layer applies to its output in the same pass as
/// the bias: y = f(y + b).
public enum PointwiseActivation: Equatable, Sendable, CustomStringConvertible {
  /// f(x) = x.
  case identity
  /// f(x) = max(x, 0).
  case relu
  /// f(x) = x for x > 0, slope * x otherwise.
  case leakyReLU(negativeSlope: Float)
  /// f(x) = 1 / (1 + e^-x), computed in the overflow-free form `SparsityNN.Sigmoid` uses.
  case sigmoid

  public var description: String {
    switch self {
    case .identity: return "identity"
    case .relu: return "ReLU"
    case .leakyReLU(let slope): return "LeakyReLU(\(slope))"
    case .sigmoid: return "Sigmoid"
    }
  }

  /// True when this activation turns every non-positive input into an exact zero (ReLU): the
  /// next layer's input then has zeros worth skipping.
  public var makesZeros: Bool { self == .relu }

  /// y[i, j] = f(y[i, j] + b[j]) for a (rows, columns) matrix y; `bias` may be nil (no bias).
  /// - Complexity: O(rows * columns).
  func apply(_ y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, rows: Int, columns: Int) {
    if let bias {
      for i in 0..<rows {
        let row = y + i * columns
        for j in 0..<columns { row[j] += bias[j] }
      }
    }
    let count = rows * columns
    switch self {
    case .identity: return
    case .relu:
      for i in 0..<count { y[i] = y[i] > 0 ? y[i] : 0 }
    case .leakyReLU(let slope):
      for i in 0..<count { y[i] = y[i] > 0 ? y[i] : slope * y[i] }
    case .sigmoid:
      for i in 0..<count {
        let e = Foundation.exp(-Swift.abs(y[i]))
        y[i] = (y[i] >= 0 ? 1 : e) / (1 + e)
      }
    }
  }
}
