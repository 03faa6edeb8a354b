// The JSON form of one model of a sweep, a row of `sparsity sweep --json`.

import SparsityNN

/// `{"value", "label", "architecture", "diverged_epoch", "test_accuracy", "test_loss",
/// "train_accuracy", "gap_points", "activation_sparsity", "dead_units", "weight_sparsity",
/// "speedup_batch1", "dense_microseconds", "dense_blas_threads", "skipping_microseconds",
/// "timed_layers", "timing_relative_error", "epochs", "layers", "history"}`: accuracies and
/// sparsities as fractions, the gap in percentage points, `dead_units` a count. What was not
/// measured (after divergence, or the timing without timing samples) is `null`.
extension SweepRun: Encodable {
  private enum CodingKeys: String, CodingKey {
    case value, label, architecture, epochs, layers, history
    case divergedEpoch = "diverged_epoch"
    case testAccuracy = "test_accuracy"
    case testLoss = "test_loss"
    case trainAccuracy = "train_accuracy"
    case gapPoints = "gap_points"
    case activationSparsity = "activation_sparsity"
    case deadUnits = "dead_units"
    case weightSparsity = "weight_sparsity"
    case speedup = "speedup_batch1"
    case denseMicroseconds = "dense_microseconds"
    case denseThreads = "dense_blas_threads"
    case skippingMicroseconds = "skipping_microseconds"
    case timedLayers = "timed_layers"
    case timingRelativeError = "timing_relative_error"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(value.number, forKey: .value)
    try container.encode(value.text, forKey: .label)
    try container.encode(architecture.description, forKey: .architecture)
    try container.encode(divergedEpoch, forKey: .divergedEpoch)
    try container.encode(test?.accuracy, forKey: .testAccuracy)
    try container.encode(test?.loss, forKey: .testLoss)
    try container.encode(train?.accuracy, forKey: .trainAccuracy)
    try container.encode(gapPoints, forKey: .gapPoints)
    try container.encode(activationSparsity, forKey: .activationSparsity)
    try container.encode(deadUnits, forKey: .deadUnits)
    try container.encode(weightSparsity, forKey: .weightSparsity)
    try container.encode(timing?.speedup, forKey: .speedup)
    try container.encode(timing?.denseMicroseconds, forKey: .denseMicroseconds)
    try container.encode(timing?.denseThreads, forKey: .denseThreads)
    try container.encode(timing?.skippingMicroseconds, forKey: .skippingMicroseconds)
    try container.encode(timing?.layers, forKey: .timedLayers)
    try container.encode(timing?.relativeError, forKey: .timingRelativeError)
    try container.encode(history.count, forKey: .epochs)
    try container.encode(layers, forKey: .layers)
    try container.encode(history, forKey: .history)
  }
}
