// The JSON form of a dictionary learning summary, as `sparsity learn-dictionary --json` prints it.

/// `{"samples", "features", "atoms", "epochs", "epoch_objectives", "evaluated_samples",
/// "final_objective", "mean_nonzeros", "zero_fraction", "relative_error", "resampled_atoms",
/// "seconds"}`.
extension DictionarySummary: Encodable {
  private enum CodingKeys: String, CodingKey {
    case samples, features, atoms, epochs, seconds
    case epochObjectives = "epoch_objectives"
    case evaluated = "evaluated_samples"
    case finalObjective = "final_objective"
    case meanNonzeros = "mean_nonzeros"
    case zeroFraction = "zero_fraction"
    case relativeError = "relative_error"
    case resampledAtoms = "resampled_atoms"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(samples, forKey: .samples)
    try container.encode(features, forKey: .features)
    try container.encode(atoms, forKey: .atoms)
    try container.encode(epochs, forKey: .epochs)
    try container.encode(epochObjectives, forKey: .epochObjectives)
    try container.encode(evaluated, forKey: .evaluated)
    try container.encode(finalObjective, forKey: .finalObjective)
    try container.encode(meanNonzeros, forKey: .meanNonzeros)
    try container.encode(zeroFraction, forKey: .zeroFraction)
    try container.encode(relativeError, forKey: .relativeError)
    try container.encode(resampledAtoms, forKey: .resampledAtoms)
    try container.encode(seconds, forKey: .seconds)
  }
}
