// A finished sweep: one trained and measured model per value of one setting.

import SparsityIO

/// The setting swept, the shared recipe and data, one run per value.
public struct SweepResult: Sendable {
  public var parameter: SweepParameter
  /// The recipe every run started from (the swept setting is then replaced).
  public var recipe: TrainingRecipe
  public var data: PreparedData
  public var runs: [SweepRun]

  public init(parameter: SweepParameter, recipe: TrainingRecipe, data: PreparedData, runs: [SweepRun]) {
    self.parameter = parameter
    self.recipe = recipe
    self.data = data
    self.runs = runs
  }
}
