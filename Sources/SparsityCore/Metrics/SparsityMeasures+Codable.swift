// The JSON form of sparsity measures, as `sparsity measure --json` prints them.

/// `{"count", "zeros", "active", "sparsity", "near_zero", "near_zero_fraction", "epsilon",
/// "l1", "l2", "hoyer", "gini"}` (`nonFiniteCount` is not written: the tool rejects such input).
extension SparsityMeasures: Encodable {
  private enum CodingKeys: String, CodingKey {
    case count, zeros, active, sparsity, epsilon, l1, l2, hoyer, gini
    case nearZeros = "near_zero"
    case nearZeroSparsity = "near_zero_fraction"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(count, forKey: .count)
    try container.encode(zeros, forKey: .zeros)
    try container.encode(active, forKey: .active)
    try container.encode(sparsity, forKey: .sparsity)
    try container.encode(nearZeros, forKey: .nearZeros)
    try container.encode(nearZeroSparsity, forKey: .nearZeroSparsity)
    try container.encode(epsilon, forKey: .epsilon)
    try container.encode(l1, forKey: .l1)
    try container.encode(l2, forKey: .l2)
    try container.encode(hoyer, forKey: .hoyer)
    try container.encode(gini, forKey: .gini)
  }
}
