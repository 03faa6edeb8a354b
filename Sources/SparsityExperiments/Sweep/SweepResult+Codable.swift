// The JSON form of a finished sweep, as `sparsity sweep --json` prints it.

import SparsityIO

/// `{"param", "values", "data", "samples": {"train", "validation", "test"}, "settings", "rows"}`:
/// the swept setting and its values, the data source and split sizes, the shared settings as
/// text (`TrainingSettings.summary`) and one row per value (`SweepRun`).
extension SweepResult: Encodable {
  private enum CodingKeys: String, CodingKey {
    case param, values, data, samples, settings, rows
  }

  private enum SampleKeys: String, CodingKey {
    case train, validation, test
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(parameter.rawValue, forKey: .param)
    try container.encode(runs.map(\.value.number), forKey: .values)
    try container.encode(recipe.source.description, forKey: .data)
    var samples = container.nestedContainer(keyedBy: SampleKeys.self, forKey: .samples)
    try samples.encode(data.train.sampleCount, forKey: .train)
    try samples.encode(data.validation.sampleCount, forKey: .validation)
    try samples.encode(data.test.sampleCount, forKey: .test)
    var settings = container.nestedContainer(keyedBy: NamedCodingKey.self, forKey: .settings)
    for (name, value) in recipe.settings.summary { try settings.encode(value, forKey: NamedCodingKey(name)) }
    try container.encode(runs, forKey: .rows)
  }
}
