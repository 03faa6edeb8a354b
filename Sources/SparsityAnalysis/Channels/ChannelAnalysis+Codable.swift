// The JSON form of one image layer's per-channel statistics, as `sparsity analyze --json` prints it.

/// `{"index", "name", "shape": [channels, rows, columns], "ranking": "maximum" | "mean",
/// "zero_fraction", "zero_fractions", "active_pixel_fractions", "firing_rates",
/// "mean_activations", "dead_channels", "always_on_channels", "mean_selectivity", "selectivity",
/// "preferred_class", "class_means", "top_inputs"}`. Per-channel arrays are indexed by channel;
/// an undefined selectivity, preferred class or class mean is `null`; each top input is
/// `{"input", "value", "label"}` with `value` the ranking value (the channel's largest pixel or
/// its spatial mean).
extension ChannelAnalysis: Encodable {
  private enum CodingKeys: String, CodingKey {
    case index, name, shape, ranking, selectivity
    case zeroFraction = "zero_fraction"
    case zeroFractions = "zero_fractions"
    case activePixelFractions = "active_pixel_fractions"
    case firingRates = "firing_rates"
    case meanActivations = "mean_activations"
    case deadChannels = "dead_channels"
    case alwaysOnChannels = "always_on_channels"
    case meanSelectivity = "mean_selectivity"
    case preferredClass = "preferred_class"
    case classMeans = "class_means"
    case topInputs = "top_inputs"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(layerIndex, forKey: .index)
    try container.encode(name, forKey: .name)
    try container.encode([shape.channels, shape.rows, shape.columns], forKey: .shape)
    try container.encode(ranking == .maximum ? "maximum" : "mean", forKey: .ranking)
    try container.encode(zeroFraction, forKey: .zeroFraction)
    try container.encode(zeroFractions, forKey: .zeroFractions)
    try container.encode(activePixelFractions, forKey: .activePixelFractions)
    try container.encode(firingRates, forKey: .firingRates)
    try container.encode(meanActivations, forKey: .meanActivations)
    try container.encode(deadChannels, forKey: .deadChannels)
    try container.encode(alwaysOnChannels, forKey: .alwaysOnChannels)
    try container.encode(meanSelectivity(), forKey: .meanSelectivity)
    try container.encode(selectivity.map(\.index), forKey: .selectivity)
    try container.encode(selectivity.map(\.preferredClass), forKey: .preferredClass)
    try container.encode(classMeans, forKey: .classMeans)
    try container.encode(topInputs, forKey: .topInputs)
  }
}
