// What a model file records about how its network was made: settings, data, split, scaling,
// pruning and the per-epoch history.

import SparsityIO

/// The typed record a model file carries beside its tensors and architecture.
///
/// `ModelFile` writes it into the safetensors metadata as two JSON texts: `training` (the
/// settings, data, split, scaling and pruning, one flat object) and `history` (the epochs), and
/// reads it back with `StrictJSONDecoder`. A file saved by PyTorch has neither, and reads as an
/// empty record: no data, so a caller must be told the data and the scaling.
public struct ModelRecord: Sendable, Equatable {
  /// The training settings as `TrainingSettings.summary` names and prints them (`epochs`,
  /// `learning_rate`, `optimizer`, ...): a description, not read back into settings.
  public var settings: [RecordedSetting]
  /// The data the network was trained on, with its split and scaling; nil when unknown.
  public var data: DataRecord?
  /// How the network was pruned after training; nil when it was not.
  public var pruning: PruningRecord?
  /// The metrics of every epoch of training (or of fine-tuning after pruning).
  public var history: [EpochReport]

  public init(
    settings: [RecordedSetting] = [], data: DataRecord? = nil, pruning: PruningRecord? = nil,
    history: [EpochReport] = []
  ) {
    self.settings = settings
    self.data = data
    self.pruning = pruning
    self.history = history
  }

  /// The record of a training run: `settings.summary`, the data and the history.
  public init(settings: TrainingSettings, data: DataRecord?, history: [EpochReport]) {
    self.init(settings: settings.summary.map(RecordedSetting.init), data: data, history: history)
  }
}

/// One training setting by name, as text.
public struct RecordedSetting: Sendable, Equatable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// The data a model was trained on and how it was split and scaled, so that evaluation sees
/// the same test part, scaled the same way.
public struct DataRecord: Sendable, Equatable {
  /// Where the data came from (`digits`, `mnist:DIR`, `csv:FILE` with its label column, ...).
  public var source: DatasetSource
  /// The fraction held out for testing (sources without their own test set).
  public var testFraction: Double
  /// The seed of the train/test split.
  public var splitSeed: UInt64
  /// The scaling fitted on the training part; nil when the network saw unscaled features.
  public var scaler: FeatureScaler?

  public init(source: DatasetSource, testFraction: Double, splitSeed: UInt64, scaler: FeatureScaler?) {
    self.source = source
    self.testFraction = testFraction
    self.splitSeed = splitSeed
    self.scaler = scaler
  }
}

/// How a network was pruned after training, and what it did to weights and accuracy.
public struct PruningRecord: Sendable, Equatable {
  /// The target fraction of zero weights (0 for an N:M pattern alone).
  public var sparsity: Double
  /// `global` or `layer`.
  public var scope: String
  /// `unstructured`, `rows`, `columns`, `blocks:RxC` or `N:M`.
  public var pattern: String
  public var fineTuneEpochs: Int
  /// The fine-tuning settings (as `RecordedSetting`s), empty without fine-tuning.
  public var fineTune: [RecordedSetting]
  public var weightSparsityBefore: Double
  public var weightSparsityAfter: Double
  /// Test accuracy before pruning, right after it and after fine-tuning, where measured.
  public var accuracyBefore: Double?
  public var accuracyPruned: Double?
  public var accuracyAfter: Double?

  public init(
    sparsity: Double, scope: String, pattern: String, fineTuneEpochs: Int, fineTune: [RecordedSetting],
    weightSparsityBefore: Double, weightSparsityAfter: Double, accuracyBefore: Double?, accuracyPruned: Double?,
    accuracyAfter: Double?
  ) {
    self.sparsity = sparsity
    self.scope = scope
    self.pattern = pattern
    self.fineTuneEpochs = fineTuneEpochs
    self.fineTune = fineTune
    self.weightSparsityBefore = weightSparsityBefore
    self.weightSparsityAfter = weightSparsityAfter
    self.accuracyBefore = accuracyBefore
    self.accuracyPruned = accuracyPruned
    self.accuracyAfter = accuracyAfter
  }
}
