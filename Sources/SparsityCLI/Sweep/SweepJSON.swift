// `sparsity sweep --json`: one object with the settings and a row per value.

import SparsityExperiments
import SparsityIO
import SparsityNN

enum SweepJSON {
  /// The whole sweep: parameter, values, shared settings, split sizes and one row per value.
  static func result(_ sweep: SweepResult) throws -> JSONValue {
    .object([
      ("param", .string(sweep.parameter.rawValue)),
      ("values", .array(sweep.runs.map { .double($0.value.number) })),
      ("data", .string(sweep.recipe.source.description)),
      (
        "samples",
        .object([
          ("train", .integer(sweep.data.train.sampleCount)),
          ("validation", .integer(sweep.data.validation.sampleCount)),
          ("test", .integer(sweep.data.test.sampleCount)),
        ])
      ),
      ("settings", .object(sweep.recipe.settings.summary.map { ($0, .string($1)) })),
      ("rows", .array(try sweep.runs.map(row))),
    ])
  }

  /// One value: accuracies (fractions), gap (points), sparsities (fractions), dead units, timing.
  static func row(_ run: SweepRun) throws -> JSONValue {
    let optionalDouble = { (value: Double?) -> JSONValue in value.map { .double($0) } ?? .null }
    var members: [(String, JSONValue)] = [
      ("value", .double(run.value.number)), ("label", .string(run.value.text)),
      ("architecture", .string(run.architecture.description)),
      ("diverged_epoch", run.divergedEpoch.map { .integer($0) } ?? .null),
      ("test_accuracy", optionalDouble(run.test?.accuracy)), ("test_loss", optionalDouble(run.test?.loss)),
      ("train_accuracy", optionalDouble(run.train?.accuracy)), ("gap_points", optionalDouble(run.gapPoints)),
      ("activation_sparsity", optionalDouble(run.activationSparsity)),
      ("dead_units", run.deadUnits.map { .integer($0) } ?? .null),
      ("weight_sparsity", optionalDouble(run.weightSparsity)),
    ]
    let timing = run.timing
    members += [
      ("speedup_batch1", optionalDouble(timing?.speedup)),
      ("dense_microseconds", optionalDouble(timing?.denseMicroseconds)),
      ("dense_blas_threads", timing.map { .integer($0.denseThreads) } ?? .null),
      ("skipping_microseconds", optionalDouble(timing?.skippingMicroseconds)),
      ("timed_layers", timing.map { .array($0.layers.map { .integer($0) }) } ?? .null),
      ("timing_relative_error", optionalDouble(timing?.relativeError)),
      ("epochs", .integer(run.history.count)),
      ("layers", try JSONValue(encoding: run.layers)),
      ("history", try JSONValue(encoding: run.history)),
    ]
    return .object(members)
  }
}
