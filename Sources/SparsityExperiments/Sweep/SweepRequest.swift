// A sweep as asked: one model per value of one setting, trained, measured and saved.

import Foundation
import SparsityNN

/// What a sweep is asked to do: train one model per value of `parameter`, every other setting
/// as in `base`, with the same seed, initialization and data split, and measure each.
public struct SweepRequest: Sendable {
  /// The setting varied.
  public var parameter: SweepParameter
  /// Its values, one model each, in order.
  public var values: [SweepParameter.Value]
  /// The recipe every model starts from (the swept setting is then replaced).
  public var base: TrainingRecipe
  /// The test inputs each model's batch-1 speedup is timed on (0: no timing).
  public var timingSamples: Int
  /// Where each model is saved as `parameter.modelFileName(value)`; nil for nowhere.
  public var outDirectory: URL?

  /// A request of the given parts.
  public init(
    parameter: SweepParameter, values: [SweepParameter.Value], base: TrainingRecipe, timingSamples: Int = 100,
    outDirectory: URL? = nil
  ) {
    self.parameter = parameter
    self.values = values
    self.base = base
    self.timingSamples = timingSamples
    self.outDirectory = outDirectory
  }

  /// Trains and measures one model per value on `data`, saving each one that did not diverge to
  /// `outDirectory`. `onStart(index, value, recipe)` is called before each model,
  /// `onBatch(done, total)` and `onEpoch` while it trains, `onRun` once it is measured (before
  /// it is saved).
  /// - Throws: `ModelFileError` when a model file cannot be written.
  public func run(
    on data: PreparedData, onStart: (Int, SweepParameter.Value, TrainingRecipe) -> Void = { _, _, _ in },
    onBatch: (Int, Int) -> Void = { _, _ in }, onEpoch: (EpochReport) -> Void = { _ in },
    onRun: (SweepRun) -> Void = { _ in }
  ) throws -> SweepResult {
    var runs: [SweepRun] = []
    for (index, value) in values.enumerated() {
      let recipe = parameter.applied(value, to: base)
      onStart(index, value, recipe)
      let (run, model) = SweepRun.train(
        value, recipe: recipe, data: data, timingSamples: timingSamples, onBatch: onBatch, onEpoch: onEpoch)
      onRun(run)
      if let outDirectory, run.divergedEpoch == nil {
        let file = outDirectory.appendingPathComponent(parameter.modelFileName(value))
        try recipe.modelFile(model, data: data, history: run.history).write(to: file)
      }
      runs.append(run)
    }
    return SweepResult(parameter: parameter, recipe: base, data: data, runs: runs)
  }
}
