import SparsityCore
import SparsityNN

/// Networks and data for the inference tests, all seeded.
enum TestNetworks {
  /// Sets the `fraction` smallest-magnitude weights of every Linear layer to zero.
  static func prune(_ network: Sequential, fraction: Double) {
    for case let linear as Linear in network.layers {
      let values = linear.weight.value.scalars
      let cut = Int(Double(values.count) * fraction)
      guard cut > 0 else { continue }
      let threshold = values.map { abs($0) }.sorted()[cut - 1]
      var pruned = linear.weight.value
      var zeroed = 0
      for i in 0..<pruned.count where abs(pruned.scalars[i]) <= threshold && zeroed < cut {
        pruned.scalars[i] = 0
        zeroed += 1
      }
      linear.weight.value = pruned
    }
  }

  /// Shifts every Linear bias by `shift` (negative: more ReLU outputs are zero).
  static func shiftBiases(_ network: Sequential, by shift: Float) {
    for case let linear as Linear in network.layers {
      guard let bias = linear.bias else { continue }
      bias.value = bias.value.map { $0 + shift }
    }
  }

  /// A ReLU MLP `inputs`-`hidden`...-`outputs` with `weightZeros` of its weights zero and
  /// biases lowered so that about half or more of its hidden activations are zero.
  static func sparseMLP(inputs: Int, hidden: [Int], outputs: Int, weightZeros: Double, seed: UInt64 = 1) -> Sequential {
    var layers = [ModelArchitecture.LayerSpec]()
    for width in hidden { layers += [.linear(outputFeatures: width), .relu] }
    layers.append(.linear(outputFeatures: outputs))
    let network = ModelArchitecture(inputFeatures: inputs, layers: layers).makeSequential(seed: seed)
    prune(network, fraction: weightZeros)
    shiftBiases(network, by: -0.1)
    return network
  }

  /// (samples, features) inputs in [0, 1) with `zeros` of them exactly zero.
  static func inputs(_ samples: Int, _ features: Int, zeros: Double, seed: UInt64 = 2) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    return Tensor.uniform(shape: [samples, features], using: &generator).sparsified(
      zeroFraction: zeros, using: &generator)
  }

  /// The network's dense reference output.
  static func reference(_ network: Sequential, _ input: Tensor) -> Tensor {
    network.forward(input, training: false)
  }
}
