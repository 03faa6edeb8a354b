// Loading, splitting and scaling a data set the same way for training and evaluation.

import SparsityCore
import SparsityIO

/// A data set ready for a classifier: scaled train/validation/test parts.
public struct PreparedData: Sendable {
  public var train: LabeledDataset
  public var validation: LabeledDataset
  public var test: LabeledDataset
  /// The scaling fitted on the training part (or given), applied to every part; nil: unscaled.
  public var scaler: FeatureScaler?

  public init(train: LabeledDataset, validation: LabeledDataset, test: LabeledDataset, scaler: FeatureScaler?) {
    self.train = train
    self.validation = validation
    self.test = test
    self.scaler = scaler
  }

  /// What to try when training on this data diverged: a smaller learning rate, unless the
  /// training features reach magnitudes (above 10^6) whose products overflow single precision,
  /// when they must be scaled first.
  public func divergenceAdvice(learningRate: Float) -> String {
    let largest = train.features.scalars.reduce(Float(0)) { Swift.max($0, $1.magnitude) }
    guard largest <= 1e6 else {
      return "the training features reach magnitude \(largest)\(scaler == nil ? " unscaled" : ""):"
        + " scale them (--scaling unit or standardize) or rescale the data"
    }
    return "try a smaller --lr (now \(learningRate))"
  }

  /// Throws when a feature of `data` is not finite after `scaling` (features near the Float
  /// maximum whose centring overflows) or is larger than `Float.largestSquarableMagnitude`, which would
  /// otherwise surface later as dead units or a divergence blamed on the learning rate.
  static func checkMagnitudes(_ data: LabeledDataset, part: String, source: DatasetSource, scaling: FeatureScaling?)
    throws(ExperimentError)
  {
    let width = Swift.max(1, data.featureCount)
    let limit = Float.largestSquarableMagnitude
    guard let bad = data.features.scalars.firstIndex(where: { !($0.magnitude <= limit) }) else { return }
    let value = data.features.scalars[bad]
    let place = "\(part) sample \(bad / width), feature \(bad % width)"
    if let scaling, !value.isFinite {
      throw .unusableData(
        "\(source): scaling the features (\(scaling.name)) overflows single precision at \(place):"
          + " the features' magnitudes are too large; rescale the data first")
    }
    throw .unusableData(
      "\(source): the \(scaling.map { "\($0.name)-scaled " } ?? "unscaled ")feature at \(place) is \(value),"
        + " beyond \(limit) whose square overflows single precision; scale the features (--scaling) or rescale the data"
    )
  }

  /// Loads `source`; a source without its own test set (all but MNIST) is split with
  /// `testFraction` and `seed`. The scaler is fitted on the training part (or `scaler` is used
  /// when given, as `eval` does with the one saved in the model) and applied to every part.
  /// `validationFraction` of the training part is held out for validation.
  /// - Throws: `DatasetError` when the source cannot be read, `ExperimentError.unusableData`
  ///   for fewer than 2 classes, a feature count unlike `scaler`'s or too few samples to split.
  public static func load(
    _ source: DatasetSource, testFraction: Double, validationFraction: Double, seed: UInt64,
    scaling: FeatureScaling?, scaler given: FeatureScaler? = nil
  ) throws -> PreparedData {
    let loaded = try source.load()
    guard loaded.train.classCount >= 2 else {
      throw ExperimentError.unusableData(
        "\(source): a classifier needs at least 2 classes, the labels hold \(loaded.train.classCount)")
    }
    var (train, test) = (loaded.train, loaded.test ?? loaded.train)
    if loaded.test == nil { (train, test) = loaded.train.split(testFraction: testFraction, seed: seed) }
    if let given, given.scales.count != train.featureCount {
      throw ExperimentError.unusableData(
        "\(source) has \(train.featureCount) features, the saved feature scaling \(given.scales.count)")
    }
    let scaler = given ?? scaling.map { FeatureScaler(fitting: $0, to: train) }
    if let scaler {
      train = scaler.apply(to: train)
      test = scaler.apply(to: test)
    }
    for (part, data) in [("training", train), ("test", test)] {
      try checkMagnitudes(data, part: part, source: source, scaling: scaler?.scaling)
    }
    let (fit, validation) =
      validationFraction > 0
      ? train.split(testFraction: validationFraction, seed: seed &+ 1) : (train, test)
    guard fit.sampleCount > 0, validation.sampleCount > 0, test.sampleCount > 0 else {
      throw ExperimentError.unusableData(
        "\(source): \(loaded.train.sampleCount) samples are too few to split into train (\(fit.sampleCount)), validation (\(validation.sampleCount)) and test (\(test.sampleCount)) parts"
      )
    }
    return PreparedData(train: fit, validation: validation, test: test, scaler: scaler)
  }
}
