// How far two float evaluations of the same Linear-ReLU network may differ by rounding alone.

import SparsityCore
import SparsityNN

/// The rounding bound on the difference of two float32 forward passes of one network that add
/// their products in different orders (dense BLAS against a zero-skipping kernel).
///
/// A dot product of n terms computed in float in any order satisfies
/// |fl(s) - s| <= gamma_n * sum_i |w_i x_i|, gamma_n = n u / (1 - n u), u = 2^-24 (Higham,
/// *Accuracy and Stability of Numerical Algorithms*, 2nd ed., section 3.1). A Linear layer adds
/// the bias as one more term. ReLU is 1-Lipschitz, so an error made in layer k reaches the
/// output multiplied by at most |W_L| ... |W_{k+1}|; to first order each pass is then within
/// (sum_k gamma_{n_k + 1}) * M of the exact result, where M is the forward pass with every weight,
/// bias and input replaced by its absolute value. Two passes differ by at most twice that.
public enum ForwardErrorBound {
  /// The largest difference and the largest ratio of a difference to its bound.
  public struct Result: Sendable {
    /// The largest |output - reference| over every element.
    public var maximumDifference: Float
    /// The largest difference divided by its bound: at most 1 when rounding explains every difference.
    public var worstRatio: Double
  }

  /// Compares `output` and `reference`, both (batch, outputs), computed from `input` by `network`.
  /// - Precondition: the network has only Linear and ReLU layers.
  public static func compare(_ output: Tensor, _ reference: Tensor, network: Sequential, input: Tensor) -> Result {
    precondition(
      output.shape == reference.shape, "ForwardErrorBound: shapes \(output.shape) and \(reference.shape) differ")
    let magnitude = absoluteForward(network, input)
    let unit = Double(Float.ulpOfOne) / 2
    let gamma = network.layers.compactMap { $0 as? Linear }.reduce(0.0) { sum, layer in
      let n = Double(layer.inputFeatures + 1)
      return sum + n * unit / (1 - n * unit)
    }
    var result = Result(maximumDifference: 0, worstRatio: 0)
    for index in output.scalars.indices {
      let difference = abs(output.scalars[index] - reference.scalars[index])
      let bound = 2 * gamma * Double(magnitude.scalars[index]) * 1.01  // 1% for second-order terms
      result.maximumDifference = max(result.maximumDifference, difference)
      result.worstRatio = max(result.worstRatio, difference == 0 ? 0 : Double(difference) / bound)
    }
    return result
  }

  /// M: the network run on |input| with |W| and |b| (ReLU is then the identity).
  public static func absoluteForward(_ network: Sequential, _ input: Tensor) -> Tensor {
    var values = input.scalars.map(abs)
    var width = input.columns
    for layer in network.layers {
      if layer is ReLU { continue }
      guard let linear = layer as? Linear else {
        preconditionFailure("ForwardErrorBound: only Linear and ReLU layers, got \(layer)")
      }
      let weights = linear.weight.value.scalars.map(abs)
      let biases = linear.bias?.value.scalars.map(abs) ?? Array(repeating: 0, count: linear.outputFeatures)
      var next = [Float](repeating: 0, count: input.rows * linear.outputFeatures)
      for row in 0..<input.rows {
        for unit in 0..<linear.outputFeatures {
          var sum = biases[unit]
          for i in 0..<width { sum += weights[unit * width + i] * values[row * width + i] }
          next[row * linear.outputFeatures + unit] = sum
        }
      }
      values = next
      width = linear.outputFeatures
    }
    return Tensor(shape: [input.rows, width], scalars: values)
  }
}
