// The JSON form of the first-layer orientation analysis, as `sparsity analyze --json` prints it.

/// `{"convolution_index", "convolution", "background", "foreground", "stimuli"}` followed by the members of
/// `OrientationTuning`: `"layer_index"` (the probed activation layer), `"layer"`, `"angles"`,
/// `"units"` (each `{"curve", "preferred_angle", "selectivity"}`) and `"vertical_units"`.
extension OrientationAnalysis: Encodable {
  private enum CodingKeys: String, CodingKey {
    case background, foreground, stimuli, convolution
    case convolutionIndex = "convolution_index"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(convolutionIndex, forKey: .convolutionIndex)
    try container.encode(convolutionName, forKey: .convolution)
    try container.encode(background, forKey: .background)
    try container.encode(foreground, forKey: .foreground)
    try container.encode(stimuli, forKey: .stimuli)
    try tuning.encode(to: encoder)
  }
}
