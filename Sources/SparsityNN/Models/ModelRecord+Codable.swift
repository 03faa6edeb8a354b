// The JSON form of a model record, as the `training` metadata of model files holds it.

import SparsityIO

/// The `training` object, flat:
///
///     {"epochs": "10", "learning_rate": "0.01", ...,        settings, as text
///      "data": "digits", "label_column": 3,                 the source (label column: CSV only)
///      "test_fraction": 0.2, "split_seed": "42",            the split (the seed as text, exact)
///      "scaling": null | {"kind": ..., "offsets": [...], "scales": [...]},
///      "pruning": {...}}                                    after `sparsity prune`
///
/// Every string member that is not one of these keys is a setting; the setting `pruning` (the
/// gradual pruning during training) is written as `gradual_pruning`, and read back from there
/// or, in older files, from a `pruning` string. `data` present means the
/// split and scaling members must be too.
extension ModelRecord: Codable {
  static let dataKeys: Set<String> = ["data", "label_column", "test_fraction", "split_seed", "scaling", "pruning"]
  /// Where the setting named `pruning` (the gradual pruning of training) is written.
  static let gradualPruningKey = "gradual_pruning"

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: NamedCodingKey.self)
    var settings = [RecordedSetting]()
    var pruning: PruningRecord?
    for key in container.allKeys {
      switch key.stringValue {
      case "pruning":
        // Files written before `gradual_pruning` kept the setting here, as text.
        if let text = try? container.decode(String.self, forKey: key) {
          settings.append(RecordedSetting(name: "pruning", value: text))
        } else {
          pruning = try container.decode(PruningRecord.self, forKey: key)
        }
      case Self.gradualPruningKey:
        settings.append(RecordedSetting(name: "pruning", value: try container.decode(String.self, forKey: key)))
      case let name where !Self.dataKeys.contains(name):
        settings.append(RecordedSetting(name: name, value: try container.decode(String.self, forKey: key)))
      default: break
      }
    }
    var data: DataRecord?
    if container.contains(NamedCodingKey("data")) { data = try DataRecord(from: container) }
    self.init(settings: settings, data: data, pruning: pruning)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: NamedCodingKey.self)
    for setting in settings {
      // The gradual-pruning setting (`TrainingSettings.summary` calls it `pruning`) is kept
      // apart from the `pruning` record that `sparsity prune` adds.
      precondition(
        setting.name == "pruning" || !(Self.dataKeys.contains(setting.name) || setting.name == Self.gradualPruningKey),
        "ModelRecord: setting name '\(setting.name)' is reserved")
      let key = setting.name == "pruning" ? Self.gradualPruningKey : setting.name
      try container.encode(setting.value, forKey: NamedCodingKey(key))
    }
    try data?.encode(to: &container)
    try container.encodeIfPresent(pruning, forKey: NamedCodingKey("pruning"))
  }
}

extension DataRecord {
  init(from container: KeyedDecodingContainer<NamedCodingKey>) throws {
    let text = try container.decode(String.self, forKey: NamedCodingKey("data"))
    let labelColumn = try container.decodeIfPresent(Int.self, forKey: NamedCodingKey("label_column")) ?? -1
    let source: DatasetSource
    do { source = try DatasetSource(parsing: text, labelColumn: labelColumn) } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: container.codingPath + [NamedCodingKey("data")], debugDescription: "\(error)"))
    }
    let fraction = try container.decode(Double.self, forKey: NamedCodingKey("test_fraction"))
    guard fraction > 0 && fraction < 1 else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: container.codingPath + [NamedCodingKey("test_fraction")],
          debugDescription: "\(fraction) is not in (0, 1)"
        ))
    }
    let seedText = try container.decode(String.self, forKey: NamedCodingKey("split_seed"))
    guard let seed = UInt64(seedText) else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: container.codingPath + [NamedCodingKey("split_seed")],
          debugDescription: "'\(seedText)' is not a non-negative 64-bit integer"))
    }
    guard container.contains(NamedCodingKey("scaling")) else {
      throw DecodingError.keyNotFound(
        NamedCodingKey("scaling"), .init(codingPath: container.codingPath, debugDescription: "missing"))
    }
    let scaler = try container.decodeIfPresent(FeatureScaler.self, forKey: NamedCodingKey("scaling"))
    self.init(source: source, testFraction: fraction, splitSeed: seed, scaler: scaler)
  }

  func encode(to container: inout KeyedEncodingContainer<NamedCodingKey>) throws {
    try container.encode(source.description, forKey: NamedCodingKey("data"))
    if case .csv(_, let labelColumn) = source {
      try container.encode(labelColumn, forKey: NamedCodingKey("label_column"))
    }
    try container.encode(testFraction, forKey: NamedCodingKey("test_fraction"))
    try container.encode(String(splitSeed), forKey: NamedCodingKey("split_seed"))
    try container.encode(scaler, forKey: NamedCodingKey("scaling"))
  }
}

/// `{"sparsity", "scope", "pattern", "fine_tune_epochs", "fine_tune" (settings as text, only
/// with fine-tuning), "weight_sparsity_before", "weight_sparsity_after", "accuracy_before",
/// "accuracy_pruned", "accuracy_after" (null when not measured)}`.
extension PruningRecord: Codable {
  private enum CodingKeys: String, CodingKey {
    case sparsity, scope, pattern
    case fineTuneEpochs = "fine_tune_epochs"
    case fineTune = "fine_tune"
    case weightSparsityBefore = "weight_sparsity_before"
    case weightSparsityAfter = "weight_sparsity_after"
    case accuracyBefore = "accuracy_before"
    case accuracyPruned = "accuracy_pruned"
    case accuracyAfter = "accuracy_after"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    var fineTune = [RecordedSetting]()
    if container.contains(.fineTune) {
      let settings = try container.nestedContainer(keyedBy: NamedCodingKey.self, forKey: .fineTune)
      for key in settings.allKeys {
        fineTune.append(RecordedSetting(name: key.stringValue, value: try settings.decode(String.self, forKey: key)))
      }
    }
    self.init(
      sparsity: try container.decode(Double.self, forKey: .sparsity),
      scope: try container.decode(String.self, forKey: .scope),
      pattern: try container.decode(String.self, forKey: .pattern),
      fineTuneEpochs: try container.decode(Int.self, forKey: .fineTuneEpochs), fineTune: fineTune,
      weightSparsityBefore: try container.decode(Double.self, forKey: .weightSparsityBefore),
      weightSparsityAfter: try container.decode(Double.self, forKey: .weightSparsityAfter),
      accuracyBefore: try container.decodeIfPresent(Double.self, forKey: .accuracyBefore),
      accuracyPruned: try container.decodeIfPresent(Double.self, forKey: .accuracyPruned),
      accuracyAfter: try container.decodeIfPresent(Double.self, forKey: .accuracyAfter))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(sparsity, forKey: .sparsity)
    try container.encode(scope, forKey: .scope)
    try container.encode(pattern, forKey: .pattern)
    try container.encode(fineTuneEpochs, forKey: .fineTuneEpochs)
    if !fineTune.isEmpty {
      var settings = container.nestedContainer(keyedBy: NamedCodingKey.self, forKey: .fineTune)
      for setting in fineTune { try settings.encode(setting.value, forKey: NamedCodingKey(setting.name)) }
    }
    try container.encode(weightSparsityBefore, forKey: .weightSparsityBefore)
    try container.encode(weightSparsityAfter, forKey: .weightSparsityAfter)
    try container.encode(accuracyBefore, forKey: .accuracyBefore)
    try container.encode(accuracyPruned, forKey: .accuracyPruned)
    try container.encode(accuracyAfter, forKey: .accuracyAfter)
  }
}
