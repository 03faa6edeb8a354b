// The JSON form of training metrics, as model files record their history and `--json` prints it.

/// `{"index", "name", "units", "activation_sparsity", "dead_units" (a count),
/// "dead_unit_indices", "weight_sparsity", "small_weight_fraction", "weight_count"}`; measures a
/// layer does not have are `null` ("weight_count" may be absent in older files).
extension LayerSparsity: Codable {
  private enum CodingKeys: String, CodingKey {
    case index, name, units
    case activationSparsity = "activation_sparsity"
    case deadUnits = "dead_units"
    case deadUnitIndices = "dead_unit_indices"
    case weightSparsity = "weight_sparsity"
    case smallWeightFraction = "small_weight_fraction"
    case weightCount = "weight_count"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      index: try container.decode(Int.self, forKey: .index), name: try container.decode(String.self, forKey: .name),
      units: try container.decode(Int.self, forKey: .units),
      activationSparsity: try container.decodeIfPresent(Double.self, forKey: .activationSparsity),
      deadUnits: try container.decodeIfPresent([Int].self, forKey: .deadUnitIndices),
      weightSparsity: try container.decodeIfPresent(Double.self, forKey: .weightSparsity),
      smallWeightFraction: try container.decodeIfPresent(Double.self, forKey: .smallWeightFraction),
      weightCount: try container.decodeIfPresent(Int.self, forKey: .weightCount))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(index, forKey: .index)
    try container.encode(name, forKey: .name)
    try container.encode(units, forKey: .units)
    try container.encode(activationSparsity, forKey: .activationSparsity)
    try container.encode(deadUnits?.count, forKey: .deadUnits)
    try container.encode(deadUnits, forKey: .deadUnitIndices)
    try container.encode(weightSparsity, forKey: .weightSparsity)
    try container.encode(smallWeightFraction, forKey: .smallWeightFraction)
    try container.encode(weightCount, forKey: .weightCount)
  }
}

/// `{"epoch", "learning_rate", "train_loss", "penalty", "train_accuracy", "validation_loss",
/// "validation_accuracy", "seconds", "samples_per_second", "layers"}`.
extension EpochReport: Codable {
  private enum CodingKeys: String, CodingKey {
    case epoch, penalty, layers
    case learningRate = "learning_rate"
    case trainLoss = "train_loss"
    case trainAccuracy = "train_accuracy"
    case validationLoss = "validation_loss"
    case validationAccuracy = "validation_accuracy"
    case trainingSeconds = "seconds"
    case samplesPerSecond = "samples_per_second"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      epoch: try container.decode(Int.self, forKey: .epoch),
      learningRate: try container.decode(Float.self, forKey: .learningRate),
      trainLoss: try container.decode(Double.self, forKey: .trainLoss),
      penalty: try container.decode(Double.self, forKey: .penalty),
      trainAccuracy: try container.decode(Double.self, forKey: .trainAccuracy),
      validationLoss: try container.decode(Double.self, forKey: .validationLoss),
      validationAccuracy: try container.decode(Double.self, forKey: .validationAccuracy),
      layers: try container.decode([LayerSparsity].self, forKey: .layers),
      trainingSeconds: try container.decode(Double.self, forKey: .trainingSeconds),
      samplesPerSecond: try container.decode(Double.self, forKey: .samplesPerSecond))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(epoch, forKey: .epoch)
    try container.encode(learningRate, forKey: .learningRate)
    try container.encode(trainLoss, forKey: .trainLoss)
    try container.encode(penalty, forKey: .penalty)
    try container.encode(trainAccuracy, forKey: .trainAccuracy)
    try container.encode(validationLoss, forKey: .validationLoss)
    try container.encode(validationAccuracy, forKey: .validationAccuracy)
    try container.encode(trainingSeconds, forKey: .trainingSeconds)
    try container.encode(samplesPerSecond, forKey: .samplesPerSecond)
    try container.encode(layers, forKey: .layers)
  }
}
