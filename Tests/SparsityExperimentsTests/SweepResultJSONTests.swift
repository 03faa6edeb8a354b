import SparsityCore
import SparsityIO
import Testing

@testable import SparsityBench
@testable import SparsityExperiments
@testable import SparsityNN

/// The JSON text of `sparsity sweep --json`: a measured row, a diverged row, the settings.
@Suite struct SweepResultJSONTests {
  static let architecture = ModelArchitecture(
    inputFeatures: 2, layers: [.linear(outputFeatures: 2), .relu, .linear(outputFeatures: 2)])

  static func measured() -> SweepRun {
    var run = SweepRun(
      value: SweepParameter.Value(text: "1e-3", number: 1e-3), architecture: architecture, history: [],
      divergedEpoch: nil,
      layers: [
        LayerSparsity(
          index: 0, name: "Linear(2, 2)", units: 2, activationSparsity: nil, deadUnits: nil, weightSparsity: 0.25,
          smallWeightFraction: 0.25),
        LayerSparsity(
          index: 1, name: "ReLU", units: 2, activationSparsity: 0.5, deadUnits: [1], weightSparsity: nil,
          smallWeightFraction: nil),
      ])
    run.test = Evaluation(loss: 1.5, accuracy: 0.5)
    run.train = Evaluation(loss: 1.25, accuracy: 0.75)
    run.timing = ZeroSkippingTiming(
      denseMicroseconds: 2, skippingMicroseconds: 1, speedup: 2, denseThreads: 1, layers: [2], samples: 3,
      relativeError: 0)
    return run
  }

  static let measuredText =
    #"{"value":0.001,"label":"1e-3","architecture":"2-2-relu-2","diverged_epoch":null,"test_accuracy":0.5,"#
    + #""test_loss":1.5,"train_accuracy":0.75,"gap_points":25.0,"activation_sparsity":0.5,"dead_units":1,"#
    + #""weight_sparsity":0.25,"speedup_batch1":2.0,"dense_microseconds":2.0,"dense_blas_threads":1,"#
    + #""skipping_microseconds":1.0,"timed_layers":[2],"timing_relative_error":0.0,"epochs":0,"layers":["#
    + #"{"index":0,"name":"Linear(2, 2)","units":2,"activation_sparsity":null,"dead_units":null,"#
    + #""dead_unit_indices":null,"weight_sparsity":0.25,"small_weight_fraction":0.25,"weight_count":null},"#
    + #"{"index":1,"name":"ReLU","units":2,"activation_sparsity":0.5,"dead_units":1,"dead_unit_indices":[1],"#
    + #""weight_sparsity":null,"small_weight_fraction":null,"weight_count":null}],"history":[]}"#

  static let diverged = SweepRun(
    value: SweepParameter.Value(text: "10", number: 10), architecture: architecture, history: [], divergedEpoch: 3)

  static let divergedText =
    #"{"value":10.0,"label":"10","architecture":"2-2-relu-2","diverged_epoch":3,"test_accuracy":null,"#
    + #""test_loss":null,"train_accuracy":null,"gap_points":null,"activation_sparsity":null,"dead_units":null,"#
    + #""weight_sparsity":null,"speedup_batch1":null,"dense_microseconds":null,"dense_blas_threads":null,"#
    + #""skipping_microseconds":null,"timed_layers":null,"timing_relative_error":null,"epochs":0,"layers":[],"#
    + #""history":[]}"#

  @Test func aRowWritesWhatWasMeasuredAndNullForTheRest() throws {
    #expect(try JSONValue(encoding: Self.measured()).text == Self.measuredText)
    #expect(try JSONValue(encoding: Self.diverged).text == Self.divergedText)
  }

  @Test func theSweepWritesItsSettingsAndSampleCountsThenTheRows() throws {
    var recipe = TrainingRecipe()
    recipe.settings.epochs = 1
    let part = { (rows: Int) in
      LabeledDataset(
        features: Tensor(zeros: [rows, 2]), labels: [Int](repeating: 0, count: rows), classCount: 2, name: "t")
    }
    let data = PreparedData(train: part(3), validation: part(1), test: part(2), scaler: nil)
    let sweep = SweepResult(
      parameter: .activationL1, recipe: recipe, data: data, runs: [Self.measured(), Self.diverged])
    #expect(
      try JSONValue(encoding: sweep).text
        == #"{"param":"act-l1","values":[0.001,10.0],"data":"digits","#
        + #""samples":{"train":3,"validation":1,"test":2},"#
        + #""settings":{"epochs":"1","batch_size":"64","learning_rate":"0.001","optimizer":"Adam","#
        + #""schedule":"constant","seed":"0","validation_fraction":"0.1"},"#
        + #""rows":["# + Self.measuredText + "," + Self.divergedText + "]}")
  }
}
