// The JSON form of one activation layer's statistics, as `sparsity analyze --json` prints it.

/// `{"index" (null for the input), "name", "units", "zero_fraction", "near_zero_fraction",
/// "active_units_per_input", "firing_rates", "mean_activations", "dead_units",
/// "always_on_units", "mean_selectivity", "selectivity", "preferred_class", "class_means",
/// "top_inputs", "value_histogram"}`. Per-unit arrays are indexed by unit; an undefined
/// selectivity, preferred class or class mean is `null`.
extension ActivationAnalysis: Encodable {
  private enum CodingKeys: String, CodingKey {
    case index, name, units, selectivity
    case zeroFraction = "zero_fraction"
    case nearZeroFraction = "near_zero_fraction"
    case activeUnitsPerInput = "active_units_per_input"
    case firingRates = "firing_rates"
    case meanActivations = "mean_activations"
    case deadUnits = "dead_units"
    case alwaysOnUnits = "always_on_units"
    case meanSelectivity = "mean_selectivity"
    case preferredClass = "preferred_class"
    case classMeans = "class_means"
    case topInputs = "top_inputs"
    case valueHistogram = "value_histogram"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(layerIndex, forKey: .index)
    try container.encode(name, forKey: .name)
    try container.encode(units, forKey: .units)
    try container.encode(zeroFraction, forKey: .zeroFraction)
    try container.encode(nearZeroFraction, forKey: .nearZeroFraction)
    try container.encode(activeUnitsPerInput, forKey: .activeUnitsPerInput)
    try container.encode(firingRates, forKey: .firingRates)
    try container.encode(meanActivations, forKey: .meanActivations)
    try container.encode(deadUnits, forKey: .deadUnits)
    try container.encode(alwaysOnUnits, forKey: .alwaysOnUnits)
    try container.encode(meanSelectivity, forKey: .meanSelectivity)
    try container.encode(selectivity.map(\.index), forKey: .selectivity)
    try container.encode(selectivity.map(\.preferredClass), forKey: .preferredClass)
    try container.encode(classMeans, forKey: .classMeans)
    try container.encode(topInputs, forKey: .topInputs)
    try container.encode(valueHistogram, forKey: .valueHistogram)
  }
}
