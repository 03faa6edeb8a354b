// What `sparsity prune` measured: per-layer weight sparsity and accuracy, before and after.

import Foundation
import SparsityNN

/// The outcome of a `PruneRequest`: every Linear layer's weights before and after, the test
/// accuracy before pruning, after it and after fine-tuning, and what the model file records.
public struct PruneSummary: Sendable {
  /// One Linear layer's weights.
  public struct Layer: Sendable, Equatable {
    /// The layer's index in the network.
    public var index: Int
    /// The layer's description, e.g. `Linear(64, 32)`.
    public var name: String
    /// The weight count (biases not counted).
    public var weights: Int
    /// The exactly-zero weights.
    public var zeros: Int

    /// A layer of the given parts.
    public init(index: Int, name: String, weights: Int, zeros: Int) {
      self.index = index
      self.name = name
      self.weights = weights
      self.zeros = zeros
    }
  }

  /// What was asked.
  public var request: PruneRequest
  /// The model file pruned, as named on the command line.
  public var input: String
  /// The Linear layers before pruning.
  public var before: [Layer]
  /// The Linear layers after pruning (and fine-tuning).
  public var after: [Layer] = []
  /// The test samples the accuracies are measured on; nil without data.
  public var samples: Int?
  /// Test accuracy before pruning.
  public var accuracyBefore: Double?
  /// Test accuracy right after pruning.
  public var accuracyPruned: Double?
  /// Test accuracy after fine-tuning.
  public var accuracyAfter: Double?
  /// Fine-tuning's epochs.
  public var history: [EpochReport] = []
  /// The epoch whose loss became NaN or infinite while fine-tuning, if any.
  public var divergedEpoch: Int?

  /// A summary of `request` on the model `input` whose layers were `before`.
  public init(request: PruneRequest, input: String, before: [Layer]) {
    self.request = request
    self.input = input
    self.before = before
  }

  /// Exact zeros of the weights pruning applies to, per layer of `network`: Linear matrices and
  /// Conv2d filters (a residual block's together, under the block; `Pruner.prunableWeights`).
  public static func weightSparsity(of network: Sequential) -> [Layer] {
    network.layers.enumerated().compactMap { index, layer in
      let weights = Pruner.prunableWeights(of: layer)
      guard !weights.isEmpty else { return nil }
      let values = weights.flatMap(\.value.scalars)
      return Layer(
        index: index, name: layer.description, weights: values.count,
        zeros: values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) })
    }
  }

  /// `x%` with up to two decimals: `90%`, `87.5%`, `33.33%`.
  public static func percent(_ fraction: Double) -> String {
    String(format: "%.2f%%", fraction * 100).replacingOccurrences(of: ".00%", with: "%")
  }

  /// The fraction of exactly-zero weights over all of `layers` together.
  public static func fraction(_ layers: [Layer]) -> Double {
    let total = layers.reduce(0) { $0 + $1.weights }
    return total == 0 ? 0 : Double(layers.reduce(0) { $0 + $1.zeros }) / Double(total)
  }

  /// The pruning settings and outcome, as the model file records them.
  public var record: PruningRecord {
    PruningRecord(
      sparsity: request.sparsity, scope: request.scope.description, pattern: request.pattern.description,
      fineTuneEpochs: request.fineTuneEpochs,
      fineTune: request.fineTuneEpochs > 0
        ? request.fineTuning.summary.filter { $0.0 != "epochs" }.map(RecordedSetting.init) : [],
      weightSparsityBefore: Self.fraction(before), weightSparsityAfter: Self.fraction(after),
      accuracyBefore: accuracyBefore, accuracyPruned: accuracyPruned, accuracyAfter: accuracyAfter)
  }

  /// The model file to write: `file`'s network and record, with this pruning recorded.
  public func pruned(_ file: ModelFile) -> ModelFile {
    var record = file.record
    record.pruning = self.record
    return ModelFile(network: file.network, record: record)
  }
}
