import SparsityIO
import Testing

@testable import SparsityCore
@testable import SparsityNN

/// Seeded end-to-end training on the embedded digits data.
@Suite struct TrainerTests {
  /// Digits scaled to [0, 1], split 80/20 (then 10% of the training part for validation).
  static func digits() throws -> (train: LabeledDataset, validation: LabeledDataset, test: LabeledDataset) {
    let all = try DigitsDataset.load()
    let scaler = FeatureScaler(fitting: .fixedRange(maximum: 16), to: all)
    let (train, test) = scaler.apply(to: all).split(testFraction: 0.2, seed: 0)
    let (fit, validation) = train.split(testFraction: 0.1, seed: 1)
    return (fit, validation, test)
  }

  static func train(_ settings: TrainingSettings, hidden: [Int] = [128, 64]) throws -> (
    accuracy: Double, layers: [LayerSparsity], history: [EpochReport]
  ) {
    let data = try digits()
    var layers: [ModelArchitecture.LayerSpec] = []
    for width in hidden { layers += [.linear(outputFeatures: width), .relu] }
    layers.append(.linear(outputFeatures: 10))
    let model = ModelArchitecture(inputFeatures: 64, layers: layers).makeSequential(seed: 0)
    let history = Trainer(model: model, settings: settings).fit(train: data.train, validation: data.validation)
    let test = Evaluation.of(model, features: data.test.features, labels: data.test.labels)
    return (test.accuracy, NetworkSparsity.measure(model, features: data.test.features), history)
  }

  static func settings(epochs: Int = 15) -> TrainingSettings {
    var settings = TrainingSettings()
    settings.epochs = epochs
    settings.batchSize = 32
    return settings
  }

  @Test func reachesNinetyFivePercentOnDigits() throws {
    let result = try Self.train(Self.settings())
    #expect(result.accuracy >= 0.95, "test accuracy \(result.accuracy)")
    #expect(result.history.count == 15)
    #expect(result.history.last!.trainLoss < result.history.first!.trainLoss)
  }

  @Test func sameSeedSameHistory() throws {
    // BLAS held on one thread: benchmark tests running alongside lend BLAS threads for a while,
    // and a product split another way may round differently (BLAS.withThreadCount).
    let (a, b) = try BLAS.withThreadCount(1) {
      (try Self.train(Self.settings(epochs: 2)), try Self.train(Self.settings(epochs: 2)))
    }
    #expect(a.history.map(\.trainLoss) == b.history.map(\.trainLoss))
    #expect(a.accuracy == b.accuracy)
  }

  @Test func activationL1RaisesActivationSparsityWithoutLosingAccuracy() throws {
    let plain = try Self.train(Self.settings(epochs: 20))
    var penalized = Self.settings(epochs: 20)
    penalized.activationL1 = 3e-3
    let sparse = try Self.train(penalized)
    let plainZeros = plain.layers[1].activationSparsity!
    let sparseZeros = sparse.layers[1].activationSparsity!
    #expect(sparseZeros > plainZeros + 0.15, "first hidden layer zeros \(plainZeros) -> \(sparseZeros)")
    #expect(sparse.accuracy >= plain.accuracy - 0.02, "accuracy \(plain.accuracy) -> \(sparse.accuracy)")
  }

  @Test func proximalL1MakesExactZeroWeights() throws {
    var settings = Self.settings(epochs: 10)
    settings.optimizer = .sgd(momentum: 0.9, nesterov: false)
    settings.learningRate = 0.05
    settings.weightL1 = 1e-2
    let result = try Self.train(settings)
    let zeroWeights = result.layers[0].weightSparsity!
    #expect(zeroWeights > 0.5, "first layer exact-zero weights \(zeroWeights)")
    #expect(result.accuracy > 0.9, "accuracy \(result.accuracy)")
  }

  @Test func earlyStoppingStopsAndKeepsTheBestWeights() throws {
    var settings = Self.settings(epochs: 40)
    settings.earlyStoppingPatience = 2
    settings.learningRate = 1e-2
    let result = try Self.train(settings)
    #expect(result.history.count < 40)
    let best = result.history.map(\.validationLoss).min()!
    #expect(result.history.last!.validationLoss >= best)
  }

  /// A batch size past the sample count is one batch of every sample (Int.max overflowed).
  @Test func aBatchLargerThanTheDataIsOneBatch() throws {
    var settings = Self.settings(epochs: 1)
    settings.batchSize = .max
    let result = try Self.train(settings, hidden: [8])
    #expect(result.history.count == 1 && result.history[0].trainLoss.isFinite)
  }
}
