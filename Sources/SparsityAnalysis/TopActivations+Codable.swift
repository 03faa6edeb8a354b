// The JSON form of a kept top input, as `sparsity analyze --json` prints it.

/// `{"input", "value", "label"}`: the input's row, the unit's activation on it and the input's
/// class (`null` for unlabeled data).
extension TopActivations.Entry: Encodable {
  private enum CodingKeys: String, CodingKey {
    case input, value, label
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(input, forKey: .input)
    try container.encode(value, forKey: .value)
    try container.encode(label, forKey: .label)
  }
}
