// The JSON form of an orientation tuning, for `--json`.

extension OrientationTuning: Encodable {
  private enum CodingKeys: String, CodingKey {
    case layerIndex = "layer_index"
    case layerName = "layer"
    case angles, units
    case verticalUnits = "vertical_units"
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(layerIndex, forKey: .layerIndex)
    try container.encode(layerName, forKey: .layerName)
    try container.encode(angles, forKey: .angles)
    try container.encode(units, forKey: .units)
    try container.encode(verticalUnits(), forKey: .verticalUnits)
  }
}

extension OrientationTuning.Unit: Encodable {
  private enum CodingKeys: String, CodingKey {
    case curve
    case preferredAngle = "preferred_angle"
    case selectivity
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(curve.map { $0.isFinite ? Double($0) : 0 }, forKey: .curve)
    try container.encode(preferredAngle, forKey: .preferredAngle)
    try container.encode(selectivity, forKey: .selectivity)
  }
}
