// The convolutional part of `sparsity demo`: a small CNN on the digits, its first-layer filters
// and their orientation tuning, and its compiled speedup.

import SparsityAnalysis
import SparsityBench
import SparsityCore
import SparsityInference
import SparsityNN

/// A small convolutional network trained on the digits (1x8x8 images) with activation L1 and
/// 90% of its weights pruned: its accuracy and sparsity, its first layer's
/// orientation tuning (the seed note's "units that fire on vertical lines") and its compiled
/// form timed against dense im2col + OpenBLAS.
public struct DemoConvolution {
  /// The training recipe, whose `sparsity train` command reproduces the model.
  public var recipe: TrainingRecipe
  /// Accuracies, per-layer sparsity and training history.
  public var run: SweepRun
  /// The trained network.
  public var model: Sequential
  /// The first layer's units probed with oriented gratings and bars; nil when the model has no
  /// convolution followed by an activation (or did not train).
  public var orientation: OrientationAnalysis?
  /// Dense against compiled at `DemoScale.benchmarkBatches`.
  public var benchmarks: [ModelBenchmarkResult] = []

  /// The recipe: the scale's convolutional layers on the digits, activation L1 (1e-4) and
  /// gradual global pruning to 90% zero weights (ranked over all layers: pruning each layer to
  /// 90% leaves the first convolution one tap per filter and cost 5 points of accuracy).
  public static func recipe(_ scale: DemoScale) -> TrainingRecipe {
    var recipe = TrainingRecipe()
    recipe.source = .digits
    recipe.hiddenArchitecture = scale.convolutionLayers
    recipe.settings.epochs = scale.convolutionEpochs
    recipe.settings.seed = scale.seed
    recipe.settings.activationL1 = 1e-4
    let pruneStart = Swift.max(1, scale.convolutionEpochs / 10)
    recipe.settings.pruning = PruningSettings(
      sparsity: 0.9, scope: .global, startEpoch: pruneStart,
      endEpoch: Swift.max(pruneStart + 1, scale.convolutionEpochs * 3 / 5))
    return recipe
  }

  /// Trains the recipe on `data`, measures it and probes its first layer's orientation tuning;
  /// `onBatch` and `onEpoch` report progress as for the table's rows.
  public static func train(
    scale: DemoScale, data: PreparedData, onBatch: @escaping (Int, Int) -> Void, onEpoch: @escaping (Int) -> Void
  ) -> DemoConvolution {
    let recipe = recipe(scale)
    let (run, model) = SweepRun.train(
      SweepParameter.Value(text: "convolutional", number: 0), recipe: recipe, data: data, timingSamples: 0,
      onBatch: onBatch, onEpoch: { onEpoch($0.epoch) })
    var result = DemoConvolution(recipe: recipe, run: run, model: model)
    guard run.divergedEpoch == nil else { return result }
    result.orientation = OrientationAnalysis.measure(
      model, shapes: run.architecture.shapes, features: data.test.features)
    return result
  }

  /// Times dense against compiled at `scale.benchmarkBatches` (the planner calibrated on the
  /// training part).
  public mutating func benchmark(data: PreparedData, scale: DemoScale) {
    guard run.divergedEpoch == nil else { return }
    var benchmark = ModelBenchmark()
    benchmark.batches = scale.benchmarkBatches
    benchmark.samples = scale.timingSamples
    benchmarks = benchmark.run(
      model, features: data.test.features, labels: data.test.labels, calibration: data.train.features)
  }

  /// First-layer units with OSI above 0.5.
  public var selectiveUnits: [Int] { orientation?.tuning.selectiveUnits(minimumSelectivity: 0.5) ?? [] }
  /// First-layer units that prefer vertical lines (within the tuning's tolerance of 90°, OSI above 0.5).
  public var verticalUnits: [Int] { orientation?.tuning.verticalUnits() ?? [] }
}
