import SparsityCore

/// How sparse one layer of a network is on a data set.
public struct LayerSparsity: Sendable, Equatable {
  /// Index of the layer in its `Sequential` (PyTorch numbering).
  public var index: Int
  /// The layer's description, e.g. `ReLU` or `Linear(64, 256)`.
  public var name: String
  /// Units (features) of the layer's output.
  public var units: Int
  /// Fraction of the layer's outputs that are exactly zero over the data (activation layers;
  /// nil for layers whose output is not an activation).
  public var activationSparsity: Double?
  /// Units that are zero for every sample of the data: "dead" (activation layers).
  public var deadUnits: [Int]?
  /// Fraction of the layer's weights that are exactly zero (layers with a weight).
  public var weightSparsity: Double?
  /// Fraction of the layer's weights with |w| < `NetworkSparsity.smallWeight` (layers with a weight).
  public var smallWeightFraction: Double?
  /// How many weights the layer has (layers with a weight): what its `weightSparsity` is a
  /// fraction of.
  public var weightCount: Int?
}

/// Measures activation sparsity, dead units and weight sparsity of every layer of a network.
public enum NetworkSparsity {
  /// Weights smaller than this in magnitude count as "near zero" (1e-3).
  public static let smallWeight: Float = 1e-3

  /// Runs `model` in evaluation mode over `features` (samples x inputFeatures) in batches and
  /// reports every layer: activation sparsity and dead units for activation layers (exact zeros,
  /// counted over all samples), weight sparsity for layers with a parameter named "weight".
  /// - Complexity: one forward pass over the data, O(samples * units) counting.
  public static func measure(_ model: Sequential, features: Tensor, batchSize: Int = 256) -> [LayerSparsity] {
    precondition(batchSize > 0, "NetworkSparsity.measure: batch size must be positive")
    let samples = features.rows
    var zeroCounts = model.features.dropFirst().map { [Int](repeating: 0, count: $0) }
    for start in stride(from: 0, to: samples, by: batchSize) {
      model.forward(features.rows(start..<Swift.min(start + batchSize, samples)), training: false)
      for (index, layer) in model.layers.enumerated() where layer.isActivation {
        countZerosPerColumn(of: model.activations[index + 1], into: &zeroCounts[index])
      }
    }
    return model.layers.enumerated().map { index, layer in
      var report = LayerSparsity(index: index, name: layer.description, units: model.features[index + 1])
      if layer.isActivation {
        let zeros = zeroCounts[index].reduce(0, +)
        report.activationSparsity = samples == 0 ? 0 : Double(zeros) / Double(samples * report.units)
        report.deadUnits = samples == 0 ? [] : zeroCounts[index].indices.filter { zeroCounts[index][$0] == samples }
      }
      if let weight = layer.parameters.first(where: { $0.name == "weight" })?.value {
        let (zero, small) = weightZeros(weight)
        report.weightSparsity = zero
        report.smallWeightFraction = small
        report.weightCount = weight.count
      }
      return report
    }
  }

  /// Fractions of exactly-zero weights and of weights with |w| < `smallWeight`.
  static func weightZeros(_ weight: Tensor) -> (zero: Double, small: Double) {
    guard weight.count > 0 else { return (0, 0) }
    var zero = 0
    var small = 0
    for w in weight.scalars {
      if w == 0 { zero += 1 }
      if Swift.abs(w) < smallWeight { small += 1 }
    }
    return (Double(zero) / Double(weight.count), Double(small) / Double(weight.count))
  }
}
