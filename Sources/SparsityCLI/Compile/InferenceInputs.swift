// What `compile` and `bench MODEL` share: the model, its data split and scaling, calibration rows.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// A model file and the data it runs on, prepared the way `eval` prepares them: the data
/// source, test fraction, split seed and feature scaling saved in the model are the defaults.
struct InferenceInputs {
  var path: String
  var network: Sequential
  var source: DatasetSource
  /// The training part (scaled): the planner's calibration samples.
  var calibration: Tensor
  /// The test part (scaled): timing batches and accuracy.
  var test: LabeledDataset

  /// The options this loader reads: the data source, label column and architecture.
  static let options = ModelOptions.dataOptions(split: false)

  /// Loads the model named by the single positional argument and its data.
  static func load(_ arguments: Arguments) throws -> InferenceInputs {
    let (path, model) = try ModelOptions.read(arguments)
    let (source, data) = try PreparedData.load(
      for: model, file: path, overrides: DataOverrides(arguments, record: model.record))
    return InferenceInputs(
      path: path, network: model.network, source: source, calibration: data.train.features, test: data.test)
  }
}
